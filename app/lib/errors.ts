// Domain errors. Models throw these; routes and the API turn them into
// responses (see app/web/http.server.ts), so a rule is written once.

export type FieldErrors = Record<string, string>;

export class ValidationError extends Error {
  readonly status = 400;
  readonly code = "invalid_input";
  constructor(
    public readonly fields: FieldErrors,
    message = "Please correct the highlighted fields.",
  ) {
    super(message);
  }
}

export class ForbiddenError extends Error {
  readonly status = 403;
  readonly code = "forbidden";
  constructor(message = "You do not have permission to do that.") {
    super(message);
  }
}

export class NotFoundError extends Error {
  readonly status = 404;
  readonly code = "not_found";
  constructor(message = "Not found.") {
    super(message);
  }
}

export class ConflictError extends Error {
  readonly status = 409;
  readonly code = "conflict";
  constructor(
    message: string,
    public readonly fields: FieldErrors = {},
  ) {
    super(message);
  }
}

/** A suspended member tried to post, vote, flag or use the API: told why and until when. */
export class SuspendedError extends Error {
  readonly status = 403;
  readonly code = "suspended";
  constructor(message: string) {
    super(message);
  }
}

export class TooManyRequestsError extends Error {
  readonly status = 429;
  readonly code = "too_many_requests";
  constructor(
    message: string,
    public readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export type DomainError = ValidationError | ForbiddenError | NotFoundError | ConflictError | SuspendedError | TooManyRequestsError;

export function isDomainError(e: unknown): e is DomainError {
  return (
    e instanceof ValidationError ||
    e instanceof ForbiddenError ||
    e instanceof NotFoundError ||
    e instanceof ConflictError ||
    e instanceof SuspendedError ||
    e instanceof TooManyRequestsError
  );
}
