import { Form, Link, useActionData, useRouteLoaderData } from "@remix-run/react";
import { FormMessage } from "~/components/Field";
import { IdentificationCard } from "~/components/IdentificationCard";
import { MarkdownEditor } from "~/components/MarkdownEditor";
import { FlagForm, HiddenNotice, PostModeration, ReasonField, type ModerationFailure } from "~/components/Moderation";
import type { ModerationResult } from "~/web/moderation-form.server";
import { PostBody, Time } from "~/components/ThreadBits";
import { replyHref } from "~/lib/links";
import type { RootData } from "~/root";
import type { ThreadActionFailure, ThreadPage, ThreadReply } from "./types";

/** A moderator editing someone else's post says why (it goes in the moderation log). */
export function EditReason({ failure }: { failure?: ThreadActionFailure }) {
  return <ReasonField id="edit-reason" label="Reason for editing a member's post (goes in the moderation log)" failure={failure} required />;
}

/** One reply: its author, body (or the edit form), votes, accept, quote, edit, remove, flag and moderation. */
export function ReplyCard({ reply, page, edit, pinned = false }: { reply: ThreadReply; page: ThreadPage; edit: string | null; pinned?: boolean }) {
  const viewer = useRouteLoaderData<RootData>("root")?.user ?? null;
  const result = useActionData<ThreadActionFailure | ModerationResult>();
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
            <Link to={replyHref(page.thread, reply.id)}>Cancel</Link>
          </div>
        </Form>
      ) : (
        <PostBody html={reply.bodyHtml} bodyKey={`reply:${reply.id}`} />
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
            <Link to={`${here}?reply=${reply.id}&quote=${reply.id}#reply-form`} preventScrollReset={false}>
              Quote
            </Link>
          ) : null}
          {reply.canEdit ? (
            <>
              <Link to={`${here}?reply=${reply.id}&edit=reply-${reply.id}#reply-${reply.id}`}>Edit</Link>
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
