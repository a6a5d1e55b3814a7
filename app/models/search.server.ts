// Search over the FTS5 index (see the search_index migration): threads,
// replies and approved resources together or by type, with filters, ranked
// by bm25 (titles weigh more than bodies; accepted answers and HITs rank up)
// or newest first. The TARGET rule holds here as everywhere: a private reply
// is found only by the asker, its author and moderators.
import { db } from "~/lib/db.server";
import { isStaff, LIBRARY_TYPES, THREAD_KINDS, type LibraryType, type ThreadKind } from "~/lib/domain";
import { likePatterns, passageHtml, searchWords, toFtsQuery } from "~/lib/search-query";
import { clip } from "~/lib/validation";
import { Prisma } from "~/generated/prisma/client";
import { tagWithSynonyms } from "./tag.server";
import type { Viewer } from "./visibility.server";

export const SEARCH_TYPES = ["all", "threads", "replies", "resources"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];
export const SEARCH_PAGE_SIZE = 20;

export type SearchFilters = {
  q: string;
  type: SearchType;
  kind?: ThreadKind;
  tag?: string;
  libraryType?: LibraryType;
  author?: string;
  from?: Date;
  to?: Date;
  answered?: boolean;
  sort: "relevance" | "newest";
  page: number;
};

const isoDay = (v: string | null, endOfDay: boolean) => {
  if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return undefined;
  const d = new Date(`${v}T${endOfDay ? "23:59:59.999" : "00:00:00.000"}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
};

/** Filters from a query string (page and API share them); anything unknown is ignored, never an error. */
export function searchFiltersFrom(p: URLSearchParams): SearchFilters {
  const type = p.get("type");
  const kind = p.get("kind");
  const library = p.get("library");
  const page = Number(p.get("page"));
  return {
    q: clip(p.get("q") ?? "", 1000),
    type: SEARCH_TYPES.includes(type as SearchType) ? (type as SearchType) : "all",
    kind: THREAD_KINDS.includes(kind as ThreadKind) ? (kind as ThreadKind) : undefined,
    tag: clip(p.get("tag") ?? "", 80) || undefined,
    libraryType: LIBRARY_TYPES.includes(library as LibraryType) ? (library as LibraryType) : undefined,
    author: clip(p.get("author")?.replace(/^@/, "").toLowerCase() ?? "", 40) || undefined,
    from: isoDay(p.get("from"), false),
    to: isoDay(p.get("to"), true),
    answered: p.get("answered") === "1" || p.get("answered") === "true",
    sort: p.get("sort") === "newest" ? "newest" : "relevance",
    page: Number.isSafeInteger(page) && page > 1 && page <= 50 ? page : 1,
  };
}

type Row = {
  kind: "thread" | "reply" | "resource";
  refId: number | bigint;
  threadId: number | bigint | null;
  createdAt: string | Date;
  threadTitle: string | null;
  threadSlug: string | null;
  threadKind: string | null;
  answered: number | bigint | null;
  accepted: number | bigint | null;
  authorName: string | null;
  authorHandle: string | null;
};

export type SearchResult = {
  kind: "thread" | "reply" | "resource";
  id: number;
  href: string;
  /** Title with the matched words in <mark>, HTML-escaped. */
  titleHtml: string;
  /** A passage with the matched words in <mark>, HTML-escaped. */
  snippetHtml: string;
  threadKind: string | null;
  answered: boolean;
  accepted: boolean;
  author: { name: string; handle: string } | null;
  createdAt: string;
  /** A private TARGET reply, shown only to those who may read it. */
  private?: boolean;
};

/**
 * How many of the newest matches a search ranks. Ranking every match of a
 * common word (most of the forum) costs hundreds of milliseconds; the newest
 * thousand are ranked in a few. Rarer words rank all their matches.
 */
export const SEARCH_CANDIDATES = 1000;

type Candidate = { rid: number | bigint; kind: string; refId: number | bigint; score: number; boost: number };

/** Search; `query` is null when nothing in what was typed can be searched. */
export async function search(viewer: Viewer, f: SearchFilters): Promise<{ results: SearchResult[]; query: string | null; hasMore: boolean }> {
  const fts = toFtsQuery(f.q);
  if (!fts) return { results: [], query: null, hasMore: false };
  const staff = !!viewer && isStaff(viewer.role);
  const conditions: Prisma.Sql[] = [Prisma.sql`"SearchIndex" MATCH ${fts}`];
  if (f.type === "threads") conditions.push(Prisma.sql`s."kind" = 'thread'`);
  if (f.type === "replies") conditions.push(Prisma.sql`s."kind" = 'reply'`);
  if (f.type === "resources") conditions.push(Prisma.sql`s."kind" = 'resource'`);
  // A private reply only for its readers: the asker, its author, moderators.
  if (!staff) {
    conditions.push(
      viewer ? Prisma.sql`(s."isPrivate" = 0 OR s."askerId" = ${viewer.id} OR s."authorId" = ${viewer.id})` : Prisma.sql`s."isPrivate" = 0`,
    );
  }
  const threadFilters = !!(f.kind || f.tag || f.libraryType || f.answered);
  if (f.kind) conditions.push(Prisma.sql`t."kind" = ${f.kind}`);
  if (f.answered) conditions.push(Prisma.sql`t."acceptedReplyId" IS NOT NULL AND t."kind" <> 'target'`);
  if (f.libraryType) conditions.push(Prisma.sql`(t."libraryTypes" = '' OR t."libraryTypes" LIKE ${`%${f.libraryType}%`})`);
  if (f.tag) {
    const ids = (await tagWithSynonyms(f.tag)) ?? [-1];
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "ThreadTag" tt WHERE tt."threadId" = s."threadId" AND tt."tagId" IN (${Prisma.join(ids)}))`);
  }
  if (f.author) {
    const author = await db.user.findUnique({ where: { handle: f.author }, select: { id: true } });
    conditions.push(Prisma.sql`s."authorId" = ${author?.id ?? -1}`);
  }
  if (f.from) conditions.push(Prisma.sql`s."createdAt" >= ${f.from.toISOString()}`);
  if (f.to) conditions.push(Prisma.sql`s."createdAt" <= ${f.to.toISOString()}`);

  // 1. The newest matches (rowid follows time), scored; the full-text index
  //    drives the join (CROSS JOIN keeps SQLite from reordering it).
  const join = threadFilters ? Prisma.sql`CROSS JOIN "Thread" t ON t."id" = s."threadId"` : Prisma.sql`LEFT JOIN "Thread" t ON t."id" = s."threadId"`;
  const candidates = await db.$queryRaw<Candidate[]>`
    SELECT s."rowid" AS "rid", s."kind", s."refId", bm25("SearchIndex", 10.0, 1.0) AS "score",
      (CASE WHEN s."kind" = 'reply' AND t."acceptedReplyId" = s."refId" THEN 1.6 WHEN t."kind" = 'hit' THEN 1.4 ELSE 1.0 END) AS "boost"
    FROM "SearchIndex" s ${join}
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY s."rowid" DESC
    LIMIT ${SEARCH_CANDIDATES}`;
  // bm25 is negative (more negative is better): a boost multiplies it.
  const ordered = f.sort === "newest" ? candidates : [...candidates].sort((a, b) => a.score * a.boost - b.score * b.boost);
  const offset = (f.page - 1) * SEARCH_PAGE_SIZE;
  const page = ordered.slice(offset, offset + SEARCH_PAGE_SIZE);
  if (!page.length) return { results: f.page === 1 ? await privateReplies(viewer, f, searchWords(f.q)) : [], query: fts, hasMore: false };

  // 2. Titles, passages and authors for this page only, by row id (no second search).
  const rows = await db.$queryRaw<(Row & { rid: number | bigint; title: string; body: string })[]>`
    SELECT s."rowid" AS "rid", s."kind", s."refId", s."threadId", s."createdAt", s."title", s."body",
      t."title" AS "threadTitle", t."slug" AS "threadSlug", t."kind" AS "threadKind",
      (t."acceptedReplyId" IS NOT NULL AND t."kind" <> 'target') AS "answered",
      (t."acceptedReplyId" = s."refId" AND s."kind" = 'reply' AND s."isPrivate" = 0) AS "accepted",
      u."displayName" AS "authorName", u."handle" AS "authorHandle"
    FROM "SearchIndex" s
    LEFT JOIN "Thread" t ON t."id" = s."threadId"
    LEFT JOIN "User" u ON u."id" = s."authorId"
    WHERE s."rowid" IN (${Prisma.join(page.map((c) => c.rid))})`;
  const words = searchWords(f.q);
  const byRid = new Map(rows.map((r) => [String(r.rid), r]));
  const results = page.flatMap((c) => {
    const r = byRid.get(String(c.rid));
    return r ? [toResult(r, words)] : [];
  });
  // The viewer's private TARGET replies (outside the index) lead the first page.
  const privateFirst = f.page === 1 ? await privateReplies(viewer, f, words) : [];
  return { results: [...privateFirst, ...results], query: fts, hasMore: ordered.length > offset + SEARCH_PAGE_SIZE };
}

/**
 * Private TARGET replies matching the search, for those who may read them:
 * the asker, the reply's author, moderators. They are kept out of the
 * full-text index (see the search_index migration), so they are matched here
 * word by word, newest first, a few at most.
 */
async function privateReplies(viewer: Viewer, f: SearchFilters, words: string[]): Promise<SearchResult[]> {
  const patterns = likePatterns(f.q);
  if (!viewer || !patterns || f.type === "threads" || f.type === "resources") return [];
  if ((f.kind && f.kind !== "target") || f.tag || f.libraryType || f.answered) return [];
  const may = isStaff(viewer.role) ? Prisma.empty : Prisma.sql`AND (t."authorId" = ${viewer.id} OR r."authorId" = ${viewer.id})`;
  const must = patterns.must.map((group) => Prisma.sql`(${Prisma.join(group.map((p) => Prisma.sql`r."bodySource" LIKE ${p} ESCAPE '\\'`), " OR ")})`);
  const not = patterns.not.map((p) => Prisma.sql`r."bodySource" NOT LIKE ${p} ESCAPE '\\'`);
  const author = f.author ? await db.user.findUnique({ where: { handle: f.author }, select: { id: true } }) : null;
  const rows = await db.$queryRaw<(Row & { title: string; body: string })[]>`
    SELECT 'reply' AS "kind", r."id" AS "refId", r."threadId", r."createdAt", '' AS "title", r."bodySource" AS "body",
      t."title" AS "threadTitle", t."slug" AS "threadSlug", t."kind" AS "threadKind", 0 AS "answered", 0 AS "accepted",
      u."displayName" AS "authorName", u."handle" AS "authorHandle"
    FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId" JOIN "User" u ON u."id" = r."authorId"
    WHERE r."isPrivate" = 1 AND r."deletedAt" IS NULL ${may}
      AND ${Prisma.join([...must, ...not], " AND ")}
      ${f.author ? Prisma.sql`AND r."authorId" = ${author?.id ?? -1}` : Prisma.empty}
      ${f.from ? Prisma.sql`AND r."createdAt" >= ${f.from.toISOString()}` : Prisma.empty}
      ${f.to ? Prisma.sql`AND r."createdAt" <= ${f.to.toISOString()}` : Prisma.empty}
    ORDER BY r."createdAt" DESC
    LIMIT 5`;
  return rows.map((r) => ({ ...toResult(r, words), private: true }));
}

function toResult(r: Row & { title: string; body: string }, words: string[]): SearchResult {
  const id = Number(r.refId);
  const threadId = r.threadId === null ? null : Number(r.threadId);
  const href = r.kind === "resource" ? `/resources/${id}` : r.kind === "reply" ? `/t/${threadId}/${r.threadSlug}#reply-${id}` : `/t/${threadId}/${r.threadSlug}`;
  return {
    kind: r.kind,
    id,
    href,
    titleHtml: r.kind === "reply" ? passageHtml(`Reply in: ${r.threadTitle ?? ""}`, words, 60, true) : passageHtml(r.title, words, 60, true),
    snippetHtml: passageHtml(r.body, words),
    threadKind: r.threadKind,
    answered: Boolean(r.answered),
    accepted: Boolean(r.accepted),
    author: r.kind === "resource" || !r.authorName ? null : { name: r.authorName, handle: r.authorHandle ?? "" },
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

/** Earlier threads whose titles match a title being typed: the "already asked?" list. */
export async function similarThreads(title: string, limit = 5) {
  // Any of the title's words may match; the best matches come first.
  const words = title
    .split(/\s+/)
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ""))
    .filter((w) => w.length > 2)
    .slice(0, 12);
  if (!words.length) return [];
  const fts = `"title" : (${words.map((w) => `"${w}"`).join(" OR ")})`;
  const rows = await db.$queryRaw<{ id: number | bigint; slug: string; title: string; kind: string; acceptedReplyId: number | null }[]>`
    SELECT t."id", t."slug", t."title", t."kind", t."acceptedReplyId"
    FROM "SearchIndex" s JOIN "Thread" t ON t."id" = s."refId"
    WHERE "SearchIndex" MATCH ${fts} AND s."kind" = 'thread'
    ORDER BY bm25("SearchIndex", 10.0, 1.0)
    LIMIT ${limit}`;
  return rows.map((t) => ({ id: Number(t.id), slug: t.slug, title: t.title, kind: t.kind, answered: t.acceptedReplyId !== null && t.kind !== "target" }));
}

/**
 * Refill the index from the tables (the triggers keep it current; this is for
 * an index that was damaged or restored from elsewhere). Returns the rows indexed.
 */
export async function rebuildSearchIndex(): Promise<number> {
  // The same row ids as the triggers (see the search_index migration): time-ordered, kind-tagged.
  const rowid = (alias: string, kind: number) =>
    `((COALESCE(CAST(strftime('%s', ${alias}."createdAt") AS INTEGER), 0) * 1048576 + ${alias}."id" % 1048576) * 4 + ${kind})`;
  const columns = `("rowid", "title", "body", "kind", "refId", "threadId", "isPrivate", "askerId", "authorId", "createdAt")`;
  await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`DELETE FROM "SearchIndex"`);
    await tx.$executeRawUnsafe(
      `INSERT INTO "SearchIndex" ${columns} SELECT ${rowid("th", 1)}, th."title", th."bodySource", 'thread', th."id", th."id", 0, th."authorId", th."authorId", th."createdAt" FROM "Thread" th`,
    );
    await tx.$executeRawUnsafe(
      `INSERT INTO "SearchIndex" ${columns} SELECT ${rowid("r", 2)}, '', r."bodySource", 'reply', r."id", r."threadId", r."isPrivate", t."authorId", r."authorId", r."createdAt"
       FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId" WHERE r."deletedAt" IS NULL AND r."isPrivate" = 0`,
    );
    await tx.$executeRawUnsafe(
      `INSERT INTO "SearchIndex" ${columns} SELECT ${rowid("re", 3)}, re."title", re."abstractSource" || ' ' || re."provider", 'resource', re."id", NULL, 0, NULL, re."submitterId", re."createdAt"
       FROM "Resource" re WHERE re."status" = 'approved'`,
    );
    await tx.$executeRawUnsafe(`INSERT INTO "SearchIndex" ("SearchIndex") VALUES ('optimize')`);
  });
  const rows = await db.$queryRaw<{ n: number | bigint }[]>`SELECT COUNT(*) AS "n" FROM "SearchIndex"`;
  return Number(rows[0]?.n ?? 0);
}
