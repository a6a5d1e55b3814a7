import { retryAfterHeaders } from "~/web/retry-after";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { FormMessage } from "~/components/Field";
import { FlagForm, HiddenNotice, PostModeration, ReasonField, ThreadModeration, type ModerationFailure } from "~/components/Moderation";
import { LiveRegion, NewItemsPill, useLiveThreadPage } from "~/components/LiveUpdates";
import { IdentificationCard } from "~/components/IdentificationCard";
import { MarkdownEditor } from "~/components/MarkdownEditor";
import { AnsweredBadge, KindBadge, PostBody, TagList, Time } from "~/components/ThreadBits";
import { getCurrentUser, requireUser } from "~/web/auth.server";
import { LIBRARY_TYPE_LABELS } from "~/lib/domain";
import type { FieldErrors } from "~/lib/errors";
import { handleFormAction, idOr404, readForm } from "~/web/http.server";
import { parseInput, positiveId, ReplySchema, ThreadEditSchema } from "~/lib/validation";
import { isFollowingThread, setThreadFollow } from "~/models/follow.server";
import { latestLiveEventId } from "~/models/live-event.server";
import { createReply, deleteReply, editReply, quoteReply, setAcceptedReply, setHelpful } from "~/models/reply.server";
import { editThread, getThreadForViewer, listTags } from "~/models/thread.server";
import { runModerationIntent, type ModerationResult } from "~/web/moderation-form.server";
import { suspensionMessage } from "~/lib/suspension";
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

type Failure = { ok: false; intent: string; replyId: number | null; message: string; fields: FieldErrors; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const id = idOr404(params.id);
  const user = await requireUser(request);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const replyId = positiveId(form.get("replyId"));
  const values = { body: String(form.get("body") ?? ""), title: String(form.get("title") ?? ""), reason: String(form.get("reason") ?? "") };
  // Encoded, so a crafted slug can neither break the header nor point elsewhere.
  const back = (hash = "") => redirect(`/t/${id}/${encodeURIComponent(params.slug ?? "")}${hash}`);
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
          if (!replyId) throw new Response("That reply does not exist.", { status: 404, statusText: "That reply does not exist." });
          const parsed = parseInput(ReplySchema, form);
          if (!parsed.ok) return fail(parsed.fields);
          await editReply(user, replyId, { ...parsed.data, reason: values.reason });
          return back(`#reply-${replyId}`);
        }
        case "delete-reply":
          if (replyId) await deleteReply(user, replyId, values.reason);
          return back(`#reply-${replyId}`);
        case "helpful":
        case "unhelpful":
          if (replyId) await setHelpful(user, replyId, intent === "helpful");
          return back(`#reply-${replyId}`);
        case "follow":
        case "unfollow":
          await setThreadFollow(user, id, intent === "follow");
          return back();
        case "accept":
        case "unaccept":
          await setAcceptedReply(user, id, intent === "accept" ? replyId : null);
          return back(intent === "accept" ? `#reply-${replyId}` : "");
        default:
          throw new Response("Unknown action.", { status: 400 });
      }
    },
    { intent, replyId },
  );
}

/** A moderator editing someone else's post says why (it goes in the moderation log). */
function EditReason({ failure }: { failure?: Failure }) {
  return <ReasonField id="edit-reason" label="Reason for editing a member's post (goes in the moderation log)" failure={failure} required />;
}

type ThreadPage = SerializeFrom<typeof loader>["page"];
type Reply = ThreadPage["replies"][number];

function ReplyCard({ reply, page, pinned = false }: { reply: Reply; page: ThreadPage; pinned?: boolean }) {
  const { edit } = useLoaderData<typeof loader>();
  const viewer = useRouteLoaderData<RootData>("root")?.user ?? null;
  const result = useActionData<Failure | ModerationResult>();
  const failure = result && "replyId" in result ? result : undefined;
  const moderation = result && !("replyId" in result) && !result.ok ? (result as ModerationFailure) : undefined;
  const flagged = result && !("replyId" in result) && result.ok && result.target === `reply:${reply.id}` ? result.message : null;
  const editing = edit === `reply-${reply.id}` && reply.canEdit;
  const editFailure = failure?.intent === "edit-reply" && failure.replyId === reply.id ? failure : undefined;
  const here = `/t/${page.thread.id}/${page.thread.slug}`;
  return (
    <article
      className={`reply${reply.accepted ? " reply--accepted" : ""}${reply.removed ? " reply--removed" : ""}`}
      id={`reply-${reply.id}`}
      aria-label={`${pinned ? "Accepted answer" : "Reply"} by ${reply.author.displayName}`}
    >
      <header className="reply__head">
        <IdentificationCard member={reply.author} compact />
        <p className="reply__meta">
          <Time at={reply.createdAt} />
          {reply.edited ? (
            reply.canEdit ? (
              <>
                {" · "}
                <Link to={`/threads/${page.thread.id}/revisions?reply=${reply.id}`}>edited</Link>
              </>
            ) : (
              <span className="muted"> · edited</span>
            )
          ) : null}
          {reply.isPrivate ? <span className="badge badge--private">Private reply</span> : null}
          {reply.accepted ? <span className="status status--answered">Accepted answer</span> : null}
        </p>
      </header>
      <HiddenNotice reason={reply.hiddenReason ?? null} />
      {reply.removed ? (
        <p className="muted reply__removed">Reply removed.</p>
      ) : editing ? (
        <Form method="post" action={here} className="form" noValidate>
          <input type="hidden" name="intent" value="edit-reply" />
          <input type="hidden" name="replyId" value={reply.id} />
          <FormMessage message={editFailure?.message} />
          <MarkdownEditor
            name="body"
            label={viewer?.id === reply.author.id ? "Edit your reply" : "Edit this reply"}
            defaultValue={editFailure?.values.body ?? reply.bodySource ?? ""}
            error={editFailure?.fields.body}
          />
          {viewer && viewer.id !== reply.author.id ? <EditReason failure={editFailure} /> : null}
          <div className="actions">
            <button type="submit" className="button">
              Save changes
            </button>
            <Link to={`${here}#reply-${reply.id}`}>Cancel</Link>
          </div>
        </Form>
      ) : (
        <PostBody html={reply.bodyHtml} />
      )}
      {!reply.removed && !editing ? (
        <footer className="reply__actions">
          <Form method="post" action={here} className="inline-form" preventScrollReset>
            <input type="hidden" name="replyId" value={reply.id} />
            {reply.canVote ? (
              <button
                type="submit"
                name="intent"
                value={reply.votedHelpful ? "unhelpful" : "helpful"}
                className={`vote${reply.votedHelpful ? " vote--on" : ""}`}
                aria-pressed={reply.votedHelpful}
              >
                Helpful <span className="vote__count">{reply.helpfulCount}</span>
              </button>
            ) : (
              <span className="vote vote--static">
                Helpful <span className="vote__count">{reply.helpfulCount}</span>
              </span>
            )}
            {page.can.accept ? (
              <button type="submit" name="intent" value={reply.accepted ? "unaccept" : "accept"} className="link-button">
                {reply.accepted ? "Unaccept" : "Accept this answer"}
              </button>
            ) : null}
          </Form>
          {page.can.reply ? (
            <Link to={`${here}?quote=${reply.id}#reply-form`} preventScrollReset={false}>
              Quote
            </Link>
          ) : null}
          {reply.canEdit ? (
            <>
              <Link to={`${here}?edit=reply-${reply.id}#reply-${reply.id}`}>Edit</Link>
              {/* Moderators remove others' replies from "Moderate", with a reason. */}
              {viewer?.id === reply.author.id ? (
                <Form method="post" action={here} className="inline-form" onSubmit={(e) => !confirm("Remove this reply?") && e.preventDefault()}>
                  <input type="hidden" name="replyId" value={reply.id} />
                  <button type="submit" name="intent" value="delete-reply" className="link-button">
                    Remove
                  </button>
                </Form>
              ) : null}
            </>
          ) : null}
          {flagged ? (
            <span className="muted" role="status">
              {flagged}
            </span>
          ) : reply.canFlag ? (
            <FlagForm target={`reply:${reply.id}`} action={here} failure={moderation} />
          ) : null}
          {page.can.moderate ? (
            <PostModeration
              key={result && "at" in result ? result.at : 0}
              target={`reply:${reply.id}`}
              hiddenReason={reply.hiddenReason ?? null}
              action={here}
              failure={moderation}
              canMove={!reply.isPrivate}
            />
          ) : null}
        </footer>
      ) : null}
    </article>
  );
}

export default function ThreadRoute() {
  const { page: loaded, quote, edit, signedIn, following, liveCursor, tags } = useLoaderData<typeof loader>();
  const viewer = useRouteLoaderData<RootData>("root")?.user ?? null;
  // New replies, edits, removals, votes and the accepted answer arrive live.
  const { page, announcement, unseenLabel, showUnseen } = useLiveThreadPage<Reply, ThreadPage>(loaded, liveCursor, viewer);
  const result = useActionData<Failure | ModerationResult>();
  const failure = result && "replyId" in result ? result : undefined;
  const moderation = result && !("replyId" in result) && !result.ok ? (result as ModerationFailure) : undefined;
  const moderated = result && !("replyId" in result) && result.ok ? result : undefined;
  // A result is shown beside its post; if that post is gone from view (hidden by this flag), at the top.
  const shownBeside = (target?: string) => target === `thread:${loaded.thread.id}` || page.replies.some((r) => `reply:${r.id}` === target);
  const busy = useNavigation().state === "submitting";
  const ownReplies = viewer ? loaded.replies.filter((r) => r.author.id === viewer.id).length : 0;
  const { thread } = page;
  const here = `/t/${thread.id}/${thread.slug}`;
  const replyFailure = failure?.intent === "reply" ? failure : undefined;
  const editThreadFailure = failure?.intent === "edit-thread" ? failure : undefined;
  const editingThread = edit === "thread" && page.can.edit;
  // The accepted answer is pinned under the question, not repeated in the list.
  const others = page.replies.filter((r) => !r.accepted);
  return (
    <div className="thread stack">
      <header className="thread__head">
        <p className="thread__badges">
          <KindBadge kind={thread.kind} />
          {thread.kind === "question" ? <AnsweredBadge answered={thread.answered} /> : null}
        </p>
        <h1>{thread.title}</h1>
        <TagList tags={thread.tags} />
        {signedIn ? (
          <Form method="post" action={here} className="follow-form">
            <button
              type="submit"
              name="intent"
              value={following ? "unfollow" : "follow"}
              className="button button--small button--secondary"
              aria-pressed={following}
            >
              {following ? "Following ✓" : "Follow"}
            </button>
          </Form>
        ) : null}
        {thread.libraryTypes.length ? <p className="muted">For {thread.libraryTypes.map((t) => LIBRARY_TYPE_LABELS[t].toLowerCase()).join(", ")}</p> : null}
        {thread.kind === "job" ? (
          <p className="job-facts">
            <strong>Where:</strong> {thread.jobLocation}
            {thread.jobClosesOn ? (
              <>
                {" "}
                · <strong>Applications close:</strong> {new Date(thread.jobClosesOn).toISOString().slice(0, 10)}
              </>
            ) : null}
          </p>
        ) : null}
        {thread.kind === "hit" && viewer?.id === thread.author.id ? (
          <p>
            <Link to={`/threads/${thread.id}/clearinghouse`}>Send this HIT's links to the clearinghouse</Link>
          </p>
        ) : null}
        {thread.sourceThread ? (
          <p>
            This HIT compiles <Link to={`/t/${thread.sourceThread.id}/${thread.sourceThread.slug}`}>{thread.sourceThread.title}</Link>.
          </p>
        ) : null}
        {moderated && !shownBeside(moderated.target) ? (
          <p className="notice notice--success" role="status">
            {moderated.message}
          </p>
        ) : null}
        <HiddenNotice reason={thread.hiddenReason} />
        {thread.duplicateOf ? (
          <p className="notice notice--info">
            Closed as a duplicate of <Link to={`/t/${thread.duplicateOf.id}/${thread.duplicateOf.slug}`}>{thread.duplicateOf.title}</Link>: please read and
            answer there.
          </p>
        ) : thread.locked ? (
          <p className="notice notice--info">This thread is locked: it takes no new replies.</p>
        ) : null}
        {/* Keyed by the last result: after an action its forms start empty, so a reason is never reused by mistake. */}
        {page.can.moderate ? <ThreadModeration key={moderated?.at ?? 0} thread={thread} tags={tags} action={here} failure={moderation} /> : null}
        {thread.hits.length ? (
          <p className="notice notice--success">
            HIT posted:{" "}
            {thread.hits.map((h, i) => (
              <span key={h.id}>
                {i > 0 ? "; " : null}
                <Link to={`/t/${h.id}/${h.slug}`}>{h.title}</Link>
              </span>
            ))}
          </p>
        ) : null}
      </header>

      <article className="post card" aria-label="The question">
        <header className="reply__head">
          <IdentificationCard member={thread.author} compact />
          <p className="reply__meta">
            <Time at={thread.createdAt} />
            {thread.edited ? (
              page.can.edit ? (
                <>
                  {" · "}
                  <Link to={`/threads/${thread.id}/revisions`}>edited</Link>
                </>
              ) : (
                <span className="muted"> · edited</span>
              )
            ) : null}
          </p>
        </header>
        {editingThread ? (
          <Form method="post" action={here} className="form" noValidate>
            <input type="hidden" name="intent" value="edit-thread" />
            <FormMessage message={editThreadFailure?.message} />
            <div className={editThreadFailure?.fields.title ? "field field--invalid" : "field"}>
              <label htmlFor="title" className="field__label">
                Title
              </label>
              <input
                id="title"
                name="title"
                type="text"
                maxLength={150}
                defaultValue={editThreadFailure?.values.title ?? thread.title}
                aria-invalid={editThreadFailure?.fields.title ? true : undefined}
                aria-describedby={editThreadFailure?.fields.title ? "title-error" : undefined}
              />
              {editThreadFailure?.fields.title ? (
                <p className="field__error" id="title-error" role="alert">
                  {editThreadFailure.fields.title}
                </p>
              ) : null}
            </div>
            <MarkdownEditor
              name="body"
              label="Question or message"
              defaultValue={editThreadFailure?.values.body ?? thread.bodySource ?? ""}
              error={editThreadFailure?.fields.body}
              rows={10}
            />
            {viewer && viewer.id !== thread.author.id ? <EditReason failure={editThreadFailure} /> : null}
            <div className="actions">
              <button type="submit" className="button">
                Save changes
              </button>
              <Link to={here}>Cancel</Link>
            </div>
          </Form>
        ) : (
          <>
            <PostBody html={thread.bodyHtml} />
            <footer className="reply__actions">
              {page.can.edit ? <Link to={`${here}?edit=thread`}>Edit</Link> : null}
              {moderated?.target === `thread:${thread.id}` ? (
                <span className="muted" role="status">
                  {moderated.message}
                </span>
              ) : page.can.flag ? (
                <FlagForm target={`thread:${thread.id}`} action={here} failure={moderation} />
              ) : null}
              {page.can.moderate ? (
                <PostModeration key={moderated?.at ?? 0} target={`thread:${thread.id}`} hiddenReason={thread.hiddenReason} action={here} failure={moderation} />
              ) : null}
            </footer>
          </>
        )}
      </article>

      {page.can.writeHit && page.replies.some((r) => !r.removed) ? (
        <p>
          <Link to={`/threads/${thread.id}/hit`} className="button">
            Write the HIT
          </Link>{" "}
          <span className="muted">Share what you learned: quote the replies you choose, anonymously unless you name them.</span>
        </p>
      ) : null}

      {thread.kind === "target" ? (
        <div className="notice notice--info">
          <strong>This is a TARGET:</strong> replies go privately to {thread.author.displayName}
          {thread.hitExpectedBy && thread.hits.length === 0 ? (
            <>, who plans to share a HIT (summary) by {new Date(thread.hitExpectedBy).toISOString().slice(0, 10)}</>
          ) : null}
          .
          {page.hiddenPrivateReplies > 0 ? (
            <>
              {" "}
              <strong>
                {page.hiddenPrivateReplies} {others.some((r) => r.isPrivate) ? "other " : ""}private {page.hiddenPrivateReplies === 1 ? "reply" : "replies"}
              </strong>{" "}
              so far.
            </>
          ) : null}
        </div>
      ) : null}

      {page.acceptedReply ? (
        <section aria-labelledby="accepted-heading" className="stack">
          <h2 id="accepted-heading">Accepted answer</h2>
          <ReplyCard reply={page.acceptedReply} page={page} pinned />
        </section>
      ) : null}

      <section aria-labelledby="replies-heading" className="stack">
        <h2 id="replies-heading">
          {others.length} {page.acceptedReply ? "other " : ""}
          {others.length === 1 ? "reply" : "replies"}
        </h2>
        {others.map((r) => (
          <ReplyCard key={r.id} reply={r} page={page} />
        ))}
      </section>

      <section aria-labelledby="reply-form-heading" id="reply-form" className="stack">
        <h2 id="reply-form-heading">
          {thread.kind === "target"
            ? page.can.writeHit
              ? "Add a reply (visible to you and moderators)"
              : "Reply privately to the asker"
            : thread.kind === "question"
              ? "Your answer"
              : "Your reply"}
        </h2>
        {page.suspension ? (
          <p className="notice notice--warning" role="note">
            {suspensionMessage(page.suspension.until, page.suspension.reason)}
          </p>
        ) : signedIn && !page.can.reply && !replyFailure ? (
          <p className="notice notice--info">
            {thread.duplicateOf ? "This thread was closed as a duplicate." : "This thread is locked."} It takes no new replies.
          </p>
        ) : signedIn ? (
          // Fresh after one's own reply is saved; never reset by others' replies arriving.
          <Form method="post" action={here} className="form card" noValidate key={`${quote ?? ""}:${ownReplies}`}>
            <input type="hidden" name="intent" value="reply" />
            <FormMessage message={replyFailure?.message} />
            <MarkdownEditor
              resourcePicker
              name="body"
              label={thread.kind === "target" ? "Your private reply" : "Your reply"}
              defaultValue={replyFailure?.values.body ?? quote ?? ""}
              error={replyFailure?.fields.body}
            />
            <button type="submit" className="button" disabled={busy}>
              {thread.kind === "target" ? "Send private reply" : "Post reply"}
            </button>
          </Form>
        ) : (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(here)}`}>Log in</Link> or <Link to="/join">join</Link> to reply.
          </p>
        )}
      </section>
      <NewItemsPill label={unseenLabel} onShow={showUnseen} />
      <LiveRegion message={announcement.text} count={announcement.count} />
    </div>
  );
}
