// An evidence file as a download, the same for every way to one: the owner's
// (/me/portfolio/evidence/<id>, and the API's /api/v1/portfolio/evidence/<id>/file)
// and a reviewer's through a share link. Always an attachment, with the type
// its content was sniffed as and `nosniff` (server/security-headers.ts sets it
// on every response), so no browser renders it inline as HTML or SVG (neither
// is ever stored); never cached; streamed from the disk.
import { createReadableStreamFromReadable } from "@remix-run/node";
import { attachmentDisposition } from "~/lib/evidence-type";
import type { EvidenceDownload } from "~/models/evidence.server";

export function evidenceFileResponse(request: Request, file: EvidenceDownload, extraHeaders: Record<string, string> = {}): Response {
  const headers = {
    "Content-Type": file.mediaType,
    "Content-Length": String(file.bytes),
    "Content-Disposition": attachmentDisposition(file.fileName),
    "Cache-Control": "private, no-store",
    // Added to the page policy: were it ever opened in place, nothing in it could run or load.
    "Content-Security-Policy": "default-src 'none'; sandbox",
    ...extraHeaders,
  };
  if (request.method === "HEAD") {
    file.stream.destroy();
    return new Response(null, { headers });
  }
  return new Response(createReadableStreamFromReadable(file.stream), { headers });
}
