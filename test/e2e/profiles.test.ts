// A member's profile in a real browser, at phone and desktop widths: the
// record and the tabs of threads, replies and HITs (plain links: they work
// with and without JavaScript, and mark the current tab), paging, and no
// axe-core violations for a guest or for the member with her own hidden and
// private posts shown.
import path from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { queryOne } from "../helpers/db";
import { axeViolations } from "../helpers/axe";
import { browserSuite, SHOTS } from "../helpers/browser";

const suite = browserSuite();
const server = () => suite.server();
const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
const PASSWORD = "correct horse battery";

async function violations(page: Page, path: string, viewport: { width: number; height: number }): Promise<string[]> {
  await page.setViewportSize(viewport);
  if (path) await page.goto(`${server().url}${path}`);
  return axeViolations(page);
}

/** A browser page (axe is injected inline, which the site's CSP rightly refuses: bypassed here only). */
async function newPage(options: { javaScript?: boolean } = {}): Promise<Page> {
  const context = await suite.browser().newContext({ bypassCSP: true, javaScriptEnabled: options.javaScript ?? true });
  const page = await context.newPage();
  page.on("pageerror", (e) => {
    throw e;
  });
  return page;
}

beforeAll(async () => {
  const url = server().url;
  const [admin, ada, bea] = [new Visitor(url), new Visitor(url), new Visitor(url)];
  expect((await admin.post(`/setup?token=${server().setupToken}`, aMember("admin", { handle: "admin" }))).status).toBe(302);
  expect((await admin.post("/admin/settings", { worksiteRequired: "on", holdFirstPosts: "0", flagsToHide: "3", postLimit: "1000" })).status).toBe(200);
  await join(ada, aMember("ada", { handle: "ada", displayName: "Ada Byron", jobTitle: "Library Technician", worksite: "Hill County Library" }));
  await join(bea, aMember("bea", { handle: "bea", displayName: "Bea Reader" }));
  const tagId = String((await queryOne<{ id: number }>(server().database, `SELECT "id" FROM "Tag" WHERE "slug" = 'reference'`)).id);
  const ask = async (v: Visitor, title: string, kind = "question") => {
    const res = await v.post("/threads/new", { title, body: "What do you do about this in your library?", kind, tagIds: tagId });
    if (res.status !== 302) throw new Error(`posting failed ${res.status}: ${textOf(res.body).slice(0, 300)}`);
    return res.location!;
  };
  const reply = async (v: Visitor, at: string, body: string) => {
    const res = await v.post(at, { intent: "reply", body });
    if (res.status !== 302) throw new Error(`replying failed ${res.status}`);
    return /#reply-(\d+)$/.exec(res.location!)![1];
  };
  await ask(ada, "How do you label graphic novels?");
  const question = await ask(bea, "Which reference databases are free?");
  const answer = await reply(ada, question, "**Gale** and the state library's _databases_.");
  expect((await bea.post(question, { intent: "accept", replyId: answer })).status).toBe(302);
  expect((await bea.post(question, { intent: "helpful", replyId: answer })).status).toBe(302);
  for (let i = 0; i < 20; i++) await reply(ada, question, `Another thought, number ${i}.`);
  // Her own private TARGET reply and a reply a moderator hid: badges only she (and staff) see.
  const target = await ask(bea, "TARGET: storytime songs", "target");
  await reply(ada, target, "Private: the wheels on the bus.");
  const hidden = await reply(ada, question, "A reply to be hidden.");
  expect((await admin.post(question, { intent: "mod-hide", target: `reply:${hidden}`, reason: "Off topic" })).status).toBe(200);
}, 60_000);

describe("a profile in the browser", () => {
  it("has no axe violations on any tab, for a guest and for the member herself, at 375 and 1280 px", async () => {
    const guest = await newPage();
    const ada = await newPage();
    await ada.goto(`${server().url}/login`);
    await ada.getByLabel("Email").fill("memberada@example.org");
    await ada.getByLabel("Password").fill(PASSWORD);
    await ada.getByRole("button", { name: "Log in" }).click();
    await ada.waitForURL((u) => !u.pathname.startsWith("/login"));
    for (const [who, page] of [
      ["guest", guest],
      ["ada", ada],
    ] as const) {
      for (const tab of ["threads", "replies", "hits"]) {
        for (const viewport of [PHONE, DESKTOP]) {
          expect(await violations(page, `/u/ada?tab=${tab}`, viewport), `${who} ${tab} at ${viewport.width}px`).toEqual([]);
        }
      }
    }
    await guest.setViewportSize(DESKTOP);
    await guest.goto(`${server().url}/u/ada?tab=replies`);
    await guest.screenshot({ path: path.join(SHOTS, "profile-guest-1280.png"), fullPage: true });
    // Her own view shows what only she may see, marked.
    await ada.goto(`${server().url}/u/ada?tab=replies`);
    await ada.getByText("Private reply").first().waitFor();
    await ada.getByText("Hidden", { exact: true }).first().waitFor();
    await ada.setViewportSize(PHONE);
    await ada.screenshot({ path: path.join(SHOTS, "profile-member-375.png"), fullPage: true });
    await guest.context().close();
    await ada.context().close();
  });

  for (const [name, javaScript] of [
    ["with JavaScript", true],
    ["without JavaScript", false],
  ] as const) {
    it(`switches tabs and pages ${name}, at 375 and 1280 px`, async () => {
      const page = await newPage({ javaScript });
      for (const viewport of [PHONE, DESKTOP]) {
        await page.setViewportSize(viewport);
        await page.goto(`${server().url}/u/ada`);
        const tabs = page.getByRole("navigation", { name: "Posts" });
        expect(await tabs.getByRole("link", { name: /Threads/ }).getAttribute("aria-current")).toBe("page");
        await page.getByRole("heading", { name: "How do you label graphic novels?" }).waitFor();
        // The page does not scroll sideways.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);

        await tabs.getByRole("link", { name: /Replies/ }).click();
        await page.waitForURL("**/u/ada?tab=replies");
        await page.getByRole("heading", { name: "Re: Which reference databases are free?" }).first().waitFor();
        expect(await tabs.getByRole("link", { name: /Replies/ }).getAttribute("aria-current")).toBe("page");
        expect(await tabs.getByRole("link", { name: /Threads/ }).getAttribute("aria-current")).toBeNull();
        // 21 replies a guest may read: 20 here, the first one "Older" away, the accepted answer among them in plain text.
        expect(await page.locator(".profile-work__item").count()).toBe(20);
        await page.getByRole("link", { name: "Older replies" }).click();
        await page.waitForURL(/\/u\/ada\?tab=replies&before=\d+$/);
        await page.getByText("Gale and the state library's databases.").waitFor();
        expect(await page.locator(".profile-work__item").count()).toBe(1);
        expect(await page.getByText("Accepted answer", { exact: true }).count()).toBe(1);
        if (viewport === PHONE) await page.screenshot({ path: path.join(SHOTS, `profile-replies-375-${javaScript ? "js" : "nojs"}.png`), fullPage: true });

        await page.getByRole("link", { name: "Re: Which reference databases are free?" }).last().click();
        await page.waitForURL(/\/t\/\d+\/which-reference-databases-are-free\?reply=\d+#reply-\d+$/);
        await page.getByText("Gale", { exact: false }).first().waitFor();
      }
      await page.context().close();
    });
  }
});
