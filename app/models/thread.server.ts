// Threads: asking, reading, listing. Each function reads in the same order:
// validate → load → authorize → write (one transaction) → return what the
// caller may see.
import { asBool, asDate, db, readQuery } from "~/db/client.server";
import { readCache } from "~/db/read-cache.server";
import { usingIndex } from "~/db/dialect.server";
import { isStaff, LIBRARY_TYPES, STAFF_ONLY_KINDS, THREAD_KINDS, type LibraryType, type ThreadKind } from "~/lib/domain";
import { ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { slugOf } from "~/lib/slug";
import { clip, type ThreadInput } from "~/lib/validation";
import { Prisma } from "~/generated/prisma/client";
import { recordEvent } from "./event-outbox.server";
import { renderPost } from "./post-rendering.server";
import { logModeration, moderatorEditReason, mustWaitForApproval } from "./moderation-rules.server";
import { activeSuspension, countPost, identificationColumns, identificationFromRow, requireParticipant } from "./user.server";
import type { Actor } from "~/lib/domain";
import { recordCitations } from "./resource.server";
import { canonicalTagIds, tagWithSynonyms } from "./tag.server";
import { canModify, canSeeThread, publicReplyWhere, publicThreadSql, publicThreadWhere, replyVisibleSql, type Viewer } from "./visibility.server";

/** URL-friendly version of a title: "Weeding a 1990s collection?" → "weeding-a-1990s-collection". */
export function slugify(title: string): string {
  return slugOf(title, 80) || "thread";
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
  const tagIds = await canonicalTagIds(input.tagIds);
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

/** Replies shown on one page of a thread: bounded, so a page costs the same in a thread of 20 replies or 2,000. */
export const REPLIES_PER_PAGE = 20;

/** Which page of a thread: a page number, or the page that holds a reply (a permalink). */
export type ThreadPageRequest = { page?: number | null; replyId?: number | null; perPage?: number };

type Row = Record<string, unknown>;

/** A reply row of the page query, decoded the same way on both engines. */
function replyFromRow(r: Row) {
  return {
    id: Number(r.id),
    authorId: Number(r.authorId),
    bodyHtml: String(r.bodyHtml),
    bodySource: String(r.bodySource),
    isPrivate: asBool(r.isPrivate),
    helpfulCount: Number(r.helpfulCount),
    createdAt: asDate(r.createdAt)!,
    editedAt: asDate(r.editedAt),
    deletedAt: asDate(r.deletedAt),
    hiddenReason: r.hiddenReason === null || r.hiddenReason === undefined ? null : String(r.hiddenReason) || "moderator",
    author: identificationFromRow(r.authorId, r),
  };
}

const REPLY_COLUMNS = Prisma.sql`r."id", r."authorId", r."bodyHtml", r."bodySource", r."isPrivate", r."helpfulCount", r."createdAt", r."editedAt", r."deletedAt",
      CASE WHEN r."hiddenAt" IS NULL THEN NULL ELSE r."hiddenReason" END AS "hiddenReason",
      ${identificationColumns}`;

/**
 * The replies of one page of a thread as `seer` may see them, with the thread
 * and what surrounds it; null if there is no such thread. Everything here is
 * the same for every viewer who sees the same replies (see `readerClassOf`),
 * so it is read once per database version for each such class and shared.
 */
async function readThreadView(seer: Viewer, threadId: number, request: ThreadPageRequest, perPage: number) {
  const [t] = await readQuery<Row>(Prisma.sql`
    SELECT t."id", t."kind", t."title", t."slug", t."bodyHtml", t."bodySource", t."authorId", t."libraryTypes", t."jobLocation", t."jobClosesOn",
      t."hitExpectedBy", t."acceptedReplyId", t."privateReplyCount", t."createdAt", t."editedAt", t."hiddenAt", t."hiddenReason", t."lockedAt",
      t."pinnedAt", t."duplicateOfId", t."sourceThreadId", ${identificationColumns}
    FROM "Thread" t JOIN "User" u ON u."id" = t."authorId"
    WHERE t."id" = ${threadId}`);
  if (!t) return null;
  const acceptedReplyId = t.acceptedReplyId === null ? null : Number(t.acceptedReplyId);
  const visible = replyVisibleSql(seer);
  const notAccepted = acceptedReplyId === null ? Prisma.empty : Prisma.sql`AND r."id" <> ${acceptedReplyId}`;

  // How many replies this class of viewer sees (and of them, private ones it may read).
  const [counts] = await readQuery<Row>(Prisma.sql`
    SELECT COUNT(*) AS "visible",
      COALESCE(SUM(CASE WHEN r."isPrivate" AND r."deletedAt" IS NULL THEN 1 ELSE 0 END), 0) AS "readablePrivate",
      COALESCE(SUM(CASE WHEN r."id" = ${acceptedReplyId ?? 0} THEN 1 ELSE 0 END), 0) AS "accepted"
    FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId"
    WHERE r."threadId" = ${threadId} AND ${visible}`);
  const acceptedVisible = Number(counts!.accepted) > 0;
  const listed = Number(counts!.visible) - (acceptedVisible ? 1 : 0);
  const pages = Math.max(1, Math.ceil(listed / perPage));
  const page = Math.min(pages, Math.max(1, (await pageOfReply(seer, threadId, request.replyId, acceptedReplyId, perPage)) ?? request.page ?? 1));

  const [listedRows, acceptedRows, tags, hits, source, duplicate] = await Promise.all([
    readQuery<Row>(Prisma.sql`
      SELECT ${REPLY_COLUMNS}
      FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId" JOIN "User" u ON u."id" = r."authorId"
      WHERE r."threadId" = ${threadId} AND ${visible} ${notAccepted}
      ORDER BY r."createdAt", r."id"
      LIMIT ${perPage} OFFSET ${(page - 1) * perPage}`),
    acceptedVisible && page === 1
      ? readQuery<Row>(Prisma.sql`
          SELECT ${REPLY_COLUMNS}
          FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId" JOIN "User" u ON u."id" = r."authorId"
          WHERE r."id" = ${acceptedReplyId} AND r."threadId" = ${threadId} AND ${visible}`)
      : Promise.resolve([]),
    readQuery<Row>(Prisma.sql`
      SELECT g."slug", g."name", g."kind" FROM "ThreadTag" tt JOIN "Tag" g ON g."id" = tt."tagId" WHERE tt."threadId" = ${threadId} ORDER BY g."id"`),
    readQuery<Row>(Prisma.sql`
      SELECT t."id", t."slug", t."title" FROM "Thread" t ${usingIndex("Thread_sourceThreadId_idx")}
      WHERE t."sourceThreadId" = ${threadId} AND ${publicThreadSql()} ORDER BY t."id"`),
    t.sourceThreadId === null
      ? Promise.resolve([])
      : readQuery<Row>(
          Prisma.sql`SELECT t."id", t."slug", t."title", t."authorId", t."hiddenAt", t."hiddenReason" FROM "Thread" t WHERE t."id" = ${Number(t.sourceThreadId)}`,
        ),
    t.duplicateOfId === null
      ? Promise.resolve([])
      : readQuery<Row>(Prisma.sql`SELECT t."id", t."slug", t."title" FROM "Thread" t WHERE t."id" = ${Number(t.duplicateOfId)} AND ${publicThreadSql()}`),
  ]);
  const link = (x: Row) => ({ id: Number(x.id), slug: String(x.slug), title: String(x.title) });
  const sourceRow = source[0];
  return {
    thread: t,
    authorId: Number(t.authorId),
    hiddenAt: asDate(t.hiddenAt),
    hiddenReason: String(t.hiddenReason),
    acceptedReplyId,
    acceptedVisible,
    rows: [...acceptedRows, ...listedRows].map(replyFromRow),
    paging: { page, pages, perPage, listed },
    readablePrivate: Number(counts!.readablePrivate),
    tags: tags.map((g) => ({ slug: String(g.slug), name: String(g.name), kind: String(g.kind) })),
    hits: hits.map(link),
    source: sourceRow
      ? { ...link(sourceRow), authorId: Number(sourceRow.authorId), hiddenAt: asDate(sourceRow.hiddenAt), hiddenReason: String(sourceRow.hiddenReason) }
      : null,
    duplicateOf: duplicate[0] ? link(duplicate[0]) : null,
  };
}

/** Staff see every reply of every thread: the one viewer their shared views are read as. */
const ANY_STAFF: Viewer = { id: 0, role: "moderator" };

/**
 * Which shared view of a thread this viewer gets: "public" for guests and for
 * members who see no reply there that the public cannot (most readers), "staff"
 * for moderators and admins, or null for a member who sees more than the
 * public — the asker of a TARGET with private replies, the author of a private
 * or held reply — whose view is read for them alone. `beyondPublic` counts the
 * replies of the thread this viewer sees and the public does not.
 */
function readerClassOf(viewer: Viewer, beyondPublic: number): "public" | "staff" | null {
  if (viewer && isStaff(viewer.role)) return "staff";
  return !viewer || beyondPublic === 0 ? "public" : null;
}

// Shared views, by class, thread and page asked for; emptied by any committed write.
const sharedViews = readCache<Awaited<ReturnType<typeof readThreadView>>>(500);

/** What only this member's view of the thread depends on: their replies there, and those they see that the public does not. */
async function viewerStanding(viewer: Viewer, threadId: number) {
  if (!viewer) return { own: 0, beyondPublic: 0 };
  const [row] = await readQuery<Row>(Prisma.sql`
    SELECT COALESCE(SUM(CASE WHEN r."authorId" = ${viewer.id} THEN 1 ELSE 0 END), 0) AS "own",
      COALESCE(SUM(CASE WHEN ${replyVisibleSql(viewer)} AND NOT ${replyVisibleSql(null)} THEN 1 ELSE 0 END), 0) AS "beyondPublic"
    FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId"
    WHERE r."threadId" = ${threadId} AND (r."authorId" = ${viewer.id} OR t."authorId" = ${viewer.id})`);
  return { own: Number(row?.own ?? 0), beyondPublic: Number(row?.beyondPublic ?? 0) };
}

/**
 * Everything one page of a thread shows, as this viewer may see it; null if
 * there is no such thread (or the viewer may not open it). The replies are
 * one page of those the viewer may see, oldest first, the accepted answer
 * pinned on the first page instead of in its place. The shared part (the
 * thread and the page's replies) is read once per class of viewer and
 * database version (`readerClassOf`); what is personal (own votes, what the
 * viewer may edit, vote on or flag, their suspension) is layered on top here,
 * on fresh objects, so nothing personal reaches the shared copy. Every read is
 * a raw statement through `readQuery` (this is the busiest page of the site)
 * and none grows with the thread's length.
 */
export async function getThreadForViewer(viewer: Viewer, threadId: number, request: ThreadPageRequest = {}) {
  const perPage = request.perPage ?? REPLIES_PER_PAGE;
  const standing = await viewerStanding(viewer, threadId);
  const readerClass = readerClassOf(viewer, standing.beyondPublic);
  const view =
    readerClass === null
      ? await readThreadView(viewer, threadId, request, perPage)
      : await sharedViews(`${readerClass}:${threadId}:${perPage}:${request.page ?? ""}:${request.replyId ?? ""}`, () =>
          readThreadView(readerClass === "staff" ? ANY_STAFF : null, threadId, request, perPage),
        );
  if (!view) return null;
  const { thread: t, authorId, hiddenAt, hiddenReason, acceptedReplyId } = view;
  if (!canSeeThread(viewer, { authorId, hiddenAt, hiddenReason })) return null;
  const [suspension, votes] = await Promise.all([
    viewer ? activeSuspension(viewer.id) : null,
    viewer && view.rows.length
      ? readQuery<Row>(
          Prisma.sql`SELECT "replyId" FROM "HelpfulVote" WHERE "userId" = ${viewer.id} AND "replyId" IN (${Prisma.join(view.rows.map((r) => r.id))})`,
        ).then((found) => new Set(found.map((v) => Number(v.replyId))))
      : new Set<number>(),
  ]);
  const staff = !!viewer && isStaff(viewer.role);
  // A suspended member reads as before, but is offered no control they cannot use (the page says why instead).
  const active = !!viewer && !suspension;
  const replies = view.rows.map((r) => {
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
      canVote: active && !mine && !removed && !r.hiddenReason,
      canFlag: active && !mine && !removed && !r.hiddenReason,
      canEdit: active && !removed && canModify(viewer, r.authorId),
      accepted: acceptedReplyId === r.id,
    };
  });
  const mayManage = active && canModify(viewer, authorId);
  // A hidden source thread is not named to those who cannot open it.
  const sourceThread = view.source && canSeeThread(viewer, view.source) ? { id: view.source.id, slug: view.source.slug, title: view.source.title } : null;
  const lockedAt = asDate(t.lockedAt);
  return {
    thread: {
      id: threadId,
      kind: String(t.kind) as ThreadKind,
      title: String(t.title),
      slug: String(t.slug),
      bodyHtml: String(t.bodyHtml),
      bodySource: mayManage ? String(t.bodySource) : null,
      authorId,
      author: identificationFromRow(authorId, t),
      libraryTypes: t.libraryTypes ? (String(t.libraryTypes).split(",") as LibraryType[]) : [],
      jobLocation: String(t.jobLocation),
      jobClosesOn: asDate(t.jobClosesOn),
      hitExpectedBy: asDate(t.hitExpectedBy),
      createdAt: asDate(t.createdAt)!,
      editedAt: asDate(t.editedAt),
      hits: view.hits,
      tags: view.tags,
      answered: view.acceptedVisible,
      edited: t.editedAt !== null,
      hiddenReason: hiddenAt ? hiddenReason || "moderator" : null,
      sourceThread,
      locked: lockedAt !== null,
      pinned: t.pinnedAt !== null,
      duplicateOf: view.duplicateOf,
    },
    acceptedReply: replies.find((r) => r.accepted) ?? null,
    /** This page's replies (on the first page, the accepted answer first). */
    replies,
    /** Which page this is; `listed` counts the replies paged through (the accepted answer is pinned, not listed). */
    paging: view.paging,
    /** How many replies this viewer has posted here (the reply form starts fresh after each). */
    ownReplies: standing.own,
    /** Private replies this viewer cannot read: shown only as a count. */
    hiddenPrivateReplies: Math.max(0, Number(t.privateReplyCount) - view.readablePrivate),
    /** The viewer's own suspension, shown instead of the reply form. */
    suspension: suspension ? { until: suspension.until.toISOString(), reason: suspension.reason } : null,
    can: {
      reply: active && (!lockedAt || staff) && hiddenReason !== "deleted",
      flag: active && viewer.id !== authorId && !hiddenAt,
      moderate: active && staff,
      accept: mayManage,
      edit: mayManage,
      writeHit: active && viewer.id === authorId && (t.kind === "target" || t.kind === "question" || t.kind === "discussion"),
    },
  };
}

/** The page of the thread that lists this reply, for this viewer; null for no reply, one they cannot see, or the accepted answer (page 1). */
async function pageOfReply(viewer: Viewer, threadId: number, replyId: number | null | undefined, acceptedReplyId: number | null, perPage: number) {
  if (!replyId) return null;
  if (replyId === acceptedReplyId) return 1;
  const notAccepted = acceptedReplyId === null ? Prisma.empty : Prisma.sql`AND r."id" <> ${acceptedReplyId}`;
  const [row] = await readQuery<Row>(Prisma.sql`
    SELECT COUNT(*) AS "before" FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId", "Reply" target
    WHERE target."id" = ${replyId} AND target."threadId" = ${threadId} AND r."threadId" = ${threadId} AND ${replyVisibleSql(viewer)} ${notAccepted}
      AND (r."createdAt" < target."createdAt" OR (r."createdAt" = target."createdAt" AND r."id" < target."id"))
      AND EXISTS (SELECT 1 FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId" WHERE r."id" = ${replyId} AND ${replyVisibleSql(viewer)})`);
  return row ? Math.floor(Number(row.before) / perPage) + 1 : null;
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

/**
 * One page of a thread list (home, tag pages, the API): public threads, the
 * pinned ones first on the first page. Raw reads through `readQuery` (every
 * member's home page runs them; decision 0012), served by the list indexes.
 */
export async function listThreads(filters: ThreadFilters) {
  const sort = filters.sort === "newest" ? "createdAt" : filters.sort === "helpful" ? "helpfulTotal" : "lastActivityAt";
  const sortColumn = Prisma.raw(`t."${sort}"`);
  // Hidden threads are listed only in the moderation queue.
  const conditions: Prisma.Sql[] = [publicThreadSql()];
  if (filters.kind) conditions.push(Prisma.sql`t."kind" = ${filters.kind}`);
  if (filters.unanswered) {
    conditions.push(Prisma.sql`t."acceptedReplyId" IS NULL`);
    if (!filters.kind) conditions.push(Prisma.sql`t."kind" = 'question'`);
  }
  if (filters.tag) {
    // A synonym and its main tag are one for filtering.
    const tagIds = (await tagWithSynonyms(filters.tag)) ?? [-1];
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "ThreadTag" tt WHERE tt."threadId" = t."id" AND tt."tagId" IN (${Prisma.join(tagIds)}))`);
  }
  if (filters.libraryType) conditions.push(Prisma.sql`(t."libraryTypes" = '' OR t."libraryTypes" LIKE ${`%${filters.libraryType}%`})`);
  const cursor = /^(\d{1,15})_(\d{1,10})$/.exec(filters.after ?? "");
  // Ignore cursors no page could have produced (e.g. dates past year 9999).
  const after =
    cursor && Number(cursor[1]) < 253402300800000
      ? { value: sort === "helpfulTotal" ? Number(cursor[1]) : new Date(Number(cursor[1])), id: Number(cursor[2]) }
      : null;
  const where = Prisma.join(conditions, " AND ");
  const listed = (extra: Prisma.Sql, order: Prisma.Sql, take: number) =>
    readQuery<Row>(Prisma.sql`
      SELECT t."id", t."kind", t."title", t."slug", t."createdAt", t."lastActivityAt", t."helpfulTotal", t."publicReplyCount", t."privateReplyCount",
        t."acceptedReplyId", t."jobLocation", t."pinnedAt", u."handle", u."displayName", u."jobTitle", u."worksite"
      FROM "Thread" t JOIN "User" u ON u."id" = t."authorId"
      WHERE ${where} AND ${extra}
      ORDER BY ${order}
      LIMIT ${take}`);
  const [pinned, rows] = await Promise.all([
    after ? Promise.resolve([]) : listed(Prisma.sql`t."pinnedAt" IS NOT NULL`, Prisma.sql`t."pinnedAt" DESC`, 5),
    listed(
      after
        ? Prisma.sql`t."pinnedAt" IS NULL AND (${sortColumn} < ${after.value} OR (${sortColumn} = ${after.value} AND t."id" < ${after.id}))`
        : Prisma.sql`t."pinnedAt" IS NULL`,
      Prisma.sql`${sortColumn} DESC, t."id" DESC`,
      THREADS_PAGE_SIZE + 1,
    ),
  ]);
  const page = rows.slice(0, THREADS_PAGE_SIZE);
  const shown = [...pinned, ...page];
  const tags = shown.length
    ? await readQuery<Row>(Prisma.sql`
        SELECT tt."threadId", g."slug", g."name" FROM "ThreadTag" tt JOIN "Tag" g ON g."id" = tt."tagId"
        WHERE tt."threadId" IN (${Prisma.join(shown.map((t) => Number(t.id)))}) ORDER BY g."id"`)
    : [];
  const last = page[page.length - 1];
  return {
    threads: shown.map((t) => {
      const id = Number(t.id);
      const kind = String(t.kind) as ThreadKind;
      return {
        id,
        kind,
        title: String(t.title),
        slug: String(t.slug),
        createdAt: asDate(t.createdAt)!,
        lastActivityAt: asDate(t.lastActivityAt)!,
        helpfulTotal: Number(t.helpfulTotal),
        publicReplyCount: Number(t.publicReplyCount),
        privateReplyCount: Number(t.privateReplyCount),
        jobLocation: String(t.jobLocation),
        author: { handle: String(t.handle), displayName: String(t.displayName), jobTitle: String(t.jobTitle), worksite: String(t.worksite) },
        pinned: t.pinnedAt !== null,
        // Accepting a private TARGET reply is private too: a TARGET is never listed as answered.
        answered: t.acceptedReplyId !== null && kind !== "target",
        tags: tags.filter((g) => Number(g.threadId) === id).map((g) => ({ slug: String(g.slug), name: String(g.name) })),
      };
    }),
    nextCursor:
      rows.length > THREADS_PAGE_SIZE && last
        ? `${sort === "helpfulTotal" ? Number(last.helpfulTotal) : asDate(last[sort])!.getTime()}_${Number(last.id)}`
        : null,
  };
}

// What a feed entry shows of a thread and its author.
const FEED_AUTHOR = { select: { handle: true, displayName: true, jobTitle: true, worksite: true } } as const;
const FEED_THREAD = {
  id: true,
  kind: true,
  slug: true,
  title: true,
  bodyHtml: true,
  createdAt: true,
  editedAt: true,
  author: FEED_AUTHOR,
  tags: { select: { tag: { select: { name: true } } } },
} as const;

/**
 * A thread's feed: the thread and its newest replies as a guest reads them
 * (null when the thread is not public). A TARGET's replies are private, so its
 * feed holds the question only.
 */
export async function getThreadFeed(threadId: number, take = 50) {
  const thread = await db.thread.findFirst({
    where: { id: threadId, ...publicThreadWhere() },
    select: FEED_THREAD,
  });
  if (!thread) return null;
  const replies = await db.reply.findMany({
    where: { threadId, ...publicReplyWhere() },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: {
      id: true,
      bodyHtml: true,
      createdAt: true,
      editedAt: true,
      author: FEED_AUTHOR,
    },
  });
  return { thread, replies };
}

/** Public threads for feeds: newest first, with their rendered bodies (replies: a thread's own feed, getThreadFeed). */
export function listThreadsForFeed(filters: { kind?: ThreadKind; tag?: string }, take = 30) {
  return db.thread.findMany({
    where: {
      ...publicThreadWhere(),
      ...(filters.kind ? { kind: filters.kind } : {}),
      ...(filters.tag ? { tags: { some: { tag: { slug: filters.tag } } } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: FEED_THREAD,
  });
}
