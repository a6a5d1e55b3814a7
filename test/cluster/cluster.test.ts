// Two server processes on one database, sharing socket rooms through the
// Redis at REDIS_URL (default 127.0.0.1:6379): what is posted through one
// reaches clients connected to the other. `npm run test:cluster`.
import { randomBytes } from "node:crypto";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, Visitor } from "../helpers/client";
import { queryOne } from "../helpers/db";
import { connectLive, eventually, subscribed, type LiveTestClient } from "../helpers/live";
import { freshInstallation, startServer, type RunningServer } from "../helpers/server";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let a: RunningServer, b: RunningServer;
const clients: LiveTestClient[] = [];

beforeAll(async () => {
  const probe = createClient({ url: REDIS_URL, socket: { reconnectStrategy: false, connectTimeout: 3000 } });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    await probe.quit();
  } catch (err) {
    throw new Error(
      `test:cluster needs a Redis server at ${REDIS_URL} (install one with "apt-get install -y redis-server", or set REDIS_URL): ${(err as Error).message}`,
    );
  }
  const installation = await freshInstallation();
  // A prefix of its own, so parallel runs on one Redis never hear each other.
  const env = { REDIS_URL, REDIS_PREFIX: `paranet-test-${randomBytes(4).toString("hex")}`, GUEST_CACHE_SECONDS: "600" };
  a = await startServer({ installation, env });
  b = await startServer({ installation, env });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all([a?.stop(), b?.stop()]);
});

async function liveOn(server: RunningServer, visitor?: Visitor) {
  const client = await connectLive(server.url, { visitor });
  clients.push(client);
  return client;
}

describe("two processes, one community", () => {
  it("delivers a reply posted through process A to watchers connected to process B, private ones only to their readers", async () => {
    const [askerA, helperA] = [new Visitor(a.url), new Visitor(a.url)];
    await join(askerA, aMember("cluster-asker"));
    await join(helperA, aMember("cluster-helper"));
    // The same session works on B: sessions live in the shared database.
    const askerB = new Visitor(b.url);
    askerB.cookieHeader = () => askerA.cookieHeader();
    const tagId = String((await queryOne<{ id: number }>(a.database, `SELECT "id" FROM "Tag" ORDER BY "id" LIMIT 1`)).id);

    const post = async (title: string, kind: string) => {
      const res = await askerA.post("/threads/new", { title, body: "Across processes?", kind, tagIds: tagId });
      return { id: Number(res.location!.split("/")[2]), path: res.location! };
    };
    const open = await post("Cluster: a public question", "question");
    const target = await post("TARGET: cluster private replies", "target");

    const guestOnB = await liveOn(b);
    const askerOnB = await liveOn(b, askerB);
    for (const client of [guestOnB, askerOnB]) {
      await subscribed(client, () => {
        client.watchThread(open.id);
        client.watchThread(target.id);
      });
    }
    // Warm B's guest page cache, to see it cleared by A's write (once B has
    // read A's earlier writes, which clear it too, within its poll).
    await eventually(async () => {
      await new Visitor(b.url).get(open.path);
      expect((await new Visitor(b.url).get(open.path)).headers.get("x-cache")).toBe("hit");
    });

    const publicReply = await helperA.post(open.path, { intent: "reply", body: "CLUSTER-PUBLIC answer" });
    const privateReply = await helperA.post(target.path, { intent: "reply", body: "CLUSTER-SECRET answer" });
    expect(publicReply.status).toBe(302);
    expect(privateReply.status).toBe(302);

    await eventually(() => expect(JSON.stringify(guestOnB.events)).toContain("CLUSTER-PUBLIC"));
    await eventually(() => expect(JSON.stringify(askerOnB.events)).toContain("CLUSTER-SECRET"));
    await eventually(() => expect(JSON.stringify(askerOnB.events)).toContain("CLUSTER-PUBLIC"));
    await eventually(() => expect(askerOnB.notifications).toBeGreaterThanOrEqual(2));
    expect(JSON.stringify(guestOnB.events)).not.toContain("CLUSTER-SECRET");

    // B's guest cache was cleared by the write on A, not left to its ten-minute TTL.
    const after = await new Visitor(b.url).get(open.path);
    expect(after.body).toContain("CLUSTER-PUBLIC");
  });

  it("ends a session's connections on B when it logs out through A", async () => {
    const member = new Visitor(a.url);
    await join(member, aMember("cluster-leaver"));
    const onB = new Visitor(b.url);
    onB.cookieHeader = () => member.cookieHeader();
    const client = await liveOn(b, onB);
    const ended = new Promise<string>((resolve) => client.socket.once("disconnect", resolve));
    await member.post("/logout", {});
    expect(await ended).toBe("io server disconnect");
  });
});
