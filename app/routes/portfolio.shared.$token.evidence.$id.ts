// An evidence file through a reviewer's link (issue 19): while the link is
// live, for a file of an entry the shared page lists; anything else is "not
// found". Served as the owner's download is (app/web/evidence-download.server.ts:
// an attachment of the type its content was sniffed as, never cached), and
// sent with no referrer so the link's token does not travel on.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { openSharedEvidence } from "~/models/portfolio-share.server";
import { evidenceFileResponse } from "~/web/evidence-download.server";
import { idOr404, orErrorPage } from "~/web/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = idOr404(params.id);
  const file = await orErrorPage(() => openSharedEvidence(params.token ?? "", id));
  return evidenceFileResponse(request, file, { "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex" });
}
