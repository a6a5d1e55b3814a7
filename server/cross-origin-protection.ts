// Cross-site request forgery protection for every state-changing request.
// Browsers label each request with Sec-Fetch-Site and Origin; a POST that a
// browser sends from another site is refused with 403. Requests without
// either header do not come from a browser and carry no ambient session risk.
// (The same approach as Go 1.25's http.CrossOriginProtection; see
// docs/decisions/0002-csrf-by-origin.md.)
import type { RequestHandler } from "express";
import type { Env } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { isOwnOrigin } from "./origin";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Posts authenticated by a secret in the request itself, not by the session
 * cookie, so a forged cross-site post gains nothing: RFC 8058's one-click
 * unsubscribe (sent by mail providers) and the inbound-mail webhook.
 */
const TOKEN_AUTHENTICATED = new Set(["/email/unsubscribe", "/api/v1/inbound-mail"]);

export function crossOriginProtection(env: Env): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (TOKEN_AUTHENTICATED.has(req.path)) {
      delete req.headers.origin;
      return next();
    }
    const site = req.get("sec-fetch-site");
    const origin = req.get("origin");
    const allowed = site === "same-origin" || site === "none" || (site === undefined && (origin === undefined || isOwnOrigin(origin, req, env)));
    if (allowed) {
      // This check is the one that decides. Remix repeats a stricter-looking
      // one (Origin host vs Host) that throws a 500 on odd but harmless
      // combinations, e.g. a browser on a direct address while PUBLIC_URL is set.
      delete req.headers.origin;
      return next();
    }
    logger.warn({ reqId: res.locals.requestId, path: req.path, origin, site }, "cross-origin request refused");
    const message = "This request came from another website, so ParaNet refused it to protect your account.";
    res.status(403);
    if (req.path.startsWith("/api/") || req.accepts(["html", "json"]) === "json") {
      res.json({ error: { code: "cross_origin_refused", message, fields: {} } });
    } else {
      res
        .type("html")
        .send(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Request refused — ParaNet</title></head>` +
            `<body><main><h1>Request refused</h1><p>${message}</p><p><a href="/">Go to ParaNet</a></p></main></body></html>`,
        );
    }
  };
}
