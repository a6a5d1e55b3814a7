// What moderators read: the review queue (flagged items, held first posts,
// pending resources, oldest first, a page at a time, with the context to
// decide), decisions on several queue items at once, and the moderation log.
// The single-item actions are in moderation.server.ts.
import { replyHref } from "~/lib/links";
import { db, readQuery, asDate } from "~/db/client.server";
import { isStaff } from "~/lib/domain";
import { ConflictError, ForbiddenError, isDomainError, ValidationError } from "~/lib/errors";
import { textExcerpt } from "~/lib/html-text.server";
import { clip, dayParam } from "~/lib/validation";
import { Prisma } from "~/generated/prisma/client";
import { requireActiveStaff } from "./user.server";
import type { Actor } from "~/lib/domain";
import { moderatePost, parseTarget, type Target, type TargetType } from "./moderation.server";
import { curateResource } from "./resource.server";

export const QUEUE_PAGE_SIZE = 25;
const EXCERPT = 300;
/** The most items one batch decision may name (a page holds fewer). */
export const BATCH_LIMIT = 100;

/** Moderators and admins who are not suspended. */
const requireStaff = (actor: Actor) => requireActiveStaff(actor, "Only moderators and admins can see the review queue.");

export type QueueFlag = { reason: string; note: string; reporter: string; createdAt: string };
export type AuthorContext = {
  id: number;
  handle: string;
  displayName: string;
  joinedAt: string;
  posts: number;
  hiddenPosts: number;
  upheldFlags: number;
  suspendedUntil: string | null;
};
type Why = "flagged" | "held" | "pending";
export type QueueItem = {
  target: string;
  type: TargetType;
  id: number;
  /** Why it is here: flags, a new member's held post, a resource waiting for review. */
  why: Why[];
  since: string;
  title: string;
  /** Plain text of the rendered post (no Markdown markers), cut at a word. */
  excerpt: string;
  href: string;
  thread: { id: number; title: string; href: string } | null;
  hiddenReason: string | null;
  isPrivate: boolean;
  flags: QueueFlag[];
  author: AuthorContext | null;
};

/**
 * Every item waiting, one row per target (its open flags, a held post, a
 * pending resource), with the earliest moment it started waiting: the queue's
 * order. Portable SQL; `CAST … AS TEXT` and `||` read alike on both engines.
 */
const WAITING = Prisma.sql`
  SELECT w."target", MIN(w."at") AS "since", MAX(w."flagged") AS "flagged", MAX(w."held") AS "held", MAX(w."pending") AS "pending"
  FROM (
    SELECT f."target" AS "target", f."createdAt" AS "at", 1 AS "flagged", 0 AS "held", 0 AS "pending" FROM "Flag" f WHERE f."resolvedAt" IS NULL
    UNION ALL
    SELECT 'thread:' || CAST(t."id" AS TEXT), t."createdAt", 0, 1, 0 FROM "Thread" t WHERE t."hiddenReason" = 'held' AND t."hiddenAt" IS NOT NULL
    UNION ALL
    SELECT 'reply:' || CAST(r."id" AS TEXT), r."createdAt", 0, 1, 0 FROM "Reply" r
      WHERE r."hiddenReason" = 'held' AND r."hiddenAt" IS NOT NULL AND r."deletedAt" IS NULL
    UNION ALL
    SELECT 'resource:' || CAST(s."id" AS TEXT), s."createdAt", 0, 0, 1 FROM "Resource" s WHERE s."status" = 'pending'
  ) w
  GROUP BY w."target"`;

type WaitingRow = { target: string; since: unknown; flagged: unknown; held: unknown; pending: unknown };

/** A page's position: "<epoch ms of the last item's since>_<its target>"; anything else is the first page. */
export function queueCursorFrom(value: string | null): { since: Date; target: string } | null {
  const m = /^(\d{1,15})_((?:thread|reply|resource):[1-9]\d{0,9})$/.exec(value ?? "");
  if (!m || Number(m[1]) >= 253402300800000) return null;
  return { since: new Date(Number(m[1])), target: m[2] };
}

/** How many items wait, in all and by reason (an item may wait for more than one). */
async function queueCounts(): Promise<Record<Why | "total", number>> {
  const [row] = await readQuery<Record<string, unknown>>(Prisma.sql`
    SELECT COUNT(*) AS "total", SUM(q."flagged") AS "flagged", SUM(q."held") AS "held", SUM(q."pending") AS "pending" FROM (${WAITING}) q`);
  return { total: Number(row?.total ?? 0), flagged: Number(row?.flagged ?? 0), held: Number(row?.held ?? 0), pending: Number(row?.pending ?? 0) };
}

/** One page of the review queue, oldest first, after `after` (a cursor from the previous page). */
export async function getReviewQueue(
  actor: Actor,
  after: string | null = null,
): Promise<{ items: QueueItem[]; counts: Record<Why | "total", number>; nextCursor: string | null }> {
  await requireStaff(actor);
  const cursor = queueCursorFrom(after);
  const [waiting, counts] = await Promise.all([
    readQuery<WaitingRow>(Prisma.sql`
      SELECT * FROM (${WAITING}) q
      ${cursor ? Prisma.sql`WHERE q."since" > ${cursor.since} OR (q."since" = ${cursor.since} AND q."target" > ${cursor.target})` : Prisma.empty}
      ORDER BY q."since", q."target"
      LIMIT ${QUEUE_PAGE_SIZE + 1}`),
    queueCounts(),
  ]);
  const page = waiting.slice(0, QUEUE_PAGE_SIZE);
  const last = page[page.length - 1];
  const items = await describeItems(page);
  return {
    items,
    counts,
    nextCursor: waiting.length > QUEUE_PAGE_SIZE && last ? `${asDate(last.since)!.getTime()}_${last.target}` : null,
  };
}

/** The queue rows of one page, with what a moderator needs to decide: the words, the flags, the author's history. */
async function describeItems(page: WaitingRow[]): Promise<QueueItem[]> {
  const keys = page.map((w) => w.target);
  const flags = keys.length
    ? await db.flag.findMany({
        where: { resolvedAt: null, target: { in: keys } },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { target: true, reason: true, note: true, createdAt: true, reporter: { select: { handle: true } } },
      })
    : [];
  const ids = { thread: [] as number[], reply: [] as number[], resource: [] as number[] };
  for (const key of keys) {
    const t = parseTarget(key);
    if (t) ids[t.type].push(t.id);
  }
  const [threads, replies, resources] = await Promise.all([
    db.thread.findMany({
      where: { id: { in: ids.thread } },
      select: { id: true, slug: true, title: true, bodyHtml: true, authorId: true, hiddenAt: true, hiddenReason: true },
    }),
    db.reply.findMany({
      where: { id: { in: ids.reply } },
      select: {
        id: true,
        bodyHtml: true,
        authorId: true,
        isPrivate: true,
        hiddenAt: true,
        hiddenReason: true,
        deletedAt: true,
        thread: { select: { id: true, slug: true, title: true } },
      },
    }),
    db.resource.findMany({ where: { id: { in: ids.resource } }, select: { id: true, title: true, abstractHtml: true, submitterId: true, status: true } }),
  ]);
  type Described = Omit<QueueItem, "target" | "why" | "since" | "flags" | "author"> & { authorId: number };
  const described = new Map<string, Described>();
  for (const t of threads) {
    described.set(`thread:${t.id}`, {
      type: "thread",
      id: t.id,
      title: t.title,
      excerpt: textExcerpt(t.bodyHtml, EXCERPT),
      href: `/t/${t.id}/${t.slug}`,
      thread: null,
      hiddenReason: t.hiddenAt ? t.hiddenReason || "moderator" : null,
      isPrivate: false,
      authorId: t.authorId,
    });
  }
  for (const r of replies) {
    described.set(`reply:${r.id}`, {
      type: "reply",
      id: r.id,
      title: `Reply in “${r.thread.title}”`,
      excerpt: r.deletedAt ? "(removed)" : textExcerpt(r.bodyHtml, EXCERPT),
      href: replyHref(r.thread, r.id),
      thread: { id: r.thread.id, title: r.thread.title, href: `/t/${r.thread.id}/${r.thread.slug}` },
      hiddenReason: r.hiddenAt ? r.hiddenReason || "moderator" : null,
      isPrivate: r.isPrivate,
      authorId: r.authorId,
    });
  }
  for (const r of resources) {
    described.set(`resource:${r.id}`, {
      type: "resource",
      id: r.id,
      title: r.title,
      excerpt: textExcerpt(r.abstractHtml, EXCERPT),
      href: `/resources/${r.id}`,
      thread: null,
      hiddenReason: r.status === "approved" ? null : r.status,
      isPrivate: false,
      authorId: r.submitterId,
    });
  }
  const authors = await authorContexts([...new Set([...described.values()].map((d) => d.authorId))]);
  // In the queue's order; a flag on something that no longer exists is left out.
  return page.flatMap((w) => {
    const d = described.get(w.target);
    if (!d) return [];
    const { authorId, ...rest } = d;
    const why = (["flagged", "held", "pending"] as const).filter((k) => Number(w[k]) > 0);
    return [
      {
        ...rest,
        target: w.target,
        why,
        since: asDate(w.since)!.toISOString(),
        flags: flags
          .filter((f) => f.target === w.target)
          .map((f) => ({ reason: f.reason, note: f.note, reporter: f.reporter.handle, createdAt: f.createdAt.toISOString() })),
        author: authors.get(authorId) ?? null,
      },
    ];
  });
}

export type BatchDecision = "approve" | "reject";

/**
 * A moderator's decision on several queue items at once. Approve publishes a
 * held post or resource and dismisses flags (a post hidden by flags comes
 * back); reject hides a flagged post that is visible, deletes one already
 * hidden (held or hidden by flags), archives a flagged resource and rejects a
 * pending one. Each item goes through the single-item action, so each is
 * authorized, written and logged as it would be alone. Nothing is done unless
 * every chosen item is waiting in the queue now. Returns how many were decided.
 */
export async function decideQueueItems(actor: Actor, chosen: string[], decision: BatchDecision, reasonInput: string): Promise<number> {
  await requireStaff(actor);
  const keys = [...new Set(chosen)];
  if (!keys.length) throw new ValidationError({ items: "Choose at least one item." }, "Choose at least one item to approve or reject.");
  if (keys.length > BATCH_LIMIT)
    throw new ValidationError({ items: `Choose at most ${BATCH_LIMIT} items at a time.` }, `Choose at most ${BATCH_LIMIT} items at a time.`);
  const targets = keys.map(parseTarget);
  // What was posted is not repeated back: it need not be anything a page showed.
  if (targets.some((t) => t === null))
    throw new ValidationError({ items: "One of the chosen items is not a queue item." }, "One of the chosen items is not a queue item.");
  const reason = reasonInput.trim();
  if (reason.length > 500) throw new ValidationError({ reason: "Keep the reason under 500 characters." }, "Keep the reason under 500 characters.");
  if (decision === "reject" && !reason)
    throw new ValidationError({ reason: "Say why: it goes in the moderation log." }, "Say why you reject them: it goes in the moderation log.");
  const waiting = new Map(
    (await readQuery<WaitingRow>(Prisma.sql`SELECT * FROM (${WAITING}) q WHERE q."target" IN (${Prisma.join(keys)})`)).map((w) => [w.target, w]),
  );
  const gone = keys.filter((k) => !waiting.has(k));
  if (gone.length) {
    const message = `${gone.length === 1 ? `${label(gone[0])} is` : `${gone.slice(0, 5).map(label).join(", ")}${gone.length > 5 ? "…" : ""} are`} not waiting in the review queue (another moderator may have decided already). Nothing was changed: reload the queue and choose again.`;
    throw new ValidationError({ items: message }, message);
  }
  const failed: string[] = [];
  for (const [i, key] of keys.entries()) {
    try {
      await decideOne(actor, targets[i]!, waiting.get(key)!, decision, reason);
    } catch (e) {
      // One item that cannot be decided (say, a resource whose address is already listed) does not stop the rest.
      if (!isDomainError(e)) throw e;
      failed.push(`${label(key)}: ${e.message}`);
    }
  }
  if (failed.length) throw new ConflictError(`Done for ${keys.length - failed.length} of ${keys.length}. Not done: ${failed.join(" ")}`);
  return keys.length;
}

const label = (key: string) => key.replace(":", " #");

async function decideOne(actor: Actor, target: Target, w: WaitingRow, decision: BatchDecision, reason: string) {
  const flagged = Number(w.flagged) > 0;
  if (target.type === "resource") {
    // Flags on a resource are answered as on a post (dismissing them restores one they sent back for review).
    if (flagged) return moderatePost(actor, target, decision === "approve" ? "dismiss" : "hide", reason);
    return curateResource(actor, target.id, decision, { reason });
  }
  if (decision === "approve") return moderatePost(actor, target, Number(w.held) > 0 ? "restore" : "dismiss", reason);
  const post =
    target.type === "thread"
      ? await db.thread.findUnique({ where: { id: target.id }, select: { hiddenAt: true } })
      : await db.reply.findUnique({ where: { id: target.id }, select: { hiddenAt: true } });
  return moderatePost(actor, target, post?.hiddenAt ? "delete" : "hide", reason);
}

/** An author's history, for deciding: when they joined, what they posted, what moderators found before. */
async function authorContexts(userIds: number[]): Promise<Map<number, AuthorContext>> {
  if (!userIds.length) return new Map();
  const users = await db.user.findMany({
    where: { id: { in: userIds } },
    select: { id: true, handle: true, displayName: true, createdAt: true, suspendedUntil: true },
  });
  const rows = await Promise.all(
    users.map(async (u) => {
      const [threads, replies, hiddenThreads, hiddenReplies, upheld] = await Promise.all([
        db.thread.count({ where: { authorId: u.id } }),
        db.reply.count({ where: { authorId: u.id } }),
        db.thread.count({ where: { authorId: u.id, hiddenAt: { not: null }, hiddenReason: { not: "held" } } }),
        db.reply.count({ where: { authorId: u.id, hiddenAt: { not: null }, hiddenReason: { not: "held" } } }),
        db.auditEvent.count({
          where: {
            subjectId: u.id,
            action: { in: ["thread.hidden", "reply.hidden", "thread.deleted", "reply.deleted", "thread.auto_hidden", "reply.auto_hidden"] },
          },
        }),
      ]);
      const suspended = u.suspendedUntil && u.suspendedUntil.getTime() > Date.now() ? u.suspendedUntil.toISOString() : null;
      return [
        u.id,
        {
          id: u.id,
          handle: u.handle,
          displayName: u.displayName,
          joinedAt: u.createdAt.toISOString(),
          posts: threads + replies,
          hiddenPosts: hiddenThreads + hiddenReplies,
          upheldFlags: upheld,
          suspendedUntil: suspended,
        },
      ] as const;
    }),
  );
  return new Map(rows);
}

export type LogFilters = { actor?: string; member?: string; action?: string; from?: Date; to?: Date; page: number };
export const LOG_PAGE_SIZE = 50;

export function logFiltersFrom(p: URLSearchParams): LogFilters {
  const handle = (v: string | null) => clip(v?.replace(/^@/, "").trim().toLowerCase() ?? "", 40) || undefined;
  const page = Number(p.get("page"));
  return {
    actor: handle(p.get("actor")),
    member: handle(p.get("member")),
    action: clip(p.get("action")?.trim() ?? "", 60) || undefined,
    from: dayParam(p.get("from"), false),
    to: dayParam(p.get("to"), true),
    page: Number.isSafeInteger(page) && page > 1 && page <= 1000 ? page : 1,
  };
}

/** The moderation log, newest first, filtered by who acted, on whom, what and when. */
export async function listModerationLog(actor: Actor, f: LogFilters) {
  if (!isStaff(actor.role)) throw new ForbiddenError("Only moderators and admins can read the moderation log.");
  const where: Prisma.AuditEventWhereInput = {};
  if (f.actor) where.actor = { handle: f.actor };
  if (f.member) where.subject = { handle: f.member };
  // "thread" matches every thread action; "thread.locked" just that one.
  if (f.action) where.action = f.action.includes(".") ? f.action : { startsWith: `${f.action}.` };
  if (f.from || f.to) where.createdAt = { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) };
  const rows = await db.auditEvent.findMany({
    where,
    orderBy: { id: "desc" },
    skip: (f.page - 1) * LOG_PAGE_SIZE,
    take: LOG_PAGE_SIZE + 1,
    select: {
      id: true,
      action: true,
      reason: true,
      detail: true,
      targetType: true,
      targetId: true,
      createdAt: true,
      actor: { select: { handle: true, displayName: true } },
      subject: { select: { handle: true, displayName: true } },
    },
  });
  const page = rows.slice(0, LOG_PAGE_SIZE);
  const replyIds = page.filter((r) => r.targetType === "reply" && r.targetId).map((r) => r.targetId!);
  const replyThreads = new Map(
    (await db.reply.findMany({ where: { id: { in: replyIds } }, select: { id: true, threadId: true } })).map((r) => [r.id, r.threadId]),
  );
  // Programs are named by their short name; only admins may open one.
  const programIds = page.filter((r) => r.targetType === "program" && r.targetId).map((r) => r.targetId!);
  const programSlugs = new Map(
    programIds.length ? (await db.program.findMany({ where: { id: { in: programIds } }, select: { id: true, slug: true } })).map((p) => [p.id, p.slug]) : [],
  );
  const href = (type: string, id: number | null) => {
    if (!id) return null;
    if (type === "thread") return `/t/${id}`;
    if (type === "reply") return replyThreads.has(id) ? `/t/${replyThreads.get(id)}?reply=${id}#reply-${id}` : null;
    if (type === "resource") return `/resources/${id}`;
    if (type === "program") return actor.role === "admin" && programSlugs.has(id) ? `/admin/programs/${programSlugs.get(id)}` : null;
    return null;
  };
  const label = (type: string, id: number | null) => (type === "program" && id && programSlugs.has(id) ? `program ${programSlugs.get(id)}` : `${type} #${id}`);
  return {
    entries: page.map((r) => ({
      id: r.id,
      action: r.action,
      reason: r.reason,
      detail: r.detail,
      target: r.targetType ? { type: r.targetType, id: r.targetId, href: href(r.targetType, r.targetId), label: label(r.targetType, r.targetId) } : null,
      createdAt: r.createdAt.toISOString(),
      actor: r.actor,
      subject: r.subject,
    })),
    hasMore: rows.length > LOG_PAGE_SIZE,
  };
}
