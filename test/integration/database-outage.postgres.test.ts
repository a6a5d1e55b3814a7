// PostgreSQL going away under a running ParaNet (a failover, a restart), made
// real: the server reaches its database through a TCP proxy this test cuts
// and restores. While it is gone, requests answer 503 with Retry-After
// quickly (not after a connection timeout each), the API in its JSON shape,
// /healthz says "unavailable"; when it is back, the same process serves
// again by itself, and nothing written before is lost.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, Visitor } from "../helpers/client";
import { freshInstallation, startServer, type RunningServer } from "../helpers/server";

/** A proxy in front of PostgreSQL that can drop every connection and refuse new ones. */
async function cuttableProxy(target: URL) {
  const open = new Set<net.Socket>();
  let up = true;
  const server = net.createServer((client) => {
    if (!up) return client.destroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on("error", () => {});
      s.on("close", () => open.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      up = false;
      for (const s of open) s.destroy();
    },
    restore() {
      up = true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let server: RunningServer;
let proxy: Awaited<ReturnType<typeof cuttableProxy>>;
const member = () => new Visitor(server.url);
let reader: Visitor;
let threadPath: string;

beforeAll(async () => {
  const installation = await freshInstallation();
  const real = new URL(installation.database.url);
  proxy = await cuttableProxy(real);
  const viaProxy = new URL(real);
  viaProxy.hostname = "127.0.0.1";
  viaProxy.port = String(proxy.port);
  server = await startServer({ installation: { ...installation, database: { ...installation.database, url: viaProxy.toString() } } });
  reader = member();
  await join(reader, aMember("outage"));
  const tag = /name="tagIds" value="(\d+)"/.exec((await reader.get("/threads/new")).body)![1]!;
  const asked = await reader.post("/threads/new", { title: "Before the failover", body: "Written while the database was up.", kind: "question", tagIds: tag });
  expect(asked.status).toBe(302);
  threadPath = asked.location!;
});

afterAll(async () => {
  proxy?.restore();
  await server?.stop();
  await proxy?.close();
});

describe("when PostgreSQL goes away", () => {
  it("answers 503 with Retry-After at once, pages and API alike, then serves again by itself", async () => {
    expect((await reader.get(threadPath)).status).toBe(200);
    proxy.cut();

    // The first request finds the connection gone; the ones after it are refused at once.
    const first = await reader.get(threadPath);
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("5");
    const started = performance.now();
    const page = await reader.get("/");
    const api = await reader.get("/api/v1/threads");
    expect(performance.now() - started).toBeLessThan(1000);
    expect(page.status).toBe(503);
    expect(page.body).toContain("cannot reach its database");
    expect(api.status).toBe(503);
    expect(JSON.parse(api.body)).toMatchObject({ error: { code: "unavailable" } });
    const health = await reader.get("/healthz");
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body)).toMatchObject({ status: "unavailable" });

    proxy.restore();
    // Within a few seconds the same process serves again: no restart.
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await reader.get(threadPath)).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
    expect((await reader.get(threadPath)).body).toContain("Written while the database was up.");
    expect((await reader.get("/healthz")).status).toBe(200);
    // And it writes again.
    const replied = await reader.post(threadPath, { intent: "reply", body: "Written after the failover." });
    expect(replied.status).toBe(302);
    expect((await reader.get(threadPath)).body).toContain("Written after the failover.");
    expect(server.output()).not.toMatch(/"level":(50|60)[^\n]*unhandled error/);
  });
});
