import { Form, Link } from "@remix-run/react";
import { threadPageHref } from "~/lib/links";
import { HiddenNotice, ThreadModeration, type ModerationFailure } from "~/components/Moderation";
import { AnsweredBadge, KindBadge, TagList } from "~/components/ThreadBits";
import { LIBRARY_TYPE_LABELS } from "~/lib/domain";
import { JumpToReply } from "./ReplyForm";
import type { ThreadPage } from "./types";

type Props = {
  page: ThreadPage;
  viewerId: number | null;
  signedIn: boolean;
  following: boolean;
  /** Every tag, for a moderator's retagging form (empty for others). */
  tags: { id: number; slug: string; name: string; kind: string }[];
  /** A moderation action's success message to show at the top (its post is gone from view). */
  moderated?: { message: string; at: number };
  moderation?: ModerationFailure;
};

/** The thread's title, badges, tags, follow button, facts, notices and a moderator's tools. */
export function ThreadHeader({ page, viewerId, signedIn, following, tags, moderated, moderation }: Props) {
  const { thread } = page;
  // Forms post to this page, so the answer comes back to it.
  const here = threadPageHref(thread, page.paging.page);
  return (
    <header className="thread__head">
      <p className="thread__badges">
        <KindBadge kind={thread.kind} />
        {thread.kind === "question" ? <AnsweredBadge answered={thread.answered} /> : null}
      </p>
      <h1>{thread.title}</h1>
      <TagList tags={thread.tags} />
      <JumpToReply page={page} signedIn={signedIn} placement="header" />
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
      {thread.kind === "hit" && viewerId === thread.author.id ? (
        <p>
          <Link to={`/threads/${thread.id}/clearinghouse`}>Send this HIT's links to the clearinghouse</Link>
        </p>
      ) : null}
      {thread.sourceThread ? (
        <p>
          This HIT compiles <Link to={`/t/${thread.sourceThread.id}/${thread.sourceThread.slug}`}>{thread.sourceThread.title}</Link>.
        </p>
      ) : null}
      {moderated ? (
        <p className="notice notice--success" role="status">
          {moderated.message}
        </p>
      ) : null}
      <HiddenNotice reason={thread.hiddenReason} />
      {thread.duplicateOf ? (
        <p className="notice notice--info">
          Closed as a duplicate of <Link to={`/t/${thread.duplicateOf.id}/${thread.duplicateOf.slug}`}>{thread.duplicateOf.title}</Link>: please read and answer
          there.
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
  );
}

/** A TARGET's notice: replies go privately to the asker, and how many came in. */
export function TargetNotice({ page, otherPrivate }: { page: ThreadPage; otherPrivate: boolean }) {
  const { thread } = page;
  if (thread.kind !== "target") return null;
  return (
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
            {page.hiddenPrivateReplies} {otherPrivate ? "other " : ""}private {page.hiddenPrivateReplies === 1 ? "reply" : "replies"}
          </strong>{" "}
          so far.
        </>
      ) : null}
    </div>
  );
}
