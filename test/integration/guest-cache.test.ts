// The guest page cache over real HTTP: every response has its own CSP nonce
// (cached or not), and the rules of what is kept, for whom, and what clears it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor, type Page } from "../helpers/client";
import { queryOne } from "../helpers/db";
import { eventsDelivered, startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let asker: Visitor, helper: Visitor, guest: Visitor, otherGuest: Visitor;
let tagId: string;

const nonceOf = (page: Page) => /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(page.headers.get("content-security-policy") ?? "")?.[1];
const inlineScripts = (html: string) => [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);

async function postThread(visitor: Visitor, title: string, body = "What do you do?") {
  const form = new URLSearchParams({ title, body, kind: "question", tagIds: tagId });
  const res = await visitor.request("/threads/new", {
    method: "POST",
    body: form.toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
  });
  expect(res.status, res.body.slice(0, 300)).toBe(302);
  // The thread's events clear the cache as they are read from the outbox, a
  // moment after the response: wait for that, so what follows is cached after it.
  await eventsDelivered(server);
  return res.location!;
}

beforeAll(async () => {
  server = await startServer();
  [asker, helper, guest, otherGuest] = [new Visitor(server.url), new Visitor(server.url), new Visitor(server.url), new Visitor(server.url)];
  await join(asker, aMember("cacheasker"));
  await join(helper, aMember("cachehelper"));
  tagId = String((await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "Tag" WHERE "slug" = 'reference'`)).id);
});
afterAll(async () => {
  await server?.stop();
});

describe("the CSP nonce of cached pages", () => {
  it("is fresh for every guest, matches the page's own CSP header, and is the only thing that differs", async () => {
    await postThread(asker, "A thread so the home page has content");
    const first = await guest.get("/");
    const second = await otherGuest.get("/");
    const third = await guest.get("/");
    expect(first.headers.get("x-cache")).toBe("miss");
    expect(second.headers.get("x-cache")).toBe("hit");
    expect(third.headers.get("x-cache")).toBe("hit");

    const nonces = [first, second, third].map(nonceOf);
    expect(new Set(nonces).size).toBe(3);
    for (const [i, page] of [first, second, third].entries()) {
      const nonce = nonces[i]!;
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      const scripts = inlineScripts(page.body);
      expect(scripts.length).toBeGreaterThan(0);
      for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
      // No earlier response's nonce survives in this one.
      for (const other of nonces) if (other !== nonce) expect(page.body).not.toContain(other);
    }
    // The cached page is the first page, nonce for nonce.
    expect(second.body.split(nonces[1]!).join(nonces[0]!)).toBe(first.body);
    expect(second.body.split(nonces[1]!).length).toBe(first.body.split(nonces[0]!).length);
  });

  it("never rewrites what members wrote, even text that looks like a nonce attribute", async () => {
    const path = await postThread(asker, "Nonce lookalikes in a post body", 'Try nonce="abc" and <script nonce="x">alert(1)</script> as text.');
    const miss = await guest.get(path);
    const hit = await otherGuest.get(path);
    expect(hit.headers.get("x-cache")).toBe("hit");
    for (const page of [miss, hit]) {
      expect(textOf(page.body)).toContain('Try nonce="abc" and &lt;script nonce="x"&gt;alert(1)&lt;/script&gt; as text.');
      for (const attrs of inlineScripts(page.body)) expect(attrs).toContain(`nonce="${nonceOf(page)}"`);
    }
    expect(hit.body.split(nonceOf(hit)!).join(nonceOf(miss)!)).toBe(miss.body);
  });
});

describe("the guest cache's rules", () => {
  it("keeps guests' pages, JSON and feeds; never 404s, HEAD or POST answers, members' or token holders' pages", async () => {
    for (const path of ["/tags", "/api/v1/threads", "/feeds/latest.rss", "/feeds/hits.atom"]) {
      expect((await guest.get(path)).headers.get("x-cache"), path).toBe("miss");
      expect((await guest.get(path)).headers.get("x-cache"), path).toBe("hit");
    }
    for (const path of ["/no-such-page", "/t/999999/gone"]) {
      const page = await guest.get(path);
      expect(page.status, path).toBe(404);
      expect((await guest.get(path)).headers.get("x-cache"), path).toBe("miss");
    }
    const head = await fetch(`${server.url}/tags`, { method: "HEAD" });
    expect(head.headers.get("x-cache")).toBeNull();
    // A member is rendered afresh, and what a member saw is not handed to guests.
    expect((await asker.get("/tags")).headers.get("x-cache")).toBeNull();
    expect((await fetch(`${server.url}/tags`, { headers: { Authorization: "Bearer pnt_nope" } })).headers.get("x-cache")).toBeNull();
  });

  it("is cleared by a change guests can see, and not by one they cannot", async () => {
    const leaver = new Visitor(server.url);
    await join(leaver, aMember("cacheleaver"));
    const path = await postThread(asker, "Cleared by what guests can see");
    expect((await guest.get(path)).headers.get("x-cache")).toBe("miss");
    expect((await guest.get(path)).headers.get("x-cache")).toBe("hit");

    // Logging out (a session.ended event) changes nothing a guest sees.
    expect((await leaver.post("/logout", {})).status).toBe(302);
    expect((await guest.get(path)).headers.get("x-cache")).toBe("hit");

    await helper.post(path, { intent: "reply", body: "A reply every guest should see at once" });
    const after = await guest.get(path);
    expect(after.headers.get("x-cache")).toBe("miss");
    expect(after.body).toContain("A reply every guest should see at once");
  });
});

describe("the guest cache's limits", () => {
  it("forgets pages after GUEST_CACHE_SECONDS and keeps at most GUEST_CACHE_MB", async () => {
    // About 25 KB: a thread page with a long body (sent once) is bigger than that, the tags page smaller.
    const small = await startServer({ env: { GUEST_CACHE_SECONDS: "1", GUEST_CACHE_MB: "0.025" } });
    try {
      const visitor = new Visitor(small.url);
      await join(visitor, aMember("cachelimits"));
      const tag = String((await queryOne<{ id: number }>(small.database, `SELECT "id" FROM "Tag" WHERE "slug" = 'reference'`)).id);
      const form = new URLSearchParams({ title: "A very long question body", body: "Shelving and weeding. ".repeat(900), kind: "question", tagIds: tag });
      const created = await visitor.request("/threads/new", {
        method: "POST",
        body: form.toString(),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: small.url },
      });
      const big = created.location!;
      const guestOfSmall = new Visitor(small.url);

      const bigPage = await guestOfSmall.get(big);
      expect(Buffer.byteLength(bigPage.body)).toBeGreaterThan(0.025 * 1024 * 1024);
      expect((await guestOfSmall.get(big)).headers.get("x-cache")).toBe("miss"); // too big to keep

      const tags = await guestOfSmall.get("/tags");
      expect(Buffer.byteLength(tags.body)).toBeLessThan(0.02 * 1024 * 1024);
      expect((await guestOfSmall.get("/tags")).headers.get("x-cache")).toBe("hit");
      // Expiry: the page is rendered again once it is older than a second.
      let page = await guestOfSmall.get("/tags");
      const deadline = Date.now() + 5_000;
      while (page.headers.get("x-cache") === "hit" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        page = await guestOfSmall.get("/tags");
      }
      expect(page.headers.get("x-cache")).toBe("miss");
    } finally {
      await small.stop();
    }
  });
});
