// Search over the FTS5 index (see the search_index migration): threads,
// replies and approved resources together or by type, with filters, ranked
// by bm25 (titles weigh more than bodies; accepted answers and HITs rank up)
// or newest first. The TARGET rule holds here as everywhere: a private reply
// is found only by the asker, its author and moderators.
import { dataVersion, db, readQuery } from "~/db/client.server";
import { LIBRARY_TYPES, THREAD_KINDS, type LibraryType, type ThreadKind } from "~/lib/domain";
import { likePatterns, passageHtml, searchWords, toFtsQuery } from "~/lib/search-query";
import { clip, dayParam } from "~/lib/validation";
import { Prisma } from "~/generated/prisma/client";
import { tagWithSynonyms } from "./tag.server";
import { publicReplySql, publicThreadSql, replyReadableSql, type Viewer } from "./visibility.server";

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
    from: dayParam(p.get("from"), false),
    to: dayParam(p.get("to"), true),
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
/** The most an accepted answer (1.6) or a HIT (1.4) is ranked up. */
const MAX_BOOST = 1.6;
const KIND_CODES = { thread: 1, reply: 2, resource: 3 } as const;
/** Row ids carry time (see the search_index migration): seconds since 1970 × 2^22. */
const rowidAt = (d: Date) => Math.floor(d.getTime() / 1000) * 4194304;

type IndexPage = { results: SearchResult[]; hasMore: boolean };
type Candidate = { rid: number; score: number };

/** Search; `query` is null when nothing in what was typed can be searched. */
export async function search(viewer: Viewer, f: SearchFilters): Promise<{ results: SearchResult[]; query: string | null; hasMore: boolean }> {
  const fts = toFtsQuery(f.q);
  if (!fts) return { results: [], query: null, hasMore: false };
  const words = searchWords(f.q);
  // The index holds only what everyone may find (private replies are kept
  // out of it), so one page of it serves every viewer and can be cached.
  const indexed = await cachedIndexPage(fts, f, words);
  // The viewer's own private TARGET replies (outside the index) lead the first page.
  const privateFirst = f.page === 1 ? await privateReplies(viewer, f, words) : [];
  return { results: [...privateFirst, ...indexed.results], query: fts, hasMore: indexed.hasMore };
}

// Recent result pages by query and filters. Any write to the database, from
// this process or another, changes SQLite's data_version and empties it, so a
// cached page is never older than the last committed write.
const pageCache = new Map<string, IndexPage>();
const PAGE_CACHE_SIZE = 500;
let pageCacheVersion: unknown = null;

async function cachedIndexPage(fts: string, f: SearchFilters, words: string[]): Promise<IndexPage> {
  const version = await dataVersion();
  if (version !== pageCacheVersion) {
    pageCache.clear();
    pageCacheVersion = version;
  }
  const key = JSON.stringify([fts, words, f.type, f.kind, f.tag, f.libraryType, f.author, f.from, f.to, f.answered, f.sort, f.page]);
  const hit = pageCache.get(key);
  if (hit) {
    pageCache.delete(key); // most recently used last
    pageCache.set(key, hit);
    return hit;
  }
  const page = await indexPage(fts, f, words);
  if (pageCache.size >= PAGE_CACHE_SIZE) pageCache.delete(pageCache.keys().next().value as string);
  pageCache.set(key, page);
  return page;
}

async function indexPage(fts: string, f: SearchFilters, words: string[]): Promise<IndexPage> {
  const where: Prisma.Sql[] = [Prisma.sql`"SearchIndex" MATCH ${fts}`];
  // Kind and dates are read from the row id, without touching stored columns.
  if (f.type !== "all") where.push(Prisma.sql`s."rowid" % 4 = ${KIND_CODES[f.type === "threads" ? "thread" : f.type === "replies" ? "reply" : "resource"]}`);
  if (f.from) where.push(Prisma.sql`s."rowid" >= ${rowidAt(f.from)}`);
  if (f.to) where.push(Prisma.sql`s."rowid" < ${rowidAt(f.to) + 4194304}`);
  if (f.author) {
    const [author] = await readQuery<{ id: number }>(Prisma.sql`SELECT "id" FROM "User" WHERE "handle" = ${f.author}`);
    where.push(Prisma.sql`s."authorId" = ${author?.id ?? -1}`);
  }
  const threadFilters = !!(f.kind || f.tag || f.libraryType || f.answered);
  if (f.kind) where.push(Prisma.sql`t."kind" = ${f.kind}`);
  if (f.answered) where.push(Prisma.sql`t."acceptedReplyId" IS NOT NULL AND t."kind" <> 'target'`);
  if (f.libraryType) where.push(Prisma.sql`(t."libraryTypes" = '' OR t."libraryTypes" LIKE ${`%${f.libraryType}%`})`);
  if (f.tag) {
    const ids = (await tagWithSynonyms(f.tag)) ?? [-1];
    where.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "ThreadTag" tt WHERE tt."threadId" = s."threadId" AND tt."tagId" IN (SELECT "value" FROM json_each(${JSON.stringify(ids)})))`,
    );
  }

  // 1. The newest matches (row ids follow time), scored by bm25 with titles
  //    weighing ten times bodies. The full-text index drives the join (CROSS
  //    JOIN keeps SQLite from reordering it).
  const join = threadFilters ? Prisma.sql`CROSS JOIN "Thread" t ON t."id" = s."threadId"` : Prisma.empty;
  const candidates = (
    await readQuery<Candidate>(Prisma.sql`
      SELECT s."rowid" AS "rid", bm25("SearchIndex", 10.0, 1.0) AS "score" FROM "SearchIndex" s ${join}
      WHERE ${Prisma.join(where, " AND ")} ORDER BY s."rowid" DESC LIMIT ${SEARCH_CANDIDATES}`)
  ).map((c) => ({ rid: Number(c.rid), score: Number(c.score) }));
  const offset = (f.page - 1) * SEARCH_PAGE_SIZE;
  const ordered = f.sort === "newest" ? candidates : await rankWithBoosts(candidates, offset + SEARCH_PAGE_SIZE + 1);
  const page = ordered.slice(offset, offset + SEARCH_PAGE_SIZE);
  if (!page.length) return { results: [], hasMore: false };

  // 2. Titles, passages and authors for this page only, by row id (no second search).
  const rows = await readQuery<Row & { rid: number; title: string; body: string }>(Prisma.sql`
    SELECT s."rowid" AS "rid", s."kind", s."refId", s."threadId", s."createdAt", s."title", s."body",
      t."title" AS "threadTitle", t."slug" AS "threadSlug", t."kind" AS "threadKind",
      (t."acceptedReplyId" IS NOT NULL AND t."kind" <> 'target') AS "answered",
      (t."acceptedReplyId" = s."refId" AND s."kind" = 'reply') AS "accepted",
      u."displayName" AS "authorName", u."handle" AS "authorHandle"
    FROM json_each(${JSON.stringify(page.map((c) => c.rid))}) j CROSS JOIN "SearchIndex" s ON s."rowid" = j."value"
    LEFT JOIN "Thread" t ON t."id" = s."threadId"
    LEFT JOIN "User" u ON u."id" = s."authorId"`);
  const byRid = new Map(rows.map((r) => [Number(r.rid), r]));
  const results = page.flatMap((c) => {
    const r = byRid.get(c.rid);
    return r ? [toResult(r, words)] : [];
  });
  return { results, hasMore: ordered.length > offset + SEARCH_PAGE_SIZE };
}

/**
 * Candidates in relevance order: bm25 (negative; more negative is better)
 * times a boost for accepted answers and HITs. Only a candidate whose score,
 * boosted the most, could still reach the first `needed` places is looked up,
 * so a common word's thousand candidates cost a few dozen lookups.
 */
async function rankWithBoosts(candidates: Candidate[], needed: number): Promise<Candidate[]> {
  const byScore = [...candidates].sort((a, b) => a.score - b.score);
  const cutoff = byScore.length > needed ? byScore[needed - 1].score / MAX_BOOST : Infinity;
  const contenders = byScore.filter((c) => c.score <= cutoff);
  const boosts = await readQuery<{ rid: number; boost: number }>(Prisma.sql`
    SELECT s."rowid" AS "rid",
      (CASE WHEN s."kind" = 'reply' AND t."acceptedReplyId" = s."refId" THEN 1.6 WHEN t."kind" = 'hit' THEN 1.4 ELSE 1.0 END) AS "boost"
    FROM json_each(${JSON.stringify(contenders.map((c) => c.rid))}) j CROSS JOIN "SearchIndex" s ON s."rowid" = j."value" LEFT JOIN "Thread" t ON t."id" = s."threadId"`);
  const boostOf = new Map(boosts.map((b) => [Number(b.rid), Number(b.boost)]));
  return contenders.map((c) => ({ rid: c.rid, score: c.score * (boostOf.get(c.rid) ?? 1) })).sort((a, b) => a.score - b.score || b.rid - a.rid);
}

/**
 * Private TARGET replies matching the search, for those who may read them
 * (replyReadableSql: the asker, the reply's author, moderators; never in a
 * thread the viewer may not open, such as a deleted one). They are kept out of the
 * full-text index (see the search_index migration), so they are matched here
 * word by word, newest first, a few at most.
 */
async function privateReplies(viewer: Viewer, f: SearchFilters, words: string[]): Promise<SearchResult[]> {
  const patterns = likePatterns(f.q);
  if (!viewer || !patterns || f.type === "threads" || f.type === "resources") return [];
  if ((f.kind && f.kind !== "target") || f.tag || f.libraryType || f.answered) return [];
  const must = patterns.must.map(
    (group) =>
      Prisma.sql`(${Prisma.join(
        group.map((p) => Prisma.sql`r."bodySource" LIKE ${p} ESCAPE '\\'`),
        " OR ",
      )})`,
  );
  const not = patterns.not.map((p) => Prisma.sql`r."bodySource" NOT LIKE ${p} ESCAPE '\\'`);
  const author = f.author ? await db.user.findUnique({ where: { handle: f.author }, select: { id: true } }) : null;
  const rows = await db.$queryRaw<(Row & { title: string; body: string })[]>`
    SELECT 'reply' AS "kind", r."id" AS "refId", r."threadId", r."createdAt", '' AS "title", r."bodySource" AS "body",
      t."title" AS "threadTitle", t."slug" AS "threadSlug", t."kind" AS "threadKind", 0 AS "answered", 0 AS "accepted",
      u."displayName" AS "authorName", u."handle" AS "authorHandle"
    FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId" JOIN "User" u ON u."id" = r."authorId"
    WHERE r."isPrivate" AND ${replyReadableSql(viewer, { reply: "r", thread: "t" })}
      AND ${Prisma.join([...must, ...not], " AND ")}
      ${f.author ? Prisma.sql`AND r."authorId" = ${author?.id ?? -1}` : Prisma.empty}
      ${f.from ? Prisma.sql`AND r."createdAt" >= ${f.from}` : Prisma.empty}
      ${f.to ? Prisma.sql`AND r."createdAt" <= ${f.to}` : Prisma.empty}
    ORDER BY r."createdAt" DESC
    LIMIT 5`;
  return rows.map((r) => ({ ...toResult(r, words), private: true }));
}

function toResult(r: Row & { title: string; body: string }, words: string[]): SearchResult {
  const id = Number(r.refId);
  const threadId = r.threadId === null ? null : Number(r.threadId);
  const href =
    r.kind === "resource" ? `/resources/${id}` : r.kind === "reply" ? `/t/${threadId}/${r.threadSlug}#reply-${id}` : `/t/${threadId}/${r.threadSlug}`;
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
  const rows = await readQuery<{ id: number; slug: string; title: string; kind: string; acceptedReplyId: number | null }>(Prisma.sql`
    SELECT t."id", t."slug", t."title", t."kind", t."acceptedReplyId"
    FROM "SearchIndex" s JOIN "Thread" t ON t."id" = s."refId"
    WHERE "SearchIndex" MATCH ${fts} AND s."rowid" % 4 = 1
    ORDER BY bm25("SearchIndex", 10.0, 1.0)
    LIMIT ${limit}`);
  return rows.map((t) => ({ id: Number(t.id), slug: t.slug, title: t.title, kind: t.kind, answered: t.acceptedReplyId !== null && t.kind !== "target" }));
}

/**
 * Refill the index from the tables (the triggers keep it current; this is for
 * an index that was damaged or restored from elsewhere). Returns the rows indexed.
 */
export async function rebuildSearchIndex(): Promise<number> {
  // The same row ids as the triggers (see the search_index migration): time-ordered, kind-tagged.
  const rowid = (alias: string, kind: number) =>
    Prisma.raw(`((COALESCE(CAST(strftime('%s', ${alias}."createdAt") AS INTEGER), 0) * 1048576 + ${alias}."id" % 1048576) * 4 + ${kind})`);
  const columns = Prisma.raw(`("rowid", "title", "body", "kind", "refId", "threadId", "isPrivate", "askerId", "authorId", "createdAt")`);
  // What everyone may find, by the visibility rule (the search_index triggers hold the same rule).
  await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`DELETE FROM "SearchIndex"`);
    await tx.$executeRaw`INSERT INTO "SearchIndex" ${columns} SELECT ${rowid("th", 1)}, th."title", th."bodySource", 'thread', th."id", th."id", 0, th."authorId", th."authorId", th."createdAt"
      FROM "Thread" th WHERE ${publicThreadSql("th")}`;
    await tx.$executeRaw`INSERT INTO "SearchIndex" ${columns} SELECT ${rowid("r", 2)}, '', r."bodySource", 'reply', r."id", r."threadId", r."isPrivate", t."authorId", r."authorId", r."createdAt"
      FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId" WHERE ${publicReplySql({ reply: "r", thread: "t" })}`;
    await tx.$executeRaw`INSERT INTO "SearchIndex" ${columns} SELECT ${rowid("re", 3)}, re."title", re."abstractSource" || ' ' || re."provider", 'resource', re."id", NULL, 0, NULL, re."submitterId", re."createdAt"
      FROM "Resource" re WHERE re."status" = 'approved'`;
    await tx.$executeRawUnsafe(`INSERT INTO "SearchIndex" ("SearchIndex") VALUES ('optimize')`);
  });
  const rows = await db.$queryRaw<{ n: number | bigint }[]>`SELECT COUNT(*) AS "n" FROM "SearchIndex"`;
  return Number(rows[0]?.n ?? 0);
}
