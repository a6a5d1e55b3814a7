// WCAG 2.2 A/AA checks (target size included) with axe-core, in Chromium, at 1280 and 375 px, on the
// pages of every role: a guest, a member, an admin (who moderates too),
// including forms showing errors.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../helpers/axe";
import { launchChromium } from "../helpers/browser";
import { startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let browser: Browser;
let page: Page;

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 740 };

async function violations(path: string, viewport = DESKTOP): Promise<string[]> {
  await page.setViewportSize(viewport);
  if (path) await page.goto(`${server.url}${path}`);
  return axeViolations(page);
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  // axe-core is injected as an inline script, which the site's CSP (rightly) refuses.
  page = await (await browser.newContext({ bypassCSP: true })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("accessibility (axe-core, WCAG 2.2 AA)", () => {
  it("guest pages have no violations, on desktop and phone widths", async () => {
    for (const path of [
      "/",
      "/join",
      "/login",
      "/guidelines",
      "/no-such-page",
      "/resources",
      "/resources/associations",
      "/competencies/reference",
      `/setup?token=${server.setupToken}`,
    ]) {
      expect(await violations(path), path).toEqual([]);
      expect(await violations(path, PHONE), `${path} (phone)`).toEqual([]);
    }
  });

  it("a form showing errors has no violations", async () => {
    await page.goto(`${server.url}/join`);
    await page.getByLabel("I have read the community guidelines and will follow them.").check();
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Email is required.").waitFor();
    expect(await violations("")).toEqual([]);
  });

  it("member and admin pages have no violations", async () => {
    await page.goto(`${server.url}/setup?token=${server.setupToken}`);
    await page.getByLabel("Email").fill("a11y@example.org");
    await page.getByLabel("Handle").fill("a11y");
    await page.getByLabel("Password").fill("accessible passphrase");
    await page.getByLabel("Display name").fill("Ada Access");
    await page.getByLabel("Job title").fill("Library Technician");
    await page.getByLabel("Worksite").fill("Hill County Library");
    await page.getByRole("button", { name: "Create admin account" }).click();
    await page.waitForURL("**/admin/members?welcome=1");
    for (const path of [
      "/admin/members",
      "/admin/settings",
      "/admin/tags",
      "/me/settings",
      "/me/following",
      "/u/a11y",
      "/notifications",
      "/",
      "/threads/new",
      "/tags/reference",
      "/tags/suggest",
      "/resources/new",
      "/moderate/resources",
      "/moderate/resources/import",
      "/moderate",
      "/moderate/log",
      "/tags",
      "/search?q=weeding",
      "/u/a11y?tab=replies",
      "/resources",
      "/admin/outbox",
      "/admin/guidelines",
    ]) {
      expect(await violations(path), path).toEqual([]);
      expect(await violations(path, PHONE), `${path} (phone)`).toEqual([]);
    }
  });

  it("thread pages (question with replies, TARGET, HIT composer, errors) have no violations", async () => {
    await page.goto(`${server.url}/threads/new`);
    await page.getByRole("button", { name: "Post thread" }).click();
    await page.getByText("Title must be at least 8 characters").first().waitFor();
    expect(await violations(""), "new thread with errors").toEqual([]);

    await page.getByLabel("Title").fill("TARGET: accessible thread pages");
    await page.getByRole("radio", { name: "TARGET", exact: true }).check();
    await page.getByLabel("Your question or message").fill("Reply **privately**, please.");
    await page.getByLabel("Reference").check();
    await page.getByRole("button", { name: "Post thread" }).click();
    await page.waitForURL("**/t/**");
    await page.getByLabel("Your private reply").fill("Answering my own TARGET for the test.");
    await page.getByRole("button", { name: "Send private reply" }).click();
    await page.getByText("Answering my own TARGET").first().waitFor();
    const thread = new URL(page.url()).pathname;
    expect(await violations(thread), "TARGET page").toEqual([]);
    expect(await violations(thread, PHONE), "TARGET page (phone)").toEqual([]);
    const id = thread.split("/")[2];
    expect(await violations(`/threads/${id}/hit`), "HIT composer").toEqual([]);
    await page.setViewportSize(DESKTOP);
    await page.getByRole("button", { name: "Continue to the HIT" }).click();
    await page.getByRole("heading", { name: "Your HIT" }).waitFor();
    expect(await violations(""), "HIT editor").toEqual([]);
  });
});
