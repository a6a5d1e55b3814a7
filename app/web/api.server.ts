// The JSON API's plumbing: who is calling (session cookie or personal API
// token), reading JSON bodies, and turning every failure into
// { "error": { "code", "message", "fields" } } with a 4xx.
import { json } from "@remix-run/node";
import { findApiTokenUser } from "~/models/api-token.server";
import { countInMemory, type Window } from "~/models/rate-limit.server";
import { activeSuspension } from "~/models/user.server";
import { getEnv } from "~/lib/env.server";
import { requestClientIp } from "~/lib/request-scope.server";
import { suspensionMessage } from "~/lib/suspension";
import type { SessionUser } from "~/models/session.server";
import { getCurrentUser } from "~/web/auth.server";
import { isDomainError } from "~/lib/errors";
import { apiError } from "~/web/http.server";
import { cleanInput } from "~/lib/validation";
import { logger } from "~/lib/logger.server";
import { noteDatabaseError, OUTAGE_RETRY_SECONDS } from "~/models/health.server";
import { positiveId as parseId } from "~/lib/validation";

/**
 * The caller: a bearer token wins over the session cookie. Every call counts
 * against the per-member and per-address limits, and a suspended member
 * cannot use the API at all.
 */
export async function apiCaller(request: Request): Promise<SessionUser | null> {
  const header = request.headers.get("Authorization");
  let user: SessionUser | null;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    user = match ? await findApiTokenUser(match[1]) : null;
    if (!user) throw apiError(401, "invalid_token", "That API token is not valid. Create a new one in your settings.");
  } else {
    user = await getCurrentUser(request);
  }
  const { apiRateLimit } = getEnv();
  const keys: [string, Window][] = [[`api:ip:${requestClientIp()}`, { limit: apiRateLimit * 3, windowMs: 60_000 }]];
  if (user) keys.push([`api:user:${user.id}`, { limit: apiRateLimit, windowMs: 60_000 }]);
  countInMemory(keys, (minutes) => `Too many API calls. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`);
  if (user) {
    const suspension = await activeSuspension(user.id);
    if (suspension) throw apiError(403, "suspended", suspensionMessage(suspension.until, suspension.reason));
  }
  return user;
}

export async function requireApiCaller(request: Request): Promise<SessionUser> {
  const user = await apiCaller(request);
  if (!user) throw apiError(401, "unauthenticated", "Log in, or send a personal API token as `Authorization: Bearer …`.");
  return user;
}

export async function readJson(request: Request): Promise<Record<string, unknown>> {
  if (!/^application\/json\b/i.test(request.headers.get("Content-Type") ?? "")) {
    throw apiError(415, "unsupported_media_type", "Send a JSON body with Content-Type: application/json.");
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw apiError(400, "invalid_json", "The request body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw apiError(400, "invalid_json", "The request body must be a JSON object.");
  }
  return cleanInput(body as Record<string, unknown>);
}

/** Run an API handler: domain errors become the JSON error shape; nothing 500s on input. */
export async function api(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof Response) {
      if (e.headers.get("Content-Type")?.includes("application/json")) return e;
      return apiError(e.status, e.status === 404 ? "not_found" : "error", e.statusText || "Request refused.");
    }
    if (isDomainError(e)) {
      const fields = "fields" in e ? e.fields : {};
      const response = apiError(e.status, e.code, e.message, fields);
      if ("retryAfterSeconds" in e) response.headers.set("Retry-After", String(e.retryAfterSeconds));
      return response;
    }
    if (noteDatabaseError(e)) {
      const response = apiError(503, "unavailable", "ParaNet cannot reach its database just now. Try again in a few seconds.");
      response.headers.set("Retry-After", String(OUTAGE_RETRY_SECONDS));
      return response;
    }
    logger.error({ err: e }, "api error");
    return apiError(500, "internal", "Something went wrong on our side.");
  }
}

export function methodNotAllowed(allowed: string[]) {
  const res = apiError(405, "method_not_allowed", `Use ${allowed.join(" or ")}.`);
  res.headers.set("Allow", allowed.join(", "));
  return res;
}

export function positiveId(value: string | undefined): number {
  const id = parseId(value);
  if (id === null) throw apiError(404, "not_found", "Not found.");
  return id;
}

export { json };
