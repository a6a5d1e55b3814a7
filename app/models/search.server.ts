// Search: threads, replies and approved resources together or by type, with
// filters, ranked by relevance (titles weigh more than bodies; accepted
// answers and HITs rank up) or newest first, on either engine: the full-text
// index is SQLite FTS5 or PostgreSQL text search behind one small seam
// (search-backend.server.ts); the filters, ranking boosts, page cache,
// results and passages are written here, once. The TARGET rule holds here as
// everywhere: a private reply is found only by the asker, its author and
// moderators, through an index of its own that only their searches read.
import { replyHref } from "~/lib/links";
import { engine, readQuery } from "~/db/client.server";
import { readCache } from "~/db/read-cache.server";
import { isStaff, LIBRARY_TYPES, THREAD_KINDS, type LibraryType, type ThreadKind } from "~/lib/domain";
import { anyOf, parseSearch, passageHtml, searchWords, toFtsQuery, type ParsedSearch } from "~/lib/search-query";
import { textExcerpt } from "~/lib/html-text.server";
import { clip, dayParam } from "~/lib/validation";
import { Prisma } from "~/generated/prisma/client";
import type { Candidate, SearchBackend } from "./search-backend.server";
import { postgresSearch } from "./search-postgres.server";
import { sqliteSearch } from "./search-sqlite.server";
import { tagWithSynonyms } from "./tag.server";
import { replyReadableSql, type Viewer } from "./visibility.server";

/** The engine's full-text index. */
const backend = (): SearchBackend => (engine() === "postgres" ? postgresSearch : sqliteSearch);

export const SEARCH_TYPES = ["all", "threads", "replies", "resources"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];
export const SEARCH_PAGE_SIZE = 20;
/** Pages past this are not offered (the newest 1,000 matches are ranked: 50 pages of 20). */
const SEARCH_MAX_PAGE = 50;

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
    page: Number.isSafeInteger(page) && page > 1 && page <= SEARCH_MAX_PAGE ? page : 1,
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
/** How many private TARGET replies lead a reader's first page, at most. */
const PRIVATE_RESULTS = 5;
/** The most an accepted answer (1.6) or a HIT (1.4) is ranked up. */
const MAX_BOOST = 1.6;
const KIND_CODES = { thread: 1, reply: 2, resource: 3 } as const;
/** Index keys carry time (see search-backend.server.ts): seconds since 1970 × 2^22. */
const keyAt = (d: Date) => Math.floor(d.getTime() / 1000) * 4194304;

type IndexPage = { results: SearchResult[]; hasMore: boolean };

/** Search; `query` is null when nothing in what was typed can be searched. */
export async function search(viewer: Viewer, f: SearchFilters): Promise<{ results: SearchResult[]; query: string | null; hasMore: boolean }> {
  const parsed = parseSearch(f.q);
  if (!parsed) return { results: [], query: null, hasMore: false };
  // The query in one engine-neutral form (FTS5's syntax), for the cache key and callers.
  const query = toFtsQuery(parsed)!;
  const words = searchWords(parsed);
  // The index holds only what everyone may find (private replies are kept
  // out of it), so one page of it serves every viewer and can be cached.
  const [indexed, privateFirst] = await Promise.all([
    cachedIndexPage(query, parsed, f, words),
    // The viewer's own private TARGET replies (in an index of their own) lead the first page.
    f.page === 1 ? privateReplies(viewer, parsed, f, words) : Promise.resolve([]),
  ]);
  return { results: [...privateFirst, ...indexed.results], query, hasMore: indexed.hasMore };
}

// Recent result pages by query and filters, until the next committed write.
const indexPages = readCache<IndexPage>(500);

function cachedIndexPage(query: string, parsed: ParsedSearch, f: SearchFilters, words: string[]): Promise<IndexPage> {
  const key = JSON.stringify([query, words, f.type, f.kind, f.tag, f.libraryType, f.author, f.from, f.to, f.answered, f.sort, f.page]);
  return indexPages(key, () => indexPage(parsed, f, words));
}

const authorIdOf = async (handle: string) => (await readQuery<{ id: number }>(Prisma.sql`SELECT "id" FROM "User" WHERE "handle" = ${handle}`))[0]?.id ?? -1;

/**
 * The filters that concern the thread, for an index row whose thread is
 * aliased `t` (and whose "threadId" is `threadId`): kind, answered, library
 * type, tag (with its synonyms). Empty when none is asked for.
 */
async function threadConditions(f: SearchFilters, threadId: Prisma.Sql): Promise<Prisma.Sql[]> {
  const where: Prisma.Sql[] = [];
  if (f.kind) where.push(Prisma.sql`t."kind" = ${f.kind}`);
  if (f.answered) where.push(Prisma.sql`t."acceptedReplyId" IS NOT NULL AND t."kind" <> 'target'`);
  if (f.libraryType) where.push(Prisma.sql`(t."libraryTypes" = '' OR t."libraryTypes" LIKE ${`%${f.libraryType}%`})`);
  if (f.tag) {
    const ids = (await tagWithSynonyms(f.tag)) ?? [-1];
    where.push(Prisma.sql`EXISTS (SELECT 1 FROM "ThreadTag" tt WHERE tt."threadId" = ${threadId} AND tt."tagId" IN (${Prisma.join(ids)}))`);
  }
  return where;
}

/** Dates and author, for index rows with this key column and "authorId". */
async function rowConditions(f: SearchFilters, key: Prisma.Sql, authorId: Prisma.Sql): Promise<Prisma.Sql[]> {
  // Dates are read from the key, without touching stored columns.
  const where: Prisma.Sql[] = [];
  if (f.from) where.push(Prisma.sql`${key} >= ${keyAt(f.from)}`);
  if (f.to) where.push(Prisma.sql`${key} < ${keyAt(f.to) + 4194304}`);
  if (f.author) where.push(Prisma.sql`${authorId} = ${await authorIdOf(f.author)}`);
  return where;
}

async function indexPage(parsed: ParsedSearch, f: SearchFilters, words: string[]): Promise<IndexPage> {
  const b = backend();
  const key = b.key("s");
  const where = await rowConditions(f, key, Prisma.sql`s."authorId"`);
  // The kind is read from the key too.
  if (f.type !== "all") where.push(Prisma.sql`${key} % 4 = ${KIND_CODES[f.type === "threads" ? "thread" : f.type === "replies" ? "reply" : "resource"]}`);
  const threadWhere = await threadConditions(f, Prisma.sql`s."threadId"`);
  const joins = threadWhere.length ? Prisma.sql`${b.join} "Thread" t ON t."id" = s."threadId"` : Prisma.empty;

  // 1. The newest matches (keys follow time), scored with titles weighing
  //    ten times bodies.
  const candidates = await b.candidates(parsed, joins, [...where, ...threadWhere], SEARCH_CANDIDATES);
  const offset = (f.page - 1) * SEARCH_PAGE_SIZE;
  const ordered = f.sort === "newest" ? candidates : await rankWithBoosts(b, candidates, offset + SEARCH_PAGE_SIZE + 1);
  const page = ordered.slice(offset, offset + SEARCH_PAGE_SIZE);
  if (!page.length) return { results: [], hasMore: false };

  // 2. Titles, passages and authors for this page only, by key (no second search).
  //    Passages come from the rendered post, as readers see it (the index
  //    holds the Markdown source, whose ** and - markers a snippet must not show).
  const rows = await readQuery<Row & { rid: number; title: string; html: string | null }>(Prisma.sql`
    SELECT ${key} AS "rid", s."kind", s."refId", s."threadId", s."createdAt", s."title",
      CASE s."kind" WHEN 'thread' THEN t."bodyHtml" WHEN 'reply' THEN r."bodyHtml" ELSE res."abstractHtml" END AS "html",
      t."title" AS "threadTitle", t."slug" AS "threadSlug", t."kind" AS "threadKind",
      (t."acceptedReplyId" IS NOT NULL AND t."kind" <> 'target') AS "answered",
      (t."acceptedReplyId" = s."refId" AND s."kind" = 'reply') AS "accepted",
      u."displayName" AS "authorName", u."handle" AS "authorHandle"
    FROM ${b.keyList(page.map((c) => c.rid))} ${b.join} "SearchIndex" s ON ${key} = j."value"
    LEFT JOIN "Thread" t ON t."id" = s."threadId"
    LEFT JOIN "Reply" r ON s."kind" = 'reply' AND r."id" = s."refId"
    LEFT JOIN "Resource" res ON s."kind" = 'resource' AND res."id" = s."refId"
    LEFT JOIN "User" u ON u."id" = s."authorId"`);
  const byRid = new Map(rows.map((r) => [Number(r.rid), r]));
  const results = page.flatMap((c) => {
    const r = byRid.get(c.rid);
    return r ? [toResult(r, words)] : [];
  });
  return { results, hasMore: ordered.length > offset + SEARCH_PAGE_SIZE && f.page < SEARCH_MAX_PAGE };
}

/**
 * Candidates in relevance order: the engine's score (negative; more negative
 * is better) times a boost for accepted answers and HITs. Only a candidate
 * whose score, boosted the most, could still reach the first `needed` places
 * is looked up, so a common word's thousand candidates cost a few dozen lookups.
 */
async function rankWithBoosts(b: SearchBackend, candidates: Candidate[], needed: number): Promise<Candidate[]> {
  const byScore = [...candidates].sort((x, y) => x.score - y.score);
  const cutoff = byScore.length > needed ? byScore[needed - 1].score / MAX_BOOST : Infinity;
  const contenders = byScore.filter((c) => c.score <= cutoff);
  if (!contenders.length) return [];
  const key = b.key("s");
  const boosts = await readQuery<{ rid: number; boost: number }>(Prisma.sql`
    SELECT ${key} AS "rid",
      (CASE WHEN s."kind" = 'reply' AND t."acceptedReplyId" = s."refId" THEN 1.6 WHEN t."kind" = 'hit' THEN 1.4 ELSE 1.0 END) AS "boost"
    FROM ${b.keyList(contenders.map((c) => c.rid))} ${b.join} "SearchIndex" s ON ${key} = j."value" LEFT JOIN "Thread" t ON t."id" = s."threadId"`);
  const boostOf = new Map(boosts.map((x) => [Number(x.rid), Number(x.boost)]));
  return contenders.map((c) => ({ rid: c.rid, score: c.score * (boostOf.get(c.rid) ?? 1) })).sort((x, y) => x.score - y.score || y.rid - x.rid);
}

/**
 * Private TARGET replies matching the search, for those who may read them
 * (replyReadableSql: the asker, the reply's author, moderators; never in a
 * thread the viewer may not open, such as a deleted one), newest first, a few
 * at most. They are in an index of their own (never in the public one, whose
 * pages are cached and shared), which a member's search reads only for the
 * replies they are the asker or the author of; the same filters apply.
 */
async function privateReplies(viewer: Viewer, parsed: ParsedSearch, f: SearchFilters, words: string[]): Promise<SearchResult[]> {
  if (!viewer || f.type === "threads" || f.type === "resources") return [];
  // Only TARGETs have private replies, and a TARGET is never "answered".
  if ((f.kind && f.kind !== "target") || f.answered) return [];
  const b = backend();
  const staff = isStaff(viewer.role);
  const { from, where } = b.privateMatch(parsed, staff ? null : viewer.id);
  const conditions = [
    where,
    ...(await rowConditions(f, b.key("p"), Prisma.sql`p."authorId"`)),
    ...(await threadConditions(f, Prisma.sql`r."threadId"`)),
    Prisma.sql`r."isPrivate"`,
    replyReadableSql(viewer, { reply: "r", thread: "t" }),
  ];
  const rows = await readQuery<Row & { title: string; html: string | null }>(Prisma.sql`
    SELECT 'reply' AS "kind", r."id" AS "refId", r."threadId", r."createdAt", '' AS "title", r."bodyHtml" AS "html",
      t."title" AS "threadTitle", t."slug" AS "threadSlug", t."kind" AS "threadKind", NULL AS "answered", NULL AS "accepted",
      u."displayName" AS "authorName", u."handle" AS "authorHandle"
    FROM ${from} ${b.join} "Reply" r ON r."id" = p."replyId" ${b.join} "Thread" t ON t."id" = r."threadId" JOIN "User" u ON u."id" = r."authorId"
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ${b.key("p")} DESC
    LIMIT ${PRIVATE_RESULTS}`);
  return rows.map((r) => ({ ...toResult(r, words), private: true }));
}

/** A post's rendered HTML as the plain words a reader sees (whole: the passage is chosen around the first match). */
const plainText = (html: string | null) => (html ? textExcerpt(html, html.length + 1) : "");

function toResult(r: Row & { title: string; html: string | null }, words: string[]): SearchResult {
  const id = Number(r.refId);
  const threadId = r.threadId === null ? null : Number(r.threadId);
  const href =
    r.kind === "resource"
      ? `/resources/${id}`
      : r.kind === "reply"
        ? replyHref({ id: threadId!, slug: String(r.threadSlug) }, id)
        : `/t/${threadId}/${r.threadSlug}`;
  return {
    kind: r.kind,
    id,
    href,
    titleHtml: r.kind === "reply" ? passageHtml(`Reply in: ${r.threadTitle ?? ""}`, words, 60, true) : passageHtml(r.title, words, 60, true),
    snippetHtml: passageHtml(plainText(r.html), words),
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
  const query = anyOf(words);
  if (!query) return [];
  const rows = await backend().similarTitles(query, limit);
  return rows.map((t) => ({
    id: Number(t.id),
    slug: t.slug,
    title: t.title,
    kind: t.kind,
    answered: t.acceptedReplyId !== null && t.kind !== "target",
  }));
}

/**
 * Refill both indexes (public and private) from the tables: the triggers keep
 * them current; this is for an index that was damaged or restored from
 * elsewhere. Returns the rows of the public index.
 */
export function rebuildSearchIndex(): Promise<number> {
  return backend().rebuild();
}
