// GET /api/v1/portfolio/evidence/:id/file — one of the caller's evidence
// files, served as the owner's download on the site is
// (app/web/evidence-download.server.ts: an attachment of the type its content
// was sniffed as, nosniff, never cached). Another member's file, a link, or
// a missing id: 404 in the API's error shape.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { openEvidenceFile } from "~/models/evidence.server";
import { api, methodNotAllowed, positiveId, requireApiCaller } from "~/web/api.server";
import { evidenceFileResponse } from "~/web/evidence-download.server";

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  api(async () => {
    const caller = await requireApiCaller(request);
    return evidenceFileResponse(request, await openEvidenceFile(caller, positiveId(params.id)));
  });

export const action = () => api(async () => methodNotAllowed(["GET"]));
