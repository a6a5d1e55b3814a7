// Real-time over real socket.io connections to the real server: live
// delivery, who receives what (TARGET privacy in the pipes), refusing other
// sites, limits, and catching up after a disconnect or a server restart.
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveEvent } from "~/lib/live";
import { aMember, join, Visitor } from "../helpers/client";
import { execute, queryOne } from "../helpers/db";
import { connectLive, eventually, subscribed, type LiveTestClient } from "../helpers/live";
import { freshInstallation, startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let asker: Visitor, helper: Visitor, bystander: Visitor, admin: Visitor, guest: Visitor;
let tagId: string;
const clients: LiveTestClient[] = [];

const query = <T>(sql: string, ...args: unknown[]) => queryOne<T>(server.database, sql, ...args);

async function live(visitor?: Visitor): Promise<LiveTestClient> {
  const client = await connectLive(server.url, { visitor });
  clients.push(client);
  return client;
}

async function postThread(visitor: Visitor, title: string, kind = "question"): Promise<{ id: number; path: string }> {
  const body = new URLSearchParams({ title, body: "What do you do about this?", kind, tagIds: tagId });
  const res = await visitor.request("/threads/new", {
    method: "POST",
    body: body.toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
  });
  if (res.status !== 302) throw new Error(`posting a thread failed: ${res.status}`);
  return { id: Number(res.location!.split("/")[2]), path: res.location! };
}

async function reply(visitor: Visitor, path: string, body: string): Promise<number> {
  const res = await visitor.post(path, { intent: "reply", body });
  if (res.status !== 302) throw new Error(`replying failed: ${res.status}`);
  return Number(/#reply-(\d+)$/.exec(res.location!)![1]);
}

const ofType = (client: LiveTestClient, type: LiveEvent["type"]) => client.events.filter((e) => e.type === type);
const replyIds = (client: LiveTestClient) => ofType(client, "reply.created").map((e) => (e.type === "reply.created" ? e.reply.id : 0));

beforeAll(async () => {
  server = await startServer();
  [asker, helper, bystander, admin, guest] = Array.from({ length: 5 }, () => new Visitor(server.url));
  await join(asker, aMember("asker"));
  await join(helper, aMember("helper"));
  await join(bystander, aMember("bystander"));
  const setup = await admin.post(`/setup?token=${server.setupToken}`, aMember("admin", { password: "correct horse battery staple" }));
  if (setup.status !== 302) throw new Error(`setup failed: ${setup.status}`);
  tagId = String((await query<{ id: number }>(`SELECT "id" FROM "Tag" WHERE "slug" = 'reference'`)).id);
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server?.stop();
});

describe("live delivery", () => {
  it("pushes a new reply, as sanitized server-rendered HTML, to members and guests watching the thread", async () => {
    const thread = await postThread(asker, "Live: how do you shelve graphic novels?");
    const [watcher, guestWatcher] = [await live(bystander), await live()];
    await subscribed(watcher, () => watcher.watchThread(thread.id));
    await subscribed(guestWatcher, () => guestWatcher.watchThread(thread.id));

    const id = await reply(helper, thread.path, "By **series**, then volume. <script>alert(1)</script> <img src=x onerror=alert(2)>");
    for (const client of [watcher, guestWatcher]) {
      const [event] = await eventually(() => {
        const created = ofType(client, "reply.created");
        expect(created).toHaveLength(1);
        return created;
      });
      if (event.type !== "reply.created") throw new Error("unreachable");
      expect(event.reply.id).toBe(id);
      expect(event.reply.author.handle).toBe("memberhelper");
      expect(event.reply.bodyHtml).toContain("<strong>series</strong>");
      // The markup arrives as text, never as live elements.
      expect(event.reply.bodyHtml).not.toMatch(/<script|<img/i);
      expect(event.reply.bodyHtml).toContain("&lt;script&gt;");
      expect(event.id).toBeGreaterThan(0);
    }
  });

  it("pushes edits, helpful counts, the accepted answer and removals in order", async () => {
    const thread = await postThread(asker, "Live: best barcode scanner for a small library?");
    const watcher = await live();
    await subscribed(watcher, () => watcher.watchThread(thread.id));
    const first = await reply(helper, thread.path, "The cheap USB ones work fine.");
    await helper.post(thread.path, { intent: "edit-reply", replyId: String(first), body: "The cheap USB ones work fine, EDITED." });
    await bystander.post(thread.path, { intent: "helpful", replyId: String(first) });
    await asker.post(thread.path, { intent: "accept", replyId: String(first) });
    await helper.post(thread.path, { intent: "delete-reply", replyId: String(first) });

    const types = await eventually(() => {
      const seen = watcher.events.map((e) => e.type);
      expect(seen).toEqual(["reply.created", "reply.edited", "vote.changed", "reply.accepted", "reply.deleted"]);
      return seen;
    });
    expect(types).toHaveLength(5);
    const [, edited, vote, accepted] = watcher.events;
    expect(edited.type === "reply.edited" && edited.reply.bodyHtml).toContain("EDITED");
    expect(vote.type === "vote.changed" && vote.helpfulCount).toBe(1);
    expect(accepted.type === "reply.accepted" && accepted.replyId).toBe(first);
    const ids = watcher.events.map((e) => e.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it("tells a member about a new notification at once, and gives the exact unread count on connect", async () => {
    await asker.post("/notifications", {}); // all read
    const thread = await postThread(asker, "Live: tell me when answered");
    const mine = await live(asker);
    await subscribed(mine, () => mine.watchThread(thread.id));
    expect(mine.unread).toBe(0);
    await reply(helper, thread.path, "An answer that notifies the asker.");
    await eventually(() => expect(mine.notifications).toBe(1));
    // A fresh connection learns the stored count.
    const again = await live(asker);
    await subscribed(again, () => again.watchThread(thread.id));
    expect(again.unread).toBe(1);
  });

  it("keeps every tab's unread count in step, and 'mark all read' spares what arrived after the list was shown", async () => {
    const thread = await postThread(asker, "Live: read in one tab");
    const otherTab = await live(asker);
    await subscribed(otherTab, () => otherTab.watchThread(thread.id));
    await reply(helper, thread.path, "A first answer.");
    await eventually(() => expect(otherTab.notifications).toBe(1));
    const shown = (
      await query<{ id: number }>(`SELECT MAX("id") AS "id" FROM "Notification" WHERE "userId" = (SELECT "id" FROM "User" WHERE "handle" = 'memberasker')`)
    ).id;
    await reply(bystander, thread.path, "A second answer, after the list was shown.");
    await eventually(() => expect(otherTab.notifications).toBe(2));
    expect((await asker.post("/notifications", { upTo: String(shown) })).status).toBe(302);
    await eventually(() => expect(otherTab.unread).toBe(1));
    expect(
      (
        await query<{ n: number }>(
          `SELECT COUNT(*) AS "n" FROM "Notification" WHERE "id" > ? AND "readAt" IS NULL AND "userId" = (SELECT "id" FROM "User" WHERE "handle" = 'memberasker')`,
          shown,
        )
      ).n,
    ).toBe(1);
  });

  it("announces new threads to the new-threads room", async () => {
    const watcher = await live();
    const latest = (await query<{ id: number }>(`SELECT MAX("id") AS "id" FROM "LiveEvent"`)).id;
    await subscribed(watcher, () => watcher.watchNewThreads(latest));
    const thread = await postThread(helper, "Live: a brand new thread appears");
    const [event] = await eventually(() => {
      const created = ofType(watcher, "thread.created");
      expect(created).toHaveLength(1);
      return created;
    });
    expect(event.type === "thread.created" && event.thread).toMatchObject({ id: thread.id, kind: "question", tags: ["reference"] });
  });
});

describe("TARGET privacy in the pipes", () => {
  it("sends a private reply and everything about it only to the asker, its author and moderators", async () => {
    const target = await postThread(asker, "TARGET: live private replies", "target");
    const sentinelThread = await postThread(asker, "Live: a public thread to show delivery order");
    const watchers = {
      asker: await live(asker),
      author: await live(helper),
      moderator: await live(admin),
      bystander: await live(bystander),
      guest: await live(),
    };
    for (const client of Object.values(watchers)) {
      await subscribed(client, () => {
        client.watchThread(target.id);
        client.watchThread(sentinelThread.id);
      });
    }
    const privateId = await reply(helper, target.path, "LIVE-SECRET: the prize budget is $40");
    await helper.post(target.path, { intent: "edit-reply", replyId: String(privateId), body: "LIVE-SECRET edited" });
    await asker.post(target.path, { intent: "helpful", replyId: String(privateId) });
    await asker.post(target.path, { intent: "accept", replyId: String(privateId) });
    // Events are sent in the order they were stored: once this public one
    // arrives, every earlier event has been delivered to whoever got it.
    const sentinel = await reply(bystander, sentinelThread.path, "A public sentinel reply.");

    for (const client of Object.values(watchers)) {
      await eventually(() => expect(replyIds(client)).toContain(sentinel));
    }
    for (const name of ["asker", "author", "moderator"] as const) {
      const client = watchers[name];
      expect(replyIds(client), name).toContain(privateId);
      expect(client.events.map((e) => e.type)).toEqual(expect.arrayContaining(["reply.edited", "vote.changed"]));
      // The readers learn that the private reply was accepted.
      const accepted = ofType(client, "reply.accepted").filter((e) => e.type === "reply.accepted" && e.threadId === target.id) as { replyId: number | null }[];
      expect(accepted.at(-1)?.replyId).toBe(privateId);
    }
    for (const name of ["bystander", "guest"] as const) {
      const client = watchers[name];
      const leaked = JSON.stringify(client.events);
      expect(leaked, name).not.toContain("LIVE-SECRET");
      expect(leaked, name).not.toContain(`"replyId":${privateId}`);
      expect(replyIds(client), name).not.toContain(privateId);
      // Not even that a private answer was accepted: nothing about the TARGET reaches them.
      expect(
        client.events.filter((e) => "threadId" in e && e.threadId === target.id),
        name,
      ).toEqual([]);
    }

    // Nor does asking for a replay from the beginning reveal it.
    for (const visitor of [bystander, undefined]) {
      const late = await live(visitor);
      await subscribed(late, () => late.watchThread(target.id, 0));
      expect(JSON.stringify(late.events)).not.toContain("LIVE-SECRET");
    }
    const lateAsker = await live(asker);
    await subscribed(lateAsker, () => lateAsker.watchThread(target.id, 0));
    expect(JSON.stringify(lateAsker.events)).toContain("LIVE-SECRET");
  });

  it("stops private delivery the moment a moderator is demoted, and ends a logged-out session's connections", async () => {
    const promoted = new Visitor(server.url);
    await join(promoted, aMember("promoted"));
    const userId = (await query<{ id: number }>(`SELECT "id" FROM "User" WHERE "handle" = 'memberpromoted'`)).id;
    expect((await admin.post("/admin/members", { userId: String(userId), role: "moderator" })).status).toBe(200);
    const target = await postThread(asker, "TARGET: demotion test", "target");
    const client = await live(promoted);
    await subscribed(client, () => client.watchThread(target.id));
    const before = await reply(helper, target.path, "DEMOTE-1 private to moderators too");
    await eventually(() => expect(replyIds(client)).toContain(before));

    const disconnected = new Promise<string>((resolve) => client.socket.once("disconnect", resolve));
    expect((await admin.post("/admin/members", { userId: String(userId), role: "member" })).status).toBe(200);
    expect(await disconnected).toBe("io server disconnect");
    // It reconnects by itself, now as a plain member.
    await eventually(() => expect(client.socket.connected).toBe(true));
    await eventually(() => expect(client.connection.idle && client.connection.subscriptions >= 2).toBe(true));
    const after = await reply(helper, target.path, "DEMOTE-2 no longer for them");
    // Events go out one at a time in commit order: once a later one that the
    // client does receive has arrived, the private reply would have too.
    const sentinel = await postThread(asker, "Live: sentinel after demotion");
    await subscribed(client, () => client.watchThread(sentinel.id));
    const sentinelReply = await reply(helper, sentinel.path, "sentinel");
    await eventually(() => expect(replyIds(client)).toContain(sentinelReply));
    expect(replyIds(client)).not.toContain(after);

    const ended = new Promise<string>((resolve) => client.socket.once("disconnect", resolve));
    await promoted.post("/logout", {});
    expect(await ended).toBe("io server disconnect");
  });
});

describe("sessions and roles", () => {
  it("ends live connections when a password reset ends the member's sessions, and re-checks the session on every subscribe", async () => {
    const member = new Visitor(server.url);
    await join(member, aMember("resetter"));
    const userId = (await query<{ id: number }>(`SELECT "id" FROM "User" WHERE "handle" = 'memberresetter'`)).id;
    const client = await live(member);
    await subscribed(client, () => client.watchThread(1));

    const issued = await admin.post("/admin/members", { intent: "reset", userId: String(userId) });
    const link = new URL(/value="(http[^"]+\/reset-password\?token=[^"]+)"/.exec(issued.body)![1]);
    const ended = new Promise<string>((resolve) => client.socket.once("disconnect", resolve));
    const done = await new Visitor(server.url).post(link.pathname + link.search, { newPassword: "a fresh passphrase", confirmPassword: "a fresh passphrase" });
    expect(done.status).toBe(302);
    expect(await ended).toBe("io server disconnect");

    // A session that ends without an event (here: deleted in the database) is caught at the next subscribe.
    const other = new Visitor(server.url);
    await join(other, aMember("expired"));
    const socket = await live(other);
    await subscribed(socket, () => socket.watchThread(1));
    await execute(server.database, `DELETE FROM "Session" WHERE "userId" = (SELECT "id" FROM "User" WHERE "handle" = 'memberexpired')`);
    const gone = new Promise<string>((resolve) => socket.socket.once("disconnect", resolve));
    const answer = await socket.socket.timeout(5000).emitWithAck("subscribe", { threads: [1] });
    expect(answer).toMatchObject({ ok: false, error: { code: "reauthenticate" } });
    expect(await gone).toBe("io server disconnect");
  });
});

describe("refusing and limiting", () => {
  it("refuses a connection from another site's page", async () => {
    await expect(connectLive(server.url, { visitor: asker, origin: "https://evil.example" })).rejects.toThrow();
    // The same member from the site's own origin is welcome.
    const ok = await live(asker);
    expect(ok.socket.connected).toBe(true);
  });

  it("answers malformed or excessive subscriptions with an error, and drops oversized messages", async () => {
    const client = await live();
    const ask = (payload: unknown) => client.socket.timeout(5000).emitWithAck("subscribe", payload);
    expect(await ask("nonsense")).toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(await ask({ threads: ["1; DROP TABLE"] })).toMatchObject({ ok: false, error: { code: "invalid" } });
    expect(await ask({ threads: [1], since: -5 })).toMatchObject({ ok: false, error: { code: "invalid" } });
    const tooMany = await ask({ threads: Array.from({ length: 21 }, (_, i) => i + 1) });
    expect(tooMany).toMatchObject({ ok: false, error: { code: "invalid", message: expect.stringContaining("at most 20") } });
    // A burst beyond the budget is refused, not served.
    const burst = await Promise.all(Array.from({ length: 25 }, () => ask({ threads: [1] })));
    expect(burst.some((a) => (a as { error?: { code: string } }).error?.code === "rate_limited")).toBe(true);

    const gone = new Promise<string>((resolve) => client.socket.once("disconnect", resolve));
    client.socket.emit("subscribe", { threads: [1], padding: "x".repeat(20_000) });
    expect(await gone).toMatch(/^transport (close|error)$/);
    expect((await guest.get("/healthz")).status).toBe(200);
  });

  it("caps live connections per client address", async () => {
    const many = await Promise.all(Array.from({ length: 200 }, () => connectLive(server.url).catch(() => null)));
    const opened = many.filter((c): c is LiveTestClient => c !== null);
    // Earlier tests' clients count too, so some of the 200 may already be refused.
    expect(opened.length).toBeGreaterThan(100);
    await expect(connectLive(server.url)).rejects.toThrow(/Too many live connections/);
    for (const c of opened) c.close();
    // Closing frees the address's places again.
    let again: LiveTestClient | null = null;
    for (let i = 0; i < 40 && !again; i++) {
      again = await connectLive(server.url).catch(() => null);
      if (!again) await new Promise((r) => setTimeout(r, 50));
    }
    expect(again?.socket.connected).toBe(true);
    again?.close();
  });
});

describe("nothing lost", () => {
  it("catches up after a dropped connection: every missed event once, in order", async () => {
    const thread = await postThread(asker, "Live: reconnect catch-up");
    const client = await live();
    await subscribed(client, () => client.watchThread(thread.id));
    const first = await reply(helper, thread.path, "before the drop");
    await eventually(() => expect(replyIds(client)).toEqual([first]));

    client.socket.io.engine.close(); // the network drops; socket.io reconnects by itself
    const missed = [await reply(helper, thread.path, "missed 1"), await reply(bystander, thread.path, "missed 2")];
    await eventually(() => expect(replyIds(client)).toEqual([first, ...missed]));
    const after = await reply(helper, thread.path, "after reconnecting");
    await eventually(() => expect(replyIds(client)).toEqual([first, ...missed, after]));
    const ids = client.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("catches up after the server restarts, from ids kept in the database", async () => {
    const installation = await freshInstallation();
    let own = await startServer({ installation });
    const port = String(own.port);
    const member = new Visitor(own.url);
    await join(member, aMember("restart"));
    const tag = String((await queryOne<{ id: number }>(own.database, `SELECT "id" FROM "Tag" ORDER BY "id" LIMIT 1`)).id);
    const created = await member.post("/threads/new", { title: "Live: survive a restart", body: "Does it?", kind: "discussion", tagIds: tag });
    const path = created.location!;
    const threadId = Number(path.split("/")[2]);

    const client = await connectLive(own.url, { reconnection: false });
    clients.push(client);
    await subscribed(client, () => client.watchThread(threadId));
    const first = await reply(member, path, "before the restart");
    await eventually(() => expect(replyIds(client)).toEqual([first]));

    const dropped = new Promise((resolve) => client.socket.once("disconnect", resolve));
    await own.stop();
    await dropped;
    own = await startServer({ installation, env: { PORT: port } });
    try {
      const missed = [await reply(member, path, "while you were away 1"), await reply(member, path, "while you were away 2")];
      client.socket.connect();
      await eventually(() => expect(replyIds(client)).toEqual([first, ...missed]));
      const ids = client.events.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    } finally {
      await own.stop();
    }
  });

  it("replays what a post says now, never words since edited away or removed, and only the last of many edits", async () => {
    const thread = await postThread(asker, "Live: replay current content");
    const floor = (await query<{ id: number }>(`SELECT MAX("id") AS "id" FROM "LiveEvent"`)).id;
    const kept = await reply(helper, thread.path, "ORIGINAL-WORDS that will be edited");
    for (let i = 1; i <= 5; i++) await helper.post(thread.path, { intent: "edit-reply", replyId: String(kept), body: `EDIT-${i} of the reply` });
    const removed = await reply(helper, thread.path, "REMOVED-WORDS: my home address");
    await helper.post(thread.path, { intent: "delete-reply", replyId: String(removed) });
    // Stored one at a time in commit order: once the removal is stored, so is every edit before it.
    await eventually(async () =>
      expect((await query<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "LiveEvent" WHERE "type" = 'reply.deleted' AND "id" > ?`, floor)).n).toBe(1),
    );

    const late = await live();
    await subscribed(late, () => late.watchThread(thread.id, floor));
    const seen = JSON.stringify(late.events);
    expect(seen).toContain("EDIT-5 of the reply");
    expect(seen).not.toMatch(/ORIGINAL-WORDS|EDIT-[1-4]|REMOVED-WORDS/);
    // One event per reply: the latest state, under the latest id.
    expect(late.events.filter((e) => e.type === "reply.edited" || e.type === "reply.created")).toHaveLength(1);
    expect(late.events.filter((e) => e.type === "reply.deleted")).toHaveLength(1);
  });

  it("hands a private reply that arrived before the page watched its thread to that page's watch", async () => {
    const target = await postThread(asker, "TARGET: arrives before watching", "target");
    const elsewhere = await postThread(asker, "Live: the page the asker was on");
    const client = await live(asker);
    const stop = client.watchThread(elsewhere.id);
    await eventually(() => expect(client.connection.idle && client.connection.subscriptions > 0).toBe(true));
    const floor = (await query<{ id: number }>(`SELECT MAX("id") AS "id" FROM "LiveEvent"`)).id;
    // Delivered through the asker's own room while they are on another page.
    const arrived: LiveEvent[] = [];
    client.socket.on("live", (e: LiveEvent) => arrived.push(e));
    const privateId = await reply(helper, target.path, "EARLY-PRIVATE reply");
    await eventually(() => expect(arrived.some((e) => e.type === "reply.created" && e.reply.id === privateId)).toBe(true));
    // The asker navigates to the TARGET, whose data was loaded before that reply.
    await subscribed(client, () => {
      stop();
      client.watchThread(target.id, floor);
    });
    expect(replyIds(client)).toContain(privateId);
  });

  it("asks a client that is too far behind to reload instead of replaying", async () => {
    const thread = await postThread(asker, "Live: far behind");
    const client = await live();
    // Event ids start at 1; asking from before the oldest kept one after pruning means reload.
    await execute(server.database, `DELETE FROM "LiveEvent" WHERE "id" < (SELECT MAX("id") FROM "LiveEvent")`);
    await subscribed(client, () => client.watchThread(thread.id, 0));
    expect(client.events).toEqual([{ id: -1 }]);
  });

  it("keeps posting fast while a watcher never reads", async () => {
    const thread = await postThread(asker, "Live: a stalled reader");
    // A raw socket that subscribes and then stops reading from the network.
    const stalled = io(server.url, { path: "/socket.io", transports: ["websocket"], extraHeaders: { Origin: server.url }, forceNew: true });
    await new Promise((resolve) => stalled.once("connect", () => resolve(undefined)));
    await stalled.timeout(5000).emitWithAck("subscribe", { threads: [thread.id] });
    (stalled.io.engine.transport as unknown as { ws: { _socket: { pause(): void } } }).ws._socket.pause();
    const started = Date.now();
    for (let i = 0; i < 10; i++) await reply(helper, thread.path, `reply ${i} `.repeat(50));
    expect(Date.now() - started).toBeLessThan(5000);
    stalled.close();
  });
});
