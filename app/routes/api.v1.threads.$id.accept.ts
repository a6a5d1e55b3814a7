// PUT /api/v1/threads/:id/accept { replyId } — accept an answer; DELETE — clear it.
import type { ActionFunctionArgs } from "@remix-run/node";
import { api, json, methodNotAllowed, positiveId, readJson, requireApiCaller } from "~/web/api.server";
import { apiError } from "~/web/http.server";
import { parseInput } from "~/lib/validation";
import { setAcceptedReply } from "~/models/reply.server";
import { z } from "zod";

const AcceptSchema = z.object({ replyId: z.number({ error: "replyId must be a reply's id (a number)." }).int().positive() });

export const loader = () => api(async () => methodNotAllowed(["PUT", "DELETE"]));

export const action = ({ request, params }: ActionFunctionArgs) =>
  api(async () => {
    const threadId = positiveId(params.id);
    if (request.method === "DELETE") {
      await setAcceptedReply(await requireApiCaller(request), threadId, null);
      return json({ acceptedReplyId: null });
    }
    if (request.method !== "PUT") return methodNotAllowed(["PUT", "DELETE"]);
    const caller = await requireApiCaller(request);
    const parsed = parseInput(AcceptSchema, await readJson(request));
    if (!parsed.ok) return apiError(400, "invalid_input", "Please correct the listed fields.", parsed.fields);
    await setAcceptedReply(caller, threadId, parsed.data.replyId);
    return json({ acceptedReplyId: parsed.data.replyId });
  });
