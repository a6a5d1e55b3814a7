// POST /api/v1/threads/:id/replies — answer (privately, in a TARGET).
import type { ActionFunctionArgs } from "@remix-run/node";
import { api, json, methodNotAllowed, positiveId, readJson, requireApiCaller } from "~/web/api.server";
import { apiError } from "~/web/http.server";
import { parseInput, ReplySchema } from "~/lib/validation";
import { createReply } from "~/models/reply.server";

export const loader = () => api(async () => methodNotAllowed(["POST"]));

export const action = ({ request, params }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const caller = await requireApiCaller(request);
    const threadId = positiveId(params.id);
    const parsed = parseInput(ReplySchema, await readJson(request));
    if (!parsed.ok) return apiError(400, "invalid_input", "Please correct the listed fields.", parsed.fields);
    const reply = await createReply(caller, threadId, parsed.data);
    return json({ reply: { id: reply.id, isPrivate: reply.isPrivate, held: reply.held } }, { status: 201 });
  });
