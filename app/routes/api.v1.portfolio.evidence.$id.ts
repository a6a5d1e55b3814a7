// GET /api/v1/portfolio/evidence/:id — one piece of the caller's evidence;
// DELETE — remove it (a stored file goes with it). Another member's id is
// 404, as a missing one is.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { deleteEvidence, getEvidence } from "~/models/evidence.server";
import { api, json, methodNotAllowed, positiveId, requireApiCaller } from "~/web/api.server";
import { evidenceJson, PRIVATE } from "~/web/portfolio-api.server";

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  api(async () => {
    const caller = await requireApiCaller(request);
    return json({ evidence: evidenceJson(await getEvidence(caller, positiveId(params.id))) }, { headers: PRIVATE });
  });

export const action = ({ request, params }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "DELETE") return methodNotAllowed(["GET", "DELETE"]);
    const caller = await requireApiCaller(request);
    const id = positiveId(params.id);
    await deleteEvidence(caller, { id });
    return json({ deleted: { id } }, { headers: PRIVATE });
  });
