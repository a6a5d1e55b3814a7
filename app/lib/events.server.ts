// The in-process domain event bus. Models publish an event after their
// transaction commits; subscribers in server/ react (the guest page
// cache, stored notifications, socket rooms). Models never import those
// transports. The bus lives on globalThis so the server bundle, the Remix
// bundle and development reloads share one.

export type DomainEvent =
  | { type: "thread.created"; threadId: number }
  | { type: "thread.edited"; threadId: number }
  | { type: "reply.created"; threadId: number; replyId: number; isPrivate: boolean }
  | { type: "reply.edited"; threadId: number; replyId: number; isPrivate: boolean }
  | { type: "reply.deleted"; threadId: number; replyId: number; isPrivate: boolean }
  | { type: "reply.accepted"; threadId: number; replyId: number | null; previousReplyId: number | null }
  | { type: "vote.changed"; threadId: number; replyId: number; helpfulCount: number; isPrivate: boolean }
  | { type: "notification.created"; userIds: number[] }
  /** The member read notifications (their other tabs' badges follow). */
  | { type: "notifications.read"; userId: number }
  | { type: "member.updated"; userId: number }
  /** Role or password changed: live connections must authenticate again. */
  | { type: "member.access_changed"; userId: number }
  /** A session was logged out; `sessionKey` identifies it without being it. */
  | { type: "session.ended"; sessionKey: string }
  | { type: "tags.changed" }
  /** A clearinghouse entry was submitted, curated or edited. */
  | { type: "resource.changed"; resourceId: number }
  | { type: "settings.changed" }
  /** A flag was raised or resolved, or a moderator acted: the review queue changed. */
  | { type: "moderation.changed" }
  /** A message joined the outgoing mail queue: the mailer should look. */
  | { type: "mail.queued" };

type Handler = (event: DomainEvent) => void;

const store = globalThis as unknown as { __paranetEventHandlers?: Set<Handler> };
const handlers: Set<Handler> = (store.__paranetEventHandlers ??= new Set());

/** Call after the write has committed. A failing subscriber never fails the write. */
export function publish(event: DomainEvent): void {
  for (const handler of handlers) {
    try {
      handler(event);
    } catch (err) {
      console.error("event handler failed", event.type, err);
    }
  }
}

/** Returns the unsubscribe function. */
export function subscribe(handler: Handler): () => void {
  handlers.add(handler);
  return () => handlers.delete(handler);
}
