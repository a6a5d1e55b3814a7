// A real Chromium driven by playwright-core. Tests that need it fail with a
// clear message when it is missing rather than being skipped.
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { startServer, type RunningServer } from "./server";

/** Where browser tests leave their screenshots. */
export const SHOTS = path.resolve(import.meta.dirname, "..", "..", "test-results");

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export async function launchChromium(): Promise<Browser> {
  const executablePath = CANDIDATES.find((p): p is string => !!p && fs.existsSync(p));
  if (!executablePath) {
    throw new Error(
      "Chromium is needed for the browser tests but was not found. Install it with `apt-get install -y chromium` " +
        "(or set CHROMIUM_PATH to a Chromium/Chrome binary).",
    );
  }
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A real server (with `env` added to its environment) and a real Chromium for one test file, started together. */
export function browserSuite(options: { env?: Record<string, string> } = {}): { server: () => RunningServer; browser: () => Browser } {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    // Both start together; if one fails, the other is still stopped in afterAll.
    const [started, launched] = await Promise.allSettled([startServer({ env: options.env }), launchChromium()]);
    if (started.status === "fulfilled") server = started.value;
    if (launched.status === "fulfilled") browser = launched.value;
    for (const outcome of [launched, started]) if (outcome.status === "rejected") throw outcome.reason;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return { server: () => server, browser: () => browser };
}

export type NewMember = { handle: string; name: string; jobTitle?: string; worksite?: string };

/** Fills the identification fields that the join and setup forms share. */
export async function fillIdentification(page: Page, who: NewMember): Promise<void> {
  await page.getByLabel("Email").fill(`${who.handle}@example.org`);
  await page.getByLabel("Handle").fill(who.handle);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByLabel("Display name").fill(who.name);
  await page.getByLabel("Job title").fill(who.jobTitle ?? "Library Assistant");
  await page.getByLabel("Worksite").fill(who.worksite ?? "Riverside Branch Library");
}

/** Joins through the real form on `page` and waits for the welcome page. */
export async function joinInBrowser(page: Page, baseUrl: string, who: NewMember): Promise<Page> {
  await page.goto(`${baseUrl}/join`);
  await fillIdentification(page, who);
  await page.getByLabel("I have read the community guidelines and will follow them.").check();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`**/u/${who.handle}?welcome=1`);
  return page;
}

/** A new browser context for a new member who has just joined; a page error fails the test. */
export async function memberPage(browser: Browser, baseUrl: string, who: NewMember, viewport = { width: 1100, height: 900 }): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  page.on("pageerror", (err) => {
    throw err;
  });
  return joinInBrowser(page, baseUrl, who);
}

/**
 * A page in a new browser context (JavaScript on unless told otherwise) that may run axe (the injected script needs
 * the site's CSP bypassed, for this context only); a page error fails the test.
 */
export async function browserPage(browser: Browser, options: { javaScript?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: options.javaScript ?? true });
  const page = await context.newPage();
  page.on("pageerror", (err) => {
    throw err;
  });
  return page;
}

/** `browserPage`, logged in through the real form as `email`; waits until the log-in page is left. */
export async function loggedInPage(browser: Browser, baseUrl: string, email: string, password: string, options: { javaScript?: boolean } = {}): Promise<Page> {
  const page = await browserPage(browser, options);
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return page;
}
