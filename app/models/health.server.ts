// Is the database there? For /healthz, and for failing fast while it is not:
// when PostgreSQL restarts or fails over to its standby, requests answer 503
// with Retry-After at once instead of each waiting out a connection timeout,
// and the first request after a short pause tries again (the connection pool
// replaces its connections by itself), so ParaNet recovers without a restart.
import { db } from "~/db/client.server";

export async function databaseAnswers(): Promise<boolean> {
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return true;
  } catch (err) {
    noteDatabaseError(err);
    return false;
  }
}

export { outboxHealth } from "./event-outbox.server";

// node-postgres and system error codes that mean "the server is not reachable
// or not accepting work now" (PostgreSQL classes 08 and 57P, and a standby
// refusing writes after a failover), and Prisma's own for the same.
const OUTAGE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "57P01",
  "57P02",
  "57P03",
  "25006",
  "P1001",
  "P1002",
  "P1008",
  "P1017",
  "P2024",
]);
const OUTAGE_MESSAGES =
  /Connection terminated|Server has closed the connection|timeout exceeded when trying to connect|Can't reach database server|the database system is (starting up|shutting down|in recovery)|terminating connection due to administrator command|read-only transaction/i;

/** Whether an error means the database could not be reached (not that a query was wrong). */
export function isDatabaseOutage(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && OUTAGE_CODES.has(code)) return true;
    if (typeof message === "string" && OUTAGE_MESSAGES.test(message)) return true;
  }
  return false;
}

/** How long requests fail fast after an outage was seen, before one tries the database again. */
export const OUTAGE_PAUSE_MS = 2000;
/** What Retry-After says during an outage. */
export const OUTAGE_RETRY_SECONDS = 5;
// On globalThis: the server bundle (which refuses requests) and the Remix
// bundle (which sees the errors) each load this module.
const outage = globalThis as unknown as { __paranetDatabaseDownUntil?: number };

/** Remember an outage (true when `err` was one): requests in the next moments answer 503 without waiting. */
export function noteDatabaseError(err: unknown): boolean {
  if (!isDatabaseOutage(err)) return false;
  outage.__paranetDatabaseDownUntil = Date.now() + OUTAGE_PAUSE_MS;
  return true;
}

export const databaseRecentlyDown = (): boolean => Date.now() < (outage.__paranetDatabaseDownUntil ?? 0);
