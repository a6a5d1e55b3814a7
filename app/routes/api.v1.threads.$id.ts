// GET /api/v1/threads/:id[?page=N] — a thread with one page of the replies the caller may see.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { api, apiCaller, json, methodNotAllowed, positiveId } from "~/web/api.server";
import { apiError } from "~/web/http.server";
import { getThreadForViewer } from "~/models/thread.server";
import { positiveId as positiveIdOrNull } from "~/lib/validation";

/** Replies per API page: more than a web page (a program reads them), still bounded. */
const API_REPLIES_PER_PAGE = 100;

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  api(async () => {
    const caller = await apiCaller(request);
    const url = new URL(request.url);
    const page = await getThreadForViewer(caller, positiveId(params.id), {
      page: positiveIdOrNull(url.searchParams.get("page")),
      perPage: API_REPLIES_PER_PAGE,
    });
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
        /** Replies come a page at a time (the accepted answer first on page 1); ask for `?page=N` up to `pages`. */
        paging: { page: page.paging.page, pages: page.paging.pages, perPage: page.paging.perPage, listed: page.paging.listed },
      },
      { headers },
    );
  });

export const action = () => api(async () => methodNotAllowed(["GET"]));
