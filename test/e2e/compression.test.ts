// In a real browser: a guest's thread page from the guest cache, compressed
// once and sent with the response's own nonce, decodes and hydrates (its
// inline scripts run under the page's CSP), in brotli and in gzip; the
// scripts and styles arrive precompressed.
import type { Page, Response } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserSuite } from "../helpers/browser";
import { aMember, Visitor } from "../helpers/client";
import { queryOne } from "../helpers/db";
import { eventsDelivered } from "../helpers/server";

const suite = browserSuite();

async function guestPage(headers: Record<string, string> = {}): Promise<{ page: Page; problems: string[]; assets: Response[] }> {
  const context = await suite.browser().newContext({ extraHTTPHeaders: headers });
  const page = await context.newPage();
  const problems: string[] = [];
  const assets: Response[] = [];
  page.on("pageerror", (err) => problems.push(err.message));
  page.on("console", (msg) => msg.type() === "error" && problems.push(msg.text()));
  page.on("response", (res) => new URL(res.url()).pathname.startsWith("/build/") && assets.push(res));
  return { page, problems, assets };
}

describe("compressed pages in the browser", () => {
  it("decodes and hydrates a guest's cached thread page, in brotli and gzip", async () => {
    const server = suite.server();
    const admin = new Visitor(server.url);
    expect((await admin.post(`/setup?token=${server.setupToken}`, aMember("admin", { password: "correct horse battery staple" }))).status).toBe(302);
    const tagId = String((await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "Tag" WHERE "slug" = 'reference'`)).id);
    const created = await admin.post("/threads/new", {
      title: "Which weeding criteria do you use?",
      body: "CREW, MUSTIE, or your own? ".repeat(200),
      kind: "question",
      tagIds: tagId,
    });
    expect(created.status).toBe(302);
    const threadPath = created.location!;
    expect((await admin.post(threadPath, { intent: "reply", body: "MUSTIE, and circulation data first. ".repeat(100) })).status).toBe(302);
    await eventsDelivered(server);

    for (const [headers, coding] of [
      [{}, "br"],
      [{ "Accept-Encoding": "gzip" }, "gzip"],
    ] as const) {
      const { page, problems, assets } = await guestPage(headers);
      await page.goto(`${server.url}${threadPath}`); // a miss for the first, maybe, then a hit
      const response = (await page.goto(`${server.url}${threadPath}`))!;
      expect(response.headers()["x-cache"]).toBe("hit");
      expect(response.headers()["content-encoding"]).toBe(coding);
      // Remix's inline scripts ran (the nonce matched the CSP) and the page hydrated.
      await page.waitForFunction(() => "__remixRouter" in window, undefined, { timeout: 10_000 });
      expect(await page.getByText("MUSTIE, and circulation data first.").count()).toBe(1);
      const scripts = assets.filter((a) => a.url().endsWith(".js") && a.status() === 200);
      expect(scripts.length).toBeGreaterThan(3);
      // Every script over 1 KiB came precompressed; only the small ones as they are.
      for (const script of scripts.filter((s) => s.headers()["content-encoding"] !== coding)) {
        expect(Number(script.headers()["content-length"]), script.url()).toBeLessThan(1024);
      }
      expect(scripts.filter((s) => s.headers()["content-encoding"] === coding).length).toBeGreaterThan(3);
      expect(problems).toEqual([]);
      await page.context().close();
    }
  });
});
