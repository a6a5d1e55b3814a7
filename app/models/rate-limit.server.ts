// Fixed-window counters kept in the database, so every server process that
// shares the database shares the counts.
import { db } from "~/lib/db.server";

export type Window = { limit: number; windowMs: number };

/** Seconds until `key` may try again, or 0 when it is under its limit. */
export async function secondsUntilAllowed(key: string, { limit }: Window): Promise<number> {
  const row = await db.rateLimit.findUnique({ where: { key } });
  if (!row || row.resetAt.getTime() <= Date.now() || row.count < limit) return 0;
  return Math.max(1, Math.ceil((row.resetAt.getTime() - Date.now()) / 1000));
}

/** Count one event against `key`; returns the count in the current window. */
export async function recordHit(key: string, { windowMs }: Window): Promise<number> {
  return db.$transaction(async (tx) => {
    const now = new Date();
    const row = await tx.rateLimit.findUnique({ where: { key } });
    if (!row || row.resetAt <= now) {
      const resetAt = new Date(now.getTime() + windowMs);
      await tx.rateLimit.upsert({ where: { key }, create: { key, count: 1, resetAt }, update: { count: 1, resetAt } });
      return 1;
    }
    const updated = await tx.rateLimit.update({ where: { key }, data: { count: { increment: 1 } } });
    return updated.count;
  });
}

export async function clearHits(key: string): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key } });
}

export async function pruneExpiredHits(): Promise<void> {
  await db.rateLimit.deleteMany({ where: { resetAt: { lt: new Date() } } });
}
