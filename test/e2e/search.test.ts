// Finding the answer that already exists: typing a question's title shows the
// earlier thread that answered it, and /search finds it with the words highlighted.
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserSuite, SHOTS } from "../helpers/browser";

const suite = browserSuite();
const url = () => suite.server().url;

async function member(handle: string, name: string): Promise<Page> {
  const context = await suite.browser().newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (err) => {
    throw err;
  });
  await page.goto(`${url()}/join`);
  await page.getByLabel("Email").fill(`${handle}@example.org`);
  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Job title").fill("Library Clerk");
  await page.getByLabel("Worksite").fill("Hillside Middle School");
  await page.getByLabel("I have read the community guidelines and will follow them.").check();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`**/u/${handle}?welcome=1`);
  return page;
}

describe("search", () => {
  it("shows the earlier answered thread while asking, and finds it with the words highlighted", async () => {
    const [asker, helper, newcomer] = [await member("ana", "Ana Ruiz"), await member("ben", "Ben Okoro"), await member("cam", "Cam Lee")];
    await asker.goto(`${url()}/threads/new`);
    await asker.getByLabel("Title").fill("How do you weed an old biography section?");
    await asker.getByLabel("Your question or message").fill("Ours has books from the 1980s.");
    await asker.getByLabel("Collection Management").check();
    await asker.getByRole("button", { name: "Post thread" }).click();
    await asker.waitForURL("**/t/**");
    const thread = asker.url();
    await helper.goto(thread);
    await helper.getByLabel("Your reply").fill("Use the CREW guidelines: MUSTIE, and anything older than ten years.");
    await helper.getByRole("button", { name: "Post reply" }).click();
    await asker.getByRole("button", { name: "Accept this answer" }).click();
    await asker.getByRole("heading", { name: "Accepted answer" }).waitFor();

    await newcomer.goto(`${url()}/threads/new`);
    await newcomer.getByLabel("Title").pressSequentially("Weeding the biography section");
    await newcomer.getByText("Already asked? These earlier threads look similar:").waitFor();
    const earlier = newcomer.locator(".similar li", { hasText: "How do you weed an old biography section?" });
    await earlier.waitFor();
    expect(await earlier.getByText("Answered").count()).toBe(1);

    await newcomer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Search" }).click();
    await newcomer.getByRole("searchbox", { name: "Search threads, replies and resources" }).fill("weeding biography");
    await newcomer.getByRole("button", { name: "Search", exact: true }).click();
    await newcomer.waitForURL("**/search?**");
    const result = newcomer.locator(".search-result").first();
    await result.getByRole("link", { name: "How do you weed an old biography section?" }).waitFor();
    expect(await result.locator("mark").allTextContents()).toEqual(expect.arrayContaining(["weed", "biography"]));
    await newcomer.screenshot({ path: path.join(SHOTS, "search.png"), fullPage: true });
  });
});
