// What SQLite and PostgreSQL do differently, named (decision 0011). Models
// write portable SQL (quoted identifiers, `NOT b` for booleans, ON CONFLICT,
// CASE instead of two-argument MAX) and call these for the rest; this is the
// only place besides `client.server.ts` that asks which engine is running.
import { Prisma } from "~/generated/prisma/client";
import { engine, readQuery } from "./client.server";

type Tx = Prisma.TransactionClient;

/**
 * Lock these rows until the transaction ends, before reading what a write
 * depends on (a recount, a vote, the last admin). PostgreSQL runs
 * transactions side by side, and a count taken before another transaction's
 * commit would overwrite its update; on SQLite every transaction already
 * holds the database's write lock from its start (sqlite-adapter.server.ts).
 * Rows are locked in id order, so two transactions never wait for each other.
 */
export async function lockRows(tx: Tx, table: "Thread" | "Reply" | "User" | "Resource" | "PortfolioEntry", ids: number[]): Promise<void> {
  if (engine() !== "postgres" || !ids.length) return;
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  // NO KEY UPDATE: lockers wait for each other, but not for a transaction that
  // only inserted a row pointing here (a foreign key takes KEY SHARE), which
  // would deadlock two replies to one thread.
  await tx.$executeRaw`SELECT 1 FROM ${Prisma.raw(`"${table}"`)} WHERE "id" IN (${Prisma.join(sorted)}) ORDER BY "id" FOR NO KEY UPDATE`;
}

/** Lock the rows of members with this role (the "keep one admin" rule counts them). */
export async function lockRole(tx: Tx, role: string): Promise<void> {
  if (engine() !== "postgres") return;
  await tx.$executeRaw`SELECT 1 FROM "User" WHERE "role" = ${role} ORDER BY "id" FOR NO KEY UPDATE`;
}

// Any number: it names the lock for every process on the database.
const LIVE_EVENT_LOCK = 7_104_105;

/**
 * Take live event ids one transaction at a time, so ids follow commit order
 * and a replay "after id N" can never skip an event that committed late.
 * SQLite's transactions are serial already.
 */
export async function serializeLiveEvents(tx: Tx): Promise<void> {
  if (engine() !== "postgres") return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LIVE_EVENT_LOCK})`;
}

/** The newest live event id ever issued (0 if none), even when every event was since pruned. */
export async function liveEventIdIssued(): Promise<number> {
  const [row] =
    engine() === "postgres"
      ? await readQuery<{ n: number | null }>(Prisma.sql`SELECT CASE WHEN "is_called" THEN "last_value" ELSE 0 END AS "n" FROM "LiveEvent_id_seq"`)
      : await readQuery<{ n: number | null }>(Prisma.sql`SELECT "seq" AS "n" FROM "sqlite_sequence" WHERE "name" = 'LiveEvent'`);
  return Number(row?.n ?? 0);
}

/**
 * A Prisma filter for text containing `q`, ignoring case as SQLite's LIKE
 * does for ASCII letters. PostgreSQL needs `mode: "insensitive"`, which the
 * SQLite client's types do not know (the two clients share one type).
 */
export function containsText(q: string): { contains: string } {
  return engine() === "postgres" ? ({ contains: q, mode: "insensitive" } as { contains: string }) : { contains: q };
}

/**
 * Read through this index. SQLite's planner judges an index by ANALYZE's
 * average rows per value, which counts NULL as one value: an index on a
 * column that is NULL in most rows (a HIT's source thread) looks useless and
 * it scans the table instead (0.8 ms on 10,000 threads, against 0.01 ms).
 * PostgreSQL keeps NULLs out of its estimate and needs no hint.
 */
export function usingIndex(name: string): Prisma.Sql {
  return engine() === "postgres" ? Prisma.empty : Prisma.raw(`INDEXED BY "${name}"`);
}
