// An evidence file, downloaded by its owner (issue 19): anyone else gets
// "not found", a guest the log-in page. Served as every evidence download is
// (app/web/evidence-download.server.ts: an attachment, nosniff, never cached).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { openEvidenceFile } from "~/models/evidence.server";
import { requireUser } from "~/web/auth.server";
import { evidenceFileResponse } from "~/web/evidence-download.server";
import { idOr404, orErrorPage } from "~/web/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = idOr404(params.id);
  return evidenceFileResponse(request, await orErrorPage(() => openEvidenceFile(user, id)));
}
