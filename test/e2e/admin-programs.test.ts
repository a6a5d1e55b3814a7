// An admin edits a certification program in a real browser, on a phone and a
// desktop (and once without JavaScript): a level's threshold changed and saved,
// overlapping levels refused with the message beside the levels and the typed
// number kept, nothing scrolling sideways, no WCAG 2.2 AA findings (axe-core).
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../helpers/axe";
import { SHOTS, browserSuite } from "../helpers/browser";
import { aMember, Visitor } from "../helpers/client";
import { queryOne } from "../helpers/db";

const suite = browserSuite();
const server = () => suite.server();
const admin = aMember("admin", { handle: "admin" });

beforeAll(async () => {
  expect((await new Visitor(server().url).post(`/setup?token=${server().setupToken}`, admin)).status).toBe(302);
});

/** A logged-in admin's page at this width; axe needs the CSP bypassed (it is injected as an inline script). */
async function adminPage(width: number, javaScriptEnabled = true): Promise<Page> {
  const context = await suite.browser().newContext({ viewport: { width, height: 900 }, bypassCSP: true, javaScriptEnabled });
  const page = await context.newPage();
  page.on("pageerror", (e) => {
    throw e;
  });
  await page.goto(`${server().url}/login`);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return page;
}

const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const thresholds = async () =>
  (
    JSON.parse((await queryOne<{ definition: string }>(server().database, `SELECT "definition" FROM "Program" WHERE "slug" = 'para-ma'`)).definition) as {
      levels: { threshold: number }[];
    }
  ).levels.map((l) => l.threshold);

describe("editing a certification program", () => {
  for (const [width, javaScript] of [
    [375, true],
    [1280, true],
    [375, false],
  ] as const) {
    it(`at ${width} px${javaScript ? "" : " without JavaScript"}: a threshold saved, overlapping levels refused beside the levels`, async () => {
      const page = await adminPage(width, javaScript);
      await page.goto(`${server().url}/admin/programs`);
      await page.getByRole("link", { name: "Paralibrarian Recognition (PARA), Massachusetts", exact: true }).click();
      await page.getByRole("heading", { name: "Paralibrarian Recognition (PARA), Massachusetts" }).waitFor();
      await expect(page.getByRole("note", { name: "Check with the program" }).textContent()).resolves.toContain("placeholders");
      expect(await sideways(page), "the edit page scrolls sideways").toBeLessThanOrEqual(0);
      // axe runs in the page: only where scripts do.
      if (javaScript) expect(await axeViolations(page), "the edit page").toEqual([]);

      // Change level 2's threshold and save.
      const next = (await thresholds())[1] + 5;
      const level2 = page.getByRole("group", { name: /^Level 2:/ });
      await level2.getByLabel("Threshold (points)").fill(String(next));
      await page.getByRole("button", { name: "Save program" }).click();
      await page
        .getByRole("status")
        .filter({ hasText: /Saved as version \d+\./ })
        .waitFor();
      expect((await thresholds())[1]).toBe(next);
      await expect(level2.getByLabel("Threshold (points)").inputValue()).resolves.toBe(String(next));

      // Level 3 below level 2: refused, the message beside the levels, the typed number kept.
      await page
        .getByRole("group", { name: /^Level 3:/ })
        .getByLabel("Threshold (points)")
        .fill("10");
      await page.getByRole("button", { name: "Save program" }).click();
      const levels = page.getByRole("group", { name: "Levels" });
      await levels.getByRole("alert").filter({ hasText: "Levels overlap" }).waitFor();
      await expect(
        page
          .getByRole("group", { name: /^Level 3:/ })
          .getByLabel("Threshold (points)")
          .inputValue(),
      ).resolves.toBe("10");
      expect((await thresholds())[2]).toBe(100);
      // The banner at the top links to the levels, where the problem is.
      const toLevels = page.locator(".notice--error").getByRole("link", { name: /Levels overlap/ });
      expect(await toLevels.getAttribute("href")).toBe("#levels");
      await toLevels.click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("levels");
      expect(await sideways(page), "the page with errors scrolls sideways").toBeLessThanOrEqual(0);
      if (javaScript) expect(await axeViolations(page), "the page with errors").toEqual([]);
      await page.screenshot({ path: `${SHOTS}/admin-program-${width}${javaScript ? "" : "-nojs"}.png`, fullPage: true });

      await page.goto(`${server().url}/admin/programs`);
      expect(await sideways(page), "the list scrolls sideways").toBeLessThanOrEqual(0);
      if (javaScript) expect(await axeViolations(page), "the list").toEqual([]);
      await page.context().close();
    });
  }

  it("retires a program only once the admin confirms, without JavaScript; bringing it back is one press", async () => {
    const page = await adminPage(375, false);
    await page.goto(`${server().url}/admin/programs/nyslaa`);
    const yes = page.getByRole("button", { name: "Yes, retire this program" });
    expect(await yes.isVisible()).toBe(false);
    await page.locator("summary", { hasText: "Retire" }).click();
    expect(await yes.isVisible()).toBe(true);
    expect(await page.locator(".confirm__question").innerText()).toContain("Members can no longer choose");
    const retiredAt = async () =>
      (await queryOne<{ retiredAt: unknown }>(server().database, `SELECT "retiredAt" FROM "Program" WHERE "slug" = 'nyslaa'`)).retiredAt;
    expect(await retiredAt()).toBeNull();
    expect(await sideways(page), "the open question scrolls sideways").toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/admin-program-retire-375-nojs.png` });
    await yes.click();
    await page.getByRole("status").filter({ hasText: "Retired: members can no longer choose it" }).waitFor();
    expect(await retiredAt()).not.toBeNull();
    await page.getByRole("button", { name: "Bring back" }).click();
    await page.getByRole("status").filter({ hasText: "Offered to members again." }).waitFor();
    expect(await retiredAt()).toBeNull();
    await page.context().close();
  });
});
