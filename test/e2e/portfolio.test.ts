// The certification portfolio in a real browser (issue 19), at phone and
// desktop widths, with JavaScript and without: a member follows LSSC, adds a
// course from the clearinghouse and a presentation split across two areas,
// sees the required sets marked and the figures in words, fixes a mistake the
// form names beside its field; no axe-core violations on the portfolio pages.
import path from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { aMember, join, Visitor } from "../helpers/client";
import { queryOne } from "../helpers/db";
import { axeViolations } from "../helpers/axe";
import { approvedCourse } from "../helpers/portfolio";
import { browserSuite, SHOTS } from "../helpers/browser";

const suite = browserSuite();
const server = () => suite.server();
const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
const PASSWORD = "correct horse battery";
let courseId = 0;
const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

async function logIn(handle: string, options: { javaScript?: boolean } = {}): Promise<Page> {
  const context = await suite.browser().newContext({ bypassCSP: true, javaScriptEnabled: options.javaScript ?? true });
  const page = await context.newPage();
  page.on("pageerror", (e) => {
    throw e;
  });
  await page.goto(`${server().url}/login`);
  await page.getByLabel("Email").fill(`member${handle}@example.org`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return page;
}
/** The figures beside a category's bar. */
const figures = (page: Page, category: string) => page.locator(".progress-bar", { hasText: category }).first().locator(".progress-bar__figures").innerText();

beforeAll(async () => {
  const url = server().url;
  const [admin, ada, bea] = [new Visitor(url), new Visitor(url), new Visitor(url)];
  expect((await admin.post(`/setup?token=${server().setupToken}`, aMember("admin", { handle: "admin" }))).status).toBe(302);
  await join(ada, aMember("ada", { handle: "ada", displayName: "Ada Byron" }));
  await join(bea, aMember("bea", { handle: "bea", displayName: "Bea Reader" }));
  courseId = await approvedCourse(admin, server().database);
}, 60_000);

describe("the portfolio in the browser", () => {
  for (const javaScript of [true, false]) {
    it(`follows LSSC, adds a course from the clearinghouse and a split presentation, and shows progress (${javaScript ? "with" : "without"} JavaScript)`, async () => {
      const handle = javaScript ? "ada" : "bea";
      const page = await logIn(handle, { javaScript });
      await page.setViewportSize(PHONE);
      await page.goto(`${server().url}/me/portfolio`);
      await page.getByLabel("Work toward a program").selectOption("lssc");
      await page.getByRole("button", { name: "Follow this program" }).click();
      await page.waitForURL(/\/me\/portfolio\/programs\/lssc$/);
      await expect.poll(() => page.getByText("0 of 3 required categories met").count()).toBe(1);

      // A course from the clearinghouse: filled in, saved only when the member says so.
      await page.goto(`${server().url}/resources/${courseId}`);
      await page.getByRole("link", { name: "Add to my portfolio" }).click();
      await page.waitForURL(/\/me\/portfolio\/new\?resource=/);
      expect(await page.getByLabel("Title").inputValue()).toBe("Library technology essentials");
      expect(await page.getByLabel("Amount").inputValue()).toBe("15");
      expect(await page.getByRole("checkbox", { name: "Technology" }).isChecked()).toBe(true);
      await page.getByLabel("Start date").fill(ago(40));
      await page.getByLabel("End date").fill(ago(10));
      await page.getByRole("button", { name: "Save to my portfolio" }).click();
      await page.waitForURL(/\/me\/portfolio\/entries\/\d+\?saved=1$/);

      // A presentation split across two areas, with a mistake first: the hours do not add up.
      await page.goto(`${server().url}/me/portfolio/new`);
      await page.getByLabel("Kind of activity").selectOption("presentation");
      await page.getByLabel("Title").fill("Teaching patrons to use e-readers");
      await page.getByLabel("Start date").fill(ago(20));
      await page.getByLabel("Amount").fill("10");
      await page.getByRole("checkbox", { name: "Technology" }).check();
      await page.getByRole("checkbox", { name: "Reference" }).check();
      await page.getByLabel("Hours for Technology").fill("6");
      await page.getByLabel("Hours for Reference").fill("5");
      await page.getByRole("button", { name: "Save to my portfolio" }).click();
      await expect.poll(() => page.getByText("hours add up to 11, not the entry").count()).toBe(1);
      expect(await page.getByLabel("Title").inputValue()).toBe("Teaching patrons to use e-readers");
      await page.getByLabel("Hours for Reference").fill("4");
      await page.getByRole("button", { name: "Save to my portfolio" }).click();
      await page.waitForURL(/\/me\/portfolio\/entries\/\d+\?saved=1$/);

      await page.goto(`${server().url}/me/portfolio/programs/lssc`);
      expect(await figures(page, "Technology")).toBe("21 of 15 hours — met ✓");
      expect(await figures(page, "Reference")).toBe("4 of 15 hours — 11 to go");
      expect(await page.locator(".progress-bar", { hasText: "Foundations of Library Services" }).innerText()).toContain("(required)");
      expect(await page.getByRole("list", { name: "In words" }).innerText()).toContain("1 of 3 required categories met; 0 of 3 electives met.");
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(sideways).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(SHOTS, `portfolio-lssc-375-${javaScript ? "js" : "nojs"}.png`), fullPage: true });
      await page.context().close();
    });
  }

  it("has no axe violations on the portfolio pages at 375 and 1280 px", async () => {
    const page = await logIn("ada");
    const entry = await queryOne<{ id: number }>(server().database, `SELECT MIN("id") AS "id" FROM "PortfolioEntry"`);
    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      for (const at of [
        "/me/portfolio",
        "/me/portfolio/new",
        "/me/portfolio/programs/lssc",
        "/me/portfolio/programs/para-ma",
        `/me/portfolio/entries/${entry.id}`,
      ]) {
        await page.goto(`${server().url}${at}`);
        expect(await axeViolations(page), `${at} at ${viewport.width} px`).toEqual([]);
      }
    }
    await page.context().close();
  });
});
