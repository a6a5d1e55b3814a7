// All cores (WEB_CONCURRENCY=2, decision 0013) in a real browser: a reply
// posted through one web worker appears, live, in a browser whose live
// connection is held by the other worker.
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserSuite, memberPage, SHOTS } from "../helpers/browser";
import { aMember, join, Visitor } from "../helpers/client";
import { connectionTo, logLines, workerOfSession } from "../helpers/cluster";
import { queryOne } from "../helpers/db";

const suite = browserSuite({ env: { WEB_CONCURRENCY: "2" } });
const url = () => suite.server().url;

/** The worker holding the page's live connection: the session id in Engine.IO's open packet names it ("0{"sid":"<worker>.…"). */
function liveWorker(page: Page): Promise<number> {
  return new Promise((resolve) => {
    page.on("websocket", (ws) =>
      ws.on("framereceived", ({ payload }) => {
        const text = String(payload);
        if (text.startsWith("0{")) resolve(workerOfSession((JSON.parse(text.slice(1)) as { sid: string }).sid));
      }),
    );
  });
}

describe("a browser and two web workers", () => {
  it("shows a reply posted through one worker in a browser connected to the other", async () => {
    const asker = new Visitor(url());
    await join(asker, aMember("cores-asker"));
    const helper = new Visitor(url());
    await join(helper, aMember("cores-helper"));
    const tagId = String((await queryOne<{ id: number }>(suite.server().database, `SELECT "id" FROM "Tag" ORDER BY "id" LIMIT 1`)).id);
    const created = await asker.post("/threads/new", {
      title: "Both cores: does my reply reach every reader?",
      body: "Asking once.",
      kind: "question",
      tagIds: tagId,
    });
    expect(created.status).toBe(302);

    // The reader's live connection is held by the worker that does not deliver events (the other holds the
    // outbox leases and emits): the reply reaches the reader only across workers.
    const delivering = logLines(suite.server(), "event dispatcher started").find((l) => (l.delivering as string[]).length > 0)!.worker;
    const reader = await memberPage(suite.browser(), url(), { handle: "cores-reader", name: "Rita Reader" });
    let readerWorker = 0;
    for (let attempt = 0; attempt < 20 && (readerWorker === 0 || readerWorker === delivering); attempt++) {
      const connected = liveWorker(reader);
      await reader.goto(`${url()}${created.location!}`);
      readerWorker = await connected;
    }
    expect(readerWorker).not.toBe(delivering);
    // Subscribed once the socket has answered.
    await reader.waitForLoadState("networkidle");

    const other = await connectionTo(url(), (w) => w !== readerWorker);
    const posted = await other.post(created.location!, { intent: "reply", body: "Posted through the other worker, seen live here." }, helper.cookieHeader());
    other.close();
    expect(posted.status).toBe(302);
    expect(posted.worker).not.toBe(readerWorker);

    await reader.getByText("Posted through the other worker, seen live here.").waitFor({ timeout: 5000 });
    await expect.poll(() => reader.locator("[aria-live=polite]").allTextContents()).toContainEqual(expect.stringMatching(/New reply from Member cores-helper/));
    await reader.screenshot({ path: path.join(SHOTS, "workers-live-reply.png") });
  });
});
