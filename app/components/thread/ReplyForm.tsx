import { Form, Link } from "@remix-run/react";
import { FormMessage } from "~/components/Field";
import { MarkdownEditor } from "~/components/MarkdownEditor";
import { suspensionMessage } from "~/lib/suspension";
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

/** The reply box at the end of the thread (or why there is none). */
export function ReplyForm({ page, signedIn, busy, quote, ownReplies, replyFailure }: Props) {
  const { thread } = page;
  const here = `/t/${thread.id}/${thread.slug}`;
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
  );
}
