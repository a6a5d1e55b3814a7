// Search on SQLite: FTS5 tables kept by triggers (migrations search_index,
// moderation and search_on_both_engines), scored by bm25. See
// search-backend.server.ts for what a backend does.
import { db, readQuery } from "~/db/client.server";
import { Prisma } from "~/generated/prisma/client";
import { toFtsQuery, type ParsedSearch } from "~/lib/search-query";
import type { Candidate, SearchBackend, SimilarThread } from "./search-backend.server";
import { publicReplySql, publicThreadSql } from "./visibility.server";

/** The key of a row, as the triggers compute it from createdAt (ISO text) and id. */
const rowid = (alias: string, kind: number) =>
  Prisma.raw(`((COALESCE(CAST(strftime('%s', ${alias}."createdAt") AS INTEGER), 0) * 1048576 + ${alias}."id" % 1048576) * 4 + ${kind})`);

export const sqliteSearch: SearchBackend = {
  key: (alias) => Prisma.raw(`${alias}."rowid"`),
  join: Prisma.sql`CROSS JOIN`,
  keyList: (keys) => Prisma.sql`json_each(${JSON.stringify(keys)}) j`,

  async candidates(query: ParsedSearch, joins: Prisma.Sql, where: Prisma.Sql[], limit: number): Promise<Candidate[]> {
    // bm25 with titles weighing ten times bodies; the full-text index drives the join.
    const rows = await readQuery<Candidate>(Prisma.sql`
      SELECT s."rowid" AS "rid", bm25("SearchIndex", 10.0, 1.0) AS "score" FROM "SearchIndex" s ${joins}
      WHERE ${Prisma.join([Prisma.sql`"SearchIndex" MATCH ${toFtsQuery(query)}`, ...where], " AND ")}
      ORDER BY s."rowid" DESC LIMIT ${limit}`);
    return rows.map((c) => ({ rid: Number(c.rid), score: Number(c.score) }));
  },

  privateMatch(query, readerId) {
    // Only the body is searched; `readers` holds "u<asker> u<author>" (see the migration).
    const body = toFtsQuery(query, "body");
    const match = readerId === null ? body : `${body} AND "readers" : "u${readerId}"`;
    return { from: Prisma.sql`"PrivateSearchIndex" p`, where: Prisma.sql`"PrivateSearchIndex" MATCH ${match}` };
  },

  async similarTitles(query, limit) {
    return readQuery<SimilarThread>(Prisma.sql`
      SELECT t."id", t."slug", t."title", t."kind", t."acceptedReplyId"
      FROM "SearchIndex" s CROSS JOIN "Thread" t ON t."id" = s."refId"
      WHERE "SearchIndex" MATCH ${toFtsQuery(query, "title")} AND s."rowid" % 4 = 1
      ORDER BY bm25("SearchIndex", 10.0, 1.0)
      LIMIT ${limit}`);
  },

  async rebuild() {
    const columns = Prisma.raw(`("rowid", "title", "body", "kind", "refId", "threadId", "isPrivate", "askerId", "authorId", "createdAt")`);
    const privateColumns = Prisma.raw(`("rowid", "body", "readers", "replyId", "threadId", "askerId", "authorId", "createdAt")`);
    // What everyone may find, by the visibility rule (the triggers hold the same rule).
    await db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`DELETE FROM "SearchIndex"`);
        await tx.$executeRaw`INSERT INTO "SearchIndex" ${columns} SELECT ${rowid("th", 1)}, th."title", th."bodySource", 'thread', th."id", th."id", 0, th."authorId", th."authorId", th."createdAt"
        FROM "Thread" th WHERE ${publicThreadSql("th")}`;
        await tx.$executeRaw`INSERT INTO "SearchIndex" ${columns} SELECT ${rowid("r", 2)}, '', r."bodySource", 'reply', r."id", r."threadId", r."isPrivate", t."authorId", r."authorId", r."createdAt"
        FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId" WHERE ${publicReplySql({ reply: "r", thread: "t" })}`;
        await tx.$executeRaw`INSERT INTO "SearchIndex" ${columns} SELECT ${rowid("re", 3)}, re."title", re."abstractSource" || ' ' || re."provider", 'resource', re."id", NULL, 0, NULL, re."submitterId", re."createdAt"
        FROM "Resource" re WHERE re."status" = 'approved'`;
        await tx.$executeRawUnsafe(`INSERT INTO "SearchIndex" ("SearchIndex") VALUES ('optimize')`);
        // Every private reply not removed; who may read it is decided when searching.
        await tx.$executeRawUnsafe(`DELETE FROM "PrivateSearchIndex"`);
        await tx.$executeRaw`INSERT INTO "PrivateSearchIndex" ${privateColumns} SELECT ${rowid("r", 2)}, r."bodySource", 'u' || t."authorId" || ' u' || r."authorId", r."id", r."threadId", t."authorId", r."authorId", r."createdAt"
        FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId" WHERE r."isPrivate" AND r."deletedAt" IS NULL`;
        await tx.$executeRawUnsafe(`INSERT INTO "PrivateSearchIndex" ("PrivateSearchIndex") VALUES ('optimize')`);
      },
      { maxWait: 10_000, timeout: 30 * 60_000 },
    );
    const rows = await db.$queryRaw<{ n: number | bigint }[]>`SELECT COUNT(*) AS "n" FROM "SearchIndex"`;
    return Number(rows[0]?.n ?? 0);
  },
};
