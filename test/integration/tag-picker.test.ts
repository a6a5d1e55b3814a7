// Tag synonyms as members meet them, over HTTP on a real server: the ask
// form folds a synonym into its main tag, a synonym's id still posts to the
// main tag (form and API), /tags/<synonym> redirects, /tags and tag pages
// name the synonyms, and a tag page advertises its own feed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { execute, queryAll } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";
import { makeVocabulary, TOPICS, type Vocabulary } from "../helpers/tag-vocabulary";

let server: RunningServer;
let vocabulary: Vocabulary;
let asker: Visitor, guest: Visitor;
let weeding: number, mustie: number, reference: number;

beforeAll(async () => {
  server = await startServer();
  vocabulary = await makeVocabulary(server);
  asker = new Visitor(server.url);
  guest = new Visitor(server.url);
  await join(asker, aMember("asker"));
  [weeding, mustie, reference] = await Promise.all(["weeding", "mustie", "reference"].map(vocabulary.tagId));
});
afterAll(async () => {
  await server?.stop();
});

const tagsOf = async (threadId: number) =>
  (
    await queryAll<{ slug: string }>(
      server.database,
      `SELECT g."slug" FROM "ThreadTag" tt JOIN "Tag" g ON g."id" = tt."tagId" WHERE tt."threadId" = ? ORDER BY g."slug"`,
      threadId,
    )
  ).map((r) => r.slug);
const threadIdOf = (location: string | null) => Number(/^\/t\/(\d+)\//.exec(location ?? "")?.[1]);

/** Posts the ask form as a browser without JavaScript would (tagIds repeated). */
function ask(who: Visitor, title: string, tagIds: number[]) {
  const body = new URLSearchParams({ title, body: "What do you all do?", kind: "question" });
  for (const id of tagIds) body.append("tagIds", String(id));
  return who.request("/threads/new", {
    method: "POST",
    body: body.toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
  });
}

describe("the ask form's tag field", () => {
  it("offers each main tag once, with its synonyms folded into its label", async () => {
    const form = await asker.get("/threads/new");
    expect(form.status).toBe(200);
    const boxes = [...form.body.matchAll(/name="tagIds" value="(\d+)"/g)].map((m) => Number(m[1]));
    // Ten competency areas and the topics, less the one synonym.
    expect(boxes).toHaveLength(10 + TOPICS.length - 1);
    expect(boxes).toContain(weeding);
    expect(boxes).not.toContain(mustie);
    expect(textOf(form.body)).toContain("Weeding (also: MUSTIE)");
    // Topics are folded away without JavaScript, and open when the form comes back with one chosen.
    expect(form.body).toMatch(/<details class="tag-picker__topics"><summary>Topics \(39\)<\/summary>/);
  });

  it("comes back with the main tag ticked when an old form posted a synonym", async () => {
    const back = await ask(asker, "Short", [mustie]);
    expect(back.status).toBe(400);
    expect(textOf(back.body)).toContain("Title must be at least 8 characters");
    const box = (id: number) => new RegExp(`<input[^>]*name="tagIds"[^>]*value="${id}"[^>]*>`).exec(back.body)?.[0];
    expect(box(weeding)).toContain('checked=""');
    expect(box(reference)).not.toContain("checked");
    expect(back.body).toMatch(/<details class="tag-picker__topics" open="">/);
  });

  it("still refuses unknown tags and an empty choice, with a message", async () => {
    const unknown = await ask(asker, "A question about unknown tags", [999999]);
    expect(unknown.status).toBe(400);
    expect(textOf(unknown.body)).toContain("Choose tags from the list.");
    const none = await ask(asker, "A question about no tags at all", []);
    expect(none.status).toBe(400);
    expect(textOf(none.body)).toContain("Choose at least one tag");
  });
});

describe("posting with a synonym", () => {
  it("lands on the main tag from a form, once even when both were sent", async () => {
    const alone = await ask(asker, "Weeding with MUSTIE: how strict?", [mustie, reference]);
    expect(alone.status).toBe(302);
    expect(await tagsOf(threadIdOf(alone.location))).toEqual(["reference", "weeding"]);
    const both = await ask(asker, "Weeding and MUSTIE both ticked", [mustie, weeding]);
    expect(both.status).toBe(302);
    expect(await tagsOf(threadIdOf(both.location))).toEqual(["weeding"]);
  });

  it("lands on the main tag through the API", async () => {
    const settings = await asker.post("/me/settings", { intent: "create-token", name: "tag picker" });
    const token = /value="(pnt_[A-Za-z0-9_-]+)"/.exec(settings.body)![1];
    const res = await fetch(`${server.url}/api/v1/threads`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ title: "MUSTIE through the API", body: "Posted by a script.", tagIds: [mustie] }),
    });
    expect(res.status).toBe(201);
    const { thread } = (await res.json()) as { thread: { id: number } };
    expect(await tagsOf(thread.id)).toEqual(["weeding"]);
  });
});

describe("tag pages and the tag index", () => {
  it("/tags/<synonym> redirects (301) to the main tag, which says where the reader came from", async () => {
    const moved = await guest.get("/tags/mustie?kind=question");
    expect(moved.status).toBe(301);
    expect(moved.location).toBe("/tags/weeding?kind=question&from=mustie");
    const page = await guest.get(moved.location!);
    expect(page.status).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain("“MUSTIE” is a synonym of Weeding: its threads are here.");
    expect(text).toContain("Also called: MUSTIE");
    // Only a real synonym of this tag is named: "from" is not a place to put words on the page.
    const other = textOf((await guest.get("/tags/weeding?from=reference")).body);
    expect(other).not.toContain("is a synonym of");
    expect(textOf((await guest.get("/tags/weeding?from=%E2%80%9CFree%20prizes%E2%80%9D")).body)).not.toContain("Free prizes");
  });

  it("a synonym's threads show on the main tag's page", async () => {
    // A thread tagged MUSTIE (and Weeding) before a moderator declared the one a synonym of the other.
    const older = await ask(vocabulary.moderator, "Older thread tagged MUSTIE only", [reference]);
    const id = threadIdOf(older.location);
    await execute(server.database, `DELETE FROM "ThreadTag" WHERE "threadId" = ?`, id);
    await execute(server.database, `INSERT INTO "ThreadTag" ("threadId", "tagId") VALUES (?, ?), (?, ?)`, id, mustie, id, weeding);
    expect(textOf((await asker.get("/tags/weeding")).body)).toContain("Older thread tagged MUSTIE only");
  });

  it("/tags lists each main tag once with its synonyms beside it, counting their threads together", async () => {
    const moderator = vocabulary.moderator;
    const index = await moderator.get("/tags");
    expect(index.status).toBe(200);
    expect(index.body).not.toContain('href="/tags/mustie"');
    const card = /<li class="card"><h3><a [^>]*href="\/tags\/weeding">Weeding<\/a><\/h3>([^]*?)<\/li>/.exec(index.body)?.[1] ?? "";
    expect(textOf(card)).toContain("Also called: MUSTIE");
    // Three posted under MUSTIE (now Weeding) and the older one tagged with both, counted once.
    expect(textOf(card)).toContain("4 threads");
    // Only threads everyone can see count: one hidden by a moderator does not.
    await execute(
      server.database,
      `UPDATE "Thread" SET "hiddenAt" = ?, "hiddenReason" = 'moderator' WHERE "title" = 'Weeding and MUSTIE both ticked'`,
      new Date(),
    );
    expect(textOf((await moderator.get("/tags")).body)).toMatch(/Also called: MUSTIE 3 threads/);
  });

  it("a synonym's feed is its main tag's, and a moderator's retagging form offers main tags only", async () => {
    for (const format of ["rss", "atom"]) {
      const moved = await guest.get(`/feeds/tags/mustie.${format}`);
      expect(moved.status).toBe(301);
      expect(moved.location).toBe(`/feeds/tags/weeding.${format}`);
    }
    const thread = await ask(asker, "Retagging a weeding question", [weeding]);
    const page = (await vocabulary.moderator.get(thread.location!)).body;
    const retag = /<input[^>]*name="tagIds"[^>]*>/g;
    const offered = [...page.matchAll(retag)].map((m) => Number(/value="(\d+)"/.exec(m[0])?.[1]));
    expect(offered).toContain(weeding);
    expect(offered).not.toContain(mustie);
  });

  it("a tag page's feed autodiscovery points at that tag's feeds, first", async () => {
    const page = await guest.get("/tags/weeding");
    const alternates = [...page.body.matchAll(/<link\b[^>]*\brel="alternate"[^>]*>/g)].map((m) => m[0]);
    const hrefs = alternates.map((l) => /href="([^"]+)"/.exec(l)![1]);
    expect(hrefs.slice(0, 2)).toEqual(["/feeds/tags/weeding.rss", "/feeds/tags/weeding.atom"]);
    expect(alternates[0]).toContain('type="application/rss+xml"');
    expect(alternates[0]).toContain('title="ParaNet: threads tagged Weeding"');
    const feed = await guest.get(hrefs[0]);
    expect(feed.status).toBe(200);
    expect(feed.headers.get("content-type")).toContain("rss");
    // The home page keeps the site-wide feed as its first.
    expect(/<link\b[^>]*\brel="alternate"[^>]*href="([^"]+)"/.exec((await guest.get("/")).body)?.[1]).toBe("/feeds/latest.rss");
  });
});
