// Server-side sessions. The browser holds a random token; the database holds
// only its SHA-256, so neither a database copy nor a log line can log anyone in.
import { db, readQuery } from "~/db/client.server";
import { Prisma } from "~/generated/prisma/client";
import { randomToken, sha256 } from "~/lib/tokens.server";
import type { Role } from "~/lib/domain";
import { recordEvent } from "./event-outbox.server";

export const SESSION_TTL_MS = 30 * 24 * 60 * 60_000;
// Refreshing expiry and last-seen at most hourly keeps page views read-only.
const TOUCH_INTERVAL_MS = 60 * 60_000;

export type SessionUser = { id: number; handle: string; displayName: string; role: Role };

export async function createSession(userId: number): Promise<string> {
  const token = randomToken();
  await db.session.create({
    data: { id: sha256(token), userId, expiresAt: new Date(Date.now() + SESSION_TTL_MS) },
  });
  return token;
}

/** The session's member, and whether its expiry was just moved forward. */
export async function findSessionUser(token: string): Promise<{ user: SessionUser; refreshed: boolean } | null> {
  // Runs on every member request: one raw join costs ~0.5 ms where the
  // equivalent Prisma call (compiled per call in Prisma 6.19) costs ~4 ms.
  const rows = await readQuery<{
    id: string;
    expiresAt: Date | string;
    lastSeenAt: Date | string;
    userId: number;
    handle: string;
    displayName: string;
    role: string;
  }>(
    Prisma.sql`SELECT s."id", s."expiresAt", s."lastSeenAt", u."id" AS "userId", u."handle", u."displayName", u."role"
      FROM "Session" s JOIN "User" u ON u."id" = s."userId"
      WHERE s."id" = ${sha256(token)}`,
  );
  const session = rows[0];
  if (!session) return null;
  const now = Date.now();
  if (new Date(session.expiresAt).getTime() <= now) {
    await db.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  const refreshed = now - new Date(session.lastSeenAt).getTime() > TOUCH_INTERVAL_MS;
  if (refreshed) {
    // updateMany: the session may have been deleted meanwhile (logout elsewhere).
    await db.session.updateMany({
      where: { id: session.id },
      data: { lastSeenAt: new Date(now), expiresAt: new Date(now + SESSION_TTL_MS) },
    });
  }
  const user: SessionUser = { id: Number(session.userId), handle: session.handle, displayName: session.displayName, role: session.role as Role };
  return { user, refreshed };
}

/** Names a session in live-connection rooms without revealing anything that could log in. */
export function sessionKey(token: string): string {
  return sha256(`live:${sha256(token)}`).slice(0, 24);
}

export async function deleteSession(token: string): Promise<void> {
  await db.$transaction([db.session.deleteMany({ where: { id: sha256(token) } }), recordEvent(db, { type: "session.ended", sessionKey: sessionKey(token) })]);
}

export async function deleteOtherSessions(userId: number, keepToken: string): Promise<void> {
  await db.$transaction([
    db.session.deleteMany({ where: { userId, id: { not: sha256(keepToken) } } }),
    recordEvent(db, { type: "member.access_changed", userId }),
  ]);
}

export async function pruneExpiredSessions(): Promise<void> {
  await db.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
}
