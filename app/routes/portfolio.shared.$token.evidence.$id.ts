// An evidence file through a reviewer's link (issue 19): while the link is
// live, for a file of an entry the shared page lists; anything else is "not
// found". Served as the owner's download is (me.portfolio.evidence.$id.ts):
// an attachment of the type its content was sniffed as, never cached, and
// sent with no referrer so the link's token does not travel on.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { attachmentDisposition } from "~/lib/evidence-type";
import { openSharedEvidence } from "~/models/portfolio-share.server";
import { idOr404, orErrorPage } from "~/web/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = idOr404(params.id);
  const file = await orErrorPage(() => openSharedEvidence(params.token ?? "", id));
  const headers = {
    "Content-Type": file.mediaType,
    "Content-Length": String(file.bytes),
    "Content-Disposition": attachmentDisposition(file.fileName),
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
  };
  if (request.method === "HEAD") {
    file.stream.destroy();
    return new Response(null, { headers });
  }
  return new Response(createReadableStreamFromReadable(file.stream), { headers });
}
