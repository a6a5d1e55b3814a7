// Domain events survive a crash (decision 0010): real server processes,
// killed with SIGKILL between commit and delivery and in the middle of
// delivering a burst, then restarted on the same database; and two processes
// sharing one database file, where each event is delivered by exactly one.
// Every follower ends with exactly one notification, one list mail job and
// one live event per reply: nothing lost, nothing twice.
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { aMember, join, Visitor } from "../helpers/client";
import { connectLive, eventually, subscribed, type LiveTestClient } from "../helpers/live";
import { freshDataDir, startServer, type RunningServer } from "../helpers/server";

const running: RunningServer[] = [];
const clients: LiveTestClient[] = [];
afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all(running.map((s) => s.stop("SIGKILL")));
});

async function start(dataDir: string, env: Record<string, string> = {}) {
  const server = await startServer({ dataDir, env });
  running.push(server);
  return server;
}
async function kill(server: RunningServer) {
  await server.stop("SIGKILL");
  running.splice(running.indexOf(server), 1);
}

function sql<T>(dbPath: string, query: string, ...params: unknown[]): T[] {
  const d = new Database(dbPath, { readonly: true });
  try {
    return d.prepare(query).all(...params) as T[];
  } finally {
    d.close();
  }
}
const one = (dbPath: string, query: string, ...params: unknown[]) =>
  Number(Object.values(sql<Record<string, unknown>>(dbPath, query, ...params)[0] ?? { n: 0 })[0]);

/** Waits until every shared subscriber has handled every event (the notifier's own notification.created included). */
async function delivered(server: RunningServer, timeoutMs = 20_000) {
  await eventuallyAsync(async () => {
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { events: { behind: number } };
    if (health.events.behind !== 0) throw new Error(`${health.events.behind} events not yet delivered`);
  }, timeoutMs);
}
async function eventuallyAsync(check: () => Promise<void>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

type Community = { asker: Visitor; helper: Visitor; followers: { visitor: Visitor; id: number }[]; askerId: number; thread: { id: number; path: string } };

/** An asker with a thread, a helper, and followers of the thread; the first follower reads every post by mail. */
async function community(server: RunningServer, name: string, followerCount = 3): Promise<Community> {
  const asker = new Visitor(server.url);
  const helper = new Visitor(server.url);
  await join(asker, aMember(`${name}-asker`));
  await join(helper, aMember(`${name}-helper`));
  const tagId = String(one(server.dbPath, `SELECT id FROM Tag LIMIT 1`));
  const res = await asker.post("/threads/new", {
    title: `${name}: what do your volunteers shelve?`,
    body: "Asking for a friend.",
    kind: "question",
    tagIds: tagId,
  });
  expect(res.status).toBe(302);
  const thread = { id: Number(res.location!.split("/")[2]), path: res.location! };
  const followers = [];
  for (let i = 0; i < followerCount; i++) {
    const visitor = new Visitor(server.url);
    const handle = `${name}-follower${i}`;
    await join(visitor, aMember(handle, { handle }));
    expect((await visitor.post(thread.path, { intent: "follow" })).status).toBeLessThan(400);
    if (i === 0) expect((await visitor.post("/me/settings/email", { mode: "every", notifications: "on", vacationUntil: "" })).status).toBeLessThan(400);
    followers.push({ visitor, id: one(server.dbPath, `SELECT id FROM User WHERE handle = ?`, handle) });
  }
  // Mailing-list mode needs a confirmed address (the confirmation link itself is tested in mail.test.ts).
  const d = new Database(server.dbPath);
  d.prepare(`UPDATE User SET emailVerifiedAt = ? WHERE id = ?`).run(new Date().toISOString(), followers[0]!.id);
  d.close();
  const askerId = one(server.dbPath, `SELECT authorId FROM Thread WHERE id = ?`, thread.id);
  return { asker, helper, followers, askerId, thread };
}

async function reply(visitor: Visitor, path: string, body: string): Promise<number> {
  const res = await visitor.post(path, { intent: "reply", body });
  if (res.status !== 302) throw new Error(`replying failed: ${res.status}`);
  return Number(/#reply-(\d+)$/.exec(res.location!)![1]);
}

/** For every reply: who was notified, how often; list mail jobs; stored live events. */
function outcomes(dbPath: string, c: Community, replyIds: number[]) {
  return replyIds.map((replyId) => ({
    replyId,
    asker: one(dbPath, `SELECT COUNT(*) FROM Notification WHERE replyId = ? AND userId = ?`, replyId, c.askerId),
    followers: c.followers.map((f) => one(dbPath, `SELECT COUNT(*) FROM Notification WHERE replyId = ? AND userId = ?`, replyId, f.id)),
    listMail: one(dbPath, `SELECT COUNT(*) FROM MailJob WHERE key = ?`, `post:reply:${replyId}:${c.followers[0]!.id}`),
    otherMail: one(
      dbPath,
      `SELECT COUNT(*) FROM MailJob WHERE key LIKE ? AND key <> ?`,
      `post:reply:${replyId}:%`,
      `post:reply:${replyId}:${c.followers[0]!.id}`,
    ),
    liveEvents: one(dbPath, `SELECT COUNT(*) FROM LiveEvent WHERE type = 'reply.created' AND json_extract(payload, '$.replyId') = ?`, replyId),
  }));
}
const once = (c: Community) => ({ asker: 1, followers: c.followers.map(() => 1), listMail: 1, otherMail: 0, liveEvents: 1 });

describe("a crash between commit and delivery", () => {
  it("delivers a committed reply after a restart: each follower is notified once, mailed once, and the live event is sent once", async () => {
    const dataDir = freshDataDir();
    // The process records events but delivers none: as if it died right after the commit.
    const first = await start(dataDir, { TEST_ONLY_PAUSE_EVENT_DELIVERY: "1" });
    const c = await community(first, "crash");
    const replyId = await reply(c.helper, c.thread.path, "CRASH-SURVIVOR: we shelve by colour on Fridays.");
    expect(one(first.dbPath, `SELECT COUNT(*) FROM OutboxEvent WHERE type = 'reply.created' AND json_extract(payload, '$.replyId') = ?`, replyId)).toBe(1);
    expect(outcomes(first.dbPath, c, [replyId])).toEqual([
      { replyId, asker: 0, followers: c.followers.map(() => 0), listMail: 0, otherMail: 0, liveEvents: 0 },
    ]);
    await kill(first);

    const second = await start(dataDir);
    const askerAgain = new Visitor(second.url);
    askerAgain.cookieHeader = () => c.asker.cookieHeader();
    const live = await connectLive(second.url, { visitor: askerAgain });
    clients.push(live);
    await subscribed(live, () => live.watchThread(c.thread.id, 0));
    await delivered(second);
    expect(outcomes(second.dbPath, c, [replyId])).toEqual([{ replyId, ...once(c) }]);
    expect(one(second.dbPath, `SELECT COUNT(*) FROM Notification WHERE replyId = ? AND sourceEventId IS NOT NULL`, replyId)).toBe(1 + c.followers.length);
    await eventually(() => expect(live.events.filter((e) => e.type === "reply.created" && e.reply.id === replyId)).toHaveLength(1));
    expect(JSON.stringify(live.events)).toContain("CRASH-SURVIVOR");
  });

  it("loses nothing and doubles nothing when killed in the middle of delivering a burst", async () => {
    const dataDir = freshDataDir();
    const first = await start(dataDir);
    const c = await community(first, "burst");
    const before = one(first.dbPath, `SELECT COUNT(*) FROM Notification`);
    // Settled as they go: the kill makes the unanswered ones fail.
    const posts = Promise.allSettled(Array.from({ length: 40 }, (_, i) => reply(c.helper, c.thread.path, `Burst answer ${i}`)));
    // Kill as soon as delivery of the burst has begun.
    await eventuallyAsync(async () => {
      if (one(first.dbPath, `SELECT COUNT(*) FROM Notification`) <= before) throw new Error("no delivery yet");
    }, 20_000);
    await kill(first);
    const acknowledged = (await posts).flatMap((p) => (p.status === "fulfilled" ? [p.value] : []));
    const committed = sql<{ id: number }>(first.dbPath, `SELECT id FROM Reply WHERE threadId = ? ORDER BY id`, c.thread.id).map((r) => r.id);
    expect(committed.length).toBeGreaterThan(0);
    for (const id of acknowledged) expect(committed).toContain(id);
    // The kill did land mid-way: some committed events were not delivered yet.
    const undelivered = one(first.dbPath, `SELECT (SELECT MAX(id) FROM OutboxEvent) - (SELECT MIN(lastEventId) FROM OutboxCursor)`);
    expect(undelivered).toBeGreaterThan(0);

    const second = await start(dataDir);
    await delivered(second, 30_000);
    const all = outcomes(second.dbPath, c, committed);
    expect(all).toEqual(committed.map((replyId) => ({ replyId, ...once(c) })));
  });
});

describe("two processes on one database file", () => {
  it("delivers each event to each shared subscriber exactly once, whichever process wrote it", async () => {
    const dataDir = freshDataDir();
    const a = await start(dataDir, { LOG_LEVEL: "debug" });
    const b = await start(dataDir, { LOG_LEVEL: "debug" });
    const c = await community(a, "pair", 2);
    const helperOnB = new Visitor(b.url);
    await join(helperOnB, aMember("pair-helper-b"));
    const replies = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => reply(c.helper, c.thread.path, `From A ${i}`)),
      ...Array.from({ length: 8 }, (_, i) => reply(helperOnB, c.thread.path, `From B ${i}`)),
    ]);
    await delivered(a);
    await delivered(b);

    const deliveries = new Map<string, string[]>();
    for (const [name, server] of [
      ["a", a],
      ["b", b],
    ] as const) {
      for (const line of server.output().split("\n")) {
        if (!line.includes('"event delivered"')) continue;
        const entry = JSON.parse(line) as { subscriber: string; eventId: number };
        const key = `${entry.subscriber}:${entry.eventId}`;
        deliveries.set(key, [...(deliveries.get(key) ?? []), name]);
      }
    }
    const latest = one(a.dbPath, `SELECT MAX(id) FROM OutboxEvent`);
    for (const subscriber of ["notifier", "mailer", "realtime", "post-refresher"]) {
      for (let id = 1; id <= latest; id++) expect(deliveries.get(`${subscriber}:${id}`)?.length, `${subscriber} event ${id}`).toBe(1);
    }
    expect(outcomes(a.dbPath, c, replies)).toEqual(replies.map((replyId) => ({ replyId, ...once(c) })));
  });
});
