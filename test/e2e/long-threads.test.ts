// A long thread in a real browser: a page at a time, each body sent once (and
// still there after hydration, client navigation and a vote), an old
// "#reply-N" link finding its page, and replies posted while the reader is on
// an earlier page counted in a pill that leads to the last page.
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { aMember, join, Visitor } from "../helpers/client";
import { execute, insertReturning, queryOne } from "../helpers/db";
import { browserSuite, memberPage } from "../helpers/browser";

const suite = browserSuite();
const server = () => suite.server();
let threadPath: string;
const replyIds: number[] = [];
const bodyText = (id: number) => `Long thread reply ${id}, about shelving graphic novels.`;

beforeAll(async () => {
  const asker = new Visitor(server().url);
  await join(asker, aMember("longasker"));
  const tagId = String((await queryOne<{ id: number }>(server().database, `SELECT "id" FROM "Tag" WHERE "slug" = 'reference'`)).id);
  const made = await asker.post("/threads/new", { title: "Graphic novels: where do you shelve them?", body: "Tell us.", kind: "discussion", tagIds: tagId });
  threadPath = made.location!;
  const threadId = Number(threadPath.split("/")[2]);
  const author = Number((await queryOne<{ id: number }>(server().database, `SELECT "id" FROM "User" WHERE "handle" = 'memberlongasker'`)).id);
  // 45 replies written straight into the database (posting them would meet the new-member post limit).
  for (let i = 0; i < 45; i++) {
    const at = new Date(Date.UTC(2026, 0, 1, 12, i)).toISOString();
    const row = await insertReturning<{ id: number }>(
      server().database,
      `INSERT INTO "Reply" ("threadId", "authorId", "bodySource", "bodyHtml", "rendererVersion", "isPrivate", "helpfulCount", "createdAt")
       VALUES (?, ?, 'x', 'x', 1, ?, 0, ?) RETURNING "id"`,
      threadId,
      author,
      false,
      at,
    );
    const id = Number(row.id);
    await execute(server().database, `UPDATE "Reply" SET "bodySource" = ?, "bodyHtml" = ? WHERE "id" = ?`, bodyText(id), `<p>${bodyText(id)}</p>`, id);
    replyIds.push(id);
  }
});

/** The page has hydrated: React handles its links (a client navigation keeps this marker). */
async function hydrated(page: Page) {
  await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
}

describe("a long thread in the browser", () => {
  it("reads page by page, with every body still shown after hydration, navigation and a vote", async () => {
    const reader = await memberPage(suite.browser(), server().url, { handle: "longreader", name: "Lee Reader" });
    await reader.goto(`${server().url}${threadPath}`);
    await hydrated(reader);
    await reader.getByRole("heading", { name: /45 replies · page 1 of 3/ }).waitFor();
    expect(await reader.locator("article.reply").count()).toBe(20);
    // The bodies came once, in the HTML; hydration kept them.
    await reader.waitForLoadState("networkidle");
    for (const id of [replyIds[0]!, replyIds[19]!]) expect(await reader.locator(`#reply-${id} .post-body`).textContent()).toBe(bodyText(id));

    // A client navigation to page 2 brings its bodies with the data.
    await reader.getByRole("navigation", { name: "Pages of this thread", exact: true }).getByRole("link", { name: "Next →" }).click();
    await reader.waitForURL(`**${threadPath}?page=2`);
    await reader.getByRole("heading", { name: /page 2 of 3/ }).waitFor();
    expect(await reader.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(await reader.locator(`#reply-${replyIds[20]!} .post-body`).textContent()).toBe(bodyText(replyIds[20]!));

    // A vote comes back to its reply on this page; the bodies stay.
    await reader
      .locator(`#reply-${replyIds[25]!}`)
      .getByRole("button", { name: /Helpful/ })
      .click();
    await reader.locator(`#reply-${replyIds[25]!} .vote__count`, { hasText: /^1$/ }).waitFor();
    expect(await reader.locator(`#reply-${replyIds[25]!} .post-body`).textContent()).toBe(bodyText(replyIds[25]!));
    expect(await reader.locator(`#reply-${replyIds[21]!} .post-body`).textContent()).toBe(bodyText(replyIds[21]!));
  });

  it("sends an old #reply-N link to the page that holds the reply", async () => {
    const reader = await memberPage(suite.browser(), server().url, { handle: "longlinker", name: "Kim Linker" });
    const last = replyIds.at(-1)!;
    await reader.goto(`${server().url}${threadPath}#reply-${last}`);
    await reader.waitForURL(`**${threadPath}?reply=${last}#reply-${last}`);
    await reader.locator(`#reply-${last}`).waitFor();
    expect(await reader.locator(`#reply-${last} .post-body`).textContent()).toBe(bodyText(last));
  });

  it("counts replies posted meanwhile on an earlier page, and the pill leads to the last page", async () => {
    const reader = await memberPage(suite.browser(), server().url, { handle: "longwatcher", name: "Sam Watcher" });
    await reader.goto(`${server().url}${threadPath}`);
    await hydrated(reader);
    await reader.waitForLoadState("networkidle");
    const writer = new Visitor(server().url);
    await join(writer, aMember("longwriter"));
    const posted = await writer.post(threadPath, { intent: "reply", body: "Posted while you were reading page one." });
    expect(posted.status).toBe(302);
    const pill = reader.getByRole("button", { name: "1 new reply — on the last page" });
    await pill.waitFor();
    // Not added to page one.
    expect(await reader.locator("article.reply").count()).toBe(20);
    await pill.click();
    await reader.waitForURL(`**${threadPath}?page=3`);
    await reader.getByText("Posted while you were reading page one.").waitFor();
    await reader.getByRole("heading", { name: /46 replies · page 3 of 3/ }).waitFor();
  });
});
