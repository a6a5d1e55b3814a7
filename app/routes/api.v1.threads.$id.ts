// GET /api/v1/threads/:id — a thread with the replies the caller may see.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { api, apiCaller, json, methodNotAllowed, positiveId } from "~/web/api.server";
import { apiError } from "~/web/http.server";
import { getThreadForViewer } from "~/models/thread.server";

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  api(async () => {
    const caller = await apiCaller(request);
    const page = await getThreadForViewer(caller, positiveId(params.id));
    if (!page) return apiError(404, "not_found", "That thread does not exist.");
    // What a signed-in caller sees may include private replies: never share it.
    const headers = caller ? { "Cache-Control": "private, no-store" } : undefined;
    return json(
      {
        thread: page.thread,
        acceptedReplyId: page.acceptedReply?.id ?? null,
        replies: page.replies.map((r) => ({
          id: r.id,
          author: r.author,
          bodyHtml: r.bodyHtml,
          bodySource: r.bodySource,
          isPrivate: r.isPrivate,
          helpfulCount: r.helpfulCount,
          createdAt: r.createdAt,
          edited: r.edited,
          removed: r.removed,
          accepted: r.accepted,
          votedHelpful: r.votedHelpful,
        })),
        hiddenPrivateReplies: page.hiddenPrivateReplies,
      },
      { headers },
    );
  });

export const action = () => api(async () => methodNotAllowed(["GET"]));
