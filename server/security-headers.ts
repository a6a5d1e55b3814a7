// Response headers that harden every page: a Content-Security-Policy whose
// only scripts are our own files and the inline scripts Remix writes with
// this request's nonce, no framing, no MIME sniffing, a strict referrer, and
// HSTS when the site is served over https.
import { randomBytes } from "node:crypto";
import type { RequestHandler } from "express";
import { isUploadRequest } from "~/web/http.server";

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // React sets style attributes; no stylesheet comes from elsewhere.
    "style-src 'self' 'unsafe-inline'",
    // Posts may show images from https addresses; avatars and icons are ours.
    "img-src 'self' data: https:",
    "font-src 'self'",
    // The live-updates socket is same-origin (ws: and wss: included in 'self').
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(options: { httpsOnly: boolean }): RequestHandler {
  return (req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (options.httpsOnly || req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    // Uploads are accepted in one place only, a portfolio entry's evidence: no other form of ours sends files.
    if (/^multipart\/form-data\b/i.test(req.headers["content-type"] ?? "") && !isUploadRequest(req.method, req.path, req.headers["content-type"])) {
      res.status(415);
      if (req.path.startsWith("/api/")) {
        // The API's own error shape; an evidence file goes to the API as the body itself, never as a form.
        const message =
          "ParaNet does not accept uploads here: the API takes JSON, and an evidence file as the whole body with its own Content-Type (application/pdf, image/png or image/jpeg).";
        res.json({ error: { code: "unsupported_media_type", message, fields: {} } });
      } else res.type("text/plain").send("ParaNet does not accept uploads here. Send forms as application/x-www-form-urlencoded.");
      return;
    }
    next();
  };
}
