// The seam between search (search.server.ts: filters, ranking boosts, the
// page cache, results, passages, the privacy rule) and the engine's full-text
// index: SQLite FTS5 (search-sqlite.server.ts) or PostgreSQL text search
// (search-postgres.server.ts). A backend only says how its index is matched,
// scored, keyed and refilled; everything else is written once.
//
// Both engines keep the same two indexes, filled by database triggers:
// - "SearchIndex" (aliased `s`): what everyone may find. Its rows are keyed by
//   a time-ordered, kind-tagged number (the key): ((seconds of createdAt ×
//   2^20) + id mod 2^20) × 4 + kind, kind 1 thread, 2 reply, 3 resource. Rows
//   have "kind", "refId", "threadId", "authorId", "createdAt", "title", "body".
// - "PrivateSearchIndex" (aliased `p`): private TARGET replies that are not
//   removed, keyed the same way, with "replyId", "askerId", "authorId".
import type { Prisma } from "~/generated/prisma/client";
import type { ParsedSearch } from "~/lib/search-query";

/** A match of the public index: its key and relevance (negative; lower is better, as bm25). */
export type Candidate = { rid: number; score: number };

export type SimilarThread = { id: number; slug: string; title: string; kind: string; acceptedReplyId: number | null };

export type SearchBackend = {
  /** The key column of the index row aliased `s` (public) or `p` (private). */
  key(alias: "s" | "p"): Prisma.Sql;
  /** The join that keeps the index driving the query (SQLite's CROSS JOIN, which its planner never reorders). */
  join: Prisma.Sql;
  /** The keys as a FROM item `j` with one column, "value". */
  keyList(keys: number[]): Prisma.Sql;
  /**
   * The newest `limit` rows of the public index (aliased `s`, with `join`ed
   * tables) that match the query and meet every condition of `where`, newest
   * first, with relevance scores (titles weigh ten times bodies).
   */
  candidates(query: ParsedSearch, joins: Prisma.Sql, where: Prisma.Sql[], limit: number): Promise<Candidate[]>;
  /**
   * The private index, aliased `p`, as a FROM item and the condition that
   * its row matches the query and, for a member (readerId), is a reply they
   * may be named a reader of: the thread's asker or the reply's author.
   * Moderators (null) are not limited; the visibility rule applies on top.
   */
  privateMatch(query: ParsedSearch, readerId: number | null): { from: Prisma.Sql; where: Prisma.Sql };
  /** Threads of the public index whose titles match the query, best first. */
  similarTitles(query: ParsedSearch, limit: number): Promise<SimilarThread[]>;
  /** Refill both indexes from the tables in one transaction; the number of public rows. */
  rebuild(): Promise<number>;
};
