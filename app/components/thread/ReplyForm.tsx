import { Form, Link } from "@remix-run/react";
import { FormMessage } from "~/components/Field";
import { MarkdownEditor } from "~/components/MarkdownEditor";
import { SuspendedNote } from "~/components/SuspendedNote";
import type { ThreadActionFailure, ThreadPage } from "./types";

type Props = {
  page: ThreadPage;
  signedIn: boolean;
  busy: boolean;
  quote: string | null;
  /** How many replies the viewer has posted: the form starts fresh after each. */
  ownReplies: number;
  replyFailure?: ThreadActionFailure;
};

/** The reply box at the end of the thread (or why there is none; a locked thread says so in its header, once). */
export function ReplyForm({ page, signedIn, busy, quote, ownReplies, replyFailure }: Props) {
  const { thread } = page;
  const here = `/t/${thread.id}/${thread.slug}`;
  if (signedIn && !page.suspension && !page.can.reply && !replyFailure) return null;
  return (
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
        <SuspendedNote what="Replying" />
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
  );
}

/**
 * "Reply": a jump to the reply box. On wide screens it sits in the thread's
 * header; on phones it sits just before the box, sticky at the bottom of the
 * screen, so it is at hand all the way down a long thread and comes to rest
 * above the box it leads to.
 */
export function JumpToReply({ page, signedIn, placement }: { page: ThreadPage; signedIn: boolean; placement: "header" | "sticky" }) {
  if (signedIn && !page.can.reply) return null;
  const { thread } = page;
  return (
    <p className={`jump-to-reply jump-to-reply--${placement}`}>
      <a href="#reply-form" className="button button--small">
        {thread.kind === "target" ? "Reply privately" : thread.kind === "question" ? "Answer" : "Reply"}
      </a>
    </p>
  );
}
