// Real-time in real browsers: one member answers, the others see it appear
// without reloading; a private TARGET reply appears only for the asker.
import path from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserSuite, memberPage, SHOTS } from "../helpers/browser";

const suite = browserSuite();
const url = () => suite.server().url;

const member = (handle: string, name: string, viewport?: { width: number; height: number }) => memberPage(suite.browser(), url(), { handle, name }, viewport);

async function ask(page: Page, title: string, kind = "Question"): Promise<string> {
  await page.goto(`${url()}/threads/new`);
  await page.getByLabel("Title").fill(title);
  await page.getByRole("radio", { name: kind, exact: true }).check();
  await page.getByLabel("Your question or message").fill("How do you all handle this?");
  await page.getByLabel("Collection Management").check();
  await page.getByRole("button", { name: "Post thread" }).click();
  await page.waitForURL("**/t/**");
  return page.url();
}

async function replyOn(page: Page, threadUrl: string, text: string, button = "Post reply") {
  await page.goto(threadUrl);
  await page.getByLabel(/Your (private )?reply/).fill(text);
  await page.getByRole("button", { name: button }).click();
  await page.getByText(text).first().waitFor();
}

/** The live connection is up and subscribed once the socket has answered; give it a moment after load. */
async function live(page: Page) {
  await page.waitForLoadState("networkidle");
}

describe("live updates between browsers", () => {
  let asker: Page, helper: Page, bystander: Page;
  beforeAll(async () => {
    [asker, helper, bystander] = await Promise.all([
      member("lena", "Lena Okafor"),
      member("omar", "Omar Haddad"),
      member("ivy", "Ivy Chen", { width: 1100, height: 520 }),
    ]);
  });

  it("shows a reply in the other browser within a second, announced, without touching what the reader is typing", async () => {
    const thread = await ask(asker, "Live: how do you weed picture books?");
    await live(asker);
    // The asker has started writing; a reply arriving must not reset it.
    await asker.getByLabel("Your reply").fill("Draft I am still writing");

    await helper.goto(thread);
    await helper.getByLabel("Your reply").fill("Check circulation first, then condition.");
    const answered = helper.waitForResponse((r) => r.request().method() === "POST").then(() => Date.now());
    await helper.getByRole("button", { name: "Post reply" }).click();
    await asker.getByText("Check circulation first, then condition.").waitFor({ timeout: 5000 });
    // From the server's answer to the POST to the reply on the other screen.
    expect(Date.now() - (await answered)).toBeLessThan(1000);
    await expect.poll(() => asker.locator("[aria-live=polite]").allTextContents()).toContainEqual(expect.stringMatching(/^New reply from Omar Haddad\.\s?$/));
    expect(await asker.getByLabel("Your reply").inputValue()).toBe("Draft I am still writing");
    // Typing on (which refreshes the preview) keeps the draft too, with the live reply now on the page.
    await asker.getByLabel("Your reply").pressSequentially(" and more");
    await asker.locator(".preview").getByText("Draft I am still writing and more").waitFor();
    // Let the preview's requests (and any revalidation they cause) finish before looking again.
    await asker.waitForLoadState("networkidle");
    expect(await asker.getByLabel("Your reply").inputValue()).toBe("Draft I am still writing and more");
    expect(await asker.getByRole("heading", { name: "1 reply" }).count()).toBe(1);

    // A vote and the accepted answer move live too.
    await bystander.goto(thread);
    await bystander.getByRole("button", { name: /Helpful/ }).click();
    await asker.locator(".vote__count", { hasText: "1" }).first().waitFor({ timeout: 5000 });
    await asker.getByRole("button", { name: "Accept this answer" }).click();
    await helper.goto(thread);
    await helper.getByRole("heading", { name: "Accepted answer" }).waitFor();
    await asker.getByRole("button", { name: "Unaccept" }).click();
    await helper.getByRole("heading", { name: "Accepted answer" }).waitFor({ state: "detached", timeout: 5000 });
    await asker.screenshot({ path: path.join(SHOTS, "live-reply.png") });
  });

  it("shows a private TARGET reply live to the asker only", async () => {
    const thread = await ask(asker, "TARGET: live private budgets", "TARGET");
    await bystander.goto(thread);
    await live(asker);
    await live(bystander);
    await replyOn(helper, thread, "LIVE-PRIVATE: we spend $300 a year", "Send private reply");
    await asker.getByText("LIVE-PRIVATE: we spend $300 a year").waitFor({ timeout: 5000 });
    await asker.locator(".badge--private").first().waitFor();
    // Then a public event in the same thread: events arrive in commit order, so once the
    // bystander has this edit, the private reply (committed before it) would have arrived too.
    await asker.goto(`${thread}?edit=thread`);
    await asker.getByLabel("Question or message").fill("Edited after the private reply: live for everyone.");
    await asker.getByRole("button", { name: "Save changes" }).click();
    await bystander.getByText("Edited after the private reply: live for everyone.").waitFor({ timeout: 5000 });
    expect(await bystander.content()).not.toContain("LIVE-PRIVATE");
  });

  it("marks new replies below the fold with a pill that takes the reader there", async () => {
    const thread = await ask(asker, "Live: a long thread to scroll");
    await replyOn(asker, thread, "A first long reply. ".repeat(40));
    await bystander.goto(thread);
    await live(bystander);
    await bystander.evaluate(() => window.scrollTo(0, 0));
    await replyOn(helper, thread, "A reply the reader has not scrolled to yet.");
    const pill = bystander.getByRole("button", { name: "1 new reply ↓" });
    await bystander.getByText("A reply the reader has not scrolled to yet.").waitFor({ state: "attached" });
    await pill.waitFor({ timeout: 5000 });
    expect(await bystander.evaluate(() => window.scrollY)).toBe(0); // nothing moved under the reader
    await pill.click();
    await pill.waitFor({ state: "detached" });
    await expect.poll(() => bystander.getByText("A reply the reader has not scrolled to yet.").isVisible()).toBe(true);

    // Typing at the bottom: a reply arriving above does not push the form away.
    await bystander.getByLabel("Your reply").click();
    await bystander.getByLabel("Your reply").pressSequentially("Writing at the bottom");
    const formTop = () => bystander.evaluate(() => Math.round(document.getElementById("reply-form")!.getBoundingClientRect().top));
    const before = await formTop();
    await replyOn(helper, thread, "Another reply arriving while the reader types.");
    await bystander.getByText("Another reply arriving while the reader types.").waitFor({ state: "attached" });
    // Two animation frames: any scroll adjustment for the inserted reply has been painted.
    await bystander.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    expect(Math.abs((await formTop()) - before)).toBeLessThanOrEqual(2);
    expect(await bystander.getByLabel("Your reply").inputValue()).toBe("Writing at the bottom");
  });

  it("counts new notifications in the header and offers new threads on the home page, live", async () => {
    const thread = await ask(asker, "Live: badge me when answered");
    await asker.goto(`${url()}/notifications`);
    await asker
      .getByRole("button", { name: /Mark all read/ })
      .click()
      .catch(() => undefined);
    await asker.goto(url());
    await live(asker);
    const badge = asker.getByTestId("unread-badge");
    expect(await badge.count()).toBe(0);
    await replyOn(helper, thread, "An answer that should light up the badge.");
    await badge.waitFor({ timeout: 5000 });
    expect(await badge.textContent()).toBe("1");
    expect(await asker.getByRole("link", { name: "Notifications: 1 unread" }).count()).toBe(1);

    await ask(helper, "Live: a thread that arrives while you read");
    const pill = asker.getByRole("button", { name: "1 new thread — show" });
    await pill.waitFor({ timeout: 5000 });
    await pill.click();
    await asker.getByRole("link", { name: "Live: a thread that arrives while you read" }).waitFor();
    await pill.waitFor({ state: "detached" });
  });
});
