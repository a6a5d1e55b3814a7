// One structured line per request, with a request id. Only the path is logged:
// query strings can carry one-time tokens (/setup?token=…); so can one path,
// a link to verify a portfolio entry (/verify/<token>), logged without it.
import crypto from "node:crypto";
import type { RequestHandler } from "express";
import { logger } from "~/lib/logger.server";

const INCOMING_ID = /^[A-Za-z0-9_-]{8,64}$/;

export function requestLog(): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const incoming = req.get("x-request-id");
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : crypto.randomUUID();
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const level = res.statusCode >= 500 ? "error" : req.path.startsWith("/build/") ? "debug" : "info";
      const path = req.path.replace(/^\/verify\/[^/]+/, "/verify/…");
      logger[level]({ reqId: requestId, method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, "request");
    });
    next();
  };
}
