// Notifications: who should hear about a write, decided after it commits.
// The TARGET rule applies here too: nobody is told about a private reply
// they could not read (a follower, or someone @mentioned in it).
import { replyHref } from "~/lib/links";
import { asDate, db, readQuery } from "~/db/client.server";
import { Prisma } from "~/generated/prisma/client";
import type { DomainEvent } from "~/lib/events.server";
import { NotFoundError } from "~/lib/errors";
import { mentionedHandles } from "~/lib/markdown.server";
import type { Role } from "~/lib/domain";
import type { Actor } from "~/lib/domain";
import { recordEvent } from "./event-outbox.server";
import { canSeePost, canSeeReply, isPublicThread, threadVisibleSql } from "./visibility.server";

export const NOTIFICATION_KINDS = [
  "reply_in_your_thread",
  "reply_in_followed_thread",
  "mention",
  "reply_accepted",
  "new_thread_in_tag",
  "hit_reminder",
  "resource_approved",
  "resource_rejected",
  "post_hidden",
  "post_hidden_by_flags",
  "verification_requested",
  "verification_confirmed",
  "verification_declined",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

type Draft = { userId: number; kind: NotificationKind; threadId?: number; replyId?: number; actorId?: number; verificationId?: number };

/**
 * One notification per member and write: the first reason listed wins. The
 * event they come from (its outbox id) is kept on each, so when that event is
 * delivered again (after a crash) members already told are not told twice.
 * Returns how many were created now.
 */
async function record(drafts: Draft[], sourceEventId: number | null) {
  const seen = new Set<number>();
  const unique = drafts.filter((d) => (seen.has(d.userId) ? false : (seen.add(d.userId), true)));
  if (!unique.length) return 0;
  return db.$transaction(async (tx) => {
    const told =
      sourceEventId === null
        ? new Set<number>()
        : new Set(
            (await tx.notification.findMany({ where: { sourceEventId, userId: { in: unique.map((d) => d.userId) } }, select: { userId: true } })).map(
              (n) => n.userId,
            ),
          );
    const fresh = unique.filter((d) => !told.has(d.userId));
    if (!fresh.length) return 0;
    await tx.notification.createMany({ data: fresh.map((d) => ({ ...d, sourceEventId })) });
    await recordEvent(tx, { type: "notification.created", userIds: fresh.map((d) => d.userId) });
    return fresh.length;
  });
}

async function mentionedMembers(source: string) {
  const handles = mentionedHandles(source);
  if (!handles.length) return [];
  return db.user.findMany({ where: { handle: { in: handles } }, select: { id: true, role: true } });
}

/** Notifications for a domain event (`sourceEventId`: its outbox id, so a redelivery adds none); returns how many were created. */
export async function notifyFor(event: DomainEvent, sourceEventId: number | null = null): Promise<number> {
  switch (event.type) {
    case "reply.created": {
      const reply = await db.reply.findUnique({
        where: { id: event.replyId },
        select: {
          id: true,
          authorId: true,
          isPrivate: true,
          bodySource: true,
          threadId: true,
          hiddenAt: true,
          hiddenReason: true,
          thread: { select: { authorId: true, hiddenAt: true, hiddenReason: true } },
        },
      });
      // A held or hidden post notifies nobody; approving it publishes it again.
      if (!reply || !canSeePost(null, reply) || !isPublicThread(reply.thread)) return 0;
      const drafts: Draft[] = [];
      const base = { threadId: reply.threadId, replyId: reply.id, actorId: reply.authorId };
      if (reply.thread.authorId !== reply.authorId) drafts.push({ ...base, userId: reply.thread.authorId, kind: "reply_in_your_thread" });
      for (const m of await mentionedMembers(reply.bodySource)) {
        if (m.id !== reply.authorId && canSeeReply({ id: m.id, role: m.role as Role }, reply, reply.thread)) {
          drafts.push({ ...base, userId: m.id, kind: "mention" });
        }
      }
      if (!reply.isPrivate) {
        const followers = await db.threadFollow.findMany({ where: { threadId: reply.threadId, userId: { not: reply.authorId } }, select: { userId: true } });
        for (const f of followers) drafts.push({ ...base, userId: f.userId, kind: "reply_in_followed_thread" });
      }
      return record(drafts, sourceEventId);
    }
    case "thread.created": {
      const thread = await db.thread.findUnique({
        where: { id: event.threadId },
        select: { id: true, authorId: true, bodySource: true, hiddenAt: true, hiddenReason: true, tags: { select: { tagId: true } } },
      });
      if (!thread || !isPublicThread(thread)) return 0;
      const base = { threadId: thread.id, actorId: thread.authorId };
      const drafts: Draft[] = (await mentionedMembers(thread.bodySource))
        .filter((m) => m.id !== thread.authorId)
        .map((m) => ({ ...base, userId: m.id, kind: "mention" as const }));
      const followers = await db.tagFollow.findMany({
        where: { tagId: { in: thread.tags.map((t) => t.tagId) }, userId: { not: thread.authorId } },
        select: { userId: true },
      });
      for (const f of followers) drafts.push({ ...base, userId: f.userId, kind: "new_thread_in_tag" });
      return record(drafts, sourceEventId);
    }
    case "post.hidden": {
      // Nobody is named: who moderated is in the moderation log, for moderators.
      const kind = event.byFlags ? "post_hidden_by_flags" : "post_hidden";
      return record([{ userId: event.authorId, kind, threadId: event.threadId, replyId: event.replyId ?? undefined }], sourceEventId);
    }
    case "reply.accepted": {
      if (event.replyId === null) return 0;
      const reply = await db.reply.findUnique({ where: { id: event.replyId }, select: { authorId: true, thread: { select: { authorId: true } } } });
      if (!reply || reply.authorId === reply.thread.authorId) return 0;
      return record(
        [{ userId: reply.authorId, kind: "reply_accepted", threadId: event.threadId, replyId: event.replyId, actorId: reply.thread.authorId }],
        sourceEventId,
      );
    }
    case "portfolio.verification_requested": {
      // A member asked by account is told here (one asked by email gets the mailer's link instead).
      const v = await db.verification.findUnique({
        where: { id: event.verificationId },
        select: { status: true, verifierId: true, entry: { select: { ownerId: true } } },
      });
      if (!v?.verifierId || v.status !== "pending") return 0;
      return record([{ userId: v.verifierId, kind: "verification_requested", verificationId: event.verificationId, actorId: v.entry.ownerId }], sourceEventId);
    }
    case "portfolio.verification_decided": {
      const v = await db.verification.findUnique({ where: { id: event.verificationId }, select: { verifierId: true, entry: { select: { ownerId: true } } } });
      if (!v) return 0;
      const kind = event.decision === "confirmed" ? "verification_confirmed" : "verification_declined";
      return record([{ userId: v.entry.ownerId, kind, verificationId: event.verificationId, actorId: v.verifierId ?? undefined }], sourceEventId);
    }
    default:
      return 0;
  }
}

/** Remind askers whose "HIT expected by" date passed without a HIT. Returns how many were reminded. */
export async function sendHitReminders(now = new Date()): Promise<number> {
  const due = await db.thread.findMany({
    where: { kind: "target", hitExpectedBy: { lt: now }, hitReminderSentAt: null, hits: { none: {} } },
    select: { id: true, authorId: true },
    take: 500,
  });
  let reminded = 0;
  for (const t of due) {
    // Claimed with a conditional update, so two server processes never remind twice.
    const claimed = await db.$transaction(async (tx) => {
      const { count } = await tx.thread.updateMany({ where: { id: t.id, hitReminderSentAt: null }, data: { hitReminderSentAt: now } });
      if (count) {
        await tx.notification.create({ data: { userId: t.authorId, kind: "hit_reminder", threadId: t.id } });
        await recordEvent(tx, { type: "notification.created", userIds: [t.authorId] });
      }
      return count > 0;
    });
    if (claimed) reminded++;
  }
  return reminded;
}

/** Shown in the header of every member page, so one cheap raw count. */
export async function countUnread(actor: Actor): Promise<number> {
  const rows = await readQuery<{ n: number }>(Prisma.sql`SELECT COUNT(*) AS "n" FROM "Notification" WHERE "userId" = ${actor.id} AND "readAt" IS NULL`);
  return Number(rows[0]?.n ?? 0);
}

export const NOTIFICATIONS_PAGE_SIZE = 25;

/** A page's position: the id of the last notification of the page before; anything else is the first page. */
export function notificationCursorFrom(value: string | null): number | null {
  if (!/^[1-9]\d{0,9}$/.test(value ?? "")) return null;
  const id = Number(value);
  return id <= 2_147_483_647 ? id : null;
}

/**
 * A page of a member's notifications, newest first (keyset: those older than
 * `before`), for the page every member opens from the header: raw reads (no
 * per-call query compilation). With it, the newest id and the unread count
 * across every page, for "Mark all read".
 */
export async function notificationsPage(actor: Actor, before: number | null = null, take = NOTIFICATIONS_PAGE_SIZE) {
  // About a thread since hidden: only for those who may still open it (moderators; its author unless it was deleted).
  const [rows, [totals]] = await Promise.all([
    readQuery<Record<string, unknown>>(Prisma.sql`
      SELECT n."id", n."kind", n."replyId", n."createdAt", n."readAt",
        a."handle" AS "actorHandle", a."displayName" AS "actorName",
        t."id" AS "threadId", t."slug" AS "threadSlug", t."title" AS "threadTitle",
        res."id" AS "resourceId", res."title" AS "resourceTitle",
        v."id" AS "verificationId", v."status" AS "verificationStatus", v."verifierName", e."title" AS "entryTitle", e."ownerId" AS "entryOwnerId"
      FROM "Notification" n
        LEFT JOIN "User" a ON a."id" = n."actorId"
        LEFT JOIN "Thread" t ON t."id" = n."threadId"
        LEFT JOIN "Resource" res ON res."id" = n."resourceId"
        LEFT JOIN "Verification" v ON v."id" = n."verificationId"
        LEFT JOIN "PortfolioEntry" e ON e."id" = v."entryId"
      WHERE n."userId" = ${actor.id}
        AND (n."threadId" IS NULL OR ${threadVisibleSql(actor)})
        ${before ? Prisma.sql`AND n."id" < ${before}` : Prisma.empty}
      ORDER BY n."id" DESC
      LIMIT ${take + 1}`),
    readQuery<{ newest: unknown; unread: unknown }>(Prisma.sql`
      SELECT MAX("id") AS "newest", SUM(CASE WHEN "readAt" IS NULL THEN 1 ELSE 0 END) AS "unread" FROM "Notification" WHERE "userId" = ${actor.id}`),
  ]);
  const page = rows.slice(0, take);
  return {
    notifications: page.map((n) => ({
      id: Number(n.id),
      kind: String(n.kind) as NotificationKind,
      replyId: n.replyId === null ? null : Number(n.replyId),
      createdAt: asDate(n.createdAt)!,
      readAt: asDate(n.readAt),
      actor: n.actorHandle === null ? null : { handle: String(n.actorHandle), displayName: String(n.actorName) },
      thread: n.threadId === null ? null : { id: Number(n.threadId), slug: String(n.threadSlug), title: String(n.threadTitle) },
      resource: n.resourceId === null ? null : { id: Number(n.resourceId), title: String(n.resourceTitle) },
      // A portfolio entry's title: its owner's to see; a verifier's while the request stands (not after it was replaced or the entry edited).
      verification:
        n.verificationId === null
          ? null
          : {
              title:
                Number(n.entryOwnerId) === actor.id || ["pending", "confirmed", "declined"].includes(String(n.verificationStatus))
                  ? String(n.entryTitle)
                  : null,
              by: String(n.verifierName),
            },
    })),
    /** Older notifications follow: the cursor for the next page. */
    olderCursor: rows.length > take ? Number(page[page.length - 1].id) : null,
    newestId: totals?.newest === null || totals?.newest === undefined ? null : Number(totals.newest),
    unread: Number(totals?.unread ?? 0),
  };
}

/** The newest notifications (the first page's rows). */
export async function listNotifications(actor: Actor, take = 50) {
  return (await notificationsPage(actor, null, take)).notifications;
}

/** Where a notification points. */
export function notificationTarget(n: {
  kind: string;
  replyId: number | null;
  thread: { id: number; slug: string } | null;
  resourceId?: number | null;
  verification?: { id: number; entryId: number } | null;
}): string {
  // A request to verify opens for the verifier; a decision on the owner's entry.
  if (n.verification) return n.kind === "verification_requested" ? `/me/verifications/${n.verification.id}` : `/me/portfolio/entries/${n.verification.entryId}`;
  // A rejected submission is shown (with the reason) to its submitter on its own page.
  if (n.resourceId) return `/resources/${n.resourceId}`;
  if (!n.thread) return "/notifications";
  if (n.kind === "hit_reminder") return `/threads/${n.thread.id}/hit`;
  return n.replyId ? replyHref(n.thread, n.replyId) : `/t/${n.thread.id}/${n.thread.slug}`;
}

/** Mark one of the actor's notifications read and return where it points. */
export async function openNotification(actor: Actor, notificationId: number): Promise<string> {
  const n = await db.notification.findFirst({
    where: { id: notificationId, userId: actor.id },
    select: {
      id: true,
      kind: true,
      replyId: true,
      resourceId: true,
      readAt: true,
      thread: { select: { id: true, slug: true } },
      verification: { select: { id: true, entryId: true } },
    },
  });
  if (!n) throw new NotFoundError("No such notification.");
  if (!n.readAt) {
    await db.$transaction([
      db.notification.update({ where: { id: n.id }, data: { readAt: new Date() } }),
      recordEvent(db, { type: "notifications.read", userId: actor.id }),
    ]);
  }
  // A reply a moderator moved since is found in its new thread.
  const moved = n.replyId ? (await db.reply.findUnique({ where: { id: n.replyId }, select: { thread: { select: { id: true, slug: true } } } }))?.thread : null;
  return notificationTarget({ ...n, thread: moved ?? n.thread });
}

/**
 * Mark one notification of the actor read or, without an id, every one up
 * to `upToId` (the newest the reader was shown: one that arrived since stays unread).
 */
export async function markRead(actor: Actor, notificationId?: number, upToId?: number) {
  const updated = await db.$transaction(async (tx) => {
    const result = await tx.notification.updateMany({
      where: { userId: actor.id, readAt: null, ...(notificationId ? { id: notificationId } : upToId ? { id: { lte: upToId } } : {}) },
      data: { readAt: new Date() },
    });
    if (result.count) await recordEvent(tx, { type: "notifications.read", userId: actor.id });
    return result;
  });
  if (notificationId && updated.count === 0) {
    const mine = await db.notification.count({ where: { id: notificationId, userId: actor.id } });
    if (!mine) throw new NotFoundError("No such notification.");
  }
}
