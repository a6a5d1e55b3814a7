// Who is asking: reads the session cookie and resolves it to a member.
import { createCookie, redirect } from "@remix-run/node";
import { getEnv } from "~/lib/env.server";
import { activeSuspension } from "~/models/user.server";
import { suspensionMessage } from "~/lib/suspension";
import { ForbiddenError } from "~/lib/errors";
import { toErrorResponse } from "~/web/http.server";
import { oncePerRequest } from "~/lib/request-scope.server";
import type { Role } from "~/lib/domain";
import { createSession, deleteSession, findSessionUser, SESSION_TTL_MS, sessionKey, type SessionUser } from "~/models/session.server";

const store = globalThis as unknown as { __paranetSessionCookie?: ReturnType<typeof createCookie> };

function sessionCookie() {
  const env = getEnv();
  store.__paranetSessionCookie ??= createCookie("paranet_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: env.secureCookies,
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
    secrets: [env.sessionSecret],
  });
  return store.__paranetSessionCookie;
}

export async function getSessionToken(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

// Sessions whose expiry moved forward during this request: the response
// re-sends the cookie so the browser's copy slides too (entry.server.tsx).
const refreshedTokens = new Set<string>();

/**
 * The member behind this request, or null for a guest. Looked up once per
 * HTTP request, however many loaders ask (see request-scope.server.ts).
 */
export function getCurrentUser(request: Request): Promise<SessionUser | null> {
  return oncePerRequest(`user:${request.headers.get("Cookie") ?? ""}`, () =>
    getSessionToken(request).then(async (token) => {
      if (!token) return null;
      const found = await findSessionUser(token);
      if (found?.refreshed && refreshedTokens.size < 10_000) refreshedTokens.add(token);
      return found?.user ?? null;
    }),
  );
}

/**
 * The member behind a raw Cookie header (a socket handshake has no Remix
 * Request), with the key naming their session so logging out can end the
 * session's live connections.
 */
export async function memberFromCookieHeader(cookieHeader: string | undefined): Promise<{ user: SessionUser; sessionKey: string } | null> {
  if (!cookieHeader) return null;
  const value = await sessionCookie().parse(cookieHeader);
  if (typeof value !== "string" || !value) return null;
  const found = await findSessionUser(value);
  return found ? { user: found.user, sessionKey: sessionKey(value) } : null;
}

/** A Set-Cookie value renewing the session cookie, when its session was refreshed. */
export async function takeSessionCookieRenewal(request: Request): Promise<string | null> {
  const token = await getSessionToken(request);
  if (!token || !refreshedTokens.delete(token)) return null;
  return sessionCookie().serialize(token);
}

/** Redirects guests to /login and back again afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getCurrentUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

export async function requireRole(request: Request, roles: Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) throw toErrorResponse(new ForbiddenError());
  // A suspended moderator or admin has no staff powers until it ends.
  const suspension = await activeSuspension(user.id);
  if (suspension) throw toErrorResponse(new ForbiddenError(suspensionMessage(suspension.until, suspension.reason)));
  return user;
}

/** Start a session and redirect, setting the cookie. */
export async function logInAndRedirect(userId: number, redirectTo: string): Promise<Response> {
  const token = await createSession(userId);
  return redirect(safeRedirect(redirectTo), {
    headers: { "Set-Cookie": await sessionCookie().serialize(token) },
  });
}

export async function logOutAndRedirect(request: Request, redirectTo = "/"): Promise<Response> {
  const token = await getSessionToken(request);
  if (token) await deleteSession(token);
  return redirect(redirectTo, {
    headers: { "Set-Cookie": await sessionCookie().serialize("", { maxAge: 0 }) },
  });
}

/** Only same-site paths: never let ?redirectTo= send someone to another site. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  // Browsers drop tabs and newlines from URLs ("/\t/evil" becomes "//evil") and
  // treat "\" as "/": refuse both, then make sure the origin cannot change.
  // eslint-disable-next-line no-control-regex
  if (typeof to !== "string" || !to.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  const base = "http://paranet.invalid";
  const url = new URL(to, base);
  return url.origin === base ? url.pathname + url.search + url.hash : fallback;
}
