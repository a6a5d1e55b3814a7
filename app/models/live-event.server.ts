// Real-time events: what a domain event becomes on the sockets, and to whom.
// The TARGET rule lives here (not in the socket layer): a private reply's
// events go only to the rooms of those allowed to read it — the asker, the
// reply's author and moderators — never to the thread's room.
//
// Every live event is stored before it is sent (LiveEvent, with its rooms in
// LiveEventRoom), so its id is monotonic across processes sharing the
// database, and a client that was away asks for what it missed (eventsSince).
// What is stored names what changed (a reply, a thread), not its content:
// both the live message and a replay read the current content, so a replay
// never brings back words that were since edited away or removed.
import { db, readQuery } from "~/db/client.server";
import { liveEventIdIssued, serializeLiveEvents } from "~/db/dialect.server";
import { isStaff } from "~/lib/domain";
import type { DomainEvent } from "~/lib/events.server";
import type { LiveEvent, LiveReply, LiveThread } from "~/lib/live";
import { Prisma } from "~/generated/prisma/client";
import { identificationColumns, identificationFromRow } from "./user.server";
import { canSeeReply, namedReadersOf, publicThreadWhere, type ReplyState, type ThreadState, type Viewer } from "./visibility.server";

export const rooms = {
  thread: (threadId: number) => `thread:${threadId}`,
  user: (userId: number) => `user:${userId}`,
  /** Online moderators and admins: they may read every private reply. */
  staff: "staff",
  /** New threads, for the home page's "N new threads" banner. */
  newThreads: "threads",
} as const;

/** What is stored for an event: enough to read its current content again. */
type EventRef =
  | { type: "reply.created" | "reply.edited" | "reply.deleted" | "vote.changed"; threadId: number; replyId: number }
  | { type: "reply.accepted"; threadId: number; replyId: number | null }
  | { type: "thread.created" | "thread.edited"; threadId: number };

/** An event and the rooms it goes to, before it is stored. */
export type LiveMessage = { ref: EventRef; rooms: string[] };

/** Replays are capped: a client further behind than this reloads its page instead. */
export const MAX_REPLAY = 500;
const MAX_REPLAY_BYTES = 1024 * 1024;
export const LIVE_EVENT_RETENTION_MS = 24 * 60 * 60_000;

/** `states`: what the visibility rule needs of the reply and its thread. */
type ReplyRow = LiveReply & { states: { reply: ReplyState; thread: ThreadState } };

async function readLiveReplies(replyIds: number[]): Promise<Map<number, ReplyRow>> {
  if (!replyIds.length) return new Map();
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT r."id", r."threadId", r."authorId", r."bodyHtml", r."isPrivate", r."helpfulCount", r."createdAt", r."editedAt", r."deletedAt",
      r."hiddenAt", r."hiddenReason", t."authorId" AS "threadAuthorId", t."hiddenAt" AS "threadHiddenAt", t."hiddenReason" AS "threadHiddenReason",
      ${identificationColumns}
    FROM "Reply" r JOIN "User" u ON u."id" = r."authorId" JOIN "Thread" t ON t."id" = r."threadId"
    WHERE r."id" IN (${Prisma.join(replyIds)})`;
  return new Map(
    rows.map((r) => {
      const removed = r.deletedAt !== null;
      const reply: ReplyRow = {
        id: Number(r.id),
        threadId: Number(r.threadId),
        states: {
          reply: { authorId: Number(r.authorId), isPrivate: Boolean(r.isPrivate), hiddenAt: r.hiddenAt as string | null, hiddenReason: String(r.hiddenReason) },
          thread: { authorId: Number(r.threadAuthorId), hiddenAt: r.threadHiddenAt as string | null, hiddenReason: String(r.threadHiddenReason) },
        },
        isPrivate: Boolean(r.isPrivate),
        // A removed reply keeps its place, not its words.
        bodyHtml: removed ? "" : String(r.bodyHtml),
        helpfulCount: Number(r.helpfulCount),
        createdAt: new Date(r.createdAt as string).toISOString(),
        edited: r.editedAt !== null,
        removed,
        author: identificationFromRow(r.authorId, r),
      };
      return [reply.id, reply];
    }),
  );
}

async function readLiveThreads(threadIds: number[]) {
  if (!threadIds.length) return new Map<number, LiveThread & { bodyHtml: string }>();
  const threads = await db.thread.findMany({
    // A hidden thread is not announced or updated live (its author and moderators see it on reload).
    where: { id: { in: threadIds }, ...publicThreadWhere() },
    select: { id: true, slug: true, title: true, kind: true, bodyHtml: true, libraryTypes: true, tags: { select: { tag: { select: { slug: true } } } } },
  });
  return new Map(
    threads.map((t) => [
      t.id,
      {
        id: t.id,
        slug: t.slug,
        title: t.title,
        kind: t.kind,
        bodyHtml: t.bodyHtml,
        tags: t.tags.map((x) => x.tag.slug),
        libraryTypes: t.libraryTypes ? t.libraryTypes.split(",") : [],
      },
    ]),
  );
}

/**
 * The readers of a reply's events, by the visibility rule: the thread's room
 * when everyone may see the reply, else the rooms of those who may (the asker
 * and the reply's author, as the rule allows) and the staff room.
 * That a reply went away (`reply.deleted`, also sent when it is hidden) goes
 * to everyone who could see it before: it carries no words.
 */
function replyRooms({ threadId, states }: ReplyRow, type: EventRef["type"]): string[] {
  const [reply, thread] =
    type === "reply.deleted"
      ? [
          { ...states.reply, hiddenAt: null },
          { ...states.thread, hiddenAt: null },
        ]
      : [states.reply, states.thread];
  if (canSeeReply(null, reply, thread)) return [rooms.thread(threadId)];
  return [...namedReadersOf(reply, thread).map(rooms.user), rooms.staff];
}

/** Stored references, with their current content: what is sent, live or replayed. Missing posts drop out. */
/**
 * `replayTo`: on a replay, what was stored for a room may since have been
 * hidden by a moderator (or its whole thread): such a reply is told to this
 * viewer as removed unless they may still read it (its author, moderators).
 */
async function hydrate(refs: (EventRef & { id: number })[], replayTo?: Viewer): Promise<LiveEvent[]> {
  const mayRead = (r: ReplyRow) => replayTo !== undefined && canSeeReply(replayTo, r.states.reply, r.states.thread);
  const replyIds = new Set<number>();
  const threadIds = new Set<number>();
  for (const ref of refs) {
    if (ref.type === "thread.created" || ref.type === "thread.edited") threadIds.add(ref.threadId);
    else if ("replyId" in ref && ref.replyId !== null) replyIds.add(ref.replyId);
  }
  const [replies, threads] = await Promise.all([readLiveReplies([...replyIds]), readLiveThreads([...threadIds])]);
  const events: LiveEvent[] = [];
  for (const ref of refs) {
    const id = ref.id;
    switch (ref.type) {
      case "reply.created":
      case "reply.edited": {
        const found = replies.get(ref.replyId);
        if (!found) break;
        if (replayTo !== undefined && !mayRead(found)) {
          events.push({ id, type: "reply.deleted", threadId: found.threadId, replyId: found.id });
          break;
        }
        const { states: _states, ...reply } = found;
        events.push({ id, type: ref.type, threadId: reply.threadId, reply });
        break;
      }
      case "reply.deleted":
        events.push({ id, type: "reply.deleted", threadId: ref.threadId, replyId: ref.replyId });
        break;
      case "vote.changed": {
        const found = replies.get(ref.replyId);
        if (found && (replayTo === undefined || mayRead(found)))
          events.push({ id, type: "vote.changed", threadId: found.threadId, replyId: found.id, helpfulCount: found.helpfulCount });
        break;
      }
      case "reply.accepted":
        events.push({ id, type: "reply.accepted", threadId: ref.threadId, replyId: ref.replyId });
        break;
      case "thread.created": {
        const thread = threads.get(ref.threadId);
        if (thread) {
          const { bodyHtml: _body, ...shown } = thread;
          events.push({ id, type: "thread.created", thread: shown });
        }
        break;
      }
      case "thread.edited": {
        const thread = threads.get(ref.threadId);
        if (thread) events.push({ id, type: "thread.edited", threadId: thread.id, title: thread.title, bodyHtml: thread.bodyHtml });
        break;
      }
    }
  }
  return events;
}

/**
 * The live messages a domain event becomes (none for events nobody watches
 * live), with the rooms each may go to. Read after the write committed.
 */
export async function liveMessagesFor(event: DomainEvent): Promise<LiveMessage[]> {
  switch (event.type) {
    case "reply.created":
    case "reply.edited":
    case "reply.deleted":
    case "vote.changed": {
      const reply = (await readLiveReplies([event.replyId])).get(event.replyId);
      if (!reply) return [];
      return [{ ref: { type: event.type, threadId: reply.threadId, replyId: reply.id }, rooms: replyRooms(reply, event.type) }];
    }
    case "reply.accepted": {
      const ids = [event.replyId, event.previousReplyId].filter((id): id is number => id !== null);
      const found = await readLiveReplies(ids);
      const now = event.replyId === null ? null : (found.get(event.replyId) ?? null);
      const before = event.previousReplyId === null ? null : (found.get(event.previousReplyId) ?? null);
      const messages: LiveMessage[] = [];
      // The thread's room hears only about public answers: when neither the
      // new nor the old accepted reply is public (a TARGET), it hears nothing,
      // so nobody learns that a private answer was accepted.
      if ((now && !now.isPrivate) || (before && !before.isPrivate)) {
        messages.push({
          ref: { type: "reply.accepted", threadId: event.threadId, replyId: now && !now.isPrivate ? now.id : null },
          rooms: [rooms.thread(event.threadId)],
        });
      }
      // Readers of a private reply involved learn the new state (stored after
      // the public message, so a reader in both rooms ends on this one).
      const privateRooms = [now, before].flatMap((r) => (r?.isPrivate ? replyRooms(r, "reply.accepted") : []));
      if (privateRooms.length) {
        messages.push({ ref: { type: "reply.accepted", threadId: event.threadId, replyId: now?.id ?? null }, rooms: [...new Set(privateRooms)] });
      }
      return messages;
    }
    case "thread.created":
      return [{ ref: { type: "thread.created", threadId: event.threadId }, rooms: [rooms.newThreads] }];
    case "thread.edited":
      return [{ ref: { type: "thread.edited", threadId: event.threadId }, rooms: [rooms.thread(event.threadId)] }];
    default:
      return [];
  }
}

/**
 * Store a message, then return it as sent, with its id, current content and
 * rooms (null if the post is gone). Live events are a projection of the
 * outbox: `source` (the domain event's outbox id, and which of its messages
 * this is) is unique, so when that event is delivered again after a crash the
 * stored event is sent again as it was, same id and rooms, never a second copy
 * (clients drop an id they have seen).
 */
export async function recordLiveEvent(
  message: LiveMessage,
  source: { eventId: number; part: number } | null = null,
): Promise<{ event: LiveEvent; rooms: string[] } | null> {
  const stored = await db.$transaction(async (tx) => {
    await serializeLiveEvents(tx);
    const rows = await tx.$queryRaw<{ id: number | bigint }[]>`
      INSERT INTO "LiveEvent" ("type", "payload", "createdAt", "sourceEventId", "part")
      VALUES (${message.ref.type}, ${JSON.stringify(message.ref)}, ${new Date()}, ${source?.eventId ?? null}, ${source?.part ?? 0})
      ON CONFLICT ("sourceEventId", "part") DO NOTHING
      RETURNING "id"`;
    if (!rows.length && source) {
      const [existing] = await tx.$queryRaw<{ id: number | bigint; payload: string }[]>`
        SELECT "id", "payload" FROM "LiveEvent" WHERE "sourceEventId" = ${source.eventId} AND "part" = ${source.part}`;
      if (!existing) return null; // pruned since: nothing to send again
      const id = Number(existing.id);
      const roomRows = await tx.$queryRaw<{ room: string }[]>`SELECT "room" FROM "LiveEventRoom" WHERE "eventId" = ${id}`;
      return { id, ref: JSON.parse(existing.payload) as EventRef, rooms: roomRows.map((r) => r.room) };
    }
    const eventId = Number(rows[0]!.id);
    for (const room of message.rooms) await tx.$executeRaw`INSERT INTO "LiveEventRoom" ("room", "eventId") VALUES (${room}, ${eventId})`;
    return { id: eventId, ref: message.ref, rooms: message.rooms };
  });
  if (!stored) return null;
  const event = (await hydrate([{ ...stored.ref, id: stored.id }]))[0];
  return event ? { event, rooms: stored.rooms } : null;
}

/** The newest event id: a page's data includes every event up to it. */
export async function latestLiveEventId(): Promise<number> {
  const rows = await readQuery<{ id: number | null }>(Prisma.sql`SELECT MAX("id") AS "id" FROM "LiveEvent"`);
  return Number(rows[0]?.id ?? 0);
}

/** The rooms a viewer belongs to by who they are (thread rooms are joined by choice). */
export function personalRooms(viewer: Viewer): string[] {
  if (!viewer) return [];
  return isStaff(viewer.role) ? [rooms.user(viewer.id), rooms.staff] : [rooms.user(viewer.id)];
}

/** Of several events about one thing, only the last matters once content is read fresh. */
function supersedingKey(ref: EventRef): string {
  switch (ref.type) {
    case "reply.created":
    case "reply.edited":
    case "reply.deleted":
      return `content:${ref.replyId}`;
    case "vote.changed":
      return `votes:${ref.replyId}`;
    case "reply.accepted":
      return `accepted:${ref.threadId}`;
    case "thread.edited":
      return `thread:${ref.threadId}`;
    case "thread.created":
      return `new:${ref.threadId}`;
  }
}

/**
 * The events after `sinceId` in the given thread rooms (and the new-threads
 * room if asked), plus those sent to the viewer's own rooms, with current
 * content and only the last of several about the same thing. `resync` means
 * the client is too far behind (or what it missed was pruned): it should
 * reload its page's data instead.
 */
export async function eventsSince(
  viewer: Viewer,
  sinceId: number,
  interest: { threadIds: number[]; newThreads: boolean },
): Promise<{ events: LiveEvent[]; resync: boolean }> {
  const wanted = [...interest.threadIds.map(rooms.thread), ...(interest.newThreads ? [rooms.newThreads] : []), ...personalRooms(viewer)];
  if (!wanted.length) return { events: [], resync: false };
  // The oldest event kept (or, when all were pruned, the newest ever issued):
  // if the client last saw an older one, some of what it missed is gone.
  const [bounds] = await db.$queryRaw<{ oldest: number | bigint | null }[]>`SELECT MIN("id") AS "oldest" FROM "LiveEvent"`;
  const oldest = bounds?.oldest === null || bounds?.oldest === undefined ? null : Number(bounds.oldest);
  const issued = oldest === null ? await liveEventIdIssued() : 0;
  if (oldest === null ? sinceId < issued : sinceId < oldest - 1) return { events: [], resync: true };

  const rows = await db.$queryRaw<{ id: number | bigint; payload: string }[]>`
    SELECT DISTINCT e."id", e."payload" FROM "LiveEventRoom" r JOIN "LiveEvent" e ON e."id" = r."eventId"
    WHERE r."room" IN (${Prisma.join(wanted)}) AND r."eventId" > ${sinceId}
    ORDER BY e."id" LIMIT ${MAX_REPLAY + 1}`;
  if (rows.length > MAX_REPLAY) return { events: [], resync: true };
  const latest = new Map<string, EventRef & { id: number }>();
  for (const row of rows) {
    const ref = { ...(JSON.parse(row.payload) as EventRef), id: Number(row.id) };
    const key = supersedingKey(ref);
    latest.delete(key); // re-inserted last, keeping id order
    latest.set(key, ref);
  }
  const events = await hydrate([...latest.values()], viewer);
  if (JSON.stringify(events).length > MAX_REPLAY_BYTES) return { events: [], resync: true };
  return { events, resync: false };
}

export async function pruneLiveEvents(now = Date.now()): Promise<void> {
  // Raw, like the insert, so both compare the same ISO text; rooms go with their events.
  await db.$executeRaw`DELETE FROM "LiveEvent" WHERE "createdAt" < ${new Date(now - LIVE_EVENT_RETENTION_MS)}`;
}
