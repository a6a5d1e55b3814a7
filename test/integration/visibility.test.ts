// Who sees what, through every door, for every combination: thread states
// (visible, held, hidden by flags, hidden by a moderator, deleted) × reply
// states (public, private TARGET reply, removed, hidden, held) × viewers
// (guest, an unrelated member, the asker, the replier, a moderator) ×
// channels (thread page, JSON API, search page and API, feeds, live sockets
// and their replay). One real server; the states are written to its database
// before it starts (and the deletions done by a moderator through the site),
// then every cell is checked against the rule as written in `expected` below.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveEvent } from "~/lib/live";
import { hashPassword } from "~/lib/password.server";
import { Visitor } from "../helpers/client";
import { execute, insertReturning, queryOne } from "../helpers/db";
import { connectLive, eventually, subscribed, type LiveTestClient } from "../helpers/live";
import { freshInstallation, startServer, type RunningServer } from "../helpers/server";
import type { TestDatabase } from "../setup/databases";

const THREAD_STATES = ["visible", "held", "flagged", "moderator", "deleted"] as const;
type ThreadState = (typeof THREAD_STATES)[number];
type ReplyState = "public" | "private" | "removed" | "private-removed" | "hidden" | "private-hidden" | "held";
const REPLIES_BY_KIND = { question: ["public", "removed", "hidden", "held"], target: ["private", "private-removed", "private-hidden"] } as const;
const VIEWERS = ["guest", "member", "asker", "replier", "moderator"] as const;
type ViewerName = (typeof VIEWERS)[number];
const PASSWORD = "correct horse battery";

type MThread = { id: number; slug: string; kind: "question" | "target"; state: ThreadState; word: string };
type MReply = { id: number; thread: MThread; state: ReplyState; code: string };

// ---- The rule, as the product states it (independent of the code under test).
function seesThread(v: ViewerName, t: MThread): boolean {
  if (t.state === "visible") return true;
  if (t.state === "deleted") return v === "moderator";
  return v === "asker" || v === "moderator";
}
function seesReply(v: ViewerName, r: MReply): boolean {
  if (!seesThread(v, r.thread)) return false;
  if ((r.state === "hidden" || r.state === "private-hidden" || r.state === "held") && v !== "replier" && v !== "moderator") return false;
  if (r.state.startsWith("private") && !["asker", "replier", "moderator"].includes(v)) return false;
  return true;
}
const removed = (r: MReply) => r.state === "removed" || r.state === "private-removed";
const readsReply = (v: ViewerName, r: MReply) => seesReply(v, r) && !removed(r);
/** Search finds what everyone may read, and the private TARGET replies the viewer may read. */
const findsReply = (v: ViewerName, r: MReply) => readsReply("guest", r) || (r.state.startsWith("private") && readsReply(v, r));

let server: RunningServer;
const visitors = {} as Record<ViewerName, Visitor>;
const threads: MThread[] = [];
const replies: MReply[] = [];
const clients: LiveTestClient[] = [];
/** Live events each viewer received during the second round of edits (after the states were set). */
const liveAfter = {} as Record<ViewerName, LiveEvent[]>;
let floor = 0;

const letters = (n: number) => String.fromCharCode(97 + Math.floor(n / 26)) + String.fromCharCode(97 + (n % 26));
const path = (t: MThread) => `/t/${t.id}/${t.slug}`;
const count = async (sql: string) => Number((await queryOne<{ n: number }>(server.database, sql)).n);

/** Members, threads and replies, all visible, straight into the server's database before it starts. */
async function seed(db: TestDatabase) {
  const hash = await hashPassword(PASSWORD);
  const now = new Date();
  const insert = async (sql: string, ...args: unknown[]) => (await insertReturning<{ id: number }>(db, sql, ...args)).id;
  const user = (...args: unknown[]) =>
    insert(
      `INSERT INTO "User" ("email", "handle", "displayName", "passwordHash", "role", "jobTitle", "worksite", "guidelinesAcceptedAt", "createdAt", "updatedAt")
       VALUES (?, ?, ?, ?, ?, 'Library Assistant', 'Oak School', ?, ?, ?) RETURNING "id"`,
      ...args,
    );
  const ids = {} as Record<Exclude<ViewerName, "guest">, number>;
  for (const v of ["member", "asker", "replier", "moderator"] as const) {
    ids[v] = await user(`vis-${v}@example.org`, `vis-${v}`, `Vis ${v}`, hash, v === "moderator" ? "moderator" : "member", now, now, now);
  }
  const tagId = await insert(`INSERT INTO "Tag" ("slug", "name", "createdAt") VALUES ('vis-topic', 'Visibility topic', ?) RETURNING "id"`, now);
  const thread = (...args: unknown[]) =>
    insert(
      `INSERT INTO "Thread" ("kind", "title", "slug", "bodySource", "bodyHtml", "rendererVersion", "authorId", "createdAt", "lastActivityAt")
       VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING "id"`,
      ...args,
    );
  const reply = (...args: unknown[]) =>
    insert(
      `INSERT INTO "Reply" ("threadId", "authorId", "bodySource", "bodyHtml", "rendererVersion", "isPrivate", "createdAt")
       VALUES (?, ?, ?, ?, 1, ?, ?) RETURNING "id"`,
      ...args,
    );
  let n = 0;
  for (const kind of ["question", "target"] as const) {
    for (const state of THREAD_STATES) {
      const word = `vistok${letters(threads.length)}`;
      const slug = `vis-${kind}-${state}`;
      const body = `Who has tried ${word}?`;
      const id = await thread(kind, `${kind} ${state} ${word}`, slug, body, `<p>${body}</p>`, ids.asker, now, now);
      await execute(db, `INSERT INTO "ThreadTag" ("threadId", "tagId") VALUES (?, ?)`, id, tagId);
      const t: MThread = { id, slug, kind, state, word };
      threads.push(t);
      for (const rstate of REPLIES_BY_KIND[kind]) {
        const code = `zqrep${letters(n++)}`;
        const text = `${word} ${code} as first posted`;
        const rid = await reply(id, ids.replier, text, `<p>${text}</p>`, kind === "target", now);
        replies.push({ id: rid, thread: t, state: rstate, code });
      }
    }
  }
}

/** The states other than "deleted" (done by a moderator through the site), straight into the database. */
async function applyStates() {
  const db = server.database;
  const now = new Date();
  for (const t of threads) {
    if (t.state !== "visible" && t.state !== "deleted")
      await execute(db, `UPDATE "Thread" SET "hiddenAt" = ?, "hiddenReason" = ? WHERE "id" = ?`, now, t.state, t.id);
  }
  for (const r of replies) {
    if (removed(r)) await execute(db, `UPDATE "Reply" SET "deletedAt" = ? WHERE "id" = ?`, now, r.id);
    if (r.state === "hidden" || r.state === "private-hidden")
      await execute(db, `UPDATE "Reply" SET "hiddenAt" = ?, "hiddenReason" = 'moderator' WHERE "id" = ?`, now, r.id);
    if (r.state === "held") await execute(db, `UPDATE "Reply" SET "hiddenAt" = ?, "hiddenReason" = 'held' WHERE "id" = ?`, now, r.id);
  }
}

/** A moderator edits replies through the site: each edit is a live event, sent to whoever the rule allows. */
async function moderatorEdits(which: MReply[], words: string) {
  for (const r of which) {
    const res = await visitors.moderator.post(path(r.thread), {
      intent: "edit-reply",
      replyId: String(r.id),
      body: `${r.thread.word} ${r.code} ${words}`,
      reason: "Tidying the wording",
    });
    expect(res.status, `edit of reply ${r.id}`).toBe(302);
  }
}

async function live(v: ViewerName): Promise<LiveTestClient> {
  const client = await connectLive(server.url, { visitor: v === "guest" ? undefined : visitors[v] });
  clients.push(client);
  await subscribed(client, () => threads.forEach((t) => client.watchThread(t.id, floor)));
  return client;
}

/** The replies whose words reached a viewer in these live events. */
function repliesWithWords(events: LiveEvent[], phrase?: string): Set<number> {
  const found = new Set<number>();
  for (const e of events) {
    if ((e.type === "reply.created" || e.type === "reply.edited") && e.reply.bodyHtml && (!phrase || e.reply.bodyHtml.includes(phrase))) found.add(e.reply.id);
  }
  return found;
}
const idsOf = (rows: MReply[]) => new Set(rows.map((r) => r.id));

beforeAll(async () => {
  const installation = await freshInstallation();
  await seed(installation.database);
  server = await startServer({ installation });
  for (const v of VIEWERS) {
    visitors[v] = new Visitor(server.url);
    if (v === "guest") continue;
    const res = await visitors[v].post("/login", { email: `vis-${v}@example.org`, password: PASSWORD });
    if (res.status !== 302) throw new Error(`login of ${v} failed: ${res.status}`);
  }
  floor = await count(`SELECT COALESCE(MAX("id"), 0) AS "n" FROM "LiveEvent"`);

  // 1. While everything is visible, every reply is edited once: live events
  //    stored for the rooms of that moment (what a later replay must re-judge).
  await moderatorEdits(replies, "as edited while visible");
  await eventually(async () => expect(await count(`SELECT COUNT(*) AS "n" FROM "LiveEvent" WHERE "type" = 'reply.edited'`)).toBe(replies.length), 10_000);

  // 2. The states: a moderator deletes the two "deleted" threads through the site; the rest go in directly.
  for (const t of threads.filter((x) => x.state === "deleted")) {
    const res = await visitors.moderator.post(path(t), { intent: "mod-delete", target: `thread:${t.id}`, reason: "Posted in error" });
    expect(res.status).toBe(200);
  }
  await applyStates();

  // 3. Live clients for every viewer, then a second round of edits (with the
  //    states in place), the last one on the reply everyone may see.
  const connected = await Promise.all(VIEWERS.map(async (v) => [v, await live(v)] as const));
  const marks = new Map(connected.map(([v, c]) => [v, c.events.length]));
  const sentinel = replies.find((r) => r.thread.state === "visible" && r.state === "public")!;
  await moderatorEdits([...replies.filter((r) => !removed(r) && r !== sentinel), sentinel], "as edited later");
  for (const [v, client] of connected) {
    await eventually(() => expect(repliesWithWords(client.events, "as edited later").has(sentinel.id)).toBe(true), 10_000);
    liveAfter[v] = client.events.slice(marks.get(v));
  }
}, 120_000);
afterAll(async () => {
  for (const c of clients) c.close();
  await server?.stop();
});

describe("the matrix", () => {
  it("covers every thread state, reply state and viewer", () => {
    expect(threads).toHaveLength(10);
    expect(new Set(replies.map((r) => `${r.thread.state}/${r.state}`)).size).toBe(5 * 7);
  });
});

describe.each(VIEWERS)("%s", (v) => {
  it("thread page: 200 or 404 as the rule says, with the words of exactly the replies they may read", async () => {
    for (const t of threads) {
      const page = await visitors[v].get(path(t));
      expect(page.status, `${t.kind} ${t.state}`).toBe(seesThread(v, t) ? 200 : 404);
      expect(page.body.includes(t.word), `${t.kind} ${t.state} title`).toBe(seesThread(v, t));
      for (const r of replies.filter((x) => x.thread === t)) expect(page.body.includes(r.code), `${t.state} thread, ${r.state} reply`).toBe(readsReply(v, r));
    }
  });

  it("JSON API /api/v1/threads/:id: 200 or 404, listing exactly the replies they may see, with words only where they may read them", async () => {
    for (const t of threads) {
      const res = await visitors[v].get(`/api/v1/threads/${t.id}`);
      expect(res.status, `${t.kind} ${t.state}`).toBe(seesThread(v, t) ? 200 : 404);
      const mine = replies.filter((x) => x.thread === t);
      for (const r of mine) expect(res.body.includes(r.code), `${t.state} thread, ${r.state} reply`).toBe(readsReply(v, r));
      if (res.status !== 200) continue;
      const listed = (JSON.parse(res.body) as { replies: { id: number; removed: boolean }[] }).replies;
      expect(new Set(listed.map((r) => r.id)), `${t.state} thread`).toEqual(idsOf(mine.filter((r) => seesReply(v, r))));
    }
  });

  it("search page and /api/v1/search: what everyone may read, plus the private replies they may read; never a deleted thread's", async () => {
    for (const t of threads) {
      const mine = replies.filter((x) => x.thread === t);
      const [page, api] = await Promise.all([visitors[v].get(`/search?q=${t.word}`), visitors[v].get(`/api/v1/search?q=${t.word}`)]);
      expect(page.status).toBe(200);
      expect(api.status).toBe(200);
      const results = (JSON.parse(api.body) as { results: { kind: string; id: number; href: string }[] }).results;
      expect(new Set(results.filter((x) => x.kind === "reply").map((x) => x.id)), `${t.kind} ${t.state}: API`).toEqual(
        idsOf(mine.filter((r) => findsReply(v, r))),
      );
      expect(
        results.some((x) => x.kind === "thread" && x.id === t.id),
        `${t.kind} ${t.state}: API thread`,
      ).toBe(t.state === "visible");
      for (const r of mine) {
        expect(page.body.includes(`#reply-${r.id}"`), `${t.state} thread, ${r.state} reply: page link`).toBe(findsReply(v, r));
        expect(page.body.includes(r.code) || api.body.includes(r.code), `${t.state} thread, ${r.state} reply: words`).toBe(findsReply(v, r));
      }
    }
  });

  it("feeds and the thread list: only the visible threads; a thread's own feed, only its public replies", async () => {
    for (const feed of ["/feeds/latest.rss", "/feeds/latest.atom", "/feeds/tags/vis-topic.rss"]) {
      const res = await visitors[v].get(feed);
      expect(res.status).toBe(200);
      for (const t of threads) expect(res.body.includes(t.word), `${feed}: ${t.kind} ${t.state}`).toBe(t.state === "visible");
      for (const r of replies) expect(res.body.includes(r.code), `${feed}: reply`).toBe(false);
    }
    // A thread's own feed: its replies as a guest reads them, whoever asks (a feed reader is no one).
    for (const t of threads) {
      const res = await visitors[v].get(`/feeds/threads/${t.id}.atom`);
      expect(res.status, `thread feed: ${t.kind} ${t.state}`).toBe(t.state === "visible" ? 200 : 404);
      for (const r of replies.filter((x) => x.thread === t))
        expect(res.body.includes(r.code), `thread feed: ${t.state} thread, ${r.state} reply`).toBe(readsReply("guest", r));
    }
    const list = JSON.parse((await visitors[v].get("/api/v1/threads")).body) as { threads: { id: number }[] };
    const ours = new Set(threads.map((t) => t.id));
    expect(new Set(list.threads.map((t) => t.id).filter((id) => ours.has(id)))).toEqual(new Set(threads.filter((t) => t.state === "visible").map((t) => t.id)));
  });

  it("live sockets: an edit made after the states were set reaches them only for the replies they may read", () => {
    expect(repliesWithWords(liveAfter[v], "as edited later")).toEqual(idsOf(replies.filter((r) => readsReply(v, r))));
    for (const r of replies.filter((x) => !readsReply(v, x))) expect(JSON.stringify(liveAfter[v]).includes(r.code), `${r.thread.state}/${r.state}`).toBe(false);
  });

  it("live replay after reconnecting: words only of the replies they may read now, whatever was sent while all was visible", async () => {
    const client = await live(v);
    const words = repliesWithWords(client.events);
    expect(words).toEqual(idsOf(replies.filter((r) => readsReply(v, r))));
    for (const r of replies.filter((x) => !readsReply(v, x)))
      expect(JSON.stringify(client.events).includes(r.code), `${r.thread.state}/${r.state}`).toBe(false);
  });
});
