// Real-time events: what a domain event becomes on the sockets, and to whom.
// The TARGET rule lives here (not in the socket layer): a private reply's
// events go only to the rooms of those allowed to read it — the asker, the
// reply's author and moderators — never to the thread's room.
//
// Every live event is stored before it is sent (LiveEvent), so its id is
// monotonic across processes sharing the database, and a client that was
// away asks for exactly what it missed (eventsSince).
import { db } from "~/lib/db.server";
import { isStaff } from "~/lib/domain";
import type { DomainEvent } from "~/lib/events.server";
import type { LiveEvent, LivePayload, LiveReply, LiveThread } from "~/lib/live";
import type { Viewer } from "./visibility.server";

export const rooms = {
  thread: (threadId: number) => `thread:${threadId}`,
  user: (userId: number) => `user:${userId}`,
  /** Online moderators and admins: they may read every private reply. */
  staff: "staff",
  /** New threads, for the home page's "N new threads" banner. */
  newThreads: "threads",
} as const;

/** An event and the rooms it goes to, before it is stored. */
export type LiveMessage = { payload: LivePayload; rooms: string[] };

/** Replays are capped: a client further behind than this reloads its page instead. */
export const MAX_REPLAY = 500;
export const LIVE_EVENT_RETENTION_MS = 24 * 60 * 60_000;

async function readLiveReply(replyId: number): Promise<(LiveReply & { threadAuthorId: number }) | null> {
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT r."id", r."threadId", r."authorId", r."bodyHtml", r."isPrivate", r."helpfulCount", r."createdAt", r."editedAt", r."deletedAt",
      t."authorId" AS "threadAuthorId",
      u."handle", u."displayName", u."role", u."memberKind", u."jobTitle", u."worksite", u."libraryType", u."region",
      u."yearsInLibraryWork", u."hasMlis", u."hasLssc", u."stateCertification", u."otherCredentials"
    FROM "Reply" r JOIN "User" u ON u."id" = r."authorId" JOIN "Thread" t ON t."id" = r."threadId"
    WHERE r."id" = ${replyId}`;
  const r = rows[0];
  if (!r) return null;
  const removed = r.deletedAt !== null;
  return {
    id: Number(r.id),
    threadId: Number(r.threadId),
    threadAuthorId: Number(r.threadAuthorId),
    isPrivate: Boolean(r.isPrivate),
    // A removed reply keeps its place, not its words.
    bodyHtml: removed ? "" : String(r.bodyHtml),
    helpfulCount: Number(r.helpfulCount),
    createdAt: new Date(r.createdAt as string).toISOString(),
    edited: r.editedAt !== null,
    removed,
    author: {
      id: Number(r.authorId),
      handle: String(r.handle),
      displayName: String(r.displayName),
      role: String(r.role),
      memberKind: String(r.memberKind),
      jobTitle: String(r.jobTitle),
      worksite: String(r.worksite),
      libraryType: String(r.libraryType),
      region: String(r.region),
      yearsInLibraryWork: r.yearsInLibraryWork === null ? null : Number(r.yearsInLibraryWork),
      hasMlis: Boolean(r.hasMlis),
      hasLssc: Boolean(r.hasLssc),
      stateCertification: String(r.stateCertification),
      otherCredentials: String(r.otherCredentials),
    },
  };
}

/** Who may receive events about a reply: the thread's room, or for a private reply only its readers' rooms. */
function replyRooms(reply: { threadId: number; isPrivate: boolean; authorId: number; threadAuthorId: number }): string[] {
  if (!reply.isPrivate) return [rooms.thread(reply.threadId)];
  return [...new Set([rooms.user(reply.threadAuthorId), rooms.user(reply.authorId), rooms.staff])];
}

/**
 * The live messages a domain event becomes (none for events nobody watches
 * live). Read after the write committed, so they carry what was saved.
 */
export async function liveMessagesFor(event: DomainEvent): Promise<LiveMessage[]> {
  switch (event.type) {
    case "reply.created":
    case "reply.edited": {
      const found = await readLiveReply(event.replyId);
      if (!found) return [];
      const { threadAuthorId, ...reply } = found;
      return [{ payload: { type: event.type, threadId: reply.threadId, reply }, rooms: replyRooms({ ...reply, authorId: reply.author.id, threadAuthorId }) }];
    }
    case "reply.deleted":
    case "vote.changed": {
      const found = await readLiveReply(event.replyId);
      if (!found) return [];
      const to = replyRooms({ ...found, authorId: found.author.id });
      const payload: LivePayload =
        event.type === "reply.deleted"
          ? { type: "reply.deleted", threadId: found.threadId, replyId: found.id }
          : { type: "vote.changed", threadId: found.threadId, replyId: found.id, helpfulCount: found.helpfulCount };
      return [{ payload, rooms: to }];
    }
    case "reply.accepted": {
      const accepted = event.replyId === null ? null : await readLiveReply(event.replyId);
      const publicMessage: LiveMessage = {
        payload: { type: "reply.accepted", threadId: event.threadId, replyId: accepted && !accepted.isPrivate ? accepted.id : null },
        rooms: [rooms.thread(event.threadId)],
      };
      if (!accepted?.isPrivate) return [publicMessage];
      // A private answer was accepted: the public room only learns that no
      // public answer is accepted; the reply's readers learn which (stored
      // after, so a reader in both rooms ends on the private one).
      return [
        publicMessage,
        {
          payload: { type: "reply.accepted", threadId: event.threadId, replyId: accepted.id },
          rooms: replyRooms({ ...accepted, authorId: accepted.author.id }),
        },
      ];
    }
    case "thread.created": {
      const thread = await db.thread.findUnique({
        where: { id: event.threadId },
        select: { id: true, slug: true, title: true, kind: true, libraryTypes: true, tags: { select: { tag: { select: { slug: true } } } } },
      });
      if (!thread) return [];
      const live: LiveThread = {
        id: thread.id,
        slug: thread.slug,
        title: thread.title,
        kind: thread.kind,
        tags: thread.tags.map((t) => t.tag.slug),
        libraryTypes: thread.libraryTypes ? thread.libraryTypes.split(",") : [],
      };
      return [{ payload: { type: "thread.created", thread: live }, rooms: [rooms.newThreads] }];
    }
    case "thread.edited": {
      const thread = await db.thread.findUnique({ where: { id: event.threadId }, select: { title: true, bodyHtml: true } });
      if (!thread) return [];
      return [{ payload: { type: "thread.edited", threadId: event.threadId, ...thread }, rooms: [rooms.thread(event.threadId)] }];
    }
    default:
      return [];
  }
}

/** Store a message and return it with its id: the id the client will ask to resume from. */
export async function recordLiveEvent(message: LiveMessage): Promise<LiveEvent> {
  const rows = await db.$queryRaw<{ id: number | bigint }[]>`
    INSERT INTO "LiveEvent" ("type", "rooms", "payload", "createdAt")
    VALUES (${message.payload.type}, ${`,${message.rooms.join(",")},`}, ${JSON.stringify(message.payload)}, ${new Date().toISOString()})
    RETURNING "id"`;
  return { ...message.payload, id: Number(rows[0]!.id) };
}

/** The newest event id: a page's data includes every event up to it. */
export async function latestLiveEventId(): Promise<number> {
  const rows = await db.$queryRaw<{ id: number | bigint | null }[]>`SELECT MAX("id") AS "id" FROM "LiveEvent"`;
  return Number(rows[0]?.id ?? 0);
}

/** The rooms a viewer belongs to by who they are (thread rooms are joined by choice). */
export function personalRooms(viewer: Viewer): string[] {
  if (!viewer) return [];
  return isStaff(viewer.role) ? [rooms.user(viewer.id), rooms.staff] : [rooms.user(viewer.id)];
}

/**
 * The events after `sinceId` in the given thread rooms (and the new-threads
 * room if asked), plus those sent to the viewer's own rooms. `resync` means
 * the client is too far behind (or events it missed were pruned): it should
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
  const bounds = await db.$queryRaw<{ oldest: number | bigint | null; issued: number | bigint | null }[]>`
    SELECT (SELECT MIN("id") FROM "LiveEvent") AS "oldest", (SELECT "seq" FROM "sqlite_sequence" WHERE "name" = 'LiveEvent') AS "issued"`;
  const oldest = bounds[0]?.oldest === null || bounds[0]?.oldest === undefined ? null : Number(bounds[0].oldest);
  const issued = Number(bounds[0]?.issued ?? 0);
  if (oldest === null ? sinceId < issued : sinceId < oldest - 1) return { events: [], resync: true };

  const likes = wanted.map((room) => `%,${room},%`);
  const placeholders = likes.map(() => `"rooms" LIKE ?`).join(" OR ");
  const rows = await db.$queryRawUnsafe<{ id: number | bigint; payload: string }[]>(
    `SELECT "id", "payload" FROM "LiveEvent" WHERE "id" > ? AND (${placeholders}) ORDER BY "id" LIMIT ${MAX_REPLAY + 1}`,
    sinceId,
    ...likes,
  );
  if (rows.length > MAX_REPLAY) return { events: [], resync: true };
  return { events: rows.map((r) => ({ ...(JSON.parse(r.payload) as LivePayload), id: Number(r.id) })), resync: false };
}

export async function pruneLiveEvents(now = Date.now()): Promise<void> {
  // Raw, like the insert, so both compare the same ISO text.
  await db.$executeRaw`DELETE FROM "LiveEvent" WHERE "createdAt" < ${new Date(now - LIVE_EVENT_RETENTION_MS).toISOString()}`;
}
