import { retryAfterHeaders } from "~/web/retry-after";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import type { ModerationFailure } from "~/components/Moderation";
import { LiveRegion, NewItemsPill, useLiveThreadPage } from "~/components/LiveUpdates";
import { QuestionPost } from "~/components/thread/QuestionPost";
import { ReplyCard } from "~/components/thread/ReplyCard";
import { ReplyForm } from "~/components/thread/ReplyForm";
import { TargetNotice, ThreadHeader } from "~/components/thread/ThreadHeader";
import type { ThreadActionFailure, ThreadPage, ThreadReply } from "~/components/thread/types";
import { getCurrentUser, requireUser } from "~/web/auth.server";
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

// A throttled post answers 429 with Retry-After.
export const headers = retryAfterHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.page.thread.title} — ParaNet` : "Thread not found — ParaNet" }];

export const shouldRevalidate = skipRevalidationAfterPreview;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = idOr404(params.id);
  const viewer = await getCurrentUser(request);
  // Read before the page: every live event up to it is in what follows.
  const liveCursor = await latestLiveEventId();
  const page = await getThreadForViewer(viewer, id);
  if (!page) throw new Response("That thread does not exist.", { status: 404 });
  const url = new URL(request.url);
  if (params.slug !== page.thread.slug) throw redirect(`/t/${id}/${page.thread.slug}${url.search}`, 301);
  const quoteId = positiveId(url.searchParams.get("quote"));
  const quote = viewer && quoteId ? await quoteReply(viewer, quoteId, id) : null;
  const following = await isFollowingThread(viewer, id);
  const tags = page.can.moderate ? await listTags() : [];
  return json({ page, quote, edit: url.searchParams.get("edit"), signedIn: !!viewer, following, liveCursor, tags });
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
  const back = (hash = "") => redirect(`/t/${id}/${encodeURIComponent(params.slug ?? "")}${hash}`);
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
          return back(`#reply-${reply.id}`);
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
          return back(`#reply-${chosen}`);
        }
        case "delete-reply": {
          const chosen = aReply();
          await deleteReply(user, chosen, values.reason);
          return back(`#reply-${chosen}`);
        }
        case "helpful":
        case "unhelpful": {
          const chosen = aReply();
          await setHelpful(user, chosen, intent === "helpful");
          return back(`#reply-${chosen}`);
        }
        case "follow":
        case "unfollow":
          await setThreadFollow(user, id, intent === "follow");
          return back();
        case "accept": {
          const chosen = aReply();
          await setAcceptedReply(user, id, chosen);
          return back(`#reply-${chosen}`);
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
  const { page, announcement, unseenLabel, showUnseen } = useLiveThreadPage<ThreadReply, ThreadPage>(loaded, liveCursor, viewer);
  const result = useActionData<Failure | ModerationResult>();
  const failure = result && "replyId" in result ? result : undefined;
  const moderation = result && !("replyId" in result) && !result.ok ? (result as ModerationFailure) : undefined;
  const moderated = result && !("replyId" in result) && result.ok ? result : undefined;
  // A result is shown beside its post; if that post is gone from view (hidden by this flag), at the top.
  const shownBeside = (target?: string) => target === `thread:${loaded.thread.id}` || page.replies.some((r) => `reply:${r.id}` === target);
  const busy = useNavigation().state === "submitting";
  const ownReplies = viewer ? loaded.replies.filter((r) => r.author.id === viewer.id).length : 0;
  const { thread } = page;
  const replyFailure = failure?.intent === "reply" ? failure : undefined;
  const editThreadFailure = failure?.intent === "edit-thread" ? failure : undefined;
  const editingThread = edit === "thread" && page.can.edit;
  // The accepted answer is pinned under the question, not repeated in the list.
  const others = page.replies.filter((r) => !r.accepted);
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
          {others.length} {page.acceptedReply ? "other " : ""}
          {others.length === 1 ? "reply" : "replies"}
        </h2>
        {others.map((r) => (
          <ReplyCard key={r.id} reply={r} page={page} edit={edit} />
        ))}
      </section>

      <ReplyForm page={page} signedIn={signedIn} busy={busy} quote={quote} ownReplies={ownReplies} replyFailure={replyFailure} />
      <NewItemsPill label={unseenLabel} onShow={showUnseen} />
      <LiveRegion message={announcement.text} count={announcement.count} />
    </div>
  );
}
