// The visibility rule in its three forms — JS predicates, Prisma `where`
// builders, raw SQL fragments — judged on the same rows of a real database
// (SQLite or PostgreSQL), for every combination of thread state, reply state, reply author and
// viewer. They must agree with each other and with the rule as written in
// plain words below; and the search index (kept by triggers) must hold
// exactly what the public form selects.
import { beforeAll, describe, expect, it } from "vitest";
import { db, prepareDatabase } from "~/db/client.server";
import type { Role } from "~/lib/domain";
import type { Prisma } from "~/generated/prisma/client";
import { testEngine } from "../setup/databases";
import {
  canReadReply,
  canSeeReply,
  canSeeThread,
  namedReadersOf,
  publicReplySql,
  publicReplyWhere,
  publicThreadSql,
  publicThreadWhere,
  replyReadableSql,
  replyReadableWhere,
  replyVisibleSql,
  replyVisibleWhere,
  threadVisibleSql,
  threadVisibleWhere,
  type Viewer,
} from "~/models/visibility.server";

const HIDDEN = ["", "held", "flagged", "moderator", "deleted"] as const;
type Hidden = (typeof HIDDEN)[number];
type ThreadRow = { id: number; authorId: number; hiddenAt: Date | null; hiddenReason: string; state: Hidden; kind: string };
type ReplyRow = {
  id: number;
  threadId: number;
  authorId: number;
  isPrivate: boolean;
  hiddenAt: Date | null;
  hiddenReason: string;
  deletedAt: Date | null;
  state: Hidden;
};

const people: Record<"asker" | "replier" | "other" | "moderator" | "admin", { id: number; role: Role }> = {} as never;
let viewers: [string, Viewer][];
const threads: ThreadRow[] = [];
const replies: ReplyRow[] = [];

async function person(handle: string, role: Role) {
  const u = await db.user.create({ data: { email: `${handle}@example.org`, handle, displayName: handle, passwordHash: "x", role }, select: { id: true } });
  return { id: u.id, role };
}

beforeAll(async () => {
  await prepareDatabase();
  people.asker = await person("vis-asker", "member");
  people.replier = await person("vis-replier", "member");
  people.other = await person("vis-other", "member");
  people.moderator = await person("vis-moderator", "moderator");
  people.admin = await person("vis-admin", "admin");
  viewers = [["guest", null], ...Object.entries(people).map(([name, p]): [string, Viewer] => [name, p])];
  const at = new Date("2026-01-05T10:00:00Z");
  // Every thread state, as a question (public replies) and a TARGET (private replies).
  for (const kind of ["question", "target"]) {
    for (const state of HIDDEN) {
      const t = await db.thread.create({
        data: {
          kind,
          title: `Visibility ${kind} ${state || "visible"}`,
          slug: "v",
          bodySource: `matrixword thread ${kind} ${state}`,
          bodyHtml: "<p>x</p>",
          rendererVersion: 1,
          authorId: people.asker.id,
          createdAt: at,
          ...(state ? { hiddenAt: at, hiddenReason: state } : {}),
        },
        select: { id: true, authorId: true, hiddenAt: true, hiddenReason: true, kind: true },
      });
      threads.push({ ...t, state });
      // Every reply state, by the replier and by the asker, removed or not.
      for (const author of [people.replier, people.asker]) {
        for (const rstate of HIDDEN) {
          for (const removed of [false, true]) {
            const r = await db.reply.create({
              data: {
                threadId: t.id,
                authorId: author.id,
                bodySource: `matrixword reply ${rstate} ${removed}`,
                bodyHtml: "<p>x</p>",
                rendererVersion: 1,
                isPrivate: kind === "target",
                createdAt: at,
                ...(rstate ? { hiddenAt: at, hiddenReason: rstate } : {}),
                ...(removed ? { deletedAt: at } : {}),
              },
              select: { id: true, threadId: true, authorId: true, isPrivate: true, hiddenAt: true, hiddenReason: true, deletedAt: true },
            });
            replies.push({ ...r, state: rstate });
          }
        }
      }
    }
  }
});

// The rule in plain words, independent of the module under test.
function spec(viewer: Viewer, thread: ThreadRow, reply?: ReplyRow): boolean {
  const staff = viewer?.role === "moderator" || viewer?.role === "admin";
  const seesPost = (p: { authorId: number; state: Hidden }) => p.state === "" || staff || (viewer?.id === p.authorId && p.state !== "deleted");
  if (!seesPost(thread)) return false;
  if (!reply) return true;
  if (!seesPost(reply)) return false;
  return !reply.isPrivate || staff || viewer?.id === thread.authorId || viewer?.id === reply.authorId;
}

async function idsBySql(table: "Thread" | "Reply", condition: Prisma.Sql): Promise<Set<number>> {
  const rows =
    table === "Thread"
      ? await db.$queryRaw<{ id: number | bigint }[]>`SELECT t."id" FROM "Thread" t WHERE t."title" LIKE 'Visibility %' AND ${condition}`
      : await db.$queryRaw<{ id: number | bigint }[]>`
          SELECT r."id" FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId" WHERE t."title" LIKE 'Visibility %' AND ${condition}`;
  return new Set(rows.map((r) => Number(r.id)));
}

async function idsByWhere(where: { thread?: Prisma.ThreadWhereInput; reply?: Prisma.ReplyWhereInput }): Promise<Set<number>> {
  const rows = where.thread
    ? await db.thread.findMany({ where: { AND: [{ title: { startsWith: "Visibility " } }, where.thread] }, select: { id: true } })
    : await db.reply.findMany({ where: { AND: [{ thread: { title: { startsWith: "Visibility " } } }, where.reply!] }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

const threadOf = (r: ReplyRow) => threads.find((t) => t.id === r.threadId)!;
const ids = (rows: { id: number }[]) => new Set(rows.map((r) => r.id));

describe("one visibility rule in three forms", () => {
  it("covers every combination", () => {
    expect(threads).toHaveLength(10);
    expect(replies).toHaveLength(10 * 2 * 5 * 2);
    expect(viewers).toHaveLength(6);
  });

  it("threads: the predicate, the SQL fragment and the Prisma where agree with the rule for every viewer", async () => {
    for (const [name, viewer] of viewers) {
      const expected = ids(threads.filter((t) => spec(viewer, t)));
      expect(ids(threads.filter((t) => canSeeThread(viewer, t))), `canSeeThread, ${name}`).toEqual(expected);
      expect(await idsBySql("Thread", threadVisibleSql(viewer, "t")), `threadVisibleSql, ${name}`).toEqual(expected);
      expect(await idsByWhere({ thread: threadVisibleWhere(viewer) }), `threadVisibleWhere, ${name}`).toEqual(expected);
    }
    const visibleOnly = ids(threads.filter((t) => t.state === ""));
    expect(await idsBySql("Thread", publicThreadSql("t"))).toEqual(visibleOnly);
    expect(await idsByWhere({ thread: publicThreadWhere() })).toEqual(visibleOnly);
  });

  it("replies (seen, removed ones included): the three forms agree with the rule for every viewer", async () => {
    for (const [name, viewer] of viewers) {
      const expected = ids(replies.filter((r) => spec(viewer, threadOf(r), r)));
      expect(ids(replies.filter((r) => canSeeReply(viewer, r, threadOf(r)))), `canSeeReply, ${name}`).toEqual(expected);
      expect(await idsBySql("Reply", replyVisibleSql(viewer, { reply: "r", thread: "t" })), `replyVisibleSql, ${name}`).toEqual(expected);
      expect(await idsByWhere({ reply: replyVisibleWhere(viewer) }), `replyVisibleWhere, ${name}`).toEqual(expected);
    }
  });

  it("replies (words readable): the three forms agree, and leave removed replies out", async () => {
    for (const [name, viewer] of viewers) {
      const expected = ids(replies.filter((r) => r.deletedAt === null && spec(viewer, threadOf(r), r)));
      expect(ids(replies.filter((r) => canReadReply(viewer, r, threadOf(r)))), `canReadReply, ${name}`).toEqual(expected);
      expect(await idsBySql("Reply", replyReadableSql(viewer, { reply: "r", thread: "t" })), `replyReadableSql, ${name}`).toEqual(expected);
      expect(await idsByWhere({ reply: replyReadableWhere(viewer) }), `replyReadableWhere, ${name}`).toEqual(expected);
    }
    const publicOnes = ids(replies.filter((r) => r.deletedAt === null && spec(null, threadOf(r), r)));
    expect(await idsBySql("Reply", publicReplySql({ reply: "r", thread: "t" }))).toEqual(publicOnes);
    expect(await idsByWhere({ reply: publicReplyWhere() })).toEqual(publicOnes);
  });

  it("a deleted thread's private reply is for moderators only, not for the asker or the reply's author", () => {
    const deletedTarget = threads.find((t) => t.kind === "target" && t.state === "deleted")!;
    const reply = replies.find((r) => r.threadId === deletedTarget.id && r.authorId === people.replier.id && r.state === "" && !r.deletedAt)!;
    expect(canReadReply(people.replier, reply, deletedTarget)).toBe(false);
    expect(canReadReply(people.asker, reply, deletedTarget)).toBe(false);
    expect(canReadReply(people.moderator, reply, deletedTarget)).toBe(true);
  });

  it("names as a reply's live readers exactly the asker and author the rule lets see it", () => {
    for (const r of replies) {
      const t = threadOf(r);
      const expected = [...new Set([t.authorId, r.authorId])].filter((id) => spec({ id, role: "member" }, t, r));
      expect(namedReadersOf(r, t).sort(), `reply ${r.id}`).toEqual(expected.sort());
    }
  });

  it("the search index (kept by database triggers) holds exactly the threads and replies everyone may read", async () => {
    // The public index's own match: FTS5's MATCH on SQLite, the tsvector column on PostgreSQL.
    const indexed =
      testEngine() === "postgres"
        ? await db.$queryRaw<{ kind: string; refId: number | bigint }[]>`
            SELECT s."kind", s."refId" FROM "SearchIndex" s WHERE s."doc" @@ to_tsquery('paranet', 'matrixword')`
        : await db.$queryRaw<{ kind: string; refId: number | bigint }[]>`
            SELECT s."kind", s."refId" FROM "SearchIndex" s WHERE "SearchIndex" MATCH 'matrixword'`;
    const of = (kind: string) => new Set(indexed.filter((s) => s.kind === kind).map((s) => Number(s.refId)));
    expect(of("thread")).toEqual(await idsBySql("Thread", publicThreadSql("t")));
    expect(of("reply")).toEqual(await idsBySql("Reply", publicReplySql({ reply: "r", thread: "t" })));
  });

  it("refuses a table alias that is not a plain identifier (only values are parameters)", () => {
    expect(() => threadVisibleSql(null, 't" OR 1=1 --')).toThrow(/alias/);
    const sql = replyVisibleSql(people.other, { reply: "r", thread: "t" });
    expect(sql.values).toEqual([people.other.id, people.other.id, people.other.id, people.other.id]);
    expect(sql.sql).not.toContain(String(people.other.id));
  });
});
