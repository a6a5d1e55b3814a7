import { Form, Link } from "@remix-run/react";
import { FormMessage } from "~/components/Field";
import { IdentificationCard } from "~/components/IdentificationCard";
import { MarkdownEditor } from "~/components/MarkdownEditor";
import { FlagForm, PostModeration, type ModerationFailure } from "~/components/Moderation";
import { PostBody, Time } from "~/components/ThreadBits";
import { EditReason } from "./ReplyCard";
import type { ThreadActionFailure, ThreadPage } from "./types";

type Props = {
  page: ThreadPage;
  viewerId: number | null;
  editing: boolean;
  editThreadFailure?: ThreadActionFailure;
  moderated?: { target?: string; message: string; at: number };
  moderation?: ModerationFailure;
};

/** The question (or message) itself: its author, body or edit form, and its flag and moderation tools. */
export function QuestionPost({ page, viewerId, editing: editingThread, editThreadFailure, moderated, moderation }: Props) {
  const { thread } = page;
  const here = `/t/${thread.id}/${thread.slug}`;
  return (
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
          {viewerId !== null && viewerId !== thread.author.id ? <EditReason failure={editThreadFailure} /> : null}
          <div className="actions">
            <button type="submit" className="button">
              Save changes
            </button>
            <Link to={here}>Cancel</Link>
          </div>
        </Form>
      ) : (
        <>
          <PostBody html={thread.bodyHtml} bodyKey={`thread:${thread.id}`} />
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
  );
}
