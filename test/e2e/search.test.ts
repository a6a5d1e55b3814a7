// Finding the answer that already exists: typing a question's title shows the
// earlier thread that answered it, and /search finds it with the words highlighted.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { browserSuite, memberPage, SHOTS } from "../helpers/browser";

const suite = browserSuite();
const url = () => suite.server().url;

const member = (handle: string, name: string) =>
  memberPage(suite.browser(), url(), { handle, name, jobTitle: "Library Clerk", worksite: "Hillside Middle School" });

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
