// WEB_CONCURRENCY=2: one server, two web workers sharing its port (decision
// 0013), behaving as one process: one listening line and one setup link,
// both workers serving, live replies across workers over WebSocket and
// long-polling, catch-up, the guest cache, logging out, rate limits, the
// reply-by-email port; a killed worker is replaced; SIGTERM stops it all.
// `npm run test:cluster` runs it on SQLite and then on PostgreSQL.
import { randomBytes } from "node:crypto";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, Visitor } from "../helpers/client";
import { connectionTo, listeningLine, logLines, onNewConnection, workerOfSession } from "../helpers/cluster";
import { queryOne } from "../helpers/db";
import { connectLive, eventually, subscribed, type LiveTestClient } from "../helpers/live";
import { joinWhileStopping, runServerExpectingExit, startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
const clients: LiveTestClient[] = [];

beforeAll(async () => {
  server = await startServer({ env: { WEB_CONCURRENCY: "2", INBOUND_SMTP_PORT: "0", INBOUND_SMTP_HOST: "127.0.0.1", GUEST_CACHE_SECONDS: "600" } });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server?.stop();
});

async function live(options: Parameters<typeof connectLive>[1] = {}) {
  const client = await connectLive(server.url, options);
  clients.push(client);
  return client;
}
const workerOf = (client: LiveTestClient) => workerOfSession(client.socket.io.engine.id);

/** A live client whose session lives in a worker that `accept` takes. */
async function liveOnWorker(accept: (worker: number) => boolean, options: Parameters<typeof connectLive>[1] = {}) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const client = await live(options);
    if (accept(workerOf(client))) return client;
    client.close();
  }
  throw new Error("no live connection reached an acceptable worker");
}

async function newThread(asker: Visitor, title: string) {
  const tagId = String((await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "Tag" ORDER BY "id" LIMIT 1`)).id);
  const res = await asker.post("/threads/new", { title, body: "Asked once, answered from either worker.", kind: "question", tagIds: tagId });
  expect(res.status).toBe(302);
  return { id: Number(res.location!.split("/")[2]), path: res.location! };
}

/** The worker that started out delivering events (holding the outbox leases): its emits reach the other worker only through the adapter. */
const deliveringWorker = () => logLines(server, "event dispatcher started").find((l) => (l.delivering as string[]).length > 0)!;

const latestLiveEventId = async () => Number((await queryOne<{ n: number | null }>(server.database, `SELECT MAX("id") AS "n" FROM "LiveEvent"`)).n ?? 0);

describe("two web workers, one server", () => {
  it("prints one listening line with the worker count, and both workers serve", async () => {
    const line = listeningLine(server);
    expect(line.port).toBe(server.port);
    expect(line.workers).toBe(2);
    expect(new Set(line.workerPids).size).toBe(2);
    expect(logLines(server, "web worker ready")).toHaveLength(2);
    // Each new connection goes to the next worker.
    const workers = new Set<number | null>();
    for (let i = 0; i < 6; i++) {
      const answer = await onNewConnection(server.url, "/healthz");
      expect(answer.status).toBe(200);
      workers.add(answer.worker);
    }
    expect(workers.size).toBe(2);
    expect(workers.has(null)).toBe(false);
  });

  it("prints the setup link once, and it works through either worker, once", async () => {
    expect(server.output().match(/\/setup\?token=/g)).toHaveLength(1);
    const link = `/setup?token=${server.setupToken}`;
    const first = await connectionTo(server.url, () => true);
    const second = await connectionTo(server.url, (w) => w !== first.worker);
    for (const connection of [first, second]) expect((await connection.request(link)).status).toBe(200);
    const created = await second.post(link, aMember("workers-admin"));
    expect(created.status).toBe(302);
    expect(created.headers.location).toBe("/admin/members?welcome=1");
    for (const connection of [first, second]) {
      expect((await connection.request(link)).status).toBe(403);
      connection.close();
    }
    expect(await queryOne(server.database, `SELECT COUNT(*) AS "n" FROM "User" WHERE "role" = 'admin'`)).toEqual({ n: 1 });
  });

  it("shares the reply-by-email SMTP port between the workers", async () => {
    const { inboundSmtpPort } = listeningLine(server);
    expect(inboundSmtpPort).toBeGreaterThan(0);
    expect(logLines(server, "reply-by-email SMTP receiver listening").map((l) => l.port)).toEqual([inboundSmtpPort, inboundSmtpPort]);
    for (let i = 0; i < 2; i++) {
      const greeting = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(inboundSmtpPort!, "127.0.0.1");
        socket.once("data", (d) => {
          resolve(String(d));
          socket.end("QUIT\r\n");
        });
        socket.once("error", reject);
      });
      expect(greeting).toMatch(/^220 /);
    }
  });

  it("keeps a long-polling session in the worker that holds it, whichever worker each poll reaches", async () => {
    const headers = { Origin: server.url };
    const handshake = await onNewConnection(server.url, "/socket.io/?EIO=4&transport=polling", { headers });
    expect(handshake.status).toBe(200);
    const sid = (JSON.parse(handshake.body.slice(1)) as { sid: string }).sid;
    expect(workerOfSession(sid)).toBeGreaterThan(0);
    const poll = `/socket.io/?EIO=4&transport=polling&sid=${encodeURIComponent(sid)}`;
    // Each on a new connection: they alternate between the workers, and every one reaches the session.
    for (let i = 0; i < 8; i++) {
      const sent = await onNewConnection(server.url, poll, { method: "POST", headers: { ...headers, "Content-Type": "text/plain;charset=UTF-8" }, body: "6" });
      expect(sent).toMatchObject({ status: 200, body: "ok" });
    }
    // A session no worker holds (one whose worker died) is refused as Engine.IO refuses one it does not know.
    const gone = await onNewConnection(server.url, `/socket.io/?EIO=4&transport=polling&sid=99.${"x".repeat(20)}`, { headers });
    expect(gone.status).toBe(400);
    expect(JSON.parse(gone.body)).toEqual({ code: 1, message: "Session ID unknown" });
  });

  it("delivers a reply posted through one worker to live clients of the other, polling or WebSocket; catch-up and the guest cache follow", async () => {
    const [asker, helper] = [new Visitor(server.url), new Visitor(server.url)];
    await join(asker, aMember("workers-asker"));
    await join(helper, aMember("workers-helper"));
    const thread = await newThread(asker, "Two workers: does a live reply cross over?");
    const floor = await latestLiveEventId();

    // A guest polling (every poll a new connection) and the asker on a WebSocket, in different workers.
    const polling = await live({ transports: ["polling"] });
    const websocket = await liveOnWorker((w) => w !== workerOf(polling), { visitor: asker });
    const pollingSession = polling.socket.io.engine.id;
    for (const client of [polling, websocket]) await subscribed(client, () => client.watchThread(thread.id));

    // Each worker's guest cache holds the thread page.
    const guests = [await connectionTo(server.url, () => true)];
    guests.push(await connectionTo(server.url, (w) => w !== guests[0]!.worker));
    for (const guest of guests) {
      await eventually(async () => {
        await guest.request(thread.path);
        expect((await guest.request(thread.path)).headers["x-cache"]).toBe("hit");
      });
    }

    // One reply through the polling client's worker, one through the other.
    for (const [client, body] of [
      [polling, "WORKERS-FIRST answer"],
      [websocket, "WORKERS-SECOND answer"],
    ] as const) {
      const through = await connectionTo(server.url, (w) => w === workerOf(client));
      const posted = await through.post(thread.path, { intent: "reply", body }, helper.cookieHeader());
      expect(posted.status).toBe(302);
      through.close();
    }
    for (const client of [polling, websocket]) {
      await eventually(() => expect(JSON.stringify(client.events)).toContain("WORKERS-FIRST"));
      await eventually(() => expect(JSON.stringify(client.events)).toContain("WORKERS-SECOND"));
    }
    // The polling client kept its one session all along (a poll refused by a worker that did not know it would have ended it).
    expect(polling.socket.io.engine.id).toBe(pollingSession);
    expect(polling.socket.io.engine.transport.name).toBe("polling");
    await eventually(() => expect(websocket.notifications).toBeGreaterThanOrEqual(2));

    // Catch-up: a client that connects later, to either worker, is replayed what it missed since its page's event id.
    for (const accept of [(w: number) => w === workerOf(polling), (w: number) => w !== workerOf(polling)]) {
      const late = await liveOnWorker(accept);
      late.watchThread(thread.id, floor);
      await eventually(() => expect(JSON.stringify(late.events)).toMatch(/WORKERS-FIRST[\s\S]*WORKERS-SECOND/));
    }

    // Neither worker's guest cache kept the page without the replies.
    for (const guest of guests) {
      await eventually(async () => expect((await guest.request(thread.path)).body).toContain("WORKERS-SECOND"));
      guest.close();
    }
  });

  it("ends a session's live connections in every worker when it logs out through one", async () => {
    const member = new Visitor(server.url);
    await join(member, aMember("workers-leaver"));
    const client = await liveOnWorker((w) => w !== deliveringWorker().worker, { visitor: member });
    const ended = new Promise<string>((resolve) => client.socket.once("disconnect", resolve));
    const other = await connectionTo(server.url, (w) => w !== workerOf(client));
    await other.post("/logout", {}, member.cookieHeader());
    other.close();
    expect(await ended).toBe("io server disconnect");
  });

  it("counts log-in attempts across workers (rate limits live in the database)", async () => {
    const member = new Visitor(server.url);
    await join(member, aMember("workers-throttled"));
    const statuses: number[] = [];
    const workers = new Set<number | null>();
    for (let i = 0; i < 11; i++) {
      const answer = await onNewConnection(server.url, "/login", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
        body: new URLSearchParams({ email: "memberworkers-throttled@example.org", password: `wrong password ${i}` }).toString(),
      });
      statuses.push(answer.status);
      workers.add(answer.worker);
    }
    expect(workers.size).toBe(2);
    // Ten wrong passwords per account and address in 15 minutes, wherever they landed.
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it("replaces a worker killed with SIGKILL and keeps serving; event delivery moves to the survivor", async () => {
    const killed = deliveringWorker().pid as number;
    process.kill(killed, "SIGKILL");
    await eventually(() => expect(logLines(server, "web worker killed by SIGKILL; starting another")).toEqual([expect.objectContaining({ pid: killed })]));
    // Meanwhile every new connection goes to the survivor.
    for (let i = 0; i < 4; i++) expect((await onNewConnection(server.url, "/healthz")).status).toBe(200);

    await eventually(() => expect(logLines(server, "web worker ready")).toHaveLength(3), 30_000);
    const workers = new Set<number | null>();
    for (let i = 0; i < 6; i++) workers.add((await onNewConnection(server.url, "/healthz")).worker);
    expect(workers.size).toBe(2);
    expect([...workers].some((w) => w! > 2)).toBe(true);
    // A replacement does not print another setup link.
    expect(server.output().match(/\/setup\?token=/g)).toHaveLength(1);

    // Live replies still flow, in both workers.
    const asker = new Visitor(server.url);
    await join(asker, aMember("workers-after-kill"));
    const thread = await newThread(asker, "After a worker died: still live?");
    const first = await live();
    const second = await liveOnWorker((w) => w !== workerOf(first));
    for (const client of [first, second]) await subscribed(client, () => client.watchThread(thread.id));
    expect((await asker.post(thread.path, { intent: "reply", body: "WORKERS-SURVIVED answer" })).status).toBe(302);
    for (const client of [first, second]) await eventually(() => expect(JSON.stringify(client.events)).toContain("WORKERS-SURVIVED"), 10_000);
  });

  it("stops every worker on SIGTERM, finishing in-flight requests, and exits 0", async () => {
    const pids = [...logLines(server, "web worker ready").map((l) => l.pid as number)];
    // Headers and half a body, then the signal, then the rest.
    const { status, exitCode } = await joinWhileStopping(server, aMember("workers-last"), "SIGTERM");
    expect(status).toBe(302);
    expect(exitCode).toBe(0);
    // The primary and both living workers said so; no worker is left.
    expect(logLines(server, "stopped")).toHaveLength(3);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});

describe("two web workers sharing socket rooms through Redis (REDIS_URL)", () => {
  let redisServer: RunningServer;
  beforeAll(async () => {
    // Redis instead of the primary relays broadcasts (as between machines); test:cluster's other file checks that Redis is there.
    const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
    redisServer = await startServer({ env: { WEB_CONCURRENCY: "2", REDIS_URL, REDIS_PREFIX: `paranet-test-${randomBytes(4).toString("hex")}` } });
  });
  afterAll(() => redisServer?.stop());

  it("delivers a reply posted through one worker to polling and WebSocket clients of both", async () => {
    const url = redisServer.url;
    const asker = new Visitor(url);
    await join(asker, aMember("redis-workers-asker"));
    const tagId = String((await queryOne<{ id: number }>(redisServer.database, `SELECT "id" FROM "Tag" ORDER BY "id" LIMIT 1`)).id);
    const created = await asker.post("/threads/new", { title: "Two workers and Redis", body: "Through Redis?", kind: "question", tagIds: tagId });
    const threadId = Number(created.location!.split("/")[2]);
    const polling = await connectLive(url, { transports: ["polling"] });
    clients.push(polling);
    let websocket: LiveTestClient | null = null;
    for (let attempt = 0; attempt < 20 && !websocket; attempt++) {
      const client = await connectLive(url);
      clients.push(client);
      if (workerOfSession(client.socket.io.engine.id) !== workerOfSession(polling.socket.io.engine.id)) websocket = client;
      else client.close();
    }
    for (const client of [polling, websocket!]) await subscribed(client, () => client.watchThread(threadId));
    expect((await asker.post(created.location!, { intent: "reply", body: "REDIS-WORKERS answer" })).status).toBe(302);
    for (const client of [polling, websocket!]) await eventually(() => expect(JSON.stringify(client.events)).toContain("REDIS-WORKERS"));
    expect(logLines(redisServer, "socket rooms shared through Redis")).toHaveLength(2);
  });
});

describe("a cluster that cannot start", () => {
  it("stops, as one process would, when its port is taken", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const { code, output } = await runServerExpectingExit({ WEB_CONCURRENCY: "2", PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toContain("EADDRINUSE");
      expect(output).toContain("a web worker failed to start");
      expect(output).not.toContain('"msg":"listening"');
    } finally {
      taken.close();
    }
  });
});
