// Threads: asking, reading, listing. Each function reads in the same order:
// validate → load → authorize → write (one transaction) → return what the
// caller may see.
import { db } from "~/db/client.server";
import { isStaff, LIBRARY_TYPES, STAFF_ONLY_KINDS, THREAD_KINDS, type Identification, type LibraryType, type ThreadKind } from "~/lib/domain";
import { ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { slugOf } from "~/lib/slug";
import { clip, type ThreadInput } from "~/lib/validation";
import type { Prisma } from "~/generated/prisma/client";
import { recordEvent } from "./event-outbox.server";
import { renderPost } from "./post-rendering.server";
import { logModeration, moderatorEditReason, mustWaitForApproval } from "./moderation-rules.server";
import { activeSuspension, countPost, identificationColumns, identificationFromRow, identificationSelect, requireParticipant } from "./user.server";
import type { Actor } from "~/lib/domain";
import { recordCitations } from "./resource.server";
import { tagWithSynonyms } from "./tag.server";
import { canModify, canSeeThread, publicThreadWhere, replyVisibleSql, type Viewer } from "./visibility.server";

/** URL-friendly version of a title: "Weeding a 1990s collection?" → "weeding-a-1990s-collection". */
export function slugify(title: string): string {
  return slugOf(title, 80) || "thread";
}

async function checkTags(tagIds: number[]) {
  const unique = [...new Set(tagIds)];
  const found = await db.tag.count({ where: { id: { in: unique } } });
  if (found !== unique.length) throw new ValidationError({ tagIds: "Choose tags from the list." });
  return unique;
}

export async function createThread(actor: Actor, input: ThreadInput, options: { sourceThreadId?: number } = {}) {
  await requireParticipant(actor);
  if (STAFF_ONLY_KINDS.includes(input.kind) && !isStaff(actor.role)) {
    throw new ValidationError({ kind: "Only moderators can post announcements. Choose another kind." });
  }
  if (options.sourceThreadId !== undefined) {
    // A HIT compiles a thread its author asked.
    const source = await db.thread.findUnique({ where: { id: options.sourceThreadId }, select: { authorId: true } });
    if (!source) throw new NotFoundError("The thread this HIT compiles does not exist.");
    if (source.authorId !== actor.id) throw new ForbiddenError("Only the person who asked can compile its HIT.");
  }
  const tagIds = await checkTags(input.tagIds);
  await countPost(actor);
  const held = await mustWaitForApproval(actor);
  const rendered = await renderPost(input.body);
  const thread = await db.$transaction(async (tx) => {
    const created = await tx.thread.create({
      data: {
        ...(held ? { hiddenAt: new Date(), hiddenReason: "held" } : {}),
        kind: input.kind,
        title: input.title,
        slug: slugify(input.title),
        bodySource: input.body,
        bodyHtml: rendered.html,
        rendererVersion: rendered.rendererVersion,
        authorId: actor.id,
        libraryTypes: [...new Set(input.libraryTypes)].join(","),
        jobLocation: input.kind === "job" ? input.jobLocation : "",
        jobClosesOn: input.kind === "job" ? input.jobClosesOn : null,
        hitExpectedBy: input.kind === "target" ? input.hitExpectedBy : null,
        sourceThreadId: options.sourceThreadId ?? null,
        tags: { create: tagIds.map((tagId) => ({ tagId })) },
        followers: { create: { userId: actor.id } },
      },
      select: { id: true, slug: true },
    });
    await recordEvent(tx, { type: "thread.created", threadId: created.id });
    return created;
  });
  if (!held) await recordCitations(thread.id, rendered.resourceIds);
  return { ...thread, held };
}

export async function editThread(actor: Actor, threadId: number, input: { title: string; body: string; reason?: string }) {
  await requireParticipant(actor);
  const thread = await db.thread.findUnique({
    where: { id: threadId },
    select: { authorId: true, title: true, bodySource: true, hiddenAt: true, hiddenReason: true },
  });
  if (!thread || !canSeeThread(actor, thread)) throw new NotFoundError("That thread does not exist.");
  if (!canModify(actor, thread.authorId)) throw new ForbiddenError("You can only edit your own threads.");
  const reason = moderatorEditReason(actor, thread.authorId, input.reason);
  if (thread.title === input.title && thread.bodySource === input.body) return;
  const rendered = await renderPost(input.body);
  await db.$transaction([
    db.revision.create({ data: { threadId, editorId: actor.id, title: thread.title, bodySource: thread.bodySource } }),
    db.thread.update({
      where: { id: threadId },
      data: {
        title: input.title,
        slug: slugify(input.title),
        bodySource: input.body,
        bodyHtml: rendered.html,
        rendererVersion: rendered.rendererVersion,
        editedAt: new Date(),
      },
    }),
    ...(reason === null
      ? []
      : [logModeration(actor, { action: "thread.edited", subjectId: thread.authorId, targetType: "thread", targetId: threadId, reason })]),
    recordEvent(db, { type: "thread.edited", threadId }),
  ]);
  await recordCitations(threadId, rendered.resourceIds);
}

type ReplyRow = {
  id: number;
  authorId: number;
  bodyHtml: string;
  bodySource: string;
  isPrivate: boolean;
  helpfulCount: number;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  hiddenReason: string | null;
  author: Identification & { id: number };
};

/**
 * A thread's replies that the viewer may read, with each author's
 * identification, in one raw join: the thread page's hottest query (a
 * compiled Prisma call costs ~4x as much for 200 replies).
 */
async function readVisibleReplies(viewer: Viewer, thread: { id: number }): Promise<ReplyRow[]> {
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT r."id", r."authorId", r."bodyHtml", r."bodySource", r."isPrivate", r."helpfulCount", r."createdAt", r."editedAt", r."deletedAt",
      CASE WHEN r."hiddenAt" IS NULL THEN NULL ELSE r."hiddenReason" END AS "hiddenReason",
      ${identificationColumns}
    FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId" JOIN "User" u ON u."id" = r."authorId"
    WHERE r."threadId" = ${thread.id} AND ${replyVisibleSql(viewer)}
    ORDER BY r."createdAt", r."id"`;
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | Date));
  return rows.map((r) => ({
    id: Number(r.id),
    authorId: Number(r.authorId),
    bodyHtml: String(r.bodyHtml),
    bodySource: String(r.bodySource),
    isPrivate: Boolean(r.isPrivate),
    helpfulCount: Number(r.helpfulCount),
    createdAt: date(r.createdAt)!,
    editedAt: date(r.editedAt),
    deletedAt: date(r.deletedAt),
    hiddenReason: r.hiddenReason === null || r.hiddenReason === undefined ? null : String(r.hiddenReason) || "moderator",
    author: identificationFromRow(r.authorId, r),
  }));
}

/** Everything the thread page shows, as this viewer may see it; null if there is no such thread. */
export async function getThreadForViewer(viewer: Viewer, threadId: number) {
  const thread = await db.thread.findUnique({
    where: { id: threadId },
    select: {
      id: true,
      kind: true,
      title: true,
      slug: true,
      bodyHtml: true,
      bodySource: true,
      authorId: true,
      author: { select: identificationSelect },
      libraryTypes: true,
      jobLocation: true,
      jobClosesOn: true,
      hitExpectedBy: true,
      acceptedReplyId: true,
      privateReplyCount: true,
      createdAt: true,
      editedAt: true,
      hiddenAt: true,
      hiddenReason: true,
      lockedAt: true,
      pinnedAt: true,
      duplicateOfId: true,
      sourceThread: { select: { id: true, slug: true, title: true, authorId: true, hiddenAt: true, hiddenReason: true } },
      hits: { where: publicThreadWhere(), select: { id: true, slug: true, title: true }, orderBy: { id: "asc" } },
      tags: { select: { tag: { select: { slug: true, name: true, kind: true } } } },
    },
  });
  if (!thread || !canSeeThread(viewer, thread)) return null;
  const rows = await readVisibleReplies(viewer, thread);
  const duplicateOf = thread.duplicateOfId
    ? await db.thread.findFirst({ where: { id: thread.duplicateOfId, ...publicThreadWhere() }, select: { id: true, slug: true, title: true } })
    : null;
  const suspension = viewer ? await activeSuspension(viewer.id) : null;
  const staff = !!viewer && isStaff(viewer.role);
  const votes = viewer
    ? new Set(
        (await db.helpfulVote.findMany({ where: { userId: viewer.id, replyId: { in: rows.map((r) => r.id) } }, select: { replyId: true } })).map(
          (v) => v.replyId,
        ),
      )
    : new Set<number>();
  const replies = rows.map((r) => {
    const mine = viewer?.id === r.authorId;
    const removed = r.deletedAt !== null;
    return {
      id: r.id,
      author: r.author,
      isPrivate: r.isPrivate,
      // A removed reply keeps its place, not its words.
      bodyHtml: removed ? "" : r.bodyHtml,
      bodySource: !removed && canModify(viewer, r.authorId) ? r.bodySource : null,
      helpfulCount: r.helpfulCount,
      createdAt: r.createdAt,
      edited: r.editedAt !== null,
      removed,
      votedHelpful: votes.has(r.id),
      /** Why only its author and moderators see it (held, flagged, moderator, deleted), or null. */
      hiddenReason: r.hiddenReason,
      canVote: !!viewer && !mine && !removed && !r.hiddenReason,
      canFlag: !!viewer && !mine && !removed && !r.hiddenReason,
      canEdit: !removed && canModify(viewer, r.authorId),
      accepted: thread.acceptedReplyId === r.id,
    };
  });
  const visiblePrivate = replies.filter((r) => r.isPrivate && !r.removed).length;
  const mayManage = canModify(viewer, thread.authorId);
  const { bodySource, acceptedReplyId, privateReplyCount, hiddenAt, hiddenReason, lockedAt, pinnedAt, duplicateOfId: _dup, sourceThread, ...shown } = thread;
  return {
    thread: {
      ...shown,
      bodySource: mayManage ? bodySource : null,
      libraryTypes: thread.libraryTypes ? (thread.libraryTypes.split(",") as LibraryType[]) : [],
      tags: thread.tags.map((t) => t.tag),
      answered: acceptedReplyId !== null && replies.some((r) => r.accepted),
      edited: thread.editedAt !== null,
      hiddenReason: hiddenAt ? hiddenReason || "moderator" : null,
      // A hidden source thread is not named to those who cannot open it.
      sourceThread: sourceThread && canSeeThread(viewer, sourceThread) ? { id: sourceThread.id, slug: sourceThread.slug, title: sourceThread.title } : null,
      locked: lockedAt !== null,
      pinned: pinnedAt !== null,
      duplicateOf,
    },
    acceptedReply: replies.find((r) => r.accepted) ?? null,
    replies,
    /** Private replies this viewer cannot read: shown only as a count. */
    hiddenPrivateReplies: Math.max(0, privateReplyCount - visiblePrivate),
    /** The viewer's own suspension, shown instead of the reply form. */
    suspension: suspension ? { until: suspension.until.toISOString(), reason: suspension.reason } : null,
    can: {
      reply: !!viewer && !suspension && (!lockedAt || staff) && hiddenReason !== "deleted",
      flag: !!viewer && !suspension && viewer.id !== thread.authorId && !hiddenAt,
      moderate: staff,
      accept: mayManage,
      edit: mayManage,
      writeHit: viewer?.id === thread.authorId && (thread.kind === "target" || thread.kind === "question" || thread.kind === "discussion"),
    },
  };
}

export type ThreadFilters = {
  kind?: ThreadKind;
  tag?: string;
  libraryType?: LibraryType;
  unanswered?: boolean;
  sort?: "latest" | "newest" | "helpful";
  /** Keyset cursor from the previous page: "<sort value>_<id>" (epoch ms, or helpful votes). */
  after?: string;
};

export const THREADS_PAGE_SIZE = 25;

/** Filters from a query string (pages and API share them); unknown values are ignored. */
export function threadFiltersFrom(p: URLSearchParams): ThreadFilters {
  const kind = p.get("kind");
  const libraryType = p.get("library");
  return {
    kind: THREAD_KINDS.includes(kind as ThreadKind) ? (kind as ThreadKind) : undefined,
    libraryType: LIBRARY_TYPES.includes(libraryType as LibraryType) ? (libraryType as LibraryType) : undefined,
    tag: clip(p.get("tag") ?? "", 80) || undefined,
    unanswered: p.get("unanswered") === "1" || p.get("unanswered") === "true",
    sort: p.get("sort") === "newest" ? "newest" : p.get("sort") === "helpful" ? "helpful" : "latest",
    after: p.get("after") ?? undefined,
  };
}

export async function listThreads(filters: ThreadFilters) {
  const sortField = filters.sort === "newest" ? "createdAt" : filters.sort === "helpful" ? "helpfulTotal" : "lastActivityAt";
  // Hidden threads are listed only in the moderation queue; pinned ones lead the first page.
  const where: Prisma.ThreadWhereInput = { ...publicThreadWhere() };
  if (filters.kind) where.kind = filters.kind;
  if (filters.unanswered) {
    where.acceptedReplyId = null;
    if (!filters.kind) where.kind = "question";
  }
  // A synonym and its main tag are one for filtering.
  if (filters.tag) where.tags = { some: { tagId: { in: (await tagWithSynonyms(filters.tag)) ?? [-1] } } };
  if (filters.libraryType) where.OR = [{ libraryTypes: "" }, { libraryTypes: { contains: filters.libraryType } }];
  const cursor = /^(\d{1,15})_(\d{1,10})$/.exec(filters.after ?? "");
  // Ignore cursors no page could have produced (e.g. dates past year 9999).
  if (cursor && Number(cursor[1]) < 253402300800000) {
    const value = sortField === "helpfulTotal" ? Number(cursor[1]) : new Date(Number(cursor[1]));
    const id = Number(cursor[2]);
    where.AND = [{ OR: [{ [sortField]: { lt: value } }, { [sortField]: value, id: { lt: id } }] }];
  }
  const pinned = cursor
    ? []
    : await db.thread.findMany({ where: { ...where, pinnedAt: { not: null } }, orderBy: { pinnedAt: "desc" }, take: 5, select: listSelect });
  const rows = await db.thread.findMany({
    where: { ...where, pinnedAt: null },
    orderBy: [{ [sortField]: "desc" }, { id: "desc" }],
    take: THREADS_PAGE_SIZE + 1,
    select: listSelect,
  });
  const page = rows.slice(0, THREADS_PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    // Accepting a private TARGET reply is private too: a TARGET is never listed as answered.
    threads: [...pinned, ...page].map(({ acceptedReplyId, tags, pinnedAt, ...t }) => ({
      ...t,
      pinned: pinnedAt !== null,
      answered: acceptedReplyId !== null && t.kind !== "target",
      tags: tags.map((x) => x.tag),
    })),
    nextCursor: rows.length > THREADS_PAGE_SIZE && last ? `${sortField === "helpfulTotal" ? last.helpfulTotal : last[sortField].getTime()}_${last.id}` : null,
  };
}

const listSelect = {
  id: true,
  kind: true,
  title: true,
  slug: true,
  createdAt: true,
  lastActivityAt: true,
  helpfulTotal: true,
  publicReplyCount: true,
  privateReplyCount: true,
  acceptedReplyId: true,
  jobLocation: true,
  pinnedAt: true,
  author: { select: { handle: true, displayName: true, jobTitle: true, worksite: true } },
  tags: { select: { tag: { select: { slug: true, name: true } } } },
} satisfies Prisma.ThreadSelect;

/** Public threads for feeds: newest first, with their rendered bodies (never replies). */
export function listThreadsForFeed(filters: { kind?: ThreadKind; tag?: string }, take = 30) {
  return db.thread.findMany({
    where: {
      ...publicThreadWhere(),
      ...(filters.kind ? { kind: filters.kind } : {}),
      ...(filters.tag ? { tags: { some: { tag: { slug: filters.tag } } } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: {
      id: true,
      kind: true,
      slug: true,
      title: true,
      bodyHtml: true,
      createdAt: true,
      editedAt: true,
      author: { select: { handle: true, displayName: true, jobTitle: true, worksite: true } },
      tags: { select: { tag: { select: { name: true } } } },
    },
  });
}
