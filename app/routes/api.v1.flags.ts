// POST /api/v1/flags — report a thread, reply or resource to the moderators:
// { "target": "reply:12", "reason": "spam" | "off_topic" | "inappropriate" | "needs_moderator", "note": "…" }.
import type { ActionFunctionArgs } from "@remix-run/node";
import { api, json, methodNotAllowed, readJson, requireApiCaller } from "~/web/api.server";
import { apiError } from "~/web/http.server";
import { flagPost, parseTarget } from "~/models/moderation.server";

export const loader = () => api(async () => methodNotAllowed(["POST"]));

export const action = ({ request }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const caller = await requireApiCaller(request);
    const body = await readJson(request);
    const target = parseTarget(typeof body.target === "string" ? body.target : null);
    if (!target)
      return apiError(400, "invalid_input", "Please correct the listed fields.", { target: 'Name what you flag: "thread:ID", "reply:ID" or "resource:ID".' });
    const note = typeof body.note === "string" ? body.note : "";
    const { hidden } = await flagPost(caller, target, { reason: typeof body.reason === "string" ? body.reason : "", note });
    return json({ flag: { target: `${target.type}:${target.id}`, hidden } }, { status: 201 });
  });
