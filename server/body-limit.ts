// Refuse oversized request bodies before anything reads them. The connection
// is closed after the 413, since the rest of the body is never read. The
// uploads (`except`: the evidence form, and a file sent to the API) enforce
// limits of their own, so that they can say how large the file was
// (app/web/upload.server.ts).
import type { Request, RequestHandler } from "express";

export function bodyLimit(maxBytes: number, options: { except?: (req: Request) => boolean } = {}): RequestHandler {
  return (req, res, next) => {
    const length = Number(req.get("content-length") ?? 0);
    if (length > maxBytes && !options.except?.(req)) {
      res.set("Connection", "close");
      res.status(413);
      if (req.accepts(["html", "json"]) === "json") {
        res.json({ error: { code: "too_large", message: "That request is too large.", fields: {} } });
      } else {
        res.type("text").send("That request is too large.");
      }
      return;
    }
    next();
  };
}
