// The guest cache middleware in a real Express server on a real port: its
// entry and byte limits (least recently used first) and the nonce it splices
// into every hit, body and headers alike.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { guestCache, joinWithNonce, splitAtNonce } from "../../server/guest-cache";

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** Pages of `size` bytes at /:name, each naming the response's nonce in its body and CSP header. */
async function serve(options: { maxEntries?: number; maxBytes?: number }, size = 1000) {
  const app = express();
  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    res.setHeader("Content-Security-Policy", `script-src 'nonce-${res.locals.cspNonce}'`);
    next();
  });
  app.use(guestCache({ ttlMs: 60_000, ...options }));
  app.get("/:name", (req, res) => {
    const head = `<script nonce="${res.locals.cspNonce}">${req.params.name}</script>`;
    res.type("text/html").send(head + "x".repeat(Math.max(0, size - head.length)));
  });
  const server = http.createServer(app);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async (path: string) => {
    const res = await fetch(base + path);
    return { cache: res.headers.get("x-cache"), csp: res.headers.get("content-security-policy")!, body: await res.text() };
  };
}

describe("guest cache", () => {
  it("splits at every occurrence of the nonce and joins with another", () => {
    const body = Buffer.from("a N1 b N1 c");
    expect(splitAtNonce(body, "N1").map(String)).toEqual(["a ", " b ", " c"]);
    expect(String(joinWithNonce(splitAtNonce(body, "N1"), "M2"))).toBe("a M2 b M2 c");
    expect(splitAtNonce(body, "")).toEqual([body]);
  });

  it("gives every hit its own nonce, in the body and in the CSP header", async () => {
    const get = await serve({});
    const miss = await get("/a");
    const hit = await get("/a");
    expect([miss.cache, hit.cache]).toEqual(["miss", "hit"]);
    const nonce = /'nonce-([^']+)'/.exec(hit.csp)![1];
    expect(nonce).not.toBe(/'nonce-([^']+)'/.exec(miss.csp)![1]);
    expect(hit.body.startsWith(`<script nonce="${nonce}">a</script>`)).toBe(true);
    expect(hit.body.length).toBe(miss.body.length);
  });

  it("keeps at most maxEntries pages, dropping the least recently used", async () => {
    const get = await serve({ maxEntries: 2 });
    await get("/a");
    await get("/b");
    expect((await get("/a")).cache).toBe("hit"); // a is now the most recently used
    await get("/c"); // evicts b
    expect((await get("/b")).cache).toBe("miss");
    expect((await get("/c")).cache).toBe("hit");
  });

  it("keeps at most maxBytes, and never a page bigger than that", async () => {
    const get = await serve({ maxBytes: 4500 }, 1000);
    await get("/a");
    await get("/b");
    await get("/c");
    expect((await get("/a")).cache).toBe("hit");
    await get("/d"); // a fourth page (a kilobyte and its headers) does not fit: b, the least recently used, goes
    expect((await get("/b")).cache).toBe("miss");
    expect((await get("/a")).cache).toBe("hit");

    const huge = await serve({ maxBytes: 4500 }, 5000);
    await huge("/big");
    expect((await huge("/big")).cache).toBe("miss");
  });
});
