import { useEffect } from "react";
import { retryAfterHeaders } from "~/web/retry-after";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigate, useNavigation, useRouteLoaderData } from "@remix-run/react";
import type { ModerationFailure } from "~/components/Moderation";
import { LiveRegion, NewItemsPill, useLiveThreadPage } from "~/components/LiveUpdates";
import { QuestionPost } from "~/components/thread/QuestionPost";
import { ReplyCard } from "~/components/thread/ReplyCard";
import { JumpToReply, ReplyForm } from "~/components/thread/ReplyForm";
import { ThreadPager } from "~/components/thread/ThreadPager";
import { TargetNotice, ThreadHeader } from "~/components/thread/ThreadHeader";
import type { ThreadActionFailure, ThreadPage, ThreadReply } from "~/components/thread/types";
import { getCurrentUser, requireUser } from "~/web/auth.server";
import { sendBodyOnce } from "~/lib/request-scope.server";
import { replyHref, threadPageHref } from "~/lib/links";
import type { FieldErrors } from "~/lib/errors";
import { handleFormAction, idOr400, idOr404, readForm } from "~/web/http.server";
import { parseInput, positiveId, ReplySchema, ThreadEditSchema } from "~/lib/validation";
import { isFollowingThread, setThreadFollow } from "~/models/follow.server";
import { latestLiveEventId } from "~/models/live-event.server";
import { createReply, deleteReply, editReply, quoteReply, setAcceptedReply, setHelpful } from "~/models/reply.server";
import { editThread, getThreadForViewer } from "~/models/thread.server";
import { listTags } from "~/models/tag.server";
import { runModerationIntent, type ModerationResult } from "~/web/moderation-form.server";
import type { RootData } from "~/root";
import { skipRevalidationAfterPreview } from "~/ui/revalidation";
import { openGraph, pageMeta } from "~/ui/meta";
import { textExcerpt } from "~/lib/html-text.server";

// A throttled post answers 429 with Retry-After.
export const headers = retryAfterHeaders;

export const meta: MetaFunction<typeof loader, { root: RootData }> = ({ data, matches, location }) => {
  if (!data) return pageMeta("Thread not found — ParaNet");
  const { title } = data.page.thread;
  const origin = matches.find((m) => m.id === "root")?.data?.origin ?? "";
  const feed = `ParaNet: replies to “${title}”`;
  return [
    ...pageMeta(`${title} — ParaNet`, data.description),
    ...openGraph({ title, description: data.description, url: `${origin}${location.pathname}` }),
    // Ahead of the site-wide feeds the layout links: a feed reader finds this thread's replies first.
    { tagName: "link", rel: "alternate", type: "application/rss+xml", title: feed, href: `/feeds/threads/${data.page.thread.id}.rss` },
    { tagName: "link", rel: "alternate", type: "application/atom+xml", title: feed, href: `/feeds/threads/${data.page.thread.id}.atom` },
  ];
};

export const shouldRevalidate = skipRevalidationAfterPreview;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = idOr404(params.id);
  const viewer = await getCurrentUser(request);
  // Read before the page: every live event up to it is in what follows.
  const liveCursor = await latestLiveEventId();
  const url = new URL(request.url);
  const asked = { page: positiveId(url.searchParams.get("page")), replyId: positiveId(url.searchParams.get("reply")) };
  const page = await getThreadForViewer(viewer, id, asked);
  if (!page) throw new Response("That thread does not exist.", { status: 404 });
  if (params.slug !== page.thread.slug) throw redirect(`/t/${id}/${page.thread.slug}${url.search}`, 301);
  // A page past the end (the thread got shorter, or a typed URL) is its last page.
  if (asked.page && !asked.replyId && asked.page !== page.paging.page) throw redirect(threadPageHref(page.thread, page.paging.page));
  const quoteId = positiveId(url.searchParams.get("quote"));
  const quote = viewer && quoteId ? await quoteReply(viewer, quoteId, id) : null;
  const following = await isFollowingThread(viewer, id);
  const tags = page.can.moderate ? await listTags() : [];
  // Each body once: in the HTML of a document, in the data of a client navigation.
  const sent = {
    ...page,
    thread: { ...page.thread, bodyHtml: sendBodyOnce(`thread:${id}`, page.thread.bodyHtml) },
    replies: page.replies.map((r) => ({ ...r, bodyHtml: sendBodyOnce(`reply:${r.id}`, r.bodyHtml) })),
  };
  sent.acceptedReply = sent.replies.find((r) => r.accepted) ?? null;
  // For search results and link previews: the question's opening words.
  const description = textExcerpt(page.thread.bodyHtml, 180);
  return json({ page: sent, quote, edit: url.searchParams.get("edit"), signedIn: !!viewer, following, liveCursor, tags, description });
}

type Failure = ThreadActionFailure;

export async function action({ request, params }: ActionFunctionArgs) {
  const id = idOr404(params.id);
  const user = await requireUser(request);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const replyId = positiveId(form.get("replyId"));
  const values = { body: String(form.get("body") ?? ""), title: String(form.get("title") ?? ""), reason: String(form.get("reason") ?? "") };
  // Encoded, so a crafted slug can neither break the header nor point elsewhere.
  const thread = { id, slug: encodeURIComponent(params.slug ?? "") };
  // Back to the page the form was on (forms post to their page's address).
  const back = () => redirect(threadPageHref(thread, positiveId(new URL(request.url).searchParams.get("page")) ?? 1));
  // Back to the reply acted on, on whichever page holds it.
  const backTo = (replyId: number) => redirect(replyHref(thread, replyId));
  // The reply an action is about: a missing or malformed id is a 400 with a message, never a silent no-op.
  const aReply = () => idOr400(form.get("replyId"), "That is not a reply of this thread: the reply id is missing or malformed.");
  const fail = (fields: FieldErrors) =>
    json<Failure>({ ok: false, intent, replyId, message: "Please correct the highlighted fields.", fields, values }, { status: 400 });

  const moderated = await runModerationIntent(user, intent, form, id);
  if (moderated) return moderated;
  return handleFormAction(
    values,
    async () => {
      switch (intent) {
        case "reply": {
          const parsed = parseInput(ReplySchema, form);
          if (!parsed.ok) return fail(parsed.fields);
          const reply = await createReply(user, id, parsed.data);
          return backTo(reply.id);
        }
        case "edit-thread": {
          const parsed = parseInput(ThreadEditSchema, form);
          if (!parsed.ok) return fail(parsed.fields);
          await editThread(user, id, { ...parsed.data, reason: values.reason });
          return redirect(`/t/${id}`);
        }
        case "edit-reply": {
          const chosen = aReply();
          const parsed = parseInput(ReplySchema, form);
          if (!parsed.ok) return fail(parsed.fields);
          await editReply(user, chosen, { ...parsed.data, reason: values.reason });
          return backTo(chosen);
        }
        case "delete-reply": {
          const chosen = aReply();
          await deleteReply(user, chosen, values.reason);
          return backTo(chosen);
        }
        case "helpful":
        case "unhelpful": {
          const chosen = aReply();
          await setHelpful(user, chosen, intent === "helpful");
          return backTo(chosen);
        }
        case "follow":
        case "unfollow":
          await setThreadFollow(user, id, intent === "follow");
          return back();
        case "accept": {
          const chosen = aReply();
          await setAcceptedReply(user, id, chosen);
          return backTo(chosen);
        }
        case "unaccept":
          await setAcceptedReply(user, id, null);
          return back();
        default:
          throw new Response("Unknown action.", { status: 400 });
      }
    },
    { intent, replyId },
  );
}

export default function ThreadRoute() {
  const { page: loaded, quote, edit, signedIn, following, liveCursor, tags } = useLoaderData<typeof loader>();
  const viewer = useRouteLoaderData<RootData>("root")?.user ?? null;
  // New replies, edits, removals, votes and the accepted answer arrive live.
  const lastPage = loaded.paging.page === loaded.paging.pages;
  const { page, announcement, unseenLabel, showUnseen, newOnLaterPages } = useLiveThreadPage<ThreadReply, ThreadPage>(loaded, liveCursor, viewer, lastPage);
  const result = useActionData<Failure | ModerationResult>();
  const failure = result && "replyId" in result ? result : undefined;
  const moderation = result && !("replyId" in result) && !result.ok ? (result as ModerationFailure) : undefined;
  const moderated = result && !("replyId" in result) && result.ok ? result : undefined;
  // A result is shown beside its post; if that post is gone from view (hidden by this flag), at the top.
  const shownBeside = (target?: string) => target === `thread:${loaded.thread.id}` || page.replies.some((r) => `reply:${r.id}` === target);
  const busy = useNavigation().state === "submitting";
  const { thread } = page;
  const replyFailure = failure?.intent === "reply" ? failure : undefined;
  const editThreadFailure = failure?.intent === "edit-thread" ? failure : undefined;
  const editingThread = edit === "thread" && page.can.edit;
  // The accepted answer is pinned under the question on the first page, not repeated in the list.
  const others = page.replies.filter((r) => !r.accepted);
  // Every reply listed on any page: those counted when the page loaded, changed by what happened live
  // since (replies added here or on later pages, an answer accepted or unaccepted).
  const listed = loaded.paging.listed + newOnLaterPages + others.length - loaded.replies.filter((r) => !r.accepted).length;
  const navigate = useNavigate();
  // An older link to a reply (only its #reply-N anchor, from mail sent before threads were paged) opens the page that holds it.
  useEffect(() => {
    const wanted = /^#reply-(\d+)$/.exec(window.location.hash)?.[1];
    if (wanted && !document.getElementById(`reply-${wanted}`)) navigate(replyHref(thread, Number(wanted)), { replace: true });
    // Only on arrival: later hash changes are the reader's own.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const toLastPage = () => navigate(threadPageHref(thread, Math.ceil(listed / page.paging.perPage)));
  return (
    <div className="thread stack">
      <ThreadHeader
        page={page}
        viewerId={viewer?.id ?? null}
        signedIn={signedIn}
        following={following}
        tags={tags}
        moderated={moderated && !shownBeside(moderated.target) ? moderated : undefined}
        moderation={moderation}
      />
      <QuestionPost
        page={page}
        viewerId={viewer?.id ?? null}
        editing={editingThread}
        editThreadFailure={editThreadFailure}
        moderated={moderated}
        moderation={moderation}
      />

      {page.can.writeHit && page.replies.some((r) => !r.removed) ? (
        <p>
          <Link to={`/threads/${thread.id}/hit`} className="button">
            Write the HIT
          </Link>{" "}
          <span className="muted">Share what you learned: quote the replies you choose, anonymously unless you name them.</span>
        </p>
      ) : null}

      <TargetNotice page={page} otherPrivate={others.some((r) => r.isPrivate)} />

      {page.acceptedReply ? (
        <section aria-labelledby="accepted-heading" className="stack">
          <h2 id="accepted-heading">Accepted answer</h2>
          <ReplyCard reply={page.acceptedReply} page={page} edit={edit} pinned />
        </section>
      ) : null}

      <section aria-labelledby="replies-heading" className="stack">
        <h2 id="replies-heading">
          {listed} {page.acceptedReply ? "other " : ""}
          {listed === 1 ? "reply" : "replies"}
          {page.paging.pages > 1 ? (
            <span className="muted">
              {" "}
              · page {page.paging.page} of {page.paging.pages}
            </span>
          ) : null}
        </h2>
        <ThreadPager page={page} label="Pages of this thread" />
        {others.map((r) => (
          <ReplyCard key={r.id} reply={r} page={page} edit={edit} />
        ))}
        <ThreadPager page={page} label="Pages of this thread, again" />
      </section>

      <JumpToReply page={page} signedIn={signedIn} placement="sticky" />
      <ReplyForm page={page} signedIn={signedIn} busy={busy} quote={quote} ownReplies={loaded.ownReplies} replyFailure={replyFailure} />
      {lastPage ? (
        <NewItemsPill label={unseenLabel} onShow={showUnseen} />
      ) : (
        <NewItemsPill
          label={newOnLaterPages ? `${newOnLaterPages} new ${newOnLaterPages === 1 ? "reply" : "replies"} — on the last page` : null}
          onShow={toLastPage}
        />
      )}
      <LiveRegion message={announcement.text} count={announcement.count} />
    </div>
  );
}
