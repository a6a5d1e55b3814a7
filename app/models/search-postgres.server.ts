// Search on PostgreSQL: tsvector tables with GIN indexes kept by triggers
// (migration search_on_both_engines), the `paranet` text search configuration
// (accents folded, English stems, no stop words), scored by ts_rank_cd. See
// search-backend.server.ts for what a backend does.
import { db, readQuery } from "~/db/client.server";
import { Prisma } from "~/generated/prisma/client";
import { toTsQuery, type ParsedSearch } from "~/lib/search-query";
import type { Candidate, SearchBackend, SimilarThread } from "./search-backend.server";
import { publicReplySql, publicThreadSql } from "./visibility.server";

const tsquery = (q: string | null) => Prisma.sql`to_tsquery('paranet', ${q})`;

/**
 * Row `alias` matches the query. A query left with only exclusions (every
 * word it asked for held no lexeme, such as a lone symbol) would match nearly
 * every row without the index's help: it matches nothing instead, as on
 * SQLite. The second condition names no row, so it is checked once.
 */
const matches = (alias: "s" | "p", q: string | null) => Prisma.sql`${Prisma.raw(`${alias}."doc"`)} @@ ${tsquery(q)} AND querytree(${tsquery(q)}) <> 'T'`;

export const postgresSearch: SearchBackend = {
  key: (alias) => Prisma.raw(`${alias}."rid"`),
  join: Prisma.sql`JOIN`,
  keyList: (keys) => Prisma.sql`unnest(${keys}::bigint[]) AS j("value")`,

  async candidates(query: ParsedSearch, joins: Prisma.Sql, where: Prisma.Sql[], limit: number): Promise<Candidate[]> {
    const q = toTsQuery(query);
    // The newest matches first, then only they are ranked; ts_rank_cd's
    // default weights score a title (A) ten times a body (D). Negated, so a
    // lower score is better, as bm25's on SQLite.
    const rows = await readQuery<Candidate>(Prisma.sql`
      SELECT c."rid", -ts_rank_cd(c."doc", ${tsquery(q)}, 1) AS "score" FROM (
        SELECT s."rid", s."doc" FROM "SearchIndex" s ${joins}
        WHERE ${Prisma.join([matches("s", q), ...where], " AND ")}
        ORDER BY s."rid" DESC LIMIT ${limit}) c
      ORDER BY c."rid" DESC`);
    return rows.map((c) => ({ rid: Number(c.rid), score: Number(c.score) }));
  },

  privateMatch(query, readerId) {
    const match = matches("p", toTsQuery(query));
    return {
      from: Prisma.sql`"PrivateSearchIndex" p`,
      where: readerId === null ? match : Prisma.sql`${match} AND (p."askerId" = ${readerId} OR p."authorId" = ${readerId})`,
    };
  },

  async similarTitles(query, limit) {
    // Weight A: titles only.
    const q = toTsQuery(query, "A");
    return readQuery<SimilarThread>(Prisma.sql`
      SELECT t."id", t."slug", t."title", t."kind", t."acceptedReplyId"
      FROM "SearchIndex" s JOIN "Thread" t ON t."id" = s."refId"
      WHERE ${matches("s", q)} AND s."rid" % 4 = 1
      ORDER BY ts_rank_cd(s."doc", ${tsquery(q)}, 1) DESC, s."rid" DESC
      LIMIT ${limit}`);
  },

  async rebuild() {
    const columns = Prisma.raw(`("rid", "kind", "refId", "threadId", "authorId", "createdAt", "title", "body", "doc")`);
    // What everyone may find, by the visibility rule (the triggers hold the same rule).
    // DELETE, not TRUNCATE: searches go on reading the old rows until this commits.
    await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`DELETE FROM "SearchIndex"`;
        await tx.$executeRaw`INSERT INTO "SearchIndex" ${columns}
          SELECT search_rid(th."createdAt", th."id", 1), 'thread', th."id", th."id", th."authorId", th."createdAt", th."title", th."bodySource", search_doc(th."title", th."bodySource")
          FROM "Thread" th WHERE ${publicThreadSql("th")}`;
        await tx.$executeRaw`INSERT INTO "SearchIndex" ${columns}
          SELECT search_rid(r."createdAt", r."id", 2), 'reply', r."id", r."threadId", r."authorId", r."createdAt", '', r."bodySource", search_doc('', r."bodySource")
          FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId" WHERE ${publicReplySql({ reply: "r", thread: "t" })}`;
        await tx.$executeRaw`INSERT INTO "SearchIndex" ${columns}
          SELECT search_rid(re."createdAt", re."id", 3), 'resource', re."id", NULL, re."submitterId", re."createdAt", re."title",
            re."abstractSource" || ' ' || re."provider", search_doc(re."title", re."abstractSource" || ' ' || re."provider")
          FROM "Resource" re WHERE re."status" = 'approved'`;
        // Every private reply not removed; who may read it is decided when searching.
        await tx.$executeRaw`DELETE FROM "PrivateSearchIndex"`;
        await tx.$executeRaw`INSERT INTO "PrivateSearchIndex" ("rid", "replyId", "threadId", "askerId", "authorId", "createdAt", "body", "doc")
          SELECT search_rid(r."createdAt", r."id", 2), r."id", r."threadId", t."authorId", r."authorId", r."createdAt", r."bodySource", search_doc('', r."bodySource")
          FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId" WHERE r."isPrivate" AND r."deletedAt" IS NULL`;
      },
      { maxWait: 10_000, timeout: 30 * 60_000 },
    );
    const rows = await db.$queryRaw<{ n: number | bigint }[]>`SELECT COUNT(*) AS "n" FROM "SearchIndex"`;
    return Number(rows[0]?.n ?? 0);
  },
};
