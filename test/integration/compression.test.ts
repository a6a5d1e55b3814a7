// Compressed responses over real HTTP (issue 16): what is compressed, how it
// is negotiated, that every compressed body decodes to the bytes sent
// uncompressed, guests' cached pages with each response's own nonce, the
// precompressed build assets, and socket.io untouched.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveConnection } from "~/ui/live-connection";
import type { LiveEvent } from "~/lib/live";
import { aMember, join, Visitor } from "../helpers/client";
import { queryOne } from "../helpers/db";
import { eventually } from "../helpers/live";
import { eventsDelivered, startServer, type RunningServer } from "../helpers/server";

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

let server: RunningServer;
let admin: Visitor, member: Visitor;
let threadPath: string;
let threadId: number;

/** A request that keeps the bytes as sent (fetch would decode them). */
function raw(pathname: string, headers: Record<string, string> = {}, method = "GET"): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${pathname}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

function decoded(res: Raw): Buffer {
  const coding = res.headers["content-encoding"];
  if (coding === "br") return zlib.brotliDecompressSync(res.body);
  if (coding === "gzip") return zlib.gunzipSync(res.body);
  expect(coding).toBeUndefined();
  return res.body;
}

const nonceOf = (res: Raw) => /'nonce-([A-Za-z0-9+/=]+)'/.exec(String(res.headers["content-security-policy"]))?.[1];
/** The body as text with this response's nonce (if any) written as NONCE. */
const normalized = (res: Raw) => {
  const text = decoded(res).toString("utf8");
  const nonce = nonceOf(res);
  return nonce ? text.split(nonce).join("NONCE") : text;
};
const inlineScripts = (html: string) => [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
const varies = (res: Raw) => /(^|,)\s*accept-encoding\s*(,|$)/i.test(String(res.headers.vary ?? ""));
const withCookie = (visitor: Visitor, headers: Record<string, string> = {}) => ({ Cookie: visitor.cookieHeader(), ...headers });

const BR = { "Accept-Encoding": "gzip, deflate, br" };
const GZIP = { "Accept-Encoding": "gzip" };

async function reply(visitor: Visitor, body: string) {
  const res = await visitor.post(threadPath, { intent: "reply", body });
  expect(res.status, res.body.slice(0, 300)).toBe(302);
}

beforeAll(async () => {
  server = await startServer({ env: { GUEST_CACHE_SECONDS: "60" } });
  [admin, member] = [new Visitor(server.url), new Visitor(server.url)];
  const setup = await admin.post(`/setup?token=${server.setupToken}`, aMember("admin", { password: "correct horse battery staple" }));
  expect(setup.status).toBe(302);
  await join(member, aMember("reader"));
  const tagId = String((await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "Tag" WHERE "slug" = 'reference'`)).id);
  const body = "How do you weed a collection that nobody has touched in years? ".repeat(250);
  const created = await admin.post("/threads/new", { title: "Weeding a neglected collection", body, kind: "question", tagIds: tagId });
  expect(created.status, created.body.slice(0, 300)).toBe(302);
  threadPath = created.location!;
  threadId = Number(threadPath.split("/")[2]);
  // A page of a few hundred KiB: bodies stream in many chunks.
  for (let i = 0; i < 6; i++) await reply(admin, `Reply ${i}: start with circulation data, then condition. `.repeat(300));
  // Lists and feeds of more than a KiB.
  for (let i = 0; i < 8; i++) {
    const other = await admin.post("/threads/new", {
      title: `Shelving question number ${i}`,
      body: "Where do graphic novels go?",
      kind: "question",
      tagIds: tagId,
    });
    expect(other.status).toBe(302);
  }
  await eventsDelivered(server);
});
afterAll(async () => {
  await server?.stop();
});

describe("negotiated compression", () => {
  it("sends pages, JSON, data requests and feeds as br or gzip that decode to the uncompressed bytes", async () => {
    const paths = [
      threadPath,
      "/api/v1/threads",
      `/api/v1/threads/${threadId}`,
      `${threadPath}?_data=${encodeURIComponent("routes/t.$id.($slug)")}`,
      "/feeds/latest.rss",
      "/feeds/latest.atom",
      "/",
    ];
    for (const pathname of paths) {
      // As a member: rendered (and compressed) per request, never cached.
      const plain = await raw(pathname, withCookie(member));
      expect(plain.status, pathname).toBe(200);
      expect(plain.body.length, pathname).toBeGreaterThan(1024);
      expect(plain.headers["content-encoding"], pathname).toBeUndefined();
      expect(varies(plain), pathname).toBe(true);
      for (const [headers, coding] of [
        [BR, "br"],
        [GZIP, "gzip"],
      ] as const) {
        const packed = await raw(pathname, withCookie(member, headers));
        expect(packed.headers["content-encoding"], `${pathname} ${coding}`).toBe(coding);
        expect(packed.headers["content-length"], pathname).toBeUndefined(); // streamed
        expect(varies(packed), pathname).toBe(true);
        expect(packed.body.length, pathname).toBeLessThan(plain.body.length / 2);
        expect(normalized(packed), `${pathname} ${coding}`).toBe(normalized(plain));
      }
    }
  });

  it("prefers br, honours q-values and q=0, and sends identity when nothing else is acceptable", async () => {
    const cases: [string | undefined, string | undefined][] = [
      [undefined, undefined],
      ["identity", undefined],
      ["gzip, br", "br"],
      ["br, gzip", "br"],
      ["gzip;q=1.0, br;q=0.5", "gzip"],
      ["br;q=0, gzip", "gzip"],
      ["gzip;q=0, br;q=0", undefined],
      ["*", "br"],
      ["*;q=0", undefined],
      ["*, br;q=0", "gzip"],
      ["x-gzip", "gzip"],
      ["deflate, compress", undefined],
      ["BR", "br"],
    ];
    for (const [header, expected] of cases) {
      const res = await raw("/api/v1/threads", withCookie(member, header === undefined ? {} : { "Accept-Encoding": header }));
      expect(res.status, header).toBe(200);
      expect(res.headers["content-encoding"], header).toBe(expected);
      expect(varies(res), header).toBe(true);
      expect(JSON.parse(decoded(res).toString("utf8")).threads.length, header).toBeGreaterThan(0);
    }
  });

  it("answers odd Accept-Encoding headers without an error", async () => {
    for (const header of ["br;q=2", "gzip;q=abc", ";;;,,,", "gzip;q=0.5;q=", "br;level=11", "q=1", "\u00e9", "br;q=-1, gzip;q=1e3", "gzip, ".repeat(2000)]) {
      const res = await raw("/api/v1/threads", withCookie(member, { "Accept-Encoding": header }));
      expect(res.status, header).toBe(200);
      expect(JSON.parse(decoded(res).toString("utf8")).threads.length, header).toBeGreaterThan(0);
    }
  });

  it("leaves small bodies, HEAD, 304 and not-modified assets uncompressed", async () => {
    const health = await raw("/healthz", BR);
    expect(health.status).toBe(200);
    expect(health.body.length).toBeLessThan(1024);
    expect(health.headers["content-encoding"]).toBeUndefined();
    expect(Number(health.headers["content-length"])).toBe(health.body.length);
    expect(JSON.parse(health.body.toString("utf8")).status).toBe("ok");

    const missing = await raw("/api/v1/threads/999999", BR);
    expect(missing.status).toBe(404);
    expect(missing.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(missing.body.toString("utf8")).error.code).toBe("not_found");

    const head = await raw(threadPath, withCookie(member, BR), "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["content-encoding"]).toBeUndefined();
    expect(head.body.length).toBe(0);

    const asset = await builtAsset();
    const first = await raw(asset.url, BR);
    expect(first.headers["content-encoding"]).toBe("br");
    const again = await raw(asset.url, { ...BR, "If-None-Match": String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });
});

describe("guests' cached pages", () => {
  it("are compressed once and sent with each response's own nonce, decoding to the page byte for byte", async () => {
    const pathname = `${threadPath}?guest-view=1`;
    const miss = await raw(pathname, BR);
    expect(miss.headers["x-cache"]).toBe("miss");
    expect(miss.headers["content-encoding"]).toBe("br"); // compressed as it was rendered
    // Many guests at once while the cached page is first compressed: all wait for the one copy.
    const hits = await Promise.all([...Array.from({ length: 12 }, () => raw(pathname, BR)), raw(pathname, GZIP), raw(pathname, GZIP), raw(pathname)]);
    const nonces = [miss, ...hits].map(nonceOf);
    expect(new Set(nonces).size).toBe(nonces.length);
    const page = decoded(miss).toString("utf8");
    for (const hit of hits) {
      expect(hit.headers["x-cache"]).toBe("hit");
      expect(varies(hit)).toBe(true);
      expect(Number(hit.headers["content-length"])).toBe(hit.body.length);
      const html = decoded(hit).toString("utf8");
      const nonce = nonceOf(hit)!;
      const scripts = inlineScripts(html);
      expect(scripts.length).toBeGreaterThan(1);
      for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
      // The miss's page with this response's nonce, and nothing else changed.
      expect(html.split(nonce).join(nonceOf(miss)!)).toBe(page);
      expect(html.split(nonce).length).toBe(page.split(nonceOf(miss)!).length);
    }
    expect(hits.slice(0, 12).every((h) => h.headers["content-encoding"] === "br")).toBe(true);
    expect(hits.slice(12, 14).every((h) => h.headers["content-encoding"] === "gzip")).toBe(true);
    expect(hits[14].headers["content-encoding"]).toBeUndefined();
    // Compressed once, as a whole: no bigger than compressing the page afresh.
    const brHit = hits[0].body.length;
    expect(brHit).toBeLessThan(Buffer.byteLength(page) / 4);
  });

  it("keep JSON and feeds compressed too, and the small ones as they are", async () => {
    for (const pathname of ["/api/v1/threads?cached=1", "/feeds/latest.rss?cached=1"]) {
      const miss = await raw(pathname, GZIP);
      const hit = await raw(pathname, BR);
      expect(hit.headers["x-cache"], pathname).toBe("hit");
      expect(hit.headers["content-encoding"], pathname).toBe("br");
      expect(decoded(hit).equals(decoded(miss)), pathname).toBe(true);
    }
    // No job postings: a small list, sent as it is.
    const miss = await raw("/api/v1/threads?kind=job", BR);
    const hit = await raw("/api/v1/threads?kind=job", BR);
    for (const res of [miss, hit]) {
      expect(res.status).toBe(200);
      expect(res.body.length).toBeLessThan(1024);
      expect(res.headers["content-encoding"]).toBeUndefined();
      expect(JSON.parse(res.body.toString("utf8")).threads).toEqual([]);
    }
    expect(hit.headers["x-cache"]).toBe("hit");
  });
});

/** A built asset over 1 KiB with its precompressed copies. */
async function builtAsset() {
  const manifest = fs.readdirSync(path.resolve("public/build")).find((f) => /^manifest-.*\.js$/.test(f))!;
  return { url: `/build/${manifest}`, file: path.resolve("public/build", manifest) };
}

describe("static assets", () => {
  it("are precompressed at build: a .br and a .gz beside every text file over 1 KiB, decoding to it", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.(js|css)$/.test(file) && fs.statSync(file).size >= 1024) files.push(file);
      }
    };
    walk(path.resolve("public/build"));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const original = fs.readFileSync(file);
      expect(zlib.brotliDecompressSync(fs.readFileSync(`${file}.br`)).equals(original), file).toBe(true);
      expect(zlib.gunzipSync(fs.readFileSync(`${file}.gz`)).equals(original), file).toBe(true);
    }
  });

  it("are served precompressed with their own type and a year's immutable caching; other public files for an hour", async () => {
    const asset = await builtAsset();
    const original = fs.readFileSync(asset.file);
    for (const [headers, coding, copy] of [
      [BR, "br", ".br"],
      [GZIP, "gzip", ".gz"],
      [{}, undefined, ""],
    ] as const) {
      const res = await raw(asset.url, headers);
      expect(res.status).toBe(200);
      expect(res.headers["content-encoding"]).toBe(coding);
      expect(res.headers["content-type"]).toMatch(/^application\/javascript; charset=utf-8$/i);
      expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(varies(res)).toBe(true);
      expect(res.body.equals(fs.readFileSync(`${asset.file}${copy}`))).toBe(true);
      expect(decoded(res).equals(original)).toBe(true);
    }
    const css = fs.readdirSync(path.resolve("public/build/_assets")).find((f) => f.endsWith(".css"))!;
    const style = await raw(`/build/_assets/${css}`, BR);
    expect(style.headers["content-encoding"]).toBe("br");
    expect(style.headers["content-type"]).toMatch(/^text\/css/);

    const icon = await raw("/favicon.svg", BR);
    expect(icon.status).toBe(200);
    expect(icon.headers["cache-control"]).toBe("public, max-age=3600");
    expect(icon.headers["content-encoding"]).toBeUndefined(); // under 1 KiB
    for (const odd of ["/build/..%2f..%2fpackage.json", "/build/%E0%A4%A", "/build/no-such-file.js", "/build/_shared"]) {
      const res = await raw(odd, BR);
      expect(res.status, odd).not.toBe(500);
      expect(res.status, odd).not.toBe(200);
    }
  });
});

describe("socket.io", () => {
  it("connects and delivers over long-polling and over WebSocket", async () => {
    for (const transport of ["polling", "websocket"] as const) {
      const socket = io(server.url, { path: "/socket.io", transports: [transport], upgrade: false, extraHeaders: { Origin: server.url }, forceNew: true });
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once("connect", resolve);
          socket.once("connect_error", reject);
        });
        expect(socket.io.engine.transport.name).toBe(transport);
        const connection = new LiveConnection(socket);
        const events: LiveEvent[] = [];
        const before = connection.subscriptions;
        connection.watch({ threadId, floor: 0, onEvent: (e) => events.push(e), onResync: () => undefined });
        await eventually(() => expect(connection.idle && connection.subscriptions > before).toBe(true));
        await reply(admin, `Over ${transport}: a long reply so the message is big. `.repeat(60));
        await eventually(() => expect(events.some((e) => e.type === "reply.created")).toBe(true), 10_000);
      } finally {
        socket.close();
      }
    }
  });
});
