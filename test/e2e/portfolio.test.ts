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
      // The areas are a tidy grid at 375 px: every hour box in one column, its unit shown, text large enough that iOS does not zoom.
      const boxes = await page.locator(".area-split__hours").evaluateAll((els) =>
        els.map((el) => ({
          left: Math.round(el.getBoundingClientRect().left),
          right: el.getBoundingClientRect().right,
          font: getComputedStyle(el).fontSize,
        })),
      );
      expect(boxes.length).toBe(10);
      expect(new Set(boxes.map((b) => b.left)).size).toBe(1);
      for (const b of boxes) expect(parseFloat(b.font)).toBeGreaterThanOrEqual(16);
      const units = await page
        .locator(".area-split__unit")
        .evaluateAll((els) => els.map((el) => ({ text: (el as HTMLElement).innerText, left: el.getBoundingClientRect().left })));
      for (const u of units) {
        expect(u.text).toMatch(/^hours\b/); // then, to screen readers only, " for <area>"
        expect(u.left).toBeGreaterThanOrEqual(boxes[0].right);
      }
      await page.getByLabel("Kind of activity").selectOption("presentation");
      await page.getByLabel("Title").fill("Teaching patrons to use e-readers");
      await page.getByLabel("Start date").fill(ago(20));
      await page.getByLabel("Amount").fill("10");
      await page.getByRole("checkbox", { name: "Technology" }).check();
      await page.getByRole("checkbox", { name: "Reference" }).check();
      await page.getByLabel("Hours for Technology").fill("6");
      await page.getByLabel("Hours for Reference").fill("5");
      await page.getByRole("button", { name: "Save to my portfolio" }).click();
      await expect.poll(() => page.locator("#areas-error").count()).toBe(1);
      expect(await page.locator("#areas-error").innerText()).toContain("hours add up to 11, not the entry");
      expect(await page.getByLabel("Title").inputValue()).toBe("Teaching patrons to use e-readers");
      // The areas are marked as invalid fields are (a red border), the chosen areas' boxes too.
      const areas = page.getByRole("group", { name: "Competency areas it served" });
      expect(await areas.evaluate((el) => getComputedStyle(el).borderTopColor)).toBe("rgb(166, 27, 27)");
      expect(await page.getByLabel("Hours for Technology").getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByLabel("Hours for Access Services").getAttribute("aria-invalid")).toBeNull();
      // The banner links to them: one tap from the top of the form to the areas.
      const banner = page.locator(".notice--error");
      expect(await banner.innerText()).toContain("Please correct the highlighted fields.");
      const toAreas = banner.getByRole("link", { name: /hours add up to 11/ });
      expect(await toAreas.getAttribute("href")).toBe("#areas");
      await toAreas.click();
      await expect.poll(() => page.evaluate(() => location.hash)).toBe("#areas");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("areas");
      await areas.screenshot({ path: path.join(SHOTS, `portfolio-areas-error-375-${javaScript ? "js" : "nojs"}.png`) });
      await page.getByLabel("Hours for Reference").fill("4");
      await page.getByLabel("Reflection or competency statement").fill("Showed twelve patrons how to borrow e-books.");
      await page.getByRole("button", { name: "Save to my portfolio" }).click();
      await page.waitForURL(/\/me\/portfolio\/entries\/\d+\?saved=1$/);

      // The entry reads first (areas with their hours, the reflection); the edit form is folded below.
      const facts = page.locator(".entry-facts");
      expect(await facts.innerText()).toMatch(/Technology 6 hours\s+Reference 4 hours/);
      expect(await facts.innerText()).toContain("Showed twelve patrons how to borrow e-books.");
      expect(await page.getByRole("button", { name: "Save changes" }).isVisible()).toBe(false);
      const factsEnd = await facts.evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY);
      await page.screenshot({ path: path.join(SHOTS, `portfolio-entry-375-${javaScript ? "js" : "nojs"}.png`), fullPage: true });
      // "Edit this entry" opens the form (a link: it works without JavaScript); a failed save keeps it open.
      await page.getByRole("link", { name: "Edit this entry" }).click();
      await page.getByRole("button", { name: "Save changes" }).waitFor();
      expect(await page.getByLabel("Title").evaluate((el) => el.getBoundingClientRect().top + window.scrollY)).toBeGreaterThan(factsEnd);
      await page.getByLabel("Amount").fill("0");
      await page.getByRole("button", { name: "Save changes" }).click();
      await expect.poll(() => page.getByRole("link", { name: "Amount must be more than 0." }).count()).toBe(1);
      expect(await page.getByRole("button", { name: "Save changes" }).isVisible()).toBe(true);
      await page.getByLabel("Amount").fill("10");
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.waitForURL(/\?saved=1$/);
      await expect.poll(() => page.getByRole("button", { name: "Save changes" }).isVisible()).toBe(false);

      // The log names each area's hours with the unit; the program's short summary says what comes next, and why.
      await page.goto(`${server().url}/me/portfolio`);
      const logged = page.locator(".entry-list li", { hasText: "Teaching patrons to use e-readers" });
      expect(await logged.innerText()).toContain("Technology 6 hours, Reference 4 hours");
      const brief = await page.locator(".portfolio-program .progress-summary").innerText();
      expect(brief).toContain("1 of 3 required categories met; 0 of 3 electives met.");
      expect(brief).toContain("Next: Foundations of Library Services (required) — 15 hours to go.");

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

  it("deletes an entry only once the member confirms, without JavaScript", async () => {
    const page = await logIn("bea", { javaScript: false });
    await page.setViewportSize(PHONE);
    const entry = await queryOne<{ id: number }>(
      server().database,
      `SELECT e."id" FROM "PortfolioEntry" e JOIN "User" u ON u."id" = e."ownerId" WHERE u."handle" = 'bea' AND e."title" = 'Library technology essentials'`,
    );
    await page.goto(`${server().url}/me/portfolio/entries/${entry.id}`);
    const confirm = page.getByRole("button", { name: "Yes, delete this entry" });
    expect(await confirm.isVisible()).toBe(false);
    // The first press only asks.
    await page.locator("summary", { hasText: "Delete this entry" }).click();
    expect(await confirm.isVisible()).toBe(true);
    expect(await page.getByText("This cannot be undone.").isVisible()).toBe(true);
    expect(Number((await queryOne<{ n: number }>(server().database, `SELECT COUNT(*) AS "n" FROM "PortfolioEntry" WHERE "id" = ?`, entry.id)).n)).toBe(1);
    await confirm.click();
    await page.waitForURL(/\/me\/portfolio\?saved=deleted$/);
    expect(await page.locator(".notice--success").innerText()).toBe("The entry was deleted.");
    expect(Number((await queryOne<{ n: number }>(server().database, `SELECT COUNT(*) AS "n" FROM "PortfolioEntry" WHERE "id" = ?`, entry.id)).n)).toBe(0);
    await page.context().close();
  });

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
        `/me/portfolio/entries/${entry.id}?edit=1`,
      ]) {
        await page.goto(`${server().url}${at}`);
        expect(await axeViolations(page), `${at} at ${viewport.width} px`).toEqual([]);
        if (at.endsWith("?edit=1")) await page.screenshot({ path: path.join(SHOTS, `portfolio-entry-edit-${viewport.width}.png`), fullPage: true });
      }
    }
    await page.context().close();
  });
});
