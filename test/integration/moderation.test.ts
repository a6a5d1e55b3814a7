// Moderation over HTTP, against a real server and database: held first
// posts, flags and the hide threshold, the review queue, moderators' actions
// on posts, threads and members, the append-only log, rate limits (429 with
// Retry-After), the guidelines at join, and the headers on every page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { execute, queryAll } from "../helpers/db";
import { connectLive, eventually, subscribed, type LiveTestClient } from "../helpers/live";
import { startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let admin: Visitor, moderator: Visitor, asker: Visitor, helper: Visitor, newcomer: Visitor, guest: Visitor;
const flaggers: Visitor[] = [];
let tagId: string;

/** Rows of a query, or the result of a write. */
async function sql<T = unknown>(query: string, ...params: unknown[]): Promise<T> {
  return (/^\s*(SELECT|WITH)\b/i.test(query) ? await queryAll(server.database, query, ...params) : await execute(server.database, query, ...params)) as T;
}
const userId = async (handle: string) => (await sql<{ id: number }[]>(`SELECT "id" FROM "User" WHERE "handle" = ?`, handle))[0].id;

async function post(visitor: Visitor, fields: Record<string, string>) {
  const body = new URLSearchParams({ kind: "question", tagIds: tagId, body: "What do you do about this in your library?", ...fields });
  const res = await visitor.request("/threads/new", {
    method: "POST",
    body: body.toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
  });
  if (res.status !== 302) throw new Error(`posting failed ${res.status}: ${textOf(res.body).slice(0, 300)}`);
  return { id: Number(res.location!.split("/")[2]), path: res.location! };
}
async function reply(visitor: Visitor, path: string, body: string) {
  const res = await visitor.post(path, { intent: "reply", body });
  if (res.status !== 302) throw new Error(`replying failed ${res.status}: ${textOf(res.body).slice(0, 300)}`);
  return Number(/#reply-(\d+)$/.exec(res.location!)![1]);
}
const settings = (fields: Record<string, string>) => admin.post("/admin/settings", { worksiteRequired: "on", ...fields });
/** A member whose handle is `name`. */
const person = (name: string) => aMember(name, { handle: name });
const search = async (q: string) =>
  (JSON.parse((await guest.get(`/api/v1/search?q=${encodeURIComponent(q)}`)).body) as { results: { id: number; kind: string }[] }).results;

beforeAll(async () => {
  server = await startServer();
  [admin, moderator, asker, helper, newcomer, guest] = Array.from({ length: 6 }, () => new Visitor(server.url));
  await admin.post(`/setup?token=${server.setupToken}`, person("admin"));
  for (const [v, name] of [
    [moderator, "mod"],
    [asker, "asker"],
    [helper, "helper"],
    [newcomer, "newcomer"],
  ] as const)
    await join(v, person(name));
  for (let i = 0; i < 3; i++) {
    const v = new Visitor(server.url);
    await join(v, person(`flagger${i}`));
    flaggers.push(v);
  }
  await admin.post("/admin/members", { userId: String(await userId("mod")), role: "moderator" });
  tagId = String((await sql<{ id: number }[]>(`SELECT "id" FROM "Tag" WHERE "slug" = 'collection-management'`))[0].id);
});
afterAll(async () => {
  await server?.stop();
});

describe("a new member's first posts", () => {
  it("wait for a moderator, seen only by their author and moderators, then appear everywhere once approved", async () => {
    expect((await settings({ holdFirstPosts: "2", flagsToHide: "3", postLimit: "1000" })).status).toBe(200);
    const held = await post(newcomer, { title: "Held: my first question about ZEPHYRBOOKS" });
    expect((await guest.get(held.path)).status).toBe(404);
    expect((await helper.get(held.path)).status).toBe(404);
    const own = await newcomer.get(held.path);
    expect(textOf(own.body)).toContain("Waiting for a moderator");
    expect(textOf((await guest.get("/")).body)).not.toContain("ZEPHYRBOOKS");
    expect((await guest.get("/feeds/latest.rss")).body).not.toContain("ZEPHYRBOOKS");
    expect(await search("zephyrbooks")).toEqual([]);

    const queue = textOf((await moderator.get("/moderate")).body);
    expect(queue).toContain("Held: my first question about ZEPHYRBOOKS");
    expect(queue).toContain("First post: waiting for approval");
    expect(queue).toContain("@newcomer");

    const approved = await moderator.post("/moderate", { intent: "mod-restore", target: `thread:${held.id}` });
    expect(approved.status).toBe(200);
    expect(textOf(approved.body)).toContain("Approved: everyone sees it now.");
    expect((await guest.get(held.path)).status).toBe(200);
    expect((await search("zephyrbooks")).map((r) => r.id)).toEqual([held.id]);
    expect(textOf((await moderator.get("/moderate/log?action=thread")).body)).toContain("thread.approved");

    // The second post is held too (two are, by default); after that, none.
    const second = await reply(newcomer, held.path, "A held reply saying QUASARSHELF.");
    expect(textOf((await guest.get(held.path)).body)).not.toContain("QUASARSHELF");
    expect(textOf((await asker.get(held.path)).body)).not.toContain("QUASARSHELF");
    expect(textOf((await newcomer.get(held.path)).body)).toContain("QUASARSHELF");
    expect(textOf((await moderator.get(held.path)).body)).toContain("QUASARSHELF");
    await moderator.post("/moderate", { intent: "mod-restore", target: `reply:${second}` });
    expect(textOf((await guest.get(held.path)).body)).toContain("QUASARSHELF");
    const third = await post(newcomer, { title: "My third post goes straight up" });
    expect((await guest.get(third.path)).status).toBe(200);
  });

  it("never hold moderators' posts", async () => {
    const staffThread = await post(moderator, { title: "A moderator's very first thread" });
    expect((await guest.get(staffThread.path)).status).toBe(200);
  });

  it("never reach the thread's live watchers until approved, but do reach moderators", async () => {
    const fresh = new Visitor(server.url);
    await join(fresh, person("fresh"));
    const thread = await post(moderator, { title: "Live watchers and held replies" });
    const watchers: LiveTestClient[] = [];
    try {
      const bystander = await connectLive(server.url, { visitor: helper });
      const staff = await connectLive(server.url, { visitor: moderator });
      watchers.push(bystander, staff);
      await subscribed(bystander, () => bystander.watchThread(thread.id));
      await subscribed(staff, () => staff.watchThread(thread.id));
      const held = await reply(fresh, thread.path, "Held words NEBULACART on the wire?");
      await eventually(() => expect(staff.events.some((e) => e.type === "reply.created" && e.reply.id === held)).toBe(true));
      await new Promise((r) => setTimeout(r, 300));
      expect(JSON.stringify(bystander.events)).not.toContain("NEBULACART");
      await moderator.post("/moderate", { intent: "mod-restore", target: `reply:${held}` });
      await eventually(() => expect(bystander.events.some((e) => e.type === "reply.created" && e.reply.id === held)).toBe(true));
    } finally {
      watchers.forEach((w) => w.close());
    }
    // The rest of this file is about other things: no more holding.
    await settings({ holdFirstPosts: "0", flagsToHide: "3", postLimit: "1000" });
  });
});

describe("flags", () => {
  let thread: { id: number; path: string };
  let replyId: number;
  beforeAll(async () => {
    thread = await post(asker, { title: "Flags on a reply about labels" });
    replyId = await reply(helper, thread.path, "Buy ORBITLABELS from my shop, discount code SPAM!");
  });

  it("are asked for where they are wanted: no form on the page until one is opened, and a refused one comes back open with its text", async () => {
    const flagForms = (html: string) => html.split('name="intent" value="flag"').length - 1;
    const page = await flaggers[0].get(thread.path);
    expect(flagForms(page.body)).toBe(0);
    // Without scripts, "Flag" holds a link to the page with that one form open.
    const link = `?flag=reply%3A${replyId}#flag-reply-${replyId}`;
    expect(page.body).toContain(`href="${link}"`);
    expect(page.body).toContain(`href="?flag=thread%3A${thread.id}#flag-thread-${thread.id}"`);
    const asked = await flaggers[0].get(`${thread.path}${link.split("#")[0]}`);
    expect(flagForms(asked.body)).toBe(1);
    expect(asked.body).toMatch(new RegExp(`<details class="moderation" id="flag-reply-${replyId}" open="">`));
    const refused = await flaggers[0].post(thread.path, { intent: "flag", target: `reply:${replyId}`, note: "Kept note" });
    expect(refused.status).toBe(400);
    expect(flagForms(refused.body)).toBe(1);
    expect(refused.body).toContain(">Kept note</textarea>");
    expect(textOf(refused.body)).toContain("Choose why you are flagging this.");
  });

  it("take a reason, once per member per item, never on one's own post", async () => {
    const noReason = await flaggers[0].post(thread.path, { intent: "flag", target: `reply:${replyId}`, note: "x" });
    expect(noReason.status).toBe(400);
    expect(textOf(noReason.body)).toContain("Choose why you are flagging this.");
    const ok = await flaggers[0].post(thread.path, { intent: "flag", target: `reply:${replyId}`, reason: "spam", note: "An advert" });
    expect(ok.status).toBe(200);
    expect(textOf(ok.body)).toContain("the moderators will look at it");
    const again = await flaggers[0].post(thread.path, { intent: "flag", target: `reply:${replyId}`, reason: "spam" });
    expect(again.status).toBe(409);
    expect(textOf(again.body)).toContain("already flagged");
    const own = await helper.post(thread.path, { intent: "flag", target: `reply:${replyId}`, reason: "spam" });
    expect(own.status).toBe(409);
    expect((await guest.post(thread.path, { intent: "flag", target: `reply:${replyId}`, reason: "spam" })).status).toBe(302);
    // A new member's flag is heard, but does not count towards hiding.
    expect((await flaggers[1].post(thread.path, { intent: "flag", target: `reply:${replyId}`, reason: "spam" })).status).toBe(200);
    expect(textOf((await guest.get(thread.path)).body)).toContain("ORBITLABELS");
  });

  it("hide an item once enough established members flag it, until a moderator decides", async () => {
    await settings({ holdFirstPosts: "0", flagsToHide: "2", postLimit: "1000" });
    // Established: a week's standing and a visible post.
    const weekAgo = new Date(Date.now() - 8 * 24 * 60 * 60_000);
    for (const name of ["flagger0", "flagger1", "flagger2"]) await sql(`UPDATE "User" SET "createdAt" = ? WHERE "handle" = ?`, weekAgo, name);
    for (const [i, f] of flaggers.entries()) await post(f, { title: `Flagger ${i} asks a real question` });
    const third = await flaggers[2].post(thread.path, { intent: "flag", target: `reply:${replyId}`, reason: "inappropriate", note: "Selling" });
    expect(textOf(third.body)).toContain("hidden until a moderator looks");
    expect(textOf((await guest.get(thread.path)).body)).not.toContain("ORBITLABELS");
    expect(textOf((await asker.get(thread.path)).body)).not.toContain("ORBITLABELS");
    expect(textOf((await helper.get(thread.path)).body)).toContain("Hidden after members flagged it");
    expect(await search("orbitlabels")).toEqual([]);
    // Its author is told, without being sent looking.
    await eventually(async () =>
      expect(textOf((await helper.get("/notifications")).body)).toContain("is hidden after members flagged it, until a moderator looks"),
    );

    const queue = textOf((await moderator.get("/moderate")).body);
    expect(queue).toContain("Spam or advertising from @flagger0");
    expect(queue).toContain("“An advert”");
    expect(queue).toContain("@helper");

    // The moderator dismisses the flags: the reply comes back, everywhere.
    const dismissed = await moderator.post("/moderate", { intent: "mod-dismiss", target: `reply:${replyId}` });
    expect(textOf(dismissed.body)).toContain("Flags dismissed.");
    expect(textOf((await guest.get(thread.path)).body)).toContain("ORBITLABELS");
    expect((await search("orbitlabels")).map((r) => r.id)).toEqual([replyId]);
    expect(textOf((await moderator.get("/moderate")).body)).not.toContain("ORBITLABELS");
    const log = textOf((await moderator.get("/moderate/log?action=flags")).body);
    expect(log).toContain("flags.dismissed");
    expect(textOf((await moderator.get("/moderate/log?action=reply")).body)).toContain("reply.auto_hidden");
  });

  it("work through the API too", async () => {
    const other = await reply(helper, thread.path, "Another reply to flag through the API.");
    const res = await fetch(`${server.url}/api/v1/flags`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: server.url, Cookie: asker.cookieHeader() },
      body: JSON.stringify({ target: `reply:${other}`, reason: "off_topic", note: "Belongs elsewhere" }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ flag: { target: `reply:${other}`, hidden: false } });
    const bad = await fetch(`${server.url}/api/v1/flags`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: server.url, Cookie: asker.cookieHeader() },
      body: JSON.stringify({ target: "user:1", reason: "spam" }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields.target).toContain("thread:ID");
  });
});

describe("moderators' actions", () => {
  it("hide (with a reason) and restore a post; the index follows", async () => {
    const thread = await post(asker, { title: "A thread with a reply to hide" });
    const id = await reply(helper, thread.path, "Some flaming words: GRUMBLEFIRE.");
    const noReason = await moderator.post(thread.path, { intent: "mod-hide", target: `reply:${id}` });
    expect(noReason.status).toBe(400);
    expect(textOf(noReason.body)).toContain("Say why: it goes in the moderation log.");
    expect((await moderator.post(thread.path, { intent: "mod-hide", target: `reply:${id}`, reason: "A flame" })).status).toBe(200);
    expect(textOf((await guest.get(thread.path)).body)).not.toContain("GRUMBLEFIRE");
    // The author is told (no moderator named), and the notification opens the hidden reply, which says why.
    const notice = await eventually(async () => {
      const page = await helper.get("/notifications");
      expect(textOf(page.body)).toContain("A moderator hid your post in “A thread with a reply to hide”");
      return page;
    });
    const opened = await helper.get(/href="(\/notifications\/\d+)"/.exec(notice.body)![1]);
    expect(opened.location).toContain(`#reply-${id}`);
    expect(await search("grumblefire")).toEqual([]);
    expect((await helper.post(thread.path, { intent: "mod-hide", target: `reply:${id}`, reason: "me too" })).status).toBe(403);
    await moderator.post(thread.path, { intent: "mod-restore", target: `reply:${id}` });
    expect(textOf((await guest.get(thread.path)).body)).toContain("GRUMBLEFIRE");
    expect((await search("grumblefire")).map((r) => r.id)).toEqual([id]);
    const log = textOf((await moderator.get(`/moderate/log?member=helper&action=reply`)).body);
    expect(log).toContain("reply.hidden");
    expect(log).toContain("A flame");
    expect(log).toContain("reply.restored");
  });

  it("lock, pin, close as a duplicate, retag, move a reply and delete a thread", async () => {
    const original = await post(asker, { title: "Original question about barcode scanners" });
    const repeat = await post(helper, { title: "Repeated question about barcode scanners" });
    expect((await moderator.post(repeat.path, { intent: "lock", reason: "Heated" })).status).toBe(200);
    const refused = await asker.post(repeat.path, { intent: "reply", body: "Can I still answer?" });
    expect(refused.status).toBe(409);
    expect(textOf(refused.body)).toContain("This thread is locked");
    expect(textOf(refused.body)).toContain("Can I still answer?"); // the text is kept
    await reply(moderator, repeat.path, "Moderators can still add a note.");
    await moderator.post(repeat.path, { intent: "unlock", reason: "" });
    expect(textOf((await guest.get(repeat.path)).body)).not.toContain("This thread is locked");
    await reply(asker, repeat.path, "Now I can answer again: UNLOCKEDWORDS.");
    expect(await search("unlockedwords")).toHaveLength(1);
    const misplaced = await reply(asker, repeat.path, "This answer belongs in the original: MOVEDWORDS.");

    await moderator.post(original.path, { intent: "pin", reason: "Everyone asks this" });
    const home = textOf((await guest.get("/")).body);
    expect(home.indexOf("Original question about barcode scanners")).toBeLessThan(home.indexOf("Repeated question about barcode scanners"));

    const dup = await moderator.post(repeat.path, { intent: "duplicate", duplicateOf: `${server.url}${original.path}`, reason: "Asked before" });
    expect(dup.status).toBe(200);
    const closed = await guest.get(repeat.path);
    expect(textOf(closed.body)).toContain("Closed as a duplicate of Original question about barcode scanners");
    expect(closed.body).toContain(`href="${original.path}"`);
    expect((await moderator.post(repeat.path, { intent: "duplicate", duplicateOf: "nonsense", reason: "" })).status).toBe(400);

    const otherTag = String((await sql<{ id: number }[]>(`SELECT "id" FROM "Tag" WHERE "slug" = 'technology'`))[0].id);
    const body = new URLSearchParams({ intent: "retag", reason: "Technology question" });
    body.append("tagIds", otherTag);
    await moderator.request(original.path, {
      method: "POST",
      body: body.toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
    });
    expect(textOf((await guest.get("/tags/technology")).body)).toContain("Original question about barcode scanners");

    const moved = await moderator.post(repeat.path, {
      intent: "mod-move",
      target: `reply:${misplaced}`,
      toThread: original.path,
      reason: "Merged the answers",
    });
    expect(moved.status).toBe(200);
    expect(textOf((await guest.get(original.path)).body)).toContain("MOVEDWORDS");
    expect(textOf((await guest.get(repeat.path)).body)).not.toContain("MOVEDWORDS");
    // The thread's author was notified of it: the notification now leads to where it went.
    const helperId = await userId("helper");
    const note = await eventually(async () => {
      const row = (await sql<{ id: number }[]>(`SELECT "id" FROM "Notification" WHERE "replyId" = ? AND "userId" = ?`, misplaced, helperId))[0];
      expect(row).toBeTruthy();
      return row;
    });
    expect((await helper.get(`/notifications/${note.id}`)).location).toBe(`${original.path}?reply=${misplaced}#reply-${misplaced}`);

    await moderator.post(repeat.path, { intent: "mod-delete", target: `thread:${repeat.id}`, reason: "Duplicate, answers moved" });
    expect((await guest.get(repeat.path)).status).toBe(404);
    expect((await helper.get(repeat.path)).status).toBe(404); // deleted: not even for its author
    expect((await moderator.get(repeat.path)).status).toBe(200);
    // A deleted thread takes its replies out of search too.
    expect(await search("unlockedwords")).toEqual([]);
    const log = textOf((await moderator.get(`/moderate/log?actor=mod&action=thread`)).body);
    for (const action of ["thread.locked", "thread.unlocked", "thread.pinned", "thread.closed_duplicate", "thread.retagged", "thread.deleted"])
      expect(log).toContain(action);
  });

  it("keep members and guests out of the queue and the log", async () => {
    expect((await helper.get("/moderate")).status).toBe(403);
    expect((await helper.get("/moderate/log")).status).toBe(403);
    expect((await helper.post("/moderate", { intent: "mod-hide", target: "thread:1", reason: "x" })).status).toBe(403);
    expect((await guest.get("/moderate")).status).toBe(302);
  });
});

describe("suspension", () => {
  it("stops a member posting, voting, flagging and using the API, tells them why, and is logged", async () => {
    const victim = new Visitor(server.url);
    await join(victim, person("troll"));
    const thread = await post(asker, { title: "A thread a suspended member reads" });
    const answer = await reply(helper, thread.path, "A helpful answer to vote for.");
    const tokenPage = await victim.post("/me/settings", { intent: "create-token", name: "script" });
    const token = /pnt_[A-Za-z0-9_-]+/.exec(tokenPage.body)?.[0];
    expect(token).toBeTruthy();

    const missing = await moderator.post("/u/troll", { intent: "suspend", until: "", reason: "" });
    expect(missing.status).toBe(400);
    const until = new Date(Date.now() + 7 * 24 * 60 * 60_000).toISOString().slice(0, 10);
    const done = await moderator.post("/u/troll", { intent: "suspend", until, reason: "Repeated flames in the weeding thread" });
    expect(textOf(done.body)).toContain("Member suspended.");

    const html = (await victim.get(thread.path)).body;
    const page = textOf(html);
    expect(page).toContain("Your account is suspended until");
    expect(page).toContain("Repeated flames in the weeding thread");
    // No control that would only refuse on submit: where the reply box was, what is paused, until when and why.
    expect(page).toContain("Replying is paused until");
    for (const control of ['value="helpful"', 'name="body"', "<summary>Flag</summary>", "quote="]) expect(html, control).not.toContain(control);
    expect(textOf((await victim.get("/resources/new")).body)).toContain("Suggesting resources is paused until");
    expect((await victim.get("/resources/new")).body).not.toContain('name="url"');
    const refused = await victim.post(thread.path, { intent: "reply", body: "Let me say this anyway." });
    expect(refused.status).toBe(403);
    expect(textOf(refused.body)).toContain("Repeated flames in the weeding thread");
    expect((await victim.post(thread.path, { intent: "helpful", replyId: String(answer) })).status).toBe(403);
    expect((await victim.post(thread.path, { intent: "flag", target: `reply:${answer}`, reason: "spam" })).status).toBe(403);
    const api = await fetch(`${server.url}/api/v1/threads`, { headers: { Authorization: `Bearer ${token}` } });
    expect(api.status).toBe(403);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("suspended");

    // Nobody suspends an admin, and a moderator cannot suspend a moderator.
    expect((await moderator.post("/u/admin", { intent: "suspend", until, reason: "no" })).status).toBe(403);
    const log = textOf((await admin.get("/moderate/log?member=troll")).body);
    expect(log).toContain("member.suspended");
    expect(log).toContain("Repeated flames in the weeding thread");

    await moderator.post("/u/troll", { intent: "lift", reason: "Apologised" });
    await reply(victim, thread.path, "Sorry, everyone.");
  });
});

describe("suspended staff", () => {
  it("have no moderator powers, and cannot lift their own suspension", async () => {
    const deputy = new Visitor(server.url);
    await join(deputy, person("deputy"));
    await admin.post("/admin/members", { userId: String(await userId("deputy")), role: "moderator" });
    const thread = await post(asker, { title: "A thread the suspended deputy tries to moderate" });
    const id = await reply(helper, thread.path, "A reply nobody should hide today.");
    const until = new Date(Date.now() + 5 * 24 * 60 * 60_000).toISOString().slice(0, 10);
    expect(textOf((await admin.post("/u/deputy", { intent: "suspend", until, reason: "Overstepped" })).body)).toContain("Member suspended.");
    expect((await deputy.post(thread.path, { intent: "mod-hide", target: `reply:${id}`, reason: "because" })).status).toBe(403);
    expect((await deputy.get("/moderate")).status).toBe(403);
    expect((await deputy.post("/u/deputy", { intent: "lift", reason: "I forgive myself" })).status).toBe(403);
    expect((await moderator.post("/u/deputy", { intent: "lift", reason: "Colleague" })).status).toBe(403); // an admin's to lift
    expect((await sql<{ s: string | null }[]>(`SELECT "suspendedUntil" AS "s" FROM "User" WHERE "handle" = 'deputy'`))[0].s).not.toBeNull();
    expect(textOf((await guest.get(thread.path)).body)).toContain("A reply nobody should hide today.");
    await admin.post("/u/deputy", { intent: "lift", reason: "Talked it through" });
    expect((await deputy.get("/moderate")).status).toBe(200);
  });
});

describe("hidden posts stay hidden everywhere", () => {
  it("are not offered to the asker for a HIT, and not replayed to a socket that asks for the thread's history", async () => {
    const fresh = new Visitor(server.url);
    await join(fresh, person("quiet"));
    const thread = await post(asker, { title: "A TARGET-like question with a reply to hide later" });
    const id = await reply(fresh, thread.path, "Words to hide later: SECRETADDRESS 12 Elm St.");
    await moderator.post(thread.path, { intent: "mod-hide", target: `reply:${id}`, reason: "Patron privacy" });
    const hitPage = await asker.get(`/threads/${thread.id}/hit`);
    expect(textOf(hitPage.body)).not.toContain("SECRETADDRESS");
    const draft = await asker.post(`/threads/${thread.id}/hit`, { intent: "draft", include: String(id) });
    expect(textOf(draft.body)).not.toContain("SECRETADDRESS");
    const watcher = await connectLive(server.url);
    try {
      await subscribed(watcher, () => watcher.watchThread(thread.id, 0));
      await new Promise((r) => setTimeout(r, 300));
      expect(JSON.stringify(watcher.events)).not.toContain("SECRETADDRESS");
    } finally {
      watcher.close();
    }
    // Its author still reads it (and why it is hidden) on the page.
    const own = textOf((await fresh.get(thread.path)).body);
    expect(own).toContain("SECRETADDRESS");
    expect(own).toContain("Hidden by a moderator.");
  });
});

describe("the moderation log", () => {
  it("is append-only: the database refuses to change or remove an entry", async () => {
    await expect(sql(`UPDATE "AuditEvent" SET "reason" = 'rewritten' WHERE "id" = (SELECT MIN("id") FROM "AuditEvent")`)).rejects.toThrow(/append-only/);
    await expect(sql(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
  });
});

describe("rate limits", () => {
  it("answer posting too fast with 429, Retry-After and a readable message, keeping the text", async () => {
    // A server of its own: the per-address limit counts every post from 127.0.0.1.
    const fresh = await startServer();
    try {
      const owner = new Visitor(fresh.url);
      await owner.post(`/setup?token=${fresh.setupToken}`, person("owner"));
      await owner.post("/admin/settings", { worksiteRequired: "on", holdFirstPosts: "0", flagsToHide: "3", postLimit: "3" });
      const fast = new Visitor(fresh.url);
      await join(fast, person("fast"));
      const form = (fields: Record<string, string>) => ({ kind: "question", tagIds: tagId, body: "What do you do about this in your library?", ...fields });
      const first = await fast.post("/threads/new", form({ title: "Posting fast: first of three" }));
      expect(first.status).toBe(302);
      const path = first.location!;
      expect((await fast.post(path, { intent: "reply", body: "Second post." })).status).toBe(302);
      expect((await fast.post(path, { intent: "reply", body: "Third post." })).status).toBe(302);
      const limited = await fast.post(path, { intent: "reply", body: "Fourth post, too fast." });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect(textOf(limited.body)).toContain("Too many posts in a short time");
      expect(limited.body).toContain("Fourth post, too fast.");
      const viaApi = await fetch(`${fresh.url}/api/v1/threads/${path.split("/")[2]}/replies`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: fresh.url, Cookie: fast.cookieHeader() },
        body: JSON.stringify({ body: "Through the API, still too fast." }),
      });
      expect(viaApi.status).toBe(429);
      expect(viaApi.headers.get("Retry-After")).toBeTruthy();
      expect(((await viaApi.json()) as { error: { code: string } }).error.code).toBe("too_many_requests");
      // Moderators are not limited.
      expect((await owner.post(path, { intent: "reply", body: "An admin can still post." })).status).toBe(302);
    } finally {
      await fresh.stop();
    }
  });

  it("limit API calls per member and per address", async () => {
    // The guest page cache would answer repeats without counting them: off here.
    const limited = await startServer({ env: { API_RATE_LIMIT: "4", GUEST_CACHE_SECONDS: "0" } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 14; i++) statuses.push((await fetch(`${limited.url}/api/v1/threads`)).status);
      expect(statuses.slice(0, 12).every((s) => s === 200)).toBe(true); // an address gets three times the member limit
      const res = await fetch(`${limited.url}/api/v1/threads`);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain("Too many API calls");
    } finally {
      await limited.stop();
    }
  });
});

describe("community guidelines", () => {
  it("are edited by admins, shown and acknowledged at join, and asked of existing members once", async () => {
    const saved = await admin.post("/admin/guidelines", {
      source: "## Be kind\n\nOur GUIDELINEMARKER rule: answer as you would like to be answered.",
      reason: "Shorter",
    });
    expect(saved.status).toBe(200);
    expect(textOf((await guest.get("/guidelines")).body)).toContain("GUIDELINEMARKER");
    expect(textOf((await guest.get("/join")).body)).toContain("GUIDELINEMARKER");
    expect((await helper.post("/admin/guidelines", { source: "mine now" })).status).toBe(403);

    const { guidelines: _ticked, ...unticked } = person("noack");
    const refused = await new Visitor(server.url).post("/join", unticked);
    expect(refused.status).toBe(400);
    expect(textOf(refused.body)).toContain("Please read the community guidelines and tick the box.");

    // A member from before the guidelines existed is asked once, then not again.
    await sql(`UPDATE "User" SET "guidelinesAcceptedAt" = NULL WHERE "handle" = 'asker'`);
    expect(textOf((await asker.get("/")).body)).toContain("Please read the community guidelines once.");
    const ack = await asker.post("/guidelines", { redirectTo: "/" });
    expect(ack.status).toBe(302);
    expect(textOf((await asker.get("/")).body)).not.toContain("Please read the community guidelines once.");
  });
});

describe("hardened pages", () => {
  it("carry a nonce-based Content-Security-Policy (fresh per response), no-framing, no-sniffing and referrer headers", async () => {
    const nonces = new Set<string>();
    for (const path of ["/", "/join", "/search?q=weeding", "/guidelines", "/no-such-page"]) {
      const page = await guest.get(path);
      const csp = page.headers.get("Content-Security-Policy") ?? "";
      const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce, path).toBeTruthy();
      nonces.add(nonce!);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain("unsafe-eval");
      expect(page.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(page.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
      expect(page.headers.get("Strict-Transport-Security")).toBeNull(); // plain http here
      // Every inline script carries this response's nonce.
      const inline = [...page.body.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
      expect(inline.length, path).toBeGreaterThan(0);
      for (const attrs of inline) expect(attrs, path).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(5);
  });

  it("sends HSTS when the site is served over https", async () => {
    const https = await startServer({ env: { PUBLIC_URL: "https://forum.example.org" } });
    try {
      const res = await fetch(`${https.url}/`, { redirect: "manual", headers: { Host: "forum.example.org", "X-Forwarded-Proto": "https" } });
      expect(res.headers.get("Strict-Transport-Security")).toBe("max-age=31536000; includeSubDomains");
    } finally {
      await https.stop();
    }
  });
});
