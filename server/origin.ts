// Which origin may send state-changing requests and open sockets: the site's
// own. With PUBLIC_URL set that is its origin exactly; without it, the host
// the request was addressed to (development, tests, simple installs).
import type { IncomingMessage } from "node:http";
import type { Env } from "~/lib/env.server";

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
  return parsed.host === req.headers.host;
}
