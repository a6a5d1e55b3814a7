// The everyday experience on a phone and a desktop, in a real browser: the
// header's one Menu on phones for every role (nothing cut off or scrolling
// sideways), the Reply jump link (sticky on phones), and a title that counts
// instead of silently cutting pasted text.
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { queryOne } from "../helpers/db";
import { browserSuite } from "../helpers/browser";

const suite = browserSuite();
const server = () => suite.server();
const PASSWORD = "correct horse battery";
let threadPath = "";

async function newPage(width: number, height = 740): Promise<Page> {
  const context = await suite.browser().newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.on("pageerror", (e) => {
    throw e;
  });
  return page;
}

async function logIn(page: Page, handle: string) {
  await page.goto(`${server().url}/login`);
  await page.getByLabel("Email").fill(`member${handle}@example.org`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
}

/** How far the page scrolls sideways (0 when it fits the screen). */
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

beforeAll(async () => {
  const url = server().url;
  const admin = new Visitor(url);
  expect((await admin.post(`/setup?token=${server().setupToken}`, aMember("admin", { handle: "admin" }))).status).toBe(302);
  expect((await admin.post("/admin/settings", { worksiteRequired: "on", holdFirstPosts: "0", flagsToHide: "3", postLimit: "1000" })).status).toBe(200);
  const [ada, moderator] = [new Visitor(url), new Visitor(url)];
  // A long display name: the header must not cut it into the row or push the page sideways.
  await join(ada, aMember("ada", { handle: "ada", displayName: "Adelaide Montgomery-Fitzwilliam" }));
  await join(moderator, aMember("mod", { handle: "mod", displayName: "Morgan Moderator" }));
  const modId = (await queryOne<{ id: number }>(server().database, `SELECT "id" FROM "User" WHERE "handle" = 'mod'`)).id;
  expect((await admin.post("/admin/members", { userId: String(modId), role: "moderator" })).status).toBe(200);
  const tagId = String((await queryOne<{ id: number }>(server().database, `SELECT "id" FROM "Tag" WHERE "slug" = 'reference'`)).id);
  const res = await ada.post("/threads/new", {
    title: "How long do you keep old almanacs?",
    body: "We have twenty years of them.",
    kind: "question",
    tagIds: tagId,
  });
  expect(res.status, textOf(res.body).slice(0, 300)).toBe(302);
  threadPath = res.location!;
  for (let i = 0; i < 15; i++) {
    const reply = await moderator.post(threadPath, { intent: "reply", body: `Answer ${i}: ${"We keep five years and the state edition. ".repeat(6)}` });
    expect(reply.status).toBe(302);
  }
}, 60_000);

describe("the everyday experience", () => {
  it("gives every role one Menu on a phone, with nothing cut off or scrolling sideways, and the row of links on a desktop", async () => {
    for (const who of ["guest", "ada", "mod"]) {
      for (const width of [320, 375]) {
        const page = await newPage(width);
        if (who !== "guest") await logIn(page, who);
        await page.goto(`${server().url}/`);
        expect(await sideways(page), `${who} at ${width}px`).toBeLessThanOrEqual(0);
        const banner = page.getByRole("banner");
        // The desktop row and account menu are not shown (nor announced) on a phone.
        expect(await banner.getByRole("navigation", { name: "Main" }).isVisible()).toBe(false);
        await banner.getByText("Menu", { exact: true }).click();
        for (const name of ["Threads", "Resources", "Search"]) expect(await banner.getByRole("link", { name, exact: true }).isVisible(), name).toBe(true);
        expect(await banner.getByRole("link", { name: "Moderate" }).isVisible()).toBe(who === "mod");
        expect(await banner.getByRole("link", { name: "Your profile" }).isVisible()).toBe(who !== "guest");
        expect(await banner.getByRole("link", { name: "Log in" }).isVisible()).toBe(who === "guest");
        // Every link in the open menu is a comfortable target (WCAG 2.2 2.5.8: at least 24 × 24 px).
        for (const box of await banner
          .locator(".menu--phone .menu__list a, .menu--phone .menu__list button")
          .evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ w: r.width, h: r.height }))))
          expect(Math.min(box.w, box.h)).toBeGreaterThanOrEqual(24);
        await banner.getByRole("link", { name: "Resources", exact: true }).click();
        await page.waitForURL("**/resources");
        // The menu closes after navigating.
        await banner.getByRole("link", { name: "Search", exact: true }).waitFor({ state: "hidden" });
        await page.context().close();
      }
    }
    const desktop = await newPage(1280, 900);
    await logIn(desktop, "mod");
    const banner = desktop.getByRole("banner");
    await desktop.goto(`${server().url}/resources`);
    await banner.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Moderate" }).waitFor();
    expect(await banner.getByText("Menu", { exact: true }).isVisible()).toBe(false);
    await desktop.context().close();
  });

  it("keeps a Reply button at hand down a long thread on a phone, and jumps to the reply box", async () => {
    const page = await newPage(375);
    await logIn(page, "ada");
    await page.goto(`${server().url}${threadPath}`);
    const jump = page.locator(".jump-to-reply--sticky a");
    // Halfway down the thread, the button is on screen, at the bottom.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
    const box = (await jump.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(740);
    expect(box.y).toBeGreaterThan(600);
    await jump.click();
    await page.waitForURL(/#reply-form$/);
    const form = (await page.locator("#reply-form").boundingBox())!;
    expect(form.y).toBeLessThan(740);
    expect(form.y + 40).toBeGreaterThan(0);
    // On a desktop the jump sits in the thread's header instead.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server().url}${threadPath}`);
    expect(await page.locator(".thread__head").getByRole("link", { name: "Answer", exact: true }).isVisible()).toBe(true);
    expect(await jump.isVisible()).toBe(false);
    await page.context().close();
  });

  it("counts a pasted title that is too long instead of cutting it, and the server says the same", async () => {
    const page = await newPage(375);
    await logIn(page, "ada");
    await page.goto(`${server().url}/threads/new`);
    const title = page.getByLabel("Title");
    await page.getByText("150 characters left").waitFor();
    const pasted = "Weeding ".repeat(30).slice(0, 210);
    await title.fill(pasted);
    expect(await title.inputValue()).toBe(pasted);
    await page.getByText("60 characters too many").waitFor();
    await page.getByRole("button", { name: "Post thread" }).click();
    await page.getByText("Title must be at most 150 characters.").waitFor();
    expect(await title.inputValue()).toBe(pasted);
    await title.fill(pasted.slice(0, 140));
    await page.getByText("10 characters left").waitFor();
    // A post's body counts only near its limit (20,000 characters), where it helps.
    const body = page.getByLabel("Your question or message");
    await body.fill("Shelving. ".repeat(1000));
    expect(await page.locator("#body-editor-counter").count()).toBe(0);
    await body.fill("Shelving. ".repeat(2005));
    await page.getByText("50 characters too many").waitFor();
    await page.context().close();
  });
});
