// In a real browser: open home, join, log out, log in, see the profile; the
// first admin sets up through the printed link and promotes a moderator.
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserSuite, SHOTS } from "../helpers/browser";

const suite = browserSuite();
const server = {
  get url() {
    return suite.server().url;
  },
  get setupToken() {
    return suite.server().setupToken;
  },
};
const browserOf = () => suite.browser();

async function newPage(): Promise<Page> {
  const context = await browserOf().newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (err) => {
    throw err;
  });
  return page;
}

describe("a newcomer in the browser", () => {
  it("opens home, joins, logs out, logs back in and sees their profile", async () => {
    const page = await newPage();
    await page.goto(server.url);
    // One main heading (a locator is always truthy: count what it finds).
    expect(await page.getByRole("heading", { level: 1 }).count()).toBe(1);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("The community for library support staff");
    expect(await page.getByRole("link", { name: "Cataloging and Classification" }).count()).toBe(1);

    await page.getByRole("link", { name: "Join", exact: true }).click();
    await page.waitForURL("**/join");
    // A mistake first: the form comes back with a message and keeps the text.
    await page.getByLabel("Email").fill("rosa.m@example.org");
    await page.getByLabel("Handle").fill("rosa");
    await page.getByLabel("Password").fill("too short");
    await page.getByLabel("Display name").fill("Rosa Martínez");
    await page.getByLabel("Job title").fill("Library Clerk");
    await page.getByLabel("Worksite").fill("Riverside Branch Library");
    await page.getByLabel("I have read the community guidelines and will follow them.").check();
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Password must be at least 10 characters.").waitFor();
    expect(await page.getByLabel("Display name").inputValue()).toBe("Rosa Martínez");
    expect(await page.getByLabel("Worksite").inputValue()).toBe("Riverside Branch Library");

    await page.getByLabel("Password").fill("shelving carts all day");
    await page.getByLabel("I have read the community guidelines and will follow them.").check();
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/u/rosa?welcome=1");
    await page.getByText("Welcome to ParaNet!").waitFor();
    await page.screenshot({ path: path.join(SHOTS, "profile-after-join.png"), fullPage: true });

    // Log out from the account menu.
    await page.getByText("Rosa Martínez", { exact: true }).first().click();
    await page.getByRole("button", { name: "Log out" }).click();
    const headerLogIn = page.getByRole("banner").getByRole("link", { name: "Log in" });
    await headerLogIn.waitFor();
    await headerLogIn.click();
    await page.getByLabel("Email").fill("rosa.m@example.org");
    await page.getByLabel("Password").fill("wrong password here");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("That email and password don't match an account.").waitFor();
    await page.getByLabel("Password").fill("shelving carts all day");
    await page.getByRole("button", { name: "Log in" }).click();
    await headerLogIn.waitFor({ state: "detached" });

    await page.goto(`${server.url}/u/rosa`);
    const card = page.getByTestId("identification-card");
    expect(await card.textContent()).toContain("Library Clerk · Riverside Branch Library");
    await page.screenshot({ path: path.join(SHOTS, "profile.png"), fullPage: true });
  });

  it("keeps saved values in the settings form across saves, and the menu closes like a menu", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel("Email").fill("rosa.m@example.org");
    await page.getByLabel("Password").fill("shelving carts all day");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("banner").getByRole("link", { name: "Log in" }).waitFor({ state: "detached" });

    // The account menu closes on Escape and after navigating.
    const menu = page.locator("details.menu--account");
    await page.getByText("Rosa Martínez", { exact: true }).first().click();
    expect(await menu.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    await page.keyboard.press("Escape");
    expect(await menu.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await page.getByText("Rosa Martínez", { exact: true }).first().click();
    await page.getByRole("link", { name: "Settings" }).click();
    await page.waitForURL("**/me/settings");
    expect(await menu.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);

    await page.getByLabel("Job title").fill("Library Media Specialist");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("Your profile is saved.").waitFor();
    expect(await page.getByLabel("Job title").inputValue()).toBe("Library Media Specialist");
    // The form is keyed on the saved profile: let the page finish reloading its data before typing again.
    await page.waitForLoadState("networkidle");

    // A failed save keeps the text and highlights the field.
    await page.getByLabel("Years in library work").fill("ab");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("Years in library work must be a whole number from 0 to 99.").waitFor();
    expect(await page.getByLabel("Years in library work").inputValue()).toBe("ab");
    const border = await page.getByLabel("Years in library work").evaluate((el) => getComputedStyle(el).borderTopColor);
    expect(border).toBe("rgb(166, 27, 27)");

    // The next save keeps the earlier change.
    await page.getByLabel("Years in library work").fill("7");
    await page.getByLabel("State or region").fill("Oregon");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("Your profile is saved.").waitFor();
    expect(await page.getByLabel("Job title").inputValue()).toBe("Library Media Specialist");
    // The form is keyed on the saved profile: let the page finish reloading its data before typing again.
    await page.waitForLoadState("networkidle");
    expect(await page.getByLabel("State or region").inputValue()).toBe("Oregon");
    await page.goto(`${server.url}/u/rosa`);
    expect(await page.getByTestId("identification-card").textContent()).toContain("Library Media Specialist · Riverside Branch Library");
  });

  it("works without JavaScript: joining posts a plain form", async () => {
    const context = await browserOf().newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/join`);
    await page.getByLabel("Email").fill("nojs@example.org");
    await page.getByLabel("Handle").fill("nojs");
    await page.getByLabel("Password").fill("plain html forms");
    await page.getByLabel("Display name").fill("No Script");
    await page.getByLabel("Job title").fill("Technician");
    await page.getByLabel("Worksite").fill("County Library");
    await page.getByLabel("I have read the community guidelines and will follow them.").check();
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL("**/u/nojs?welcome=1");
    expect(await page.getByTestId("identification-card").textContent()).toContain("Technician · County Library");
    await context.close();
  });

  it("sets up the first admin from the printed link and promotes a moderator", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/setup?token=${server.setupToken}`);
    await page.getByLabel("Email").fill("admin@example.org");
    await page.getByLabel("Handle").fill("admin");
    await page.getByLabel("Password").fill("the admin passphrase");
    await page.getByLabel("Display name").fill("Alex Admin");
    await page.getByLabel("Job title").fill("Systems Librarian");
    await page.getByLabel("Worksite").fill("Valley Library System");
    await page.getByRole("button", { name: "Create admin account" }).click();
    await page.waitForURL("**/admin/members?welcome=1");
    await page.getByLabel("Role for @rosa").selectOption("moderator");
    await page.getByRole("button", { name: "Save role for @rosa" }).click();
    await page.getByText("@rosa is now moderator.").waitFor();
    await page.screenshot({ path: path.join(SHOTS, "admin-members.png"), fullPage: true });
    await page.goto(`${server.url}/u/rosa`);
    expect(await page.getByTestId("identification-card").textContent()).toContain("Moderator");

    // Community settings show what was saved.
    await page.goto(`${server.url}/admin/settings`);
    const box = page.getByLabel("Require a worksite on every member's identification");
    expect(await box.isChecked()).toBe(true);
    await box.uncheck();
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Settings saved.").waitFor();
    expect(await box.isChecked()).toBe(false);
  });
});
