// Fixed-window counters kept in the database, so every server process that
// shares the database shares the counts. Each attempt is counted with one
// atomic statement *before* the work it guards, so parallel attempts cannot
// slip past the limit.
import { db } from "~/db/client.server";
import { TooManyRequestsError } from "~/lib/errors";

export type Window = { limit: number; windowMs: number };
export type Hit = { key: string; count: number; resetAt: number; limit: number };

/** Count one attempt against `key`; returns the count in the current window. */
export async function recordHit(key: string, window: Window): Promise<Hit> {
  const now = Date.now();
  const rows = await db.$queryRaw<{ count: bigint | number; resetAt: bigint | number }[]>`
    INSERT INTO "RateLimit" ("key", "count", "resetAt") VALUES (${key}, 1, ${BigInt(now + window.windowMs)})
    ON CONFLICT ("key") DO UPDATE SET
      "count"   = CASE WHEN "RateLimit"."resetAt" <= ${BigInt(now)} THEN 1 ELSE "RateLimit"."count" + 1 END,
      "resetAt" = CASE WHEN "RateLimit"."resetAt" <= ${BigInt(now)} THEN excluded."resetAt" ELSE "RateLimit"."resetAt" END
    RETURNING "count", "resetAt"`;
  return { key, count: Number(rows[0].count), resetAt: Number(rows[0].resetAt), limit: window.limit };
}

/**
 * Count an attempt under several keys at once; throw TooManyRequestsError
 * (with the wait) if any of them is now over its limit.
 */
export async function countAttempt(keys: [string, Window][], message: (minutes: number) => string): Promise<Hit[]> {
  const hits = await Promise.all(keys.map(([key, window]) => recordHit(key, window)));
  const over = hits.filter((h) => h.count > h.limit);
  if (over.length) {
    const seconds = Math.max(1, Math.ceil((Math.max(...over.map((h) => h.resetAt)) - Date.now()) / 1000));
    throw new TooManyRequestsError(message(Math.ceil(seconds / 60)), seconds);
  }
  return hits;
}

/** Give back an attempt that turned out legitimate (e.g. a correct password). */
export async function refundHit(key: string): Promise<void> {
  await db.$executeRaw`UPDATE "RateLimit" SET "count" = CASE WHEN "count" > 0 THEN "count" - 1 ELSE 0 END WHERE "key" = ${key}`;
}

export async function clearHits(key: string): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key } });
}

export async function pruneExpiredHits(): Promise<void> {
  await db.rateLimit.deleteMany({ where: { resetAt: { lt: BigInt(Date.now()) } } });
}

/**
 * Counters for the busiest limits (every API call), kept in this process's
 * memory: a database write per call would cost more than most calls. With N
 * processes a client gets up to N times the limit.
 */
const memory = new Map<string, { count: number; resetAt: number }>();
export function countInMemory(keys: [string, Window][], message: (minutes: number) => string): void {
  const now = Date.now();
  if (memory.size > 50_000) for (const [k, v] of memory) if (v.resetAt <= now) memory.delete(k);
  let over = 0;
  for (const [key, window] of keys) {
    let entry = memory.get(key);
    if (!entry || entry.resetAt <= now) memory.set(key, (entry = { count: 0, resetAt: now + window.windowMs }));
    entry.count++;
    if (entry.count > window.limit) over = Math.max(over, entry.resetAt);
  }
  if (over) {
    const seconds = Math.max(1, Math.ceil((over - now) / 1000));
    throw new TooManyRequestsError(message(Math.ceil(seconds / 60)), seconds);
  }
}
