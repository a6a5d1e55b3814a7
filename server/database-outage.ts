// While the database is known to be unreachable (a failover, a restart), answer
// at once with 503 and Retry-After instead of letting every request wait for a
// connection that will not come. /healthz still asks the database itself, so
// load balancers see the truth; static files are served as usual. After a
// moment (OUTAGE_PAUSE_MS) requests go through again and find out.
import type { RequestHandler } from "express";
import { databaseRecentlyDown, OUTAGE_RETRY_SECONDS } from "~/models/health.server";
import { escapeHtml } from "~/lib/html";

const MESSAGE = "ParaNet cannot reach its database just now. Try again in a few seconds.";

export function databaseOutageGuard(): RequestHandler {
  return (req, res, next) => {
    if (!databaseRecentlyDown() || req.path === "/healthz") return next();
    res.status(503).set({ "Retry-After": String(OUTAGE_RETRY_SECONDS), "Cache-Control": "no-store" });
    if (req.path.startsWith("/api/")) {
      res.json({ error: { code: "unavailable", message: MESSAGE, fields: {} } });
      return;
    }
    res
      .type("html")
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Back in a moment · ParaNet</title></head>` +
          `<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5"><h1>Back in a moment</h1><p>${escapeHtml(MESSAGE)}</p><p><a href="${escapeHtml(req.originalUrl)}">Try again</a></p></body></html>`,
      );
  };
}
