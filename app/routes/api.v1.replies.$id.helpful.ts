// PUT /api/v1/replies/:id/helpful — mark helpful; DELETE — undo.
import type { ActionFunctionArgs } from "@remix-run/node";
import { api, json, methodNotAllowed, positiveId, requireApiCaller } from "~/web/api.server";
import { setHelpful } from "~/models/reply.server";

export const loader = () => api(async () => methodNotAllowed(["PUT", "DELETE"]));

export const action = ({ request, params }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "PUT" && request.method !== "DELETE") return methodNotAllowed(["PUT", "DELETE"]);
    const caller = await requireApiCaller(request);
    const helpfulCount = await setHelpful(caller, positiveId(params.id), request.method === "PUT");
    return json({ helpful: request.method === "PUT", helpfulCount });
  });
