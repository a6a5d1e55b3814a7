// An evidence file, downloaded by its owner (issue 19): anyone else gets
// "not found", a guest the log-in page. Always an attachment, with the type
// its content was sniffed as and `nosniff` (server/security-headers.ts sets
// it on every response), so no browser renders it inline as HTML or SVG
// (neither is ever stored); never cached; streamed from the disk.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { attachmentDisposition } from "~/lib/evidence-type";
import { openEvidenceFile } from "~/models/evidence.server";
import { requireUser } from "~/web/auth.server";
import { idOr404, orErrorPage } from "~/web/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = idOr404(params.id);
  const file = await orErrorPage(() => openEvidenceFile(user, id));
  const headers = {
    "Content-Type": file.mediaType,
    "Content-Length": String(file.bytes),
    "Content-Disposition": attachmentDisposition(file.fileName),
    "Cache-Control": "private, no-store",
    // Added to the page policy: were it ever opened in place, nothing in it could run or load.
    "Content-Security-Policy": "default-src 'none'; sandbox",
  };
  if (request.method === "HEAD") {
    file.stream.destroy();
    return new Response(null, { headers });
  }
  return new Response(createReadableStreamFromReadable(file.stream), { headers });
}
