// Which origin may send state-changing requests and open sockets: the site's
// own. With PUBLIC_URL set that is its origin exactly; without it, the host
// the request was addressed to (development, tests, simple installs).
import type { IncomingMessage } from "node:http";
import type { RequestHandler } from "express";
import type { Env } from "~/lib/env.server";

/** The host the client addressed: Host, or X-Forwarded-Host when a trusted proxy sets it. */
function requestHost(req: Pick<IncomingMessage, "headers">, env: Env): string | undefined {
  if (!env.trustProxy) return req.headers.host;
  const forwarded = req.headers["x-forwarded-host"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  return first || req.headers.host;
}

export function isOwnOrigin(origin: string | undefined, req: Pick<IncomingMessage, "headers">, env: Env): boolean {
  if (!origin || origin === "null") return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (env.publicOrigin) return parsed.origin === env.publicOrigin;
  // Compare hosts only: a TLS-terminating proxy may make the scheme differ.
  return parsed.host === requestHost(req, env);
}

/**
 * Make the host Remix sees trustworthy. With PUBLIC_URL it is that URL's host
 * (Remix builds request.url from it and checks Origin against it); otherwise
 * a client-sent X-Forwarded-Host is dropped unless TRUST_PROXY says a proxy
 * sets it.
 */
export function canonicalHost(env: Env): RequestHandler {
  const publicHost = env.publicUrl ? new URL(env.publicUrl).host : undefined;
  return (req, _res, next) => {
    if (publicHost) req.headers["x-forwarded-host"] = publicHost;
    else if (!env.trustProxy) delete req.headers["x-forwarded-host"];
    next();
  };
}
