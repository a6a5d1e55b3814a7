// Domain events survive a crash (decision 0010): real server processes,
// killed with SIGKILL between commit and delivery and in the middle of
// delivering a burst, then restarted on the same database; and two processes
// sharing one database, where each event is delivered by exactly one.
// Every follower ends with exactly one notification, one list mail job and
// one live event per reply: nothing lost, nothing twice.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { aMember, join, Visitor } from "../helpers/client";
import { execute, jsonNumber, queryAll } from "../helpers/db";
import { connectLive, eventually, subscribed, type LiveTestClient } from "../helpers/live";
import { eventsDelivered, freshInstallation, installationEnv, type Installation, startServer, type RunningServer } from "../helpers/server";
import type { TestDatabase } from "../setup/databases";

const running: RunningServer[] = [];
const clients: LiveTestClient[] = [];
afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all(running.map((s) => s.stop("SIGKILL")));
});

async function start(installation: Installation, env: Record<string, string> = {}) {
  const server = await startServer({ installation, env });
  running.push(server);
  return server;
}
async function kill(server: RunningServer) {
  await server.stop("SIGKILL");
  running.splice(running.indexOf(server), 1);
}

/** Starts the built server on `dataDir`, which SIGKILLs itself after the `n`th event a subscriber handled, before moving its cursor. */
function startAndCrashAtDelivery(installation: Installation, n: number): Promise<{ signal: NodeJS.Signals | null; output: string }> {
  const child = spawn(process.execPath, [path.resolve(import.meta.dirname, "..", "..", "build", "server", "index.js")], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: "0",
      ...installationEnv(installation),
      TEST_ONLY_CRASH_AT_DELIVERY: String(n),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  return new Promise((resolve) => child.once("exit", (_code, signal) => resolve({ signal, output })));
}

const sql = <T>(database: TestDatabase, query: string, ...params: unknown[]) => queryAll<T>(database, query, ...params);
const one = async (database: TestDatabase, query: string, ...params: unknown[]) =>
  Number(Object.values((await sql<Record<string, unknown>>(database, query, ...params))[0] ?? { n: 0 })[0]);

/** Waits until every shared subscriber has handled every event (the notifier's own notification.created included). */
const delivered = eventsDelivered;

type Follower = { visitor: Visitor; id: number; list: boolean };
type Community = { asker: Visitor; helper: Visitor; followers: Follower[]; askerId: number; thread: { id: number; path: string } };

/** An asker with a thread, a helper, and followers of the thread; the first `listFollowers` read every post by mail. */
async function community(server: RunningServer, name: string, followerCount = 3, listFollowers = 1): Promise<Community> {
  const asker = new Visitor(server.url);
  const helper = new Visitor(server.url);
  await join(asker, aMember(`${name}-asker`));
  await join(helper, aMember(`${name}-helper`));
  const tagId = String(await one(server.database, `SELECT "id" FROM "Tag" ORDER BY "id" LIMIT 1`));
  const res = await asker.post("/threads/new", {
    title: `${name}: what do your volunteers shelve?`,
    body: "Asking for a friend.",
    kind: "question",
    tagIds: tagId,
  });
  expect(res.status).toBe(302);
  const thread = { id: Number(res.location!.split("/")[2]), path: res.location! };
  const followers: Follower[] = [];
  for (let i = 0; i < followerCount; i++) {
    const visitor = new Visitor(server.url);
    const handle = `${name}-follower${i}`;
    await join(visitor, aMember(handle, { handle }));
    expect((await visitor.post(thread.path, { intent: "follow" })).status).toBeLessThan(400);
    const list = i < listFollowers;
    if (list) expect((await visitor.post("/me/settings/email", { mode: "every", notifications: "on", vacationUntil: "" })).status).toBeLessThan(400);
    followers.push({ visitor, id: await one(server.database, `SELECT "id" FROM "User" WHERE "handle" = ?`, handle), list });
  }
  // Mailing-list mode needs a confirmed address (the confirmation link itself is tested in mail.test.ts).
  for (const f of followers) if (f.list) await execute(server.database, `UPDATE "User" SET "emailVerifiedAt" = ? WHERE "id" = ?`, new Date(), f.id);
  const askerId = await one(server.database, `SELECT "authorId" FROM "Thread" WHERE "id" = ?`, thread.id);
  return { asker, helper, followers, askerId, thread };
}

async function reply(visitor: Visitor, path: string, body: string): Promise<number> {
  const res = await visitor.post(path, { intent: "reply", body });
  if (res.status !== 302) throw new Error(`replying failed: ${res.status}`);
  return Number(/#reply-(\d+)$/.exec(res.location!)![1]);
}

const count = (database: TestDatabase, query: string, ...params: unknown[]) => one(database, `SELECT COUNT(*) FROM ${query}`, ...params);

/** For every reply: who was notified, how often; list mail jobs (per list follower, and in all); stored live events. */
async function outcomes(database: TestDatabase, c: Community, replyIds: number[]) {
  const results = [];
  for (const replyId of replyIds) {
    results.push({
      replyId,
      asker: await count(database, `"Notification" WHERE "replyId" = ? AND "userId" = ?`, replyId, c.askerId),
      followers: await Promise.all(c.followers.map((f) => count(database, `"Notification" WHERE "replyId" = ? AND "userId" = ?`, replyId, f.id))),
      listMail: await Promise.all(c.followers.filter((f) => f.list).map((f) => count(database, `"MailJob" WHERE "key" = ?`, `post:reply:${replyId}:${f.id}`))),
      allMail: await count(database, `"MailJob" WHERE "key" LIKE ?`, `post:reply:${replyId}:%`),
      liveEvents: await count(database, `"LiveEvent" WHERE "type" = 'reply.created' AND ${jsonNumber(database, `"payload"`, "replyId")} = ?`, replyId),
    });
  }
  return results;
}
const once = (c: Community) => {
  const list = c.followers.filter((f) => f.list);
  return { asker: 1, followers: c.followers.map(() => 1), listMail: list.map(() => 1), allMail: list.length, liveEvents: 1 };
};

describe("a crash between commit and delivery", () => {
  it("delivers a committed reply after a restart: each follower is notified once, mailed once, and the live event is sent once", async () => {
    const installation = await freshInstallation();
    // The process records events but delivers none: as if it died right after the commit.
    const first = await start(installation, { TEST_ONLY_PAUSE_EVENT_DELIVERY: "1" });
    const c = await community(first, "crash");
    const replyId = await reply(c.helper, c.thread.path, "CRASH-SURVIVOR: we shelve by colour on Fridays.");
    expect(
      await one(
        first.database,
        `SELECT COUNT(*) FROM "OutboxEvent" WHERE "type" = 'reply.created' AND ${jsonNumber(first.database, `"payload"`, "replyId")} = ?`,
        replyId,
      ),
    ).toBe(1);
    expect(await outcomes(first.database, c, [replyId])).toEqual([
      { replyId, asker: 0, followers: c.followers.map(() => 0), listMail: [0], allMail: 0, liveEvents: 0 },
    ]);
    await kill(first);

    const second = await start(installation);
    const askerAgain = new Visitor(second.url);
    askerAgain.cookieHeader = () => c.asker.cookieHeader();
    const live = await connectLive(second.url, { visitor: askerAgain });
    clients.push(live);
    await subscribed(live, () => live.watchThread(c.thread.id, 0));
    await delivered(second);
    expect(await outcomes(second.database, c, [replyId])).toEqual([{ replyId, ...once(c) }]);
    expect(await one(second.database, `SELECT COUNT(*) FROM "Notification" WHERE "replyId" = ? AND "sourceEventId" IS NOT NULL`, replyId)).toBe(
      1 + c.followers.length,
    );
    await eventually(() => expect(live.events.filter((e) => e.type === "reply.created" && e.reply.id === replyId)).toHaveLength(1));
    expect(JSON.stringify(live.events)).toContain("CRASH-SURVIVOR");
  });

  it("loses nothing and doubles nothing when killed in the middle of delivering a burst", async () => {
    const installation = await freshInstallation();
    // A burst of replies piles up undelivered (a process that records but does not deliver)…
    const writer = await start(installation, { TEST_ONLY_PAUSE_EVENT_DELIVERY: "1" });
    const c = await community(writer, "burst", 5, 5);
    const replies = await Promise.all(Array.from({ length: 60 }, (_, i) => reply(c.helper, c.thread.path, `Burst answer ${i}`)));
    await kill(writer);

    // …then a delivering process is killed part-way through them (right after a random one of its first 150 deliveries, before the cursor moved)…
    const cursors = async () =>
      (
        await sql<{ low: number | null; high: number | null; last: number }>(
          writer.database,
          `SELECT MIN("lastEventId") AS "low", MAX("lastEventId") AS "high", (SELECT MAX("id") FROM "OutboxEvent") AS "last" FROM "OutboxCursor"`,
        )
      )[0]!;
    expect((await cursors()).high ?? 0).toBe(0); // nothing delivered yet (no cursor even exists)
    const crash = await startAndCrashAtDelivery(installation, 1 + Math.floor(Math.random() * 150));
    expect(crash.signal, crash.output.slice(-2000)).toBe("SIGKILL");
    const atKill = await cursors();
    expect(atKill.low!).toBeLessThan(atKill.last);

    // …and the next one finishes the work: every reply once for everyone.
    const last = await start(installation);
    await delivered(last, 30_000);
    expect(await outcomes(last.database, c, replies)).toEqual(replies.map((replyId) => ({ replyId, ...once(c) })));
    // Three server starts, 60 replies and a delivery allowed 30 s of its own: more than the default 30 s on a busy machine.
  }, 90_000);
});

describe("two processes on one database", () => {
  it("delivers each event to each shared subscriber exactly once, whichever process wrote it", async () => {
    const installation = await freshInstallation();
    const a = await start(installation, { LOG_LEVEL: "debug" });
    const b = await start(installation, { LOG_LEVEL: "debug" });
    const c = await community(a, "pair", 2);
    const helperOnB = new Visitor(b.url);
    await join(helperOnB, aMember("pair-helper-b"));
    const replies = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => reply(c.helper, c.thread.path, `From A ${i}`)),
      ...Array.from({ length: 8 }, (_, i) => reply(helperOnB, c.thread.path, `From B ${i}`)),
    ]);
    await delivered(a);
    await delivered(b);
    // Two writers on one database: no delivery failed or was retried (on SQLite,
    // "database is locked" when a transaction that read first must upgrade to write).
    const troubles = [a, b].flatMap((s) => s.output().split("\n")).filter((l) => /^\{"level":(40|50|60)\b/.test(l));
    expect(troubles).toEqual([]);

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
    const latest = await one(a.database, `SELECT MAX("id") FROM "OutboxEvent"`);
    for (const subscriber of ["notifier", "mailer", "realtime", "post-refresher"]) {
      for (let id = 1; id <= latest; id++) expect(deliveries.get(`${subscriber}:${id}`)?.length, `${subscriber} event ${id}`).toBe(1);
    }
    expect(await outcomes(a.database, c, replies)).toEqual(replies.map((replyId) => ({ replyId, ...once(c) })));
  });
});
