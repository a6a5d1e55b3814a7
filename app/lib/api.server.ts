// The JSON API's plumbing: who is calling (session cookie or personal API
// token), reading JSON bodies, and turning every failure into
// { "error": { "code", "message", "fields" } } with a 4xx.
import { json } from "@remix-run/node";
import { findApiTokenUser } from "~/models/api-token.server";
import type { SessionUser } from "~/models/session.server";
import { getCurrentUser } from "./auth.server";
import { isDomainError } from "./errors";
import { apiError } from "./http.server";
import { logger } from "./logger.server";
import { positiveId as parseId } from "./validation";

/** The caller: a bearer token wins over the session cookie. */
export async function apiCaller(request: Request): Promise<SessionUser | null> {
  const header = request.headers.get("Authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const user = match ? await findApiTokenUser(match[1]) : null;
    if (!user) throw apiError(401, "invalid_token", "That API token is not valid. Create a new one in your settings.");
    return user;
  }
  return getCurrentUser(request);
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
  return body as Record<string, unknown>;
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
