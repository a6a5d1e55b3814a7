// Long lists, a page at a time (issue 18), over HTTP against a real server
// and database: the review queue, notifications, search and the resources
// list each page by a link that works without JavaScript, never losing or
// repeating an item; a position no page could have produced is ignored
// (never a 500); excerpts and snippets are plain text; the queue decides
// several items in one submit, logging each; private TARGET replies stay with
// those who may read them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor, type Page } from "../helpers/client";
import { queryAll } from "../helpers/db";
import { eventsDelivered, startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let admin: Visitor, moderator: Visitor, asker: Visitor, helper: Visitor, newcomer: Visitor, outsider: Visitor, guest: Visitor;
let tagId: string;
let queueHome: { id: number; path: string };
let flaggedReply: number;
const heldReplies: number[] = [];
const searchThreads: number[] = [];
let privateReply: number;

const sql = <T>(query: string, ...args: unknown[]) => queryAll<T>(server.database, query, ...args);
const userId = async (handle: string) => (await sql<{ id: number }>(`SELECT "id" FROM "User" WHERE "handle" = ?`, handle))[0].id;
const person = (name: string) => aMember(name, { handle: name });
const settings = (hold: number) => admin.post("/admin/settings", { worksiteRequired: "on", holdFirstPosts: String(hold), flagsToHide: "0", postLimit: "1000" });
const decode = (href: string) => href.replace(/&amp;/g, "&");

async function post(visitor: Visitor, fields: Record<string, string>) {
  const res = await visitor.post("/threads/new", { kind: "question", tagIds: tagId, body: "What do you do about this in your library?", ...fields });
  if (res.status !== 302) throw new Error(`posting failed ${res.status}: ${textOf(res.body).slice(0, 300)}`);
  return { id: Number(res.location!.split("/")[2]), path: res.location! };
}
async function reply(visitor: Visitor, path: string, body: string) {
  const res = await visitor.post(path, { intent: "reply", body });
  if (res.status !== 302) throw new Error(`replying failed ${res.status}: ${textOf(res.body).slice(0, 300)}`);
  return Number(/#reply-(\d+)$/.exec(res.location!)![1]);
}
/** A form with repeated fields (several ticked checkboxes), as a browser posts it. */
function postPairs(visitor: Visitor, path: string, pairs: [string, string][]): Promise<Page> {
  return visitor.request(path, {
    method: "POST",
    body: new URLSearchParams(pairs).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
  });
}
const batch = (visitor: Visitor, intent: string, items: string[], reason = "", path = "/moderate?index") =>
  postPairs(visitor, path, [["intent", intent], ...items.map((i): [string, string] => ["items", i]), ["reason", reason]]);

/** Follows a list's "next" links from `first`, collecting what each page lists; fails on a repeat. */
async function walk(visitor: Visitor, first: string, items: RegExp, next: RegExp, maxPages = 20): Promise<{ pages: string[][]; all: string[] }> {
  const pages: string[][] = [];
  let url: string | null = first;
  while (url && pages.length < maxPages) {
    const page = await visitor.get(url);
    expect(page.status, url).toBe(200);
    pages.push([...page.body.matchAll(items)].map((m) => m[1]));
    const link = next.exec(page.body)?.[1];
    url = link ? decode(link) : null;
  }
  const all = pages.flat();
  expect(new Set(all).size, "an item listed on two pages").toBe(all.length);
  return { pages, all };
}

beforeAll(async () => {
  server = await startServer();
  [admin, moderator, asker, helper, newcomer, outsider, guest] = Array.from({ length: 7 }, () => new Visitor(server.url));
  await admin.post(`/setup?token=${server.setupToken}`, person("admin"));
  for (const [v, name] of [
    [moderator, "pmod"],
    [asker, "asker"],
    [helper, "helper"],
    [newcomer, "newcomer"],
    [outsider, "outsider"],
  ] as const)
    await join(v, person(name));
  await admin.post("/admin/members", { userId: String(await userId("pmod")), role: "moderator" });
  tagId = String((await sql<{ id: number }>(`SELECT "id" FROM "Tag" WHERE "slug" = 'collection-management'`))[0].id);

  // Nothing held while the regular members post.
  expect((await settings(0)).status).toBe(200);
  queueHome = await post(asker, { title: "Weeding the biography section" });
  flaggedReply = await reply(helper, queueHome.path, "Buy shelf labels from my shop at a discount!");
  expect((await asker.post(queueHome.path, { intent: "flag", target: `reply:${flaggedReply}`, reason: "spam" })).status).toBe(200);
  for (let i = 0; i < 25; i++) {
    const t = await post(helper, {
      title: `Paging probe ${i}: ZYGOMORPH shelving`,
      body: `**ZYGOMORPH bold** advice number ${i}.\n\n- ZYGOMORPH list item\n- a second item\n\n> quoted ZYGOMORPH words`,
    });
    searchThreads.push(t.id);
  }
  const target = await post(asker, { kind: "target", title: "TARGET: how do you weed quietly?" });
  privateReply = await reply(helper, target.path, "My **XENOLITH** answer, for the asker only.");

  // Then a newcomer's 30 replies all wait for a moderator.
  expect((await settings(50)).status).toBe(200);
  for (let i = 0; i < 30; i++) {
    heldReplies.push(await reply(newcomer, queueHome.path, `**MUSTIE** number ${i}\n\n- weed the biographies\n- check the dates\n\n> a quoted line`));
  }
  expect((await settings(0)).status).toBe(200);
}, 180_000);
afterAll(async () => {
  await server?.stop();
});

const QUEUE_ITEM = /name="items"[^>]*value="((?:thread|reply|resource):\d+)"/g;
const QUEUE_NEXT = /href="(\/moderate\?[^"]*after=[^"]+)"/;

describe("the review queue", () => {
  it("pages oldest first without losing or repeating an item, and says how many wait", async () => {
    const first = await moderator.get("/moderate");
    expect(textOf(first.body)).toContain("31 items waiting");
    expect(textOf(first.body)).toContain("1 flagged · 30 held · 0 resources");
    const { pages, all } = await walk(moderator, "/moderate", QUEUE_ITEM, QUEUE_NEXT);
    expect(pages.map((p) => p.length)).toEqual([25, 6]);
    expect(all.sort()).toEqual([`reply:${flaggedReply}`, ...heldReplies.map((id) => `reply:${id}`)].sort());
    // Oldest first: the flag came before the newcomer's replies, which follow in the order they were written.
    expect(pages.flat()).toEqual([`reply:${flaggedReply}`, ...heldReplies.map((id) => `reply:${id}`)]);
    // The page's data (what scripts read) pages the same way.
    const data = JSON.parse((await moderator.get("/moderate?_data=routes/moderate._index")).body) as {
      items: unknown[];
      nextCursor: string;
      counts: { total: number };
    };
    expect(data.items).toHaveLength(25);
    expect(data.counts.total).toBe(31);
    expect(data.nextCursor).toMatch(/^\d+_reply:\d+$/);
  });

  it("ignores a position no page could have produced, and never answers 500", async () => {
    const firstItem = `value="reply:${flaggedReply}"`;
    for (const after of ["garbage", "1_reply:0", "99999999999999999_thread:1", "1_<script>", "-1_reply:1", "1_reply:1%00", "", "1e3_reply:1", "1_user:1"]) {
      const page = await moderator.get(`/moderate?after=${encodeURIComponent(after)}`);
      expect(page.status, after).toBe(200);
      expect(page.body, after).toContain(firstItem);
      const data = await moderator.get(`/moderate?after=${encodeURIComponent(after)}&_data=routes/moderate._index`);
      expect(data.status, after).toBe(200);
    }
    // Past the end: an empty page that says so, with the way back.
    const beyond = await moderator.get("/moderate?after=253402300799999_thread:1");
    expect(beyond.status).toBe(200);
    expect(textOf(beyond.body)).toContain("Nothing more on this page.");
    expect(beyond.body).toContain('href="/moderate"');
  });

  it("shows excerpts as plain text, with no Markdown markers and no scrolling quote box", async () => {
    const page = await moderator.get("/moderate");
    const excerpts = [...page.body.matchAll(/<p class="queue-item__text">([\s\S]*?)<\/p>/g)].map((m) => textOf(m[1]));
    expect(excerpts).toHaveLength(25);
    const held = excerpts.filter((e) => e.includes("MUSTIE"));
    expect(held.length).toBeGreaterThan(20);
    for (const e of held) {
      expect(e).toMatch(/MUSTIE number \d+ weed the biographies check the dates a quoted line/);
      expect(e).not.toContain("**");
      expect(e).not.toMatch(/(^|\s)-\s/);
      expect(e).not.toContain(">");
    }
    expect(page.body).not.toContain("<blockquote");
  });

  it("is for moderators only, in every form: a member and a guest get no page, no data and no batch", async () => {
    for (const path of ["/moderate", "/moderate?after=1_reply:1", "/moderate?_data=routes/moderate._index"]) {
      const member = await outsider.get(path);
      expect(member.status, path).toBe(403);
      expect(member.body).not.toContain("MUSTIE");
      expect((await guest.get(path)).status, path).toBe(path.includes("_data") ? 204 : 302);
    }
    const held = `reply:${heldReplies[0]}`;
    expect((await batch(outsider, "batch-approve", [held])).status).toBe(403);
    expect((await batch(guest, "batch-approve", [held])).status).toBe(302);
    expect((await sql<{ hiddenAt: unknown }>(`SELECT "hiddenAt" FROM "Reply" WHERE "id" = ?`, heldReplies[0]))[0].hiddenAt).not.toBeNull();
  });

  it("refuses a bad batch with a 400 and a message, changing nothing", async () => {
    const before = await sql<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "AuditEvent"`);
    const visible = await reply(asker, queueHome.path, "A visible reply that waits for nobody.");
    const cases: [string, string[], string, RegExp][] = [
      ["batch-approve", [], "", /Choose at least one item/],
      ["batch-approve", [`reply:${heldReplies[0]}`, "thread:999999"], "", /thread #999999 is not waiting in the review queue/],
      ["batch-approve", [`reply:${visible}`], "", /reply #\d+ is not waiting in the review queue/],
      ["batch-approve", ["<script>alert(1)</script>"], "", /not a queue item/],
      ["batch-approve", ["reply:0"], "", /not a queue item/],
      ["batch-approve", ["reply:99999999999999"], "", /not a queue item/],
      ["batch-reject", [`reply:${heldReplies[0]}`], "", /Say why/],
      ["batch-reject", [`reply:${heldReplies[0]}`], "x".repeat(501), /under 500 characters/],
      ["batch-approve", Array.from({ length: 101 }, (_, i) => `reply:${i + 1}`), "", /at most 100 items/],
    ];
    for (const [intent, items, reason, message] of cases) {
      const page = await batch(moderator, intent, items, reason);
      expect(page.status, `${intent} ${items.slice(0, 2)}`).toBe(400);
      expect(textOf(page.body)).toMatch(message);
      // Scripts get the message in the data too.
      const data = await batch(moderator, intent, items, reason, "/moderate?index&_data=routes/moderate._index");
      expect(data.status).toBe(400);
      expect((JSON.parse(data.body) as { message: string }).message).toMatch(message);
    }
    expect(textOf((await batch(moderator, "batch-everything", [`reply:${heldReplies[0]}`])).body)).toContain("Unknown action.");
    expect(await sql<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "AuditEvent"`)).toEqual(before);
    const stillHeld = await sql<{ n: number }>(
      `SELECT COUNT(*) AS "n" FROM "Reply" WHERE "hiddenReason" = 'held' AND "hiddenAt" IS NOT NULL AND "deletedAt" IS NULL`,
    );
    expect(Number(stillHeld[0].n)).toBe(30);
  });

  it("approves and rejects exactly the chosen items in one submit, each in the moderation log", async () => {
    const approve = heldReplies.slice(26, 29);
    const reject = heldReplies.slice(2, 4);
    const untouched = heldReplies.filter((id) => !approve.includes(id) && !reject.includes(id));

    const approved = await batch(
      moderator,
      "batch-approve",
      approve.map((id) => `reply:${id}`),
      "Welcome aboard.",
    );
    expect(approved.status).toBe(200);
    expect(textOf(approved.body)).toContain("Approved 3 items.");
    const rejected = await batch(moderator, "batch-reject", [...reject.map((id) => `reply:${id}`), `reply:${flaggedReply}`], "Spam links.");
    expect(rejected.status).toBe(200);
    expect(textOf(rejected.body)).toContain("Rejected 3 items.");

    const state = async (id: number) =>
      (
        await sql<{ hiddenAt: unknown; hiddenReason: string; deletedAt: unknown }>(
          `SELECT "hiddenAt", "hiddenReason", "deletedAt" FROM "Reply" WHERE "id" = ?`,
          id,
        )
      )[0];
    for (const id of approve) expect(await state(id)).toMatchObject({ hiddenAt: null, deletedAt: null });
    for (const id of reject) expect((await state(id)).deletedAt).not.toBeNull();
    expect(await state(flaggedReply)).toMatchObject({ hiddenReason: "moderator" });
    for (const id of untouched) expect(await state(id)).toMatchObject({ hiddenReason: "held", deletedAt: null });
    expect((await state(untouched[0])).hiddenAt).not.toBeNull();

    const log = await sql<{ action: string; targetId: number; reason: string; handle: string }>(
      `SELECT a."action", a."targetId", a."reason", u."handle" FROM "AuditEvent" a JOIN "User" u ON u."id" = a."actorId" WHERE a."targetType" = 'reply' ORDER BY a."id"`,
    );
    const entries = log.map((e) => `${e.action} ${e.targetId} ${e.reason} @${e.handle}`);
    expect(entries.sort()).toEqual(
      [
        ...approve.map((id) => `reply.approved ${id} Welcome aboard. @pmod`),
        ...reject.map((id) => `reply.deleted ${id} Spam links. @pmod`),
        `reply.hidden ${flaggedReply} Spam links. @pmod`,
      ].sort(),
    );
    // The flag was upheld; the approved replies are public; the queue counts what is left.
    const flags = await sql<{ resolution: string }>(`SELECT "resolution" FROM "Flag" WHERE "target" = ?`, `reply:${flaggedReply}`);
    expect(flags.map((f) => f.resolution)).toEqual(["upheld"]);
    const thread = textOf((await guest.get(queueHome.path)).body);
    expect(thread).toContain(`MUSTIE number 26`);
    expect(thread).not.toContain(`MUSTIE number 25 `);
    expect(textOf((await moderator.get("/moderate")).body)).toContain("25 items waiting");
    // Deciding them again: they no longer wait.
    const again = await batch(moderator, "batch-approve", [`reply:${approve[0]}`]);
    expect(again.status).toBe(400);
    expect(textOf(again.body)).toContain("not waiting in the review queue");
  });
});

describe("notifications", () => {
  it("page newest first without losing or repeating one, ignore a bad position, and mark all read from any page", async () => {
    const thread = await post(asker, { title: "Tell me about every answer" });
    for (let i = 0; i < 30; i++) await reply(helper, thread.path, `Answer number ${i} to your question.`);
    await eventsDelivered(server);
    const mine = (await sql<{ id: number }>(`SELECT "id" FROM "Notification" WHERE "userId" = ? ORDER BY "id" DESC`, await userId("asker"))).map((n) =>
      String(n.id),
    );
    expect(mine.length).toBeGreaterThan(30);
    const { pages, all } = await walk(asker, "/notifications", /href="\/notifications\/(\d+)"/g, /href="(\/notifications\?before=\d+)"/);
    expect(pages.length).toBe(Math.ceil(mine.length / 25));
    expect(pages.slice(0, -1).every((p) => p.length === 25)).toBe(true);
    expect(all).toEqual(mine);

    for (const before of ["abc", "0", "-5", "99999999999", "1e3", "<script>", "", "2147483648"]) {
      const page = await asker.get(`/notifications?before=${encodeURIComponent(before)}`);
      expect(page.status, before).toBe(200);
      expect(page.body, before).toContain(`href="/notifications/${mine[0]}"`);
    }

    // "Mark all read" on the last page marks the newest too, and comes back to that page.
    const lastCursor = /href="(\/notifications\?before=\d+)"/.exec((await asker.get("/notifications")).body)![1];
    const last = await asker.get(lastCursor);
    const upTo = /name="upTo" value="(\d+)"/.exec(last.body)![1];
    expect(upTo).toBe(mine[0]);
    const marked = await asker.post(lastCursor, { upTo });
    expect(marked.status).toBe(302);
    expect(marked.location).toBe(lastCursor);
    const unread = await sql<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "Notification" WHERE "userId" = ? AND "readAt" IS NULL`, await userId("asker"));
    expect(Number(unread[0].n)).toBe(0);
  });
});

describe("search", () => {
  const RESULT = /<h3 class="search-result__title"><a [^>]*href="\/t\/(\d+)\//g;
  const NEXT = /href="(\/search\?[^"]*page=\d+)"[^>]*>Next results/;

  it("pages by a link without losing or repeating a result", async () => {
    const { pages, all } = await walk(guest, "/search?q=zygomorph", RESULT, NEXT);
    expect(pages.map((p) => p.length)).toEqual([20, 5]);
    expect(all.map(Number).sort((a, b) => a - b)).toEqual([...searchThreads].sort((a, b) => a - b));
    const newest = await walk(guest, "/search?q=zygomorph&sort=newest", RESULT, NEXT);
    expect(newest.all).toEqual([...searchThreads].reverse().map(String));
  });

  it("shows snippets as plain text with the match marked, on the page and in the API", async () => {
    const page = await guest.get("/search?q=zygomorph");
    const snippets = [...page.body.matchAll(/<p class="search-result__snippet">([\s\S]*?)<\/p>/g)].map((m) => m[1]);
    expect(snippets).toHaveLength(20);
    for (const s of snippets) {
      expect(s).toContain("<mark>ZYGOMORPH</mark>");
      const text = textOf(s);
      expect(text).toMatch(/ZYGOMORPH bold advice number \d+\. ZYGOMORPH list item a second item quoted ZYGOMORPH words/);
      expect(text).not.toContain("**");
      expect(text).not.toMatch(/(^|\s)-\s/);
      expect(s).not.toContain("&gt;");
    }
    const api = JSON.parse((await guest.get("/api/v1/search?q=zygomorph")).body) as { results: { snippetHtml: string }[] };
    expect(api.results).toHaveLength(20);
    for (const r of api.results) expect(r.snippetHtml).not.toMatch(/\*\*|(^|\s)-\s|&gt;/);
  });

  it("ignores a page number no link could have made, and never answers 500", async () => {
    for (const n of ["abc", "-1", "0", "51", "99999999999999999999", "1.5", "<script>", ""]) {
      const page = await guest.get(`/search?q=zygomorph&page=${encodeURIComponent(n)}`);
      expect(page.status, n).toBe(200);
      expect([...page.body.matchAll(RESULT)], n).toHaveLength(20);
    }
    // A real page past the last result says so.
    const empty = await guest.get("/search?q=zygomorph&page=3");
    expect(textOf(empty.body)).toContain("No more results for “zygomorph”");
  });

  it("finds a private TARGET reply only for the asker, its author and moderators", async () => {
    const found = async (v: Visitor) => (await v.get("/search?q=xenolith")).body.includes(`#reply-${privateReply}`);
    expect(await found(guest)).toBe(false);
    expect(await found(outsider)).toBe(false);
    expect(await found(newcomer)).toBe(false);
    expect((await guest.get("/search?q=xenolith")).body).not.toContain("XENOLITH");
    expect((await outsider.get("/api/v1/search?q=xenolith")).body).not.toContain("XENOLITH");
    for (const v of [asker, helper, moderator]) expect(await found(v)).toBe(true);
    // Plain text for those who may read it, too.
    const mine = (await asker.get("/search?q=xenolith")).body;
    expect(textOf(/<p class="search-result__snippet">([\s\S]*?)<\/p>/.exec(mine)![1])).toBe("My XENOLITH answer, for the asker only.");
  });
});

describe("the resources list", () => {
  const ENTRY = /<h2 class="resource__title" id="resource-\d+-title"><a [^>]*href="\/resources\/(\d+)"/g;
  const NEXT = /href="(\/resources\?[^"]*page=\d+)"[^>]*>Next/;
  const LONG = `**Bold claims** about weeding: ${"a careful word about collections ".repeat(12)}and the LASTWORDS of the abstract.`;

  beforeAll(async () => {
    const rows = Array.from({ length: 45 }, (_, i) => `Paged resource ${i},https://paged${i}.example.org/,"${LONG}",article,reference`);
    const res = await moderator.post("/moderate/resources/import", { csv: `title,url,abstract,type,competencies\n${rows.join("\n")}` });
    expect(res.status).toBe(200);
  });

  it("pages without losing or repeating an entry, ignoring a page number no link could have made", async () => {
    const approved = (await sql<{ id: number }>(`SELECT "id" FROM "Resource" WHERE "status" = 'approved'`)).map((r) => String(r.id));
    expect(approved.length).toBe(45);
    const { pages, all } = await walk(guest, "/resources", ENTRY, NEXT);
    expect(pages.map((p) => p.length)).toEqual([20, 20, 5]);
    expect([...all].sort()).toEqual([...approved].sort());
    for (const n of ["abc", "-2", "0", "99999", "1.5", "<script>"]) {
      const page = await guest.get(`/resources?page=${encodeURIComponent(n)}`);
      expect(page.status, n).toBe(200);
      expect([...page.body.matchAll(ENTRY)].length, n).toBeGreaterThan(0);
    }
  });

  it("shortens abstracts to about 240 characters of plain text, the whole one staying on the entry's page", async () => {
    const page = await guest.get("/resources");
    const excerpts = [...page.body.matchAll(/<p class="resource__excerpt">([\s\S]*?)<\/p>/g)].map((m) => textOf(m[1]).trim());
    expect(excerpts).toHaveLength(20);
    for (const e of excerpts) {
      expect(e.length).toBeLessThanOrEqual(240);
      expect(e.length).toBeGreaterThan(200);
      expect(e).toMatch(/^Bold claims about weeding: a careful word/);
      expect(e.endsWith("…")).toBe(true);
      expect(e).not.toContain("**");
    }
    expect(page.body).not.toContain("LASTWORDS");
    const id = /href="\/resources\/(\d+)"/.exec(page.body)![1];
    expect(textOf((await guest.get(`/resources/${id}`)).body)).toContain("LASTWORDS");
  });

  it("folds the filters into a closed “Filters” disclosure as served, so a phone sees the list first", async () => {
    const body = (await guest.get("/resources?type=article")).body;
    const details = /<details class="filter-panel"[^>]*>\s*<summary[^>]*>([\s\S]*?)<\/summary>/.exec(body);
    expect(details).not.toBeNull();
    expect(details![0]).not.toMatch(/\sopen/);
    expect(textOf(details![1]).trim()).toBe("Filters (1 chosen) and competency areas");
    expect(body.indexOf('aria-label="Filter resources"')).toBeGreaterThan(body.indexOf('class="filter-panel"'));
  });
});
