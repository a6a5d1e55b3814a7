// Sharing a portfolio with a reviewer in a real browser (issue 19): a member
// makes a link on a program's page (without JavaScript: the forms need none),
// a logged-out browser opens it and reads the counted entry, the member
// revokes it, and the reviewer's reload shows only that the link no longer
// works. No axe-core violations on the program page or the shared page at
// 375 and 1280 px.
import path from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { aMember, join, Visitor } from "../helpers/client";
import { axeViolations } from "../helpers/axe";
import { browserPage, browserSuite, loggedInPage, SHOTS } from "../helpers/browser";

const suite = browserSuite();
const server = () => suite.server();
const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
const PASSWORD = "correct horse battery";
const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

const newPage = (options: { javaScript?: boolean } = {}) => browserPage(suite.browser(), options);
const logIn = (handle: string, options: { javaScript?: boolean } = {}) =>
  loggedInPage(suite.browser(), server().url, `member${handle}@example.org`, PASSWORD, options);
/** Make a link on the program's page; the address it shows once. */
async function createLink(page: Page, label: string): Promise<string> {
  await page.goto(`${server().url}/me/portfolio/programs/lssc`);
  await page.getByLabel("For whom").fill(label);
  await page.getByLabel("Works for").selectOption("7");
  await page.getByRole("button", { name: "Create a link" }).click();
  const shown = page.getByLabel("The new link");
  await shown.waitFor();
  return shown.inputValue();
}

beforeAll(async () => {
  const cy = new Visitor(server().url);
  await join(cy, aMember("cyra", { handle: "cyra", displayName: "Cy Example", jobTitle: "Library Technician", worksite: "Oak Street Branch" }));
  expect((await cy.post("/me/portfolio", { program: "lssc" })).status).toBe(302);
  const body = new URLSearchParams({
    type: "workshop",
    title: "Makerspace safety workshop",
    provider: "Regional Library System",
    startedOn: ago(15),
    endedOn: "",
    quantity: "4",
    unit: "hours",
    area: "technology",
    reflection: "Set up the 3D printer safely with teens.",
  });
  const added = await cy.request("/me/portfolio/new", {
    method: "POST",
    body: body.toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server().url },
  });
  expect(added.status).toBe(302);
  expect((await cy.post("/me/portfolio/programs/lssc", { intent: "badge", badge: "LSSC candidate" })).status).toBe(302);
}, 60_000);

describe("sharing with a reviewer in the browser", () => {
  it("makes a link (no JavaScript), opens it logged out, revokes it, and the reload shows nothing", async () => {
    const member = await logIn("cyra", { javaScript: false });
    await member.setViewportSize(PHONE);
    const link = await createLink(member, "Branch manager");
    expect(link).toMatch(/\/portfolio\/shared\/[A-Za-z0-9_-]{43}$/);
    expect(await member.getByText("Copy it now: it will not be shown again.").count()).toBe(1);

    const reviewer = await newPage();
    await reviewer.setViewportSize(PHONE);
    const opened = await reviewer.goto(link);
    expect(opened?.status()).toBe(200);
    await expect.poll(() => reviewer.getByRole("heading", { level: 1 }).innerText()).toContain("the portfolio of Cy Example");
    expect(await reviewer.getByRole("heading", { name: "Makerspace safety workshop" }).count()).toBe(1);
    expect(await reviewer.getByText("Set up the 3D printer safely with teens.").count()).toBe(1);
    expect(await reviewer.getByRole("list", { name: "Program badges" }).innerText()).toContain("LSSC candidate");
    const sideways = await reviewer.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(sideways).toBeLessThanOrEqual(0);
    await reviewer.screenshot({ path: path.join(SHOTS, "portfolio-shared-375.png"), fullPage: true });

    // The member's list says it was opened; they revoke it.
    await member.goto(`${server().url}/me/portfolio/programs/lssc`);
    const item = member.locator(".share-list li", { hasText: "Branch manager" });
    expect(await item.innerText()).toContain("last opened");
    // Revoking asks first (without JavaScript too): the first press only opens the question.
    const yes = member.getByRole("button", { name: "Yes, revoke the link for Branch manager" });
    expect(await yes.isVisible()).toBe(false);
    await item.locator("summary", { hasText: "Revoke" }).click();
    expect(await yes.isVisible()).toBe(true);
    expect(await item.innerText()).toContain("can no longer open your portfolio with it");
    expect(await item.innerText()).not.toContain("Revoked");
    expect((await reviewer.reload())?.status()).toBe(200);
    await member.locator("#share").screenshot({ path: path.join(SHOTS, "portfolio-share-confirm-375.png") });
    await yes.click();
    await member.waitForURL(/\/me\/portfolio\/programs\/lssc$/);
    expect(await member.locator(".share-list li", { hasText: "Branch manager" }).innerText()).toContain("Revoked");
    await member.locator("#share").screenshot({ path: path.join(SHOTS, "portfolio-share-section-375.png") });

    const reloaded = await reviewer.reload();
    expect(reloaded?.status()).toBe(410);
    expect(await reviewer.getByRole("heading", { level: 1 }).innerText()).toBe("This link no longer works");
    expect(await reviewer.getByText("Makerspace safety workshop").count()).toBe(0);
    expect(await reviewer.getByText("Cy Example").count()).toBe(0);
    await member.context().close();
    await reviewer.context().close();
  });

  it("has no axe violations on the program page and the shared page at 375 and 1280 px", async () => {
    const member = await logIn("cyra");
    const link = await createLink(member, "Accessibility check");
    const reviewer = await newPage();
    for (const viewport of [PHONE, DESKTOP]) {
      await member.setViewportSize(viewport);
      await member.goto(`${server().url}/me/portfolio/programs/lssc`);
      expect(await axeViolations(member), `the program page at ${viewport.width} px`).toEqual([]);
      await reviewer.setViewportSize(viewport);
      await reviewer.goto(link);
      expect(await axeViolations(reviewer), `the shared page at ${viewport.width} px`).toEqual([]);
    }
    // The page a revoked link opens, too.
    await member.goto(`${server().url}/me/portfolio/programs/lssc`);
    const item = member.locator(".share-list li", { hasText: "Accessibility check" });
    await item.locator("summary", { hasText: "Revoke" }).click();
    // The question open: no findings either.
    expect(await axeViolations(member), "the program page asking to revoke").toEqual([]);
    await member.getByRole("button", { name: "Yes, revoke the link for Accessibility check" }).click();
    await member.waitForURL(/\/me\/portfolio\/programs\/lssc$/);
    await reviewer.goto(link);
    expect(await axeViolations(reviewer), "the page of a revoked link").toEqual([]);
    await member.context().close();
    await reviewer.context().close();
  });
});
