// Turning domain errors into responses, the same way for every route.
import { json } from "@remix-run/node";
import { getEnv } from "~/lib/env.server";
import { declaredEvidenceType } from "~/lib/evidence-type";
import { isDomainError, ForbiddenError, NotFoundError, type FieldErrors } from "~/lib/errors";
import { cleanInput, positiveId } from "~/lib/validation";

export type FormFailure = { ok: false; message: string; fields: FieldErrors; values: Record<string, string> };

const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;
const MULTIPART = /^multipart\/form-data\b/i;
/** The largest request body accepted (server/body-limit.ts refuses larger ones before anything reads them). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The one address that takes an upload (multipart/form-data): a portfolio
 * entry's evidence (app/routes/me.portfolio.entries.$id.evidence.tsx). Every
 * other route refuses multipart bodies with 415 (server/security-headers.ts,
 * and readForm below); this one reads its body itself, with its own limits
 * (app/web/upload.server.ts).
 */
export const UPLOAD_PATH = /^\/me\/portfolio\/entries\/[^/]+\/evidence\/?$/;

/** Is this request an upload to the one route that takes them? */
export function isUploadRequest(method: string, pathname: string, contentType: string | null | undefined): boolean {
  return method === "POST" && MULTIPART.test(contentType ?? "") && UPLOAD_PATH.test(pathname);
}

/**
 * The API's way to add an evidence file: the file itself as the body, its
 * Content-Type a PDF's, PNG's or JPEG's (app/routes/api.v1.portfolio.entries.$id.evidence.ts).
 * Never multipart; read by app/web/upload.server.ts with the upload's limits.
 */
export const RAW_UPLOAD_PATH = /^\/api\/v1\/portfolio\/entries\/[^/]+\/evidence\/?$/;

/** Is this request a file sent to the API as a raw body? */
export function isRawUploadRequest(method: string, pathname: string, contentType: string | null | undefined): boolean {
  return method === "POST" && declaredEvidenceType(contentType) !== null && RAW_UPLOAD_PATH.test(pathname);
}

/** Read a posted form; anything that is not a readable form is a 4xx, never a 500. */
export async function readForm(request: Request): Promise<FormData> {
  if (!FORM_TYPE.test(request.headers.get("Content-Type") ?? "")) {
    throw new Response("Send this form as application/x-www-form-urlencoded.", { status: 415 });
  }
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_BODY_BYTES) {
    throw new Response("That form is too large.", { status: 413 });
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new Response("The form could not be read. Please try again.", { status: 400 });
  }
  return cleanInput(form);
}

/** For form actions: re-render with a message, field errors and the user's text. */
export function formFailure(fields: FieldErrors, values: Record<string, string>, message?: string, status = 400) {
  return json<FormFailure>({ ok: false, message: message ?? "Please correct the highlighted fields.", fields, values }, { status });
}

/** Catch domain errors thrown by a model inside a form action. */
export async function handleFormAction(values: Record<string, string>, run: () => Promise<Response>, extra: Record<string, unknown> = {}): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof Response) throw e;
    if (e instanceof ForbiddenError || e instanceof NotFoundError) throw toErrorResponse(e);
    if (isDomainError(e)) {
      const fields = "fields" in e ? e.fields : {};
      const headers = "retryAfterSeconds" in e ? { "Retry-After": String(e.retryAfterSeconds) } : undefined;
      return json<FormFailure>({ ...extra, ok: false, message: e.message, fields, values }, { status: e.status, headers });
    }
    throw e;
  }
}

/** A thrown Response that the nearest ErrorBoundary renders (403, 404). */
export function toErrorResponse(e: ForbiddenError | NotFoundError): Response {
  return new Response(e.message, { status: e.status, statusText: e.message });
}

/** An id from the URL, or the 404 page. */
export function idOr404(value: string | undefined): number {
  const id = positiveId(value);
  if (id === null) throw new Response("Not found.", { status: 404, statusText: "Not Found", headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return id;
}

/** An id posted with a form (say, the reply a vote is for), or a 400 that says what was wrong. */
export function idOr400(value: FormDataEntryValue | null, message: string): number {
  const id = positiveId(value);
  if (id === null) throw new Response(message, { status: 400, statusText: message, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return id;
}

/** Run a model call in a loader: its Forbidden/NotFound become the 403/404 page. */
export async function orErrorPage<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof ForbiddenError || e instanceof NotFoundError) throw toErrorResponse(e);
    throw e;
  }
}

/** The site's address for links that leave the page (feeds, reset links): PUBLIC_URL, or the request's origin. */
export function siteUrl(request: Request): string {
  return getEnv().publicUrl ?? new URL(request.url).origin;
}

/** For the JSON API: { error: { code, message, fields } } with a 4xx. */
export function apiError(status: number, code: string, message: string, fields: FieldErrors = {}) {
  return json({ error: { code, message, fields } }, { status });
}
