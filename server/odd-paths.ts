// Paths no route can answer: one that is not valid percent-encoded UTF-8, or
// an API path with control characters or line separators (the API's
// catch-all cannot match them). And one character no route may see: NUL
// (%00), which no text column can store and PostgreSQL refuses even in a
// query; it is dropped from the address, as form input drops control
// characters. The API answers in its JSON error shape, pages in plain text,
// before Express or Remix would answer with a bare HTML error.
import type { RequestHandler } from "express";

export function oddPaths(): RequestHandler {
  return (req, res, next) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(req.path);
    } catch {
      return answer(req.path, res, 400, "invalid_path", "This address is not valid: it is not percent-encoded UTF-8.");
    }
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    if (req.path.startsWith("/api/") && /[\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(decoded)) {
      return answer(req.path, res, 404, "not_found", "Not found.");
    }
    if (/%00/i.test(req.originalUrl)) {
      // Remix reads originalUrl; Express routes by url.
      req.originalUrl = req.originalUrl.replace(/%00/gi, "");
      req.url = req.url.replace(/%00/gi, "");
    }
    next();
  };
}

function answer(path: string, res: Parameters<RequestHandler>[1], status: number, code: string, message: string) {
  if (path.startsWith("/api/")) res.status(status).json({ error: { code, message, fields: {} } });
  else res.status(status).type("text/plain").send(message);
}
