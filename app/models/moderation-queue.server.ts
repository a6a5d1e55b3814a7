// What moderators read: the review queue (flagged items, held first posts,
// pending resources, oldest first, with the context to decide) and the
// moderation log. The actions are in moderation.server.ts.
import { replyHref } from "~/lib/links";
import { db } from "~/db/client.server";
import { isStaff } from "~/lib/domain";
import { ForbiddenError } from "~/lib/errors";
import { clip, dayParam } from "~/lib/validation";
import type { Prisma } from "~/generated/prisma/client";
import { requireActiveStaff } from "./user.server";
import type { Actor } from "~/lib/domain";
import type { TargetType } from "./moderation.server";

const QUEUE_LIMIT = 100;
const EXCERPT = 400;

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
export type QueueItem = {
  target: string;
  type: TargetType;
  id: number;
  /** Why it is here: flags, a new member's held post, a resource waiting for review. */
  why: ("flagged" | "held" | "pending")[];
  since: string;
  title: string;
  excerpt: string;
  href: string;
  thread: { id: number; title: string; href: string } | null;
  hiddenReason: string | null;
  isPrivate: boolean;
  flags: QueueFlag[];
  author: AuthorContext | null;
};

/** The review queue, oldest first. */
export async function getReviewQueue(actor: Actor): Promise<{ items: QueueItem[]; counts: Record<"flagged" | "held" | "pending", number> }> {
  await requireStaff(actor);
  const [flags, heldThreads, heldReplies, pending] = await Promise.all([
    db.flag.findMany({
      where: { resolvedAt: null },
      orderBy: { createdAt: "asc" },
      take: QUEUE_LIMIT * 5,
      select: { target: true, reason: true, note: true, createdAt: true, reporter: { select: { handle: true } } },
    }),
    db.thread.findMany({
      where: { hiddenReason: "held", hiddenAt: { not: null } },
      orderBy: { createdAt: "asc" },
      take: QUEUE_LIMIT,
      select: { id: true, createdAt: true },
    }),
    db.reply.findMany({
      where: { hiddenReason: "held", hiddenAt: { not: null }, deletedAt: null },
      orderBy: { createdAt: "asc" },
      take: QUEUE_LIMIT,
      select: { id: true, createdAt: true },
    }),
    db.resource.findMany({ where: { status: "pending" }, orderBy: { createdAt: "asc" }, take: QUEUE_LIMIT, select: { id: true, createdAt: true } }),
  ]);

  const entries = new Map<string, { why: Set<"flagged" | "held" | "pending">; since: Date; flags: QueueFlag[] }>();
  const enter = (key: string, why: "flagged" | "held" | "pending", at: Date) => {
    const e = entries.get(key) ?? { why: new Set(), since: at, flags: [] };
    e.why.add(why);
    if (at < e.since) e.since = at;
    entries.set(key, e);
    return e;
  };
  for (const f of flags) {
    enter(f.target, "flagged", f.createdAt).flags.push({ reason: f.reason, note: f.note, reporter: f.reporter.handle, createdAt: f.createdAt.toISOString() });
  }
  for (const t of heldThreads) enter(`thread:${t.id}`, "held", t.createdAt);
  for (const r of heldReplies) enter(`reply:${r.id}`, "held", r.createdAt);
  for (const r of pending) enter(`resource:${r.id}`, "pending", r.createdAt);

  const ids = { thread: [] as number[], reply: [] as number[], resource: [] as number[] };
  for (const key of entries.keys()) {
    const [type, id] = key.split(":");
    ids[type as TargetType].push(Number(id));
  }
  const [threads, replies, resources] = await Promise.all([
    db.thread.findMany({
      where: { id: { in: ids.thread } },
      select: { id: true, slug: true, title: true, bodySource: true, authorId: true, hiddenAt: true, hiddenReason: true },
    }),
    db.reply.findMany({
      where: { id: { in: ids.reply } },
      select: {
        id: true,
        bodySource: true,
        authorId: true,
        isPrivate: true,
        hiddenAt: true,
        hiddenReason: true,
        deletedAt: true,
        thread: { select: { id: true, slug: true, title: true } },
      },
    }),
    db.resource.findMany({ where: { id: { in: ids.resource } }, select: { id: true, title: true, abstractSource: true, submitterId: true, status: true } }),
  ]);
  const items: QueueItem[] = [];
  const base = (key: string) => {
    const e = entries.get(key)!;
    return { target: key, why: [...e.why], since: e.since.toISOString(), flags: e.flags };
  };
  for (const t of threads) {
    const href = `/t/${t.id}/${t.slug}`;
    items.push({
      ...base(`thread:${t.id}`),
      type: "thread",
      id: t.id,
      title: t.title,
      excerpt: clip(t.bodySource, EXCERPT),
      href,
      thread: null,
      hiddenReason: t.hiddenAt ? t.hiddenReason || "moderator" : null,
      isPrivate: false,
      author: null,
      authorId: t.authorId,
    } as QueueItem & { authorId: number });
  }
  for (const r of replies) {
    const threadHref = `/t/${r.thread.id}/${r.thread.slug}`;
    items.push({
      ...base(`reply:${r.id}`),
      type: "reply",
      id: r.id,
      title: `Reply in “${r.thread.title}”`,
      excerpt: r.deletedAt ? "(removed)" : clip(r.bodySource, EXCERPT),
      href: replyHref(r.thread, r.id),
      thread: { id: r.thread.id, title: r.thread.title, href: threadHref },
      hiddenReason: r.hiddenAt ? r.hiddenReason || "moderator" : null,
      isPrivate: r.isPrivate,
      author: null,
      authorId: r.authorId,
    } as QueueItem & { authorId: number });
  }
  for (const r of resources) {
    items.push({
      ...base(`resource:${r.id}`),
      type: "resource",
      id: r.id,
      title: r.title,
      excerpt: clip(r.abstractSource, EXCERPT),
      href: `/resources/${r.id}`,
      thread: null,
      hiddenReason: r.status === "approved" ? null : r.status,
      isPrivate: false,
      author: null,
      authorId: r.submitterId,
    } as QueueItem & { authorId: number });
  }
  const authors = await authorContexts([...new Set(items.map((i) => (i as QueueItem & { authorId: number }).authorId))]);
  for (const item of items) {
    const withAuthor = item as QueueItem & { authorId?: number };
    item.author = authors.get(withAuthor.authorId!) ?? null;
    delete withAuthor.authorId;
  }
  items.sort((a, b) => a.since.localeCompare(b.since) || a.target.localeCompare(b.target));
  return {
    items: items.slice(0, QUEUE_LIMIT),
    counts: {
      flagged: items.filter((i) => i.why.includes("flagged")).length,
      held: items.filter((i) => i.why.includes("held")).length,
      pending: items.filter((i) => i.why.includes("pending")).length,
    },
  };
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
  const href = (type: string, id: number | null) => {
    if (!id) return null;
    if (type === "thread") return `/t/${id}`;
    if (type === "reply") return replyThreads.has(id) ? `/t/${replyThreads.get(id)}?reply=${id}#reply-${id}` : null;
    if (type === "resource") return `/resources/${id}`;
    return null;
  };
  return {
    entries: page.map((r) => ({
      id: r.id,
      action: r.action,
      reason: r.reason,
      detail: r.detail,
      target: r.targetType ? { type: r.targetType, id: r.targetId, href: href(r.targetType, r.targetId) } : null,
      createdAt: r.createdAt.toISOString(),
      actor: r.actor,
      subject: r.subject,
    })),
    hasMore: rows.length > LOG_PAGE_SIZE,
  };
}
