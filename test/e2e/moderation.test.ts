// Moderation in a real browser: a moderator clears the review queue, suspends
// the member behind a flame and finds both in the log; the suspended member
// is told why and cannot post. No page logs a CSP violation on the way.
import path from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { aMember, join, Visitor } from "../helpers/client";
import { queryOne } from "../helpers/db";
import { browserSuite, SHOTS } from "../helpers/browser";

const suite = browserSuite();
const url = () => suite.server().url;
const consoleErrors: string[] = [];
let threadPath = "";

async function logIn(email: string, password: string): Promise<Page> {
  const context = await suite.browser().newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (err) => {
    throw err;
  });
  page.on("console", (msg) => {
    if (msg.type() === "error") consoleErrors.push(`${email}: ${msg.text()}`);
  });
  await page.goto(`${url()}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return page;
}

beforeAll(async () => {
  // The people and the flame, set up over HTTP; the moderating happens in the browser.
  const admin = new Visitor(url());
  await admin.post(`/setup?token=${suite.server().setupToken}`, aMember("admin", { handle: "admin" }));
  const moderator = new Visitor(url());
  await join(moderator, aMember("mod", { handle: "morgan", displayName: "Morgan Moderator" }));
  const morganId = (await queryOne<{ id: number }>(suite.server().database, `SELECT "id" FROM "User" WHERE "handle" = 'morgan'`)).id;
  await admin.post("/admin/members", { userId: String(morganId), role: "moderator" });

  const asker = new Visitor(url());
  await join(asker, aMember("asker", { handle: "asker" }));
  const troll = new Visitor(url());
  await join(troll, aMember("troll", { handle: "troll", displayName: "Terry Troll" }));
  const flagger = new Visitor(url());
  await join(flagger, aMember("flagger", { handle: "flagger" }));
  const tags = await asker.get("/threads/new");
  const tagId = /name="tagIds" value="(\d+)"/.exec(tags.body)![1];
  const created = await asker.post("/threads/new", {
    kind: "question",
    title: "How do you weed a 1990s biography section?",
    body: "We have no budget for replacements.",
    tagIds: tagId,
  });
  threadPath = created.location!;
  const flame = await troll.post(threadPath, { intent: "reply", body: "Only a FOOL would keep those books. Stop asking stupid questions." });
  const replyId = /#reply-(\d+)$/.exec(flame.location!)![1];
  expect((await flagger.post(threadPath, { intent: "flag", target: `reply:${replyId}`, reason: "inappropriate", note: "A personal attack" })).status).toBe(200);
  // A reply for the asker to flag in the browser, after the queue above is cleared.
  expect((await flagger.post(threadPath, { intent: "reply", body: "Visit my shop for cheap replacement biographies, code WEEDSALE." })).status).toBe(302);
});

describe("moderation in the browser", () => {
  it("a moderator clears the flag queue, suspends the member and sees it in the log; the member sees why and cannot post", async () => {
    const mod = await logIn("membermod@example.org", "correct horse battery");
    await mod.getByRole("link", { name: "Moderate", exact: true }).click();
    await mod.waitForURL("**/moderate");
    const item = mod.getByRole("article").filter({ hasText: "Only a FOOL" });
    await item.getByText("Inappropriate (a flame, harassment, patron privacy)").waitFor();
    await item.getByText("“A personal attack”").waitFor();
    await item.getByText(/By Terry Troll \(@troll\) · joined/).waitFor();
    await mod.screenshot({ path: path.join(SHOTS, "moderation-queue.png"), fullPage: true });

    await item.getByLabel("Reason (for the log; required to hide or delete)").fill("Personal attack on a colleague");
    await item.getByRole("button", { name: "Hide" }).click();
    await mod.getByText("Hidden.").waitFor();
    await mod.getByText("Nothing needs a moderator. Thank you!").waitFor();

    // Suspend the author from their profile.
    await mod.goto(`${url()}/u/troll`);
    const until = new Date(Date.now() + 14 * 24 * 60 * 60_000).toISOString().slice(0, 10);
    await mod.getByLabel("Suspend until").fill(until);
    await mod.getByLabel("Reason (the member is shown this)").fill("Personal attacks break the guidelines");
    await mod.getByRole("button", { name: "Suspend this member" }).click();
    await mod.getByText("Member suspended. It is in the moderation log.").waitFor();

    await mod.goto(`${url()}/moderate/log`);
    const log = mod.getByRole("table");
    await log.getByText("member.suspended").waitFor();
    await log.getByText("Personal attacks break the guidelines").waitFor();
    await log.getByText("reply.hidden").waitFor();
    await log.getByText("Personal attack on a colleague").waitFor();
    await mod.getByLabel("Member concerned").fill("@troll");
    await mod.getByLabel("Action").selectOption("member");
    await mod.getByRole("button", { name: "Filter" }).click();
    await mod.waitForURL(/member=%40troll/);
    await mod.getByRole("table").getByText("reply.hidden").waitFor({ state: "detached" });
    await mod.getByRole("table").getByText("member.suspended").waitFor();
    await mod.screenshot({ path: path.join(SHOTS, "moderation-log.png"), fullPage: true });

    // The suspended member reads, sees why, and cannot post.
    const troll = await logIn("membertroll@example.org", "correct horse battery");
    await troll.goto(`${url()}${threadPath}`);
    const banner = troll.getByRole("note").first();
    expect(await banner.textContent()).toContain("Your account is suspended until");
    expect(await banner.textContent()).toContain("Personal attacks break the guidelines");
    expect(await troll.getByRole("button", { name: "Post reply" }).count()).toBe(0);
    // Their hidden reply shows them why it is hidden.
    await troll.getByText("Hidden by a moderator.").waitFor();
    // No control that would only refuse on submit: no Helpful, Flag or Quote; where the reply box was, why not.
    expect(await troll.getByRole("button", { name: /^Helpful/ }).count()).toBe(0);
    expect(await troll.getByText("Flag", { exact: true }).count()).toBe(0);
    expect(await troll.getByRole("link", { name: "Quote" }).count()).toBe(0);
    await troll.getByText(/Replying is paused until .* \(suspended: Personal attacks break the guidelines/).waitFor();
    // The ask form says the same in place of the form.
    await troll.goto(`${url()}/threads/new`);
    await troll.getByText(/Starting threads is paused until/).waitFor();
    expect(await troll.getByRole("button", { name: "Post thread" }).count()).toBe(0);
    await troll.screenshot({ path: path.join(SHOTS, "suspended-member.png"), fullPage: true });

    expect(consoleErrors).toEqual([]);
  });

  it("a member flags a reply: 'Flag' brings its form at once, a missing reason is marked beside it, then it is sent", async () => {
    const asker = await logIn("memberasker@example.org", "correct horse battery");
    await asker.goto(`${url()}${threadPath}`);
    // The page carries no flag form until one is opened.
    expect(await asker.locator('input[name="intent"][value="flag"]').count()).toBe(0);
    const advert = asker.getByRole("article").filter({ hasText: "WEEDSALE" });
    await advert.getByText("Flag", { exact: true }).click();
    await advert.getByRole("button", { name: "Send to the moderators" }).click();
    await advert.getByText("Choose why you are flagging this.").waitFor();
    await advert.getByLabel("Spam or advertising").check();
    await advert.getByRole("button", { name: "Send to the moderators" }).click();
    await advert.getByText(/the moderators will look at it/).waitFor();
    expect(await asker.locator('input[name="intent"][value="flag"]').count()).toBe(0);
    expect(consoleErrors.filter((e) => e.startsWith("memberasker@example.org: ") && !/Failed to load resource: .* 400/.test(e))).toEqual([]);
  });
});
