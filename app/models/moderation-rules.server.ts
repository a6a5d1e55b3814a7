// The small moderation rules that posting itself needs (threads, replies):
// holding a new member's first posts, logging a moderator's edit with its
// reason, keeping a thread's reply counts true when replies are hidden.
// The moderators' own actions are in moderation.server.ts.
import { db } from "~/db/client.server";
import { lockRows } from "~/db/dialect.server";
import { isStaff } from "~/lib/domain";
import { ValidationError } from "~/lib/errors";
import { clip } from "~/lib/validation";
import type { Prisma } from "~/generated/prisma/client";
import { getCommunitySettings } from "./setting.server";
import type { Actor } from "~/lib/domain";

type Tx = Prisma.TransactionClient;

export type LogEntry = {
  action: string;
  subjectId?: number | null;
  targetType?: "thread" | "reply" | "resource" | "member" | "tag" | "setting" | "program";
  targetId?: number | null;
  reason?: string;
  detail?: string;
};

/** Append to the moderation log (in the caller's transaction when given). */
export function logModeration(actor: Actor | null, entry: LogEntry, tx: Tx | typeof db = db) {
  return tx.auditEvent.create({
    data: {
      actorId: actor?.id ?? null,
      action: entry.action,
      subjectId: entry.subjectId ?? null,
      targetType: entry.targetType ?? "",
      targetId: entry.targetId ?? null,
      reason: clip(entry.reason ?? "", 500),
      detail: entry.detail ?? "",
    },
  });
}

/**
 * A moderator editing someone else's post says why (it goes in the log);
 * null when authors edit their own.
 */
export function moderatorEditReason(actor: Actor, authorId: number, reason: string | undefined): string | null {
  if (actor.id === authorId || !isStaff(actor.role)) return null;
  const why = (reason ?? "").trim();
  if (!why) throw new ValidationError({ reason: "Say why you are editing someone else's post: it goes in the moderation log." });
  return clip(why, 500);
}

/**
 * A member's first posts wait for a moderator (the "hold first posts"
 * setting, 2 by default): until that many of theirs have been approved.
 */
export async function mustWaitForApproval(actor: Actor): Promise<boolean> {
  if (isStaff(actor.role)) return false;
  const { holdFirstPosts } = await getCommunitySettings();
  if (holdFirstPosts === 0) return false;
  const rows = await db.$queryRaw<{ n: number | bigint }[]>`
    SELECT (SELECT COUNT(*) FROM "Thread" WHERE "authorId" = ${actor.id} AND "hiddenAt" IS NULL)
         + (SELECT COUNT(*) FROM "Reply" WHERE "authorId" = ${actor.id} AND "hiddenAt" IS NULL AND "deletedAt" IS NULL) AS "n"`;
  return Number(rows[0]?.n ?? 0) < holdFirstPosts;
}

/** Recount a thread's replies from the rows: hidden and removed replies count for nobody. */
export async function recountReplies(tx: Tx, threadId: number): Promise<void> {
  // After this lock the counts below see every reply committed before it (PostgreSQL; SQLite is serial).
  await lockRows(tx, "Thread", [threadId]);
  await tx.$executeRaw`
    UPDATE "Thread" SET
      "publicReplyCount"  = (SELECT COUNT(*) FROM "Reply" r WHERE r."threadId" = ${threadId} AND NOT r."isPrivate" AND r."deletedAt" IS NULL AND r."hiddenAt" IS NULL),
      "privateReplyCount" = (SELECT COUNT(*) FROM "Reply" r WHERE r."threadId" = ${threadId} AND r."isPrivate" AND r."deletedAt" IS NULL AND r."hiddenAt" IS NULL),
      "helpfulTotal"      = (SELECT COALESCE(SUM(r."helpfulCount"), 0) FROM "Reply" r WHERE r."threadId" = ${threadId} AND NOT r."isPrivate" AND r."deletedAt" IS NULL AND r."hiddenAt" IS NULL)
    WHERE "id" = ${threadId}`;
}
