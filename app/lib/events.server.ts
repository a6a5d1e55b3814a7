// The domain event catalogue. Models record an event in the same transaction
// as the change it reports (recordEvent in app/models/event-outbox.server.ts):
// the transactional outbox (decision 0010). server/event-dispatcher.ts then
// delivers it to each subscriber (notifier, mailer, realtime, post refresher,
// guest cache) at least once, in order. Models never import those transports.
//
// Besides the stored events, a few in-process nudges say "look now" (an event
// was just recorded here, mail was queued). They are hints, never the record:
// nothing is lost when nobody hears one. They live on globalThis so the server
// bundle, the Remix bundle and development reloads share one set of listeners.

export type DomainEvent =
  | { type: "thread.created"; threadId: number }
  | { type: "thread.edited"; threadId: number }
  | { type: "reply.created"; threadId: number; replyId: number; isPrivate: boolean }
  | { type: "reply.edited"; threadId: number; replyId: number; isPrivate: boolean }
  | { type: "reply.deleted"; threadId: number; replyId: number; isPrivate: boolean }
  | { type: "reply.accepted"; threadId: number; replyId: number | null; previousReplyId: number | null }
  | { type: "vote.changed"; threadId: number; replyId: number; helpfulCount: number; isPrivate: boolean }
  /** A member's thread or reply went out of sight (a moderator hid it, or members' flags did): its author is told. */
  | { type: "post.hidden"; threadId: number; replyId: number | null; authorId: number; byFlags: boolean }
  | { type: "notification.created"; userIds: number[] }
  /** The member read notifications (their other tabs' badges follow). */
  | { type: "notifications.read"; userId: number }
  | { type: "member.updated"; userId: number }
  /** Role or password changed: live connections must authenticate again. */
  | { type: "member.access_changed"; userId: number }
  /** A session was logged out; `sessionKey` identifies it without being it. */
  | { type: "session.ended"; sessionKey: string }
  | { type: "tags.changed" }
  /** A clearinghouse entry was submitted, curated or edited (0: several, by an import). */
  | { type: "resource.changed"; resourceId: number }
  | { type: "settings.changed" }
  /** A flag was raised or resolved, or a moderator acted: the review queue changed. */
  | { type: "moderation.changed" }
  /** A member asked someone to verify a portfolio entry: mail to an address, or a notification to a member. */
  | { type: "portfolio.verification_requested"; verificationId: number }
  /** The verifier confirmed or declined: the entry's owner is told. */
  | { type: "portfolio.verification_decided"; verificationId: number; decision: "confirmed" | "declined" };

/** A stored event: its outbox id orders it and names it, so subscribers can tell a redelivery. */
export type OutboxEntry = { id: number; event: DomainEvent };

export type Nudge =
  /** Recorded in a transaction of this process (it may still roll back). */
  | { kind: "event.recorded"; event: DomainEvent }
  /** A message joined the outgoing mail queue: the mailer should look. */
  | { kind: "mail.queued" }
  /** A transaction of this process committed: events it recorded are now in the outbox. */
  | { kind: "transaction.committed" };

type Listener = (nudge: Nudge) => void;
const store = globalThis as unknown as { __paranetNudgeListeners?: Set<Listener> };
const listeners: Set<Listener> = (store.__paranetNudgeListeners ??= new Set());

/** Tell this process's listeners to look now. A failing listener never fails the caller. */
export function nudge(n: Nudge): void {
  for (const listener of listeners) {
    try {
      listener(n);
    } catch (err) {
      console.error("nudge listener failed", n.kind, err);
    }
  }
}

/** Returns the function that stops listening. */
export function onNudge(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
