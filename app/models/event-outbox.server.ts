// The transactional outbox (decision 0010). A model records each domain event
// with recordEvent(tx, event) inside the transaction that makes the change, so
// the event exists exactly when the change does: a crash after the commit
// loses nothing, a rollback leaves no event behind.
//
// Delivery (server/event-dispatcher.ts drives it): every shared subscriber has
// a cursor row (OutboxCursor) with the last event it handled and a short lease
// naming the one process that delivers its events; the lease is claimed and
// renewed with one conditional UPDATE, as the mail queue claims jobs. Events
// go to a subscriber in id order, at least once; a failure is retried with
// backoff and, after `maxAttempts`, the event is dead-lettered for that
// subscriber (OutboxDeadLetter) so the rest keep flowing.
import { Prisma, type PrismaClient } from "~/generated/prisma/client";
import { db } from "~/db/client.server";
import type { Actor } from "~/lib/domain";
import { NotFoundError } from "~/lib/errors";
import { nudge, type DomainEvent, type OutboxEntry } from "~/lib/events.server";
import { logger } from "~/lib/logger.server";

type Writer = Prisma.TransactionClient | PrismaClient;

/**
 * Record an event in the caller's transaction: pass `tx` inside
 * `db.$transaction(async (tx) => …)`, or `db` as one item of
 * `db.$transaction([…])`. Returns the (lazy) insert; await it or put it in the array.
 */
export function recordEvent(tx: Writer, event: DomainEvent) {
  // A hint for this process: look once the transaction is over (SQLite's one
  // connection makes the look wait for the commit; the poll covers the rest).
  nudge({ kind: "event.recorded", event });
  return tx.outboxEvent.create({ data: { type: event.type, payload: JSON.stringify(event) }, select: { id: true } });
}

function toEntry(row: { id: number; payload: string }): OutboxEntry {
  return { id: row.id, event: JSON.parse(row.payload) as DomainEvent };
}

/** Events after `afterId`, oldest first. */
export async function eventsAfter(afterId: number, limit = 100): Promise<OutboxEntry[]> {
  // Raw SQL here and below: the dispatcher runs these several times a second
  // in every process, and each Prisma call costs about a millisecond of query
  // compilation (Prisma 6.19 has no plan cache).
  const rows = await db.$queryRaw<{ id: number | bigint; payload: string }[]>`
    SELECT "id", "payload" FROM "OutboxEvent" WHERE "id" > ${afterId} ORDER BY "id" LIMIT ${limit}`;
  return rows.map((row) => {
    try {
      return toEntry({ id: Number(row.id), payload: row.payload });
    } catch {
      // An unreadable payload still takes its place in the order; its delivery fails (and is dead-lettered).
      return { id: Number(row.id), event: { type: "unreadable" } as unknown as DomainEvent };
    }
  });
}

/** The newest event id (0 when none): where a process's own tail of the outbox starts. */
export async function latestEventId(): Promise<number> {
  const [row] = await db.$queryRaw<{ id: number | bigint | null }[]>`SELECT MAX("id") AS "id" FROM "OutboxEvent"`;
  return Number(row?.id ?? 0);
}

// --- Cursors and leases --------------------------------------------------------

export type CursorState = { subscriber: string; lastEventId: number; attempts: number; nextAttemptAt: Date | null };

/**
 * Make sure every subscriber has a cursor. A new one starts at 0: events still
 * kept in the outbox reach it (the outbox keeps only what every cursor passed a day ago).
 */
export async function ensureCursors(subscribers: string[]): Promise<void> {
  for (const subscriber of subscribers) {
    try {
      await db.outboxCursor.upsert({ where: { subscriber }, create: { subscriber }, update: {} });
    } catch (err) {
      // Another process created it at the same moment.
      if ((err as { code?: string }).code !== "P2002") throw err;
    }
  }
}

/**
 * Claim (or renew) the leases of these subscribers for `owner`: one UPDATE
 * takes every lease that is free, lapsed or already ours. Returns the cursors
 * the owner now holds.
 */
export async function claimCursors(subscribers: string[], owner: string, now: Date, leaseMs: number): Promise<CursorState[]> {
  if (!subscribers.length) return [];
  const rows = await db.$queryRaw<{ subscriber: string; lastEventId: number | bigint; attempts: number | bigint; nextAttemptAt: Date | null }[]>`
    UPDATE "OutboxCursor" SET "owner" = ${owner}, "leaseUntil" = ${new Date(now.getTime() + leaseMs)}
    WHERE "subscriber" IN (${Prisma.join(subscribers)}) AND ("owner" = ${owner} OR "leaseUntil" IS NULL OR "leaseUntil" <= ${now})
    RETURNING "subscriber", "lastEventId", "attempts", "nextAttemptAt"`;
  return rows
    .map((r) => ({ subscriber: r.subscriber, lastEventId: Number(r.lastEventId), attempts: Number(r.attempts), nextAttemptAt: r.nextAttemptAt }))
    .sort((a, b) => (a.subscriber < b.subscriber ? -1 : 1));
}

/** Leases held by someone else, with their owners (to tell whether a process on this host died). */
export async function otherLeaseOwners(owner: string, now: Date): Promise<string[]> {
  const rows = await db.outboxCursor.findMany({
    where: { owner: { not: owner }, leaseUntil: { gt: now } },
    select: { owner: true },
    distinct: ["owner"],
  });
  return rows.map((r) => r.owner).filter((o): o is string => o !== null);
}

/** Give up an owner's leases at once (this process stopping, or one known dead), so another takes over without waiting. */
export async function releaseLeases(owner: string): Promise<number> {
  const { count } = await db.outboxCursor.updateMany({ where: { owner }, data: { leaseUntil: null } });
  return count;
}

/**
 * Move a cursor past an event (delivered, or given up on), renewing the lease;
 * false when the lease was lost (another process delivers now).
 */
async function advance(writer: Writer, subscriber: string, owner: string, eventId: number, leaseUntil: Date, at: Date): Promise<boolean> {
  const count = await writer.$executeRaw`
    UPDATE "OutboxCursor" SET "lastEventId" = ${eventId}, "attempts" = 0, "nextAttemptAt" = NULL, "lastError" = '', "leaseUntil" = ${leaseUntil}, "updatedAt" = ${at}
    WHERE "subscriber" = ${subscriber} AND "owner" = ${owner}`;
  return count === 1;
}

export type Subscriber = { name: string; deliver: (entry: OutboxEntry) => Promise<void> };

export type DeliveryOptions = {
  owner: string;
  leaseMs: number;
  /** Failed attempts at one event before it is dead-lettered for this subscriber. */
  maxAttempts: number;
  /** Wait before attempt n + 1, after n failures. */
  backoffMs: (failures: number) => number;
  now?: () => Date;
};

export const DEFAULT_DELIVERY = {
  leaseMs: 5_000,
  maxAttempts: 5,
  // 1 s, 2 s, 4 s, 8 s, … at most a minute.
  backoffMs: (failures: number) => Math.min(60_000, 1000 * 2 ** (failures - 1)),
} as const;

export type DeliveryResult = {
  /** The cursor after this run; null when the lease was lost mid-way. */
  cursor: CursorState | null;
  delivered: number;
  deadLettered: number;
  /** Set when the subscriber is waiting to retry the event after its cursor. */
  retryAt: Date | null;
};

/**
 * Hand `entries` (events after the cursor, in order) to one subscriber whose
 * lease `owner` holds. Stops at the first failure: the event is retried
 * after a backoff (nothing after it is delivered first), or dead-lettered
 * once it has failed `maxAttempts` times. Failures are stored at once;
 * progress is not: the caller stores it with `saveProgress`, once for every
 * subscriber it delivered to in the round (a crash repeats at most that
 * round's deliveries, and every subscriber is idempotent).
 */
export async function deliverEntries(subscriber: Subscriber, cursor: CursorState, entries: OutboxEntry[], options: DeliveryOptions): Promise<DeliveryResult> {
  const now = options.now ?? (() => new Date());
  const state = { ...cursor };
  const result: DeliveryResult = { cursor: state, delivered: 0, deadLettered: 0, retryAt: null };
  if (state.nextAttemptAt && state.nextAttemptAt > now()) return { ...result, retryAt: state.nextAttemptAt };
  const leaseUntil = () => new Date(now().getTime() + options.leaseMs);
  for (const entry of entries) {
    if (entry.id <= state.lastEventId) continue;
    try {
      await subscriber.deliver(entry);
    } catch (err) {
      const failures = state.attempts + 1;
      const error = String((err as Error)?.stack ?? err).slice(0, 2000);
      if (failures >= options.maxAttempts) {
        const kept = await db.$transaction(async (tx) => {
          if (!(await advance(tx, subscriber.name, options.owner, entry.id, leaseUntil(), now()))) return false;
          const letter = {
            subscriber: subscriber.name,
            eventId: entry.id,
            type: entry.event.type,
            payload: JSON.stringify(entry.event),
            attempts: failures,
            error,
          };
          await tx.outboxDeadLetter.upsert({
            where: { subscriber_eventId: { subscriber: subscriber.name, eventId: entry.id } },
            create: letter,
            update: letter,
          });
          return true;
        });
        if (!kept) return { ...result, cursor: null };
        logger.error(
          { subscriber: subscriber.name, eventId: entry.id, event: entry.event.type, attempts: failures, err },
          "event dead-lettered: gave up delivering it",
        );
        Object.assign(state, { lastEventId: entry.id, attempts: 0, nextAttemptAt: null });
        result.deadLettered++;
        continue;
      }
      const retryAt = new Date(now().getTime() + options.backoffMs(failures));
      // The progress before the failing event, its failure and the renewed lease, in one write.
      const count = await db.$executeRaw`
        UPDATE "OutboxCursor" SET "lastEventId" = ${state.lastEventId}, "attempts" = ${failures}, "nextAttemptAt" = ${retryAt},
          "lastError" = ${error}, "leaseUntil" = ${leaseUntil()}, "updatedAt" = ${now()}
        WHERE "subscriber" = ${subscriber.name} AND "owner" = ${options.owner}`;
      if (count !== 1) return { ...result, cursor: null };
      logger.warn(
        { subscriber: subscriber.name, eventId: entry.id, event: entry.event.type, attempt: failures, retryAt, err },
        "event delivery failed; will retry",
      );
      Object.assign(state, { attempts: failures, nextAttemptAt: retryAt });
      return { ...result, retryAt };
    }
    logger.debug({ subscriber: subscriber.name, eventId: entry.id, owner: options.owner }, "event delivered");
    Object.assign(state, { lastEventId: entry.id, attempts: 0, nextAttemptAt: null });
    result.delivered++;
  }
  return result;
}

/**
 * Store how far these subscribers got (each delivered up to `lastEventId`,
 * with nothing waiting for a retry) and renew their leases, in one statement.
 * Returns the subscribers whose lease `owner` still held: the others were
 * taken over by another process, which delivers from their stored cursor.
 */
export async function saveProgress(
  owner: string,
  progress: { subscriber: string; lastEventId: number }[],
  leaseMs: number,
  now = new Date(),
): Promise<Set<string>> {
  if (!progress.length) return new Set();
  const lastEventId = Prisma.join(
    progress.map((p) => Prisma.sql`WHEN ${p.subscriber} THEN CAST(${p.lastEventId} AS INTEGER)`),
    " ",
  );
  const rows = await db.$queryRaw<{ subscriber: string }[]>`
    UPDATE "OutboxCursor" SET "lastEventId" = CASE "subscriber" ${lastEventId} END, "attempts" = 0, "nextAttemptAt" = NULL, "lastError" = '',
      "leaseUntil" = ${new Date(now.getTime() + leaseMs)}, "updatedAt" = ${now}
    WHERE "owner" = ${owner} AND "subscriber" IN (${Prisma.join(progress.map((p) => p.subscriber))})
    RETURNING "subscriber"`;
  return new Set(rows.map((r) => r.subscriber));
}

/** Claim one subscriber's lease and deliver what is due (up to `limit` events): the whole round in one call. */
export async function deliverDue(subscriber: Subscriber, options: DeliveryOptions & { limit?: number }): Promise<DeliveryResult | null> {
  const now = options.now ?? (() => new Date());
  const [cursor] = await claimCursors([subscriber.name], options.owner, now(), options.leaseMs);
  if (!cursor) return null;
  const result = await deliverEntries(subscriber, cursor, await eventsAfter(cursor.lastEventId, options.limit ?? 100), options);
  if (result.cursor && !result.retryAt && result.cursor.lastEventId > cursor.lastEventId) {
    const saved = await saveProgress(options.owner, [{ subscriber: subscriber.name, lastEventId: result.cursor.lastEventId }], options.leaseMs, now());
    if (!saved.has(subscriber.name)) return { ...result, cursor: null };
  }
  return result;
}

// --- Housekeeping and status -----------------------------------------------------

export const OUTBOX_RETENTION_MS = 24 * 60 * 60_000;
const DEAD_LETTER_RETENTION_MS = 30 * 24 * 60 * 60_000;

/**
 * Delete events every subscriber has passed, once a day old (a process's own
 * tail, started from the newest id, needs none of them); dead letters after 30 days.
 */
export async function pruneOutbox(now = Date.now()): Promise<number> {
  const slowest = await db.outboxCursor.aggregate({ _min: { lastEventId: true } });
  const upTo = slowest._min.lastEventId;
  let count = 0;
  if (upTo !== null) {
    ({ count } = await db.outboxEvent.deleteMany({ where: { id: { lte: upTo }, createdAt: { lt: new Date(now - OUTBOX_RETENTION_MS) } } }));
  }
  await db.outboxDeadLetter.deleteMany({ where: { createdAt: { lt: new Date(now - DEAD_LETTER_RETENTION_MS) } } });
  return count;
}

/** How far behind delivery is: the most events any subscriber has yet to handle, and how many dead letters are kept. */
export async function outboxHealth(): Promise<{ behind: number; deadLetters: number }> {
  // One statement: the health check is polled often, and each Prisma call
  // costs a few milliseconds of query compilation.
  const [row] = await db.$queryRaw<{ latest: number | bigint | null; slowest: number | bigint | null; dead: number | bigint }[]>`
    SELECT (SELECT MAX("id") FROM "OutboxEvent") AS "latest",
           (SELECT MIN("lastEventId") FROM "OutboxCursor") AS "slowest",
           (SELECT COUNT(*) FROM "OutboxDeadLetter") AS "dead"`;
  const latest = Number(row?.latest ?? 0);
  return { behind: Math.max(0, latest - Number(row?.slowest ?? latest)), deadLetters: Number(row?.dead ?? 0) };
}

/** Each subscriber's progress and the latest dead letters, for admins. */
export async function outboxStatus(actor: Actor) {
  if (actor.role !== "admin") throw new NotFoundError("Not found.");
  const [latest, cursors, deadLetters] = await Promise.all([
    latestEventId(),
    db.outboxCursor.findMany({
      orderBy: { subscriber: "asc" },
      select: { subscriber: true, lastEventId: true, attempts: true, nextAttemptAt: true, lastError: true, leaseUntil: true },
    }),
    db.outboxDeadLetter.findMany({
      orderBy: { id: "desc" },
      take: 20,
      select: { id: true, subscriber: true, eventId: true, type: true, attempts: true, error: true, createdAt: true },
    }),
  ]);
  return {
    latest,
    subscribers: cursors.map((c) => ({ ...c, behind: Math.max(0, latest - c.lastEventId), lastError: c.lastError.split("\n")[0] ?? "" })),
    deadLetters: deadLetters.map((d) => ({ ...d, error: d.error.split("\n")[0] ?? "" })),
  };
}
