// The heart of ParaNet in a real browser: ask, answer, accept; a TARGET whose
// private replies only the asker sees.
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it, beforeAll } from "vitest";
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

const consoleErrors: string[] = [];

async function member(handle: string, name: string, job: string): Promise<Page> {
  const context = await browserOf().newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (err) => {
    throw err;
  });
  page.on("console", (msg) => {
    if (msg.type() === "error") consoleErrors.push(`${handle}: ${msg.text()}`);
  });
  await page.goto(`${server.url}/join`);
  await page.getByLabel("Email").fill(`${handle}@example.org`);
  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByLabel("Display name").fill(name);
  await page.getByLabel("Job title").fill(job);
  await page.getByLabel("Worksite").fill("Somewhere Library");
  await page.getByLabel("I have read the community guidelines and will follow them.").check();
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`**/u/${handle}?welcome=1`);
  return page;
}

async function ask(page: Page, title: string, body: string, kind = "Question") {
  await page.goto(server.url);
  await page.getByRole("link", { name: "Ask a question" }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByRole("radio", { name: kind, exact: true }).check();
  await page.getByLabel(kind === "TARGET" ? "Your question or message" : "Your question or message").fill(body);
  await page.getByLabel("Collection Management").check();
  await page.getByRole("button", { name: "Post thread" }).click();
  await page.waitForURL("**/t/**");
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
}

describe("asking and answering in the browser", () => {
  let asker: Page, helper: Page, bystander: Page;
  beforeAll(async () => {
    [asker, helper, bystander] = [
      await member("rosa", "Rosa Martínez", "Library Media Assistant"),
      await member("pat", "Pat O'Neill", "Cataloging Technician"),
      await member("sam", "Sam Patel", "Youth Services Associate"),
    ];
  });

  it("asks a question (with live preview), gets a reply, accepts it and sees it pinned", async () => {
    await asker.goto(`${server.url}/threads/new`);
    await asker.getByLabel("Your question or message").fill("We have **no budget**. How do you decide?");
    await asker.locator(".preview strong").getByText("no budget").waitFor();
    await ask(asker, "How do you weed a biography section without a budget?", "We have **no budget**. How do you decide?");
    expect(await asker.getByRole("heading", { level: 1 }).textContent()).toBe("How do you weed a biography section without a budget?");
    const threadUrl = asker.url();

    // While typing a similar title, the earlier thread is suggested.
    await bystander.goto(`${server.url}/threads/new`);
    await bystander.getByLabel("Title").fill("Weeding biography books");
    await bystander.getByText("Already asked? These earlier threads look similar:").waitFor();
    expect(await bystander.locator(".similar").textContent()).toContain("How do you weed a biography section without a budget?");

    await helper.goto(threadUrl);
    await helper.getByLabel("Your reply").fill("Use the **CREW** method: MUSTIE. Thanks @rosa!");
    await helper.getByRole("button", { name: "Post reply" }).click();
    await helper.getByRole("article", { name: "Reply by Pat O'Neill" }).waitFor();
    // The reply box is fresh again once the post is saved (no double posts);
    // the reply itself may already have arrived live a moment earlier.
    await expect.poll(() => helper.getByLabel("Your reply").inputValue()).toBe("");
    expect(await helper.getByRole("heading", { name: "1 reply" }).count()).toBe(1);
    expect(await helper.locator(".reply .mention").textContent()).toBe("@rosa");

    await bystander.goto(threadUrl);
    await bystander.getByRole("button", { name: /Helpful/ }).click();
    await bystander.locator(".vote--on").waitFor();

    await asker.goto(threadUrl);
    await asker.getByRole("button", { name: "Accept this answer" }).click();
    await asker.getByRole("heading", { name: "Accepted answer" }).waitFor();
    expect(await asker.getByRole("article", { name: "Accepted answer by Pat O'Neill" }).count()).toBe(1);
    expect(await asker.getByRole("article", { name: "Reply by Pat O'Neill" }).count()).toBe(0);
    expect(await asker.getByRole("heading", { name: "0 other replies" }).count()).toBe(1);
    expect(await asker.locator(".status--answered").first().textContent()).toBe("Answered");
    await asker.screenshot({ path: path.join(SHOTS, "thread-accepted.png"), fullPage: true });
  });

  it("keeps TARGET replies private to the asker", async () => {
    await ask(asker, "TARGET: overdue fine policies in school libraries", "Please reply to me privately: do you charge fines?", "TARGET");
    const targetUrl = asker.url();
    await helper.goto(targetUrl);
    await helper.getByLabel("Your private reply").fill("We dropped fines in 2021 and circulation went up.");
    await helper.getByRole("button", { name: "Send private reply" }).click();
    await helper.getByRole("article").getByText("We dropped fines in 2021").waitFor();
    await bystander.goto(targetUrl);
    await bystander.getByLabel("Your private reply").fill("We charge ten cents a day, capped at a dollar.");
    await bystander.getByRole("button", { name: "Send private reply" }).click();
    await bystander.getByRole("article").getByText("ten cents a day").waitFor();

    // Each replier sees only their own; the asker sees both.
    expect(await bystander.getByText("We dropped fines in 2021").count()).toBe(0);
    await asker.goto(targetUrl);
    await asker.getByText("We dropped fines in 2021").waitFor();
    await asker.getByText("ten cents a day").waitFor();

    // A guest sees that replies exist, never what they say.
    const guest = await (await browserOf().newContext()).newPage();
    await guest.goto(targetUrl);
    await guest.getByText("2 private replies").waitFor();
    expect(await guest.content()).not.toContain("dropped fines");
    await guest.goto(server.url);
    expect(await guest.content()).not.toContain("dropped fines");
    await asker.screenshot({ path: path.join(SHOTS, "target-asker.png"), fullPage: true });

    // The asker compiles a HIT: one reply, its author named; the other left out.
    await asker.goto(targetUrl);
    await asker.getByRole("link", { name: "Write the HIT" }).click();
    await asker.getByRole("heading", { name: "Compile a HIT" }).waitFor();
    const boxes = asker.getByLabel("Include this reply");
    await boxes.nth(1).uncheck();
    await asker.getByLabel("Name Pat O'Neill").check();
    await asker.getByRole("button", { name: "Continue to the HIT" }).click();
    await asker.getByRole("heading", { name: "Your HIT" }).waitFor();
    expect(await asker.getByLabel("Title").inputValue()).toBe("HIT: overdue fine policies in school libraries");
    const draft = await asker.getByLabel("The HIT").inputValue();
    expect(draft).toContain("> We dropped fines in 2021");
    expect(draft).toContain("— Pat O'Neill, Cataloging Technician, Somewhere Library");
    expect(draft).not.toContain("ten cents");
    await asker.getByLabel("The HIT").fill(draft.replace("**What I learned:** ", "**What I learned:** fines cost more than they bring in."));
    await asker.getByRole("button", { name: "Post the HIT" }).click();
    await asker.waitForURL("**/t/**/hit-overdue-fine-policies-in-school-libraries");
    await asker.getByText("This HIT compiles").waitFor();

    // Everyone sees the HIT and the link from the TARGET; still not the other private reply.
    await bystander.goto(targetUrl);
    await bystander.getByText("HIT posted:").waitFor();
    await bystander.getByRole("link", { name: "HIT: overdue fine policies in school libraries" }).click();
    await bystander.getByText("fines cost more than they bring in").waitFor();
    expect(await bystander.content()).not.toContain("ten cents");
    await bystander.screenshot({ path: path.join(SHOTS, "hit.png"), fullPage: true });
    // Landing on "#reply-N" (after posting, from notifications) hydrates cleanly.
    expect(consoleErrors).toEqual([]);
  });
});
