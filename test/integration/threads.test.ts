// Threads over HTTP, as browsers use them: forms, pages, privacy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { isoOf, queryOne } from "../helpers/db";
import { eventually } from "../helpers/live";
import { eventsDelivered, startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let asker: Visitor, helper: Visitor, bystander: Visitor, guest: Visitor;
let tagId: string;

const query = <T>(sql: string, ...args: unknown[]) => queryOne<T>(server.database, sql, ...args);

async function postThread(visitor: Visitor, fields: Record<string, string>) {
  const body = new URLSearchParams({ body: "What do you do?", kind: "question", ...fields });
  if (!("tagIds" in fields)) body.append("tagIds", tagId);
  return visitor.request("/threads/new", {
    method: "POST",
    body: body.toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
  });
}

beforeAll(async () => {
  server = await startServer();
  [asker, helper, bystander, guest] = [new Visitor(server.url), new Visitor(server.url), new Visitor(server.url), new Visitor(server.url)];
  await join(asker, aMember("asker"));
  await join(helper, aMember("helper"));
  await join(bystander, aMember("bystander"));
  tagId = String((await query<{ id: number }>(`SELECT "id" FROM "Tag" WHERE "slug" = 'reference'`)).id);
});
afterAll(async () => {
  await server?.stop();
});

describe("asking", () => {
  it("sends guests to log in", async () => {
    const res = await guest.get("/threads/new");
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login?redirectTo=%2Fthreads%2Fnew");
  });

  it("re-renders bad input with messages and keeps the text and choices", async () => {
    const res = await postThread(asker, { title: "Help!", body: "My **long** question text", kind: "job", jobLocation: "", tagIds: "" });
    expect(res.status).toBe(400);
    const text = textOf(res.body);
    expect(text).toContain("Title must be at least 8 characters");
    expect(text).toContain("Choose at least one tag");
    expect(res.body).toContain('value="Help!"');
    expect(res.body).toContain("My **long** question text");
    expect(res.body).toMatch(/id="kind-job"[^>]*checked|checked=""[^>]*id="kind-job"/);
  });

  it("previews without JavaScript and keeps everything", async () => {
    const res = await postThread(asker, { title: "A title long enough", body: "Some *emphasis*", intent: "preview" });
    expect(res.status).toBe(200);
    expect(res.body).toContain("<em>emphasis</em>");
    expect(res.body).toContain('value="A title long enough"');
  });

  it("creates the thread and redirects to its canonical address", async () => {
    const res = await postThread(asker, { title: "Which reference databases are free?" });
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/t\/\d+\/which-reference-databases-are-free$/);
    const id = res.location!.split("/")[2];
    const wrongSlug = await guest.get(`/t/${id}/old-title`);
    expect(wrongSlug.status).toBe(301);
    expect(wrongSlug.location).toBe(res.location);
    expect((await guest.get(`/t/${id}`)).status).toBe(301);
    const page = await guest.get(res.location!);
    expect(page.status).toBe(200);
    expect(textOf(page.body)).toContain("Which reference databases are free?");
    expect(textOf(page.body)).toContain("Log in or join to reply.");
  });

  it("answers 404 for threads that do not exist, whatever the id looks like", async () => {
    for (const path of ["/t/999999/x", "/t/abc", "/t/-1/x", "/t/1e3/x", "/t/99999999999999999999/x"]) {
      expect((await guest.get(path)).status, path).toBe(404);
    }
  });
});

describe("answering", () => {
  let threadPath: string;
  let replyId: number;
  beforeAll(async () => {
    threadPath = (await postThread(asker, { title: "Storytime ideas for toddlers?" })).location!;
  });

  it("posts a reply; an empty one is refused with the message", async () => {
    const empty = await helper.post(threadPath, { intent: "reply", body: "   " });
    expect(empty.status).toBe(400);
    expect(textOf(empty.body)).toContain("Your reply is required.");
    const res = await helper.post(threadPath, { intent: "reply", body: "Bubbles and **songs**." });
    expect(res.status).toBe(302);
    replyId = Number(/#reply-(\d+)$/.exec(res.location!)![1]);
    expect((await guest.get(threadPath)).body).toContain("Bubbles and <strong>songs</strong>.");
  });

  it("enforces who may vote, accept, edit and remove", async () => {
    const id = String(replyId);
    expect((await guest.post(threadPath, { intent: "helpful", replyId: id })).status).toBe(302); // to /login
    expect((await query<{ n: number }>(`SELECT "helpfulCount" AS n FROM "Reply" WHERE "id" = ?`, replyId)).n).toBe(0);
    expect((await helper.post(threadPath, { intent: "helpful", replyId: id })).status).toBe(403);
    expect((await bystander.post(threadPath, { intent: "helpful", replyId: id })).status).toBe(302);
    expect((await query<{ n: number }>(`SELECT "helpfulCount" AS n FROM "Reply" WHERE "id" = ?`, replyId)).n).toBe(1);

    expect((await bystander.post(threadPath, { intent: "accept", replyId: id })).status).toBe(403);
    expect((await asker.post(threadPath, { intent: "accept", replyId: id })).status).toBe(302);
    expect(textOf((await guest.get(threadPath)).body)).toContain("Accepted answer");

    expect((await bystander.post(threadPath, { intent: "edit-reply", replyId: id, body: "defaced" })).status).toBe(403);
    expect((await bystander.post(threadPath, { intent: "delete-reply", replyId: id })).status).toBe(403);
    expect((await helper.post(threadPath, { intent: "edit-reply", replyId: id, body: "Bubbles, songs and scarves." })).status).toBe(302);
    const page = textOf((await guest.get(threadPath)).body);
    expect(page).toContain("Bubbles, songs and scarves.");
    expect(page).toContain("edited");

    expect((await helper.post(threadPath, { intent: "delete-reply", replyId: id })).status).toBe(302);
    const after = textOf((await guest.get(threadPath)).body);
    expect(after).toContain("Reply removed.");
    expect(after).not.toContain("scarves");
    expect(after).not.toContain("Accepted answer");
  });

  it("refuses unknown intents and non-numeric ids with a 400 and a message", async () => {
    expect((await asker.post(threadPath, { intent: "explode" })).status).toBe(400);
    // Not a silent redirect to "#reply-null": the voter is told what was wrong.
    const vote = await asker.post(threadPath, { intent: "helpful", replyId: "abc" });
    expect(vote.status).toBe(400);
    expect(vote.location).toBeNull();
    expect(textOf(vote.body)).toContain("That is not a reply of this thread");
    expect((await asker.post(threadPath, { intent: "accept", replyId: "999999" })).status).toBe(404);
  });
});

describe("TARGET privacy over HTTP", () => {
  it("never shows a private reply to anyone but the asker, its author and moderators", async () => {
    const path = (await postThread(asker, { title: "TARGET: summer reading prizes", kind: "target" })).location!;
    const res = await helper.post(path, { intent: "reply", body: "SECRET-PRIZE-IDEA: bookmarks" });
    const privateId = /#reply-(\d+)$/.exec(res.location!)![1];

    expect((await asker.get(path)).body).toContain("SECRET-PRIZE-IDEA");
    expect((await helper.get(path)).body).toContain("SECRET-PRIZE-IDEA");
    for (const v of [bystander, guest]) {
      const page = await v.get(path);
      expect(page.body).not.toContain("SECRET-PRIZE-IDEA");
      expect(textOf(page.body)).toContain("1 private reply");
      // Quoting it does not leak it either.
      expect((await v.get(`${path}?quote=${privateId}`)).body).not.toContain("SECRET-PRIZE-IDEA");
    }
    expect((await bystander.get("/")).body).not.toContain("SECRET-PRIZE-IDEA");
    // Acting on it answers as if it did not exist.
    expect((await bystander.post(path, { intent: "helpful", replyId: privateId })).status).toBe(404);
    expect((await bystander.post(path, { intent: "edit-reply", replyId: privateId, body: "x" })).status).toBe(404);
    // The preview endpoint renders only what it is given.
    const preview = await bystander.post("/markdown-preview", { body: `quote of ${privateId}` });
    expect(preview.body).not.toContain("SECRET");
  });
});

describe("feeds", () => {
  it("publish threads as RSS 2.0 and Atom, never replies", async () => {
    const rss = await guest.get("/feeds/latest.rss");
    expect(rss.status).toBe(200);
    expect(rss.headers.get("content-type")).toContain("application/rss+xml");
    expect(rss.body).toMatch(/^<\?xml[^>]*\?>\s*<rss version="2.0"/);
    expect(rss.body).toContain("<title><![CDATA[TARGET: summer reading prizes]]></title>");
    expect(rss.body).toContain("[Question] Which reference databases are free?");
    const atom = await guest.get("/feeds/latest.atom");
    expect(atom.headers.get("content-type")).toContain("application/atom+xml");
    expect(atom.body).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    for (const body of [rss.body, atom.body, (await guest.get("/feeds/tags/reference.rss")).body, (await guest.get("/feeds/hits.atom")).body]) {
      expect(body).not.toContain("SECRET-PRIZE-IDEA");
      expect(body).not.toContain("Bubbles");
    }
    expect((await guest.get("/feeds/tags/reference.atom")).body).toContain("Storytime ideas for toddlers?");
  });

  it("give each thread a feed of its replies, linked from its page, newest first", async () => {
    const thread = await postThread(asker, { title: "Which barcode scanners last longest?" });
    const path = thread.location!;
    await helper.post(path, { intent: "reply", body: "Ours is a **Zebra**, eight years and counting." });
    await bystander.post(path, { intent: "reply", body: "A Honeywell, six years." });
    const id = /\/t\/(\d+)\//.exec(path)![1];
    expect((await guest.get(path)).body).toContain(`href="/feeds/threads/${id}.rss"`);
    const rss = await guest.get(`/feeds/threads/${id}.rss`);
    expect(rss.status).toBe(200);
    expect(rss.headers.get("content-type")).toContain("application/rss+xml");
    const titles = [...rss.body.matchAll(/<item>\s*<title><!\[CDATA\[([\s\S]*?)\]\]><\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual([
      "Member bystander replied to “Which barcode scanners last longest?”",
      "Member helper replied to “Which barcode scanners last longest?”",
      "[Question] Which barcode scanners last longest?",
    ]);
    expect(rss.body).toContain("<strong>Zebra</strong>");
    expect((await guest.get(`/feeds/threads/${id}.atom`)).body).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
  });

  it("answers 404 for unknown feeds", async () => {
    for (const path of [
      "/feeds/nope.rss",
      "/feeds/latest.json",
      "/feeds/tags/no-such-tag.rss",
      "/feeds/tags/..%2F.rss",
      "/feeds/threads/999999.rss",
      "/feeds/threads/abc.rss",
      "/feeds/threads/99999999999.rss",
    ]) {
      expect((await guest.get(path)).status, path).toBe(404);
    }
  });
});

describe("guest page cache", () => {
  it("serves guests from memory, shows a new reply at once, and never caches members or secrets", async () => {
    const path = (await postThread(asker, { title: "Cache me if you can, please" })).location!;
    // The new thread's events clear the cache as they are read, a moment after the response.
    await eventsDelivered(server);
    const first = await guest.get(path);
    const second = await guest.get(path);
    expect(first.headers.get("x-cache")).toBe("miss");
    expect(second.headers.get("x-cache")).toBe("hit");
    // The same page, but with this response's own CSP nonce.
    const nonce = (page: typeof first) => /'nonce-([^']+)'/.exec(page.headers.get("content-security-policy") ?? "")![1];
    expect(nonce(second)).not.toBe(nonce(first));
    expect(second.body.split(nonce(second)).join(nonce(first))).toBe(first.body);
    expect(second.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));

    await helper.post(path, { intent: "reply", body: "FRESH-REPLY-TEXT" });
    const after = await guest.get(path);
    expect(after.headers.get("x-cache")).toBe("miss");
    expect(after.body).toContain("FRESH-REPLY-TEXT");

    const member = await asker.get(path);
    expect(member.headers.get("x-cache")).toBeNull();
    const bearer = await fetch(`${server.url}/api/v1/threads`, { headers: { Authorization: "Bearer pnt_nope" } });
    expect(bearer.headers.get("x-cache")).toBeNull();
    expect((await guest.get("/healthz")).headers.get("x-cache")).toBe("miss");
    expect((await guest.get("/healthz")).headers.get("x-cache")).toBe("miss");
    const setup = `/setup?token=${server.setupToken}`;
    expect((await guest.get(setup)).headers.get("cache-control")).toBe("no-store");
    expect((await guest.get(setup)).headers.get("x-cache")).toBe("miss");
  });
});

describe("notifications over HTTP", () => {
  it("tell the asker about a reply (after the write, off the request path), with an unread badge", async () => {
    await asker.post("/notifications", {}); // mark all read
    // The asker's notifications from earlier tests are made off the request path: once they all exist, mark them read.
    await eventsDelivered(server);
    expect((await asker.post("/notifications", {})).status).toBe(302);
    const path = (await postThread(asker, { title: "Tell me when someone answers" })).location!;
    await helper.post(path, { intent: "reply", body: "Here is an answer for @memberasker" });
    // The asker has notifications from earlier tests: wait for this one by name.
    const page = await eventually(async () => {
      const notifications = await asker.get("/notifications");
      expect(textOf(notifications.body)).toContain("Member helper replied to your thread “Tell me when someone answers”");
      return notifications;
    });
    expect(textOf(page.body)).toContain("Notifications: 1 unread");
    const id = /href="\/notifications\/(\d+)"/.exec(page.body)![1];
    const open = await asker.get(`/notifications/${id}`);
    expect(open.status).toBe(302);
    expect(open.location).toMatch(/^\/t\/\d+\/tell-me-when-someone-answers\?reply=(\d+)#reply-\1$/);
    const read = textOf((await asker.get("/notifications")).body);
    expect(read).toContain("Notifications");
    expect(read).not.toContain("Notifications:");
    expect((await helper.get(`/notifications/${id}`)).status).toBe(404);
    expect((await guest.get("/notifications")).status).toBe(302);
  });
});

describe("findings of the threads security review", () => {
  it("never serves a member's page to guests, whatever the cookie's spelling", async () => {
    const path = (await postThread(asker, { title: "TARGET: cache and cookies", kind: "target" })).location!;
    await helper.post(path, { intent: "reply", body: "COOKIE-SPELLING-SECRET" });
    const id = path.split("/")[2];
    const cookie = asker.cookieHeader().replace("paranet_session=", "paranet_session =");
    const sneaky = await fetch(`${server.url}/api/v1/threads/${id}?y=1`, { headers: { Cookie: `a=b; ${cookie}` } });
    expect(await sneaky.text()).toContain("COOKIE-SPELLING-SECRET");
    expect(sneaky.headers.get("x-cache")).toBeNull();
    const later = await guest.get(`/api/v1/threads/${id}?y=1`);
    expect(later.body).not.toContain("COOKIE-SPELLING-SECRET");
    expect((await asker.get(path)).headers.get("cache-control")).toBe("private, no-store");
  });

  it("keeps the time of a private reply private", async () => {
    const path = (await postThread(asker, { title: "TARGET: when did they reply?", kind: "target" })).location!;
    const id = Number(path.split("/")[2]);
    const before = isoOf((await query<{ at: unknown }>(`SELECT "lastActivityAt" AS "at" FROM "Thread" WHERE "id" = ?`, id)).at);
    await new Promise((r) => setTimeout(r, 20));
    await helper.post(path, { intent: "reply", body: "private timing" });
    expect(isoOf((await query<{ at: unknown }>(`SELECT "lastActivityAt" AS "at" FROM "Thread" WHERE "id" = ?`, id)).at)).toBe(before);
  });

  it("does not quote a reply into another thread", async () => {
    const target = (await postThread(asker, { title: "TARGET: quoting across threads", kind: "target" })).location!;
    const res = await helper.post(target, { intent: "reply", body: "QUOTE-ACROSS-SECRET" });
    const replyId = /#reply-(\d+)$/.exec(res.location!)![1];
    const open = (await postThread(asker, { title: "A public thread to quote into" })).location!;
    expect((await asker.get(`${open}?quote=${replyId}`)).body).not.toContain("QUOTE-ACROSS-SECRET");
    expect((await asker.get(`${target}?quote=${replyId}`)).body).toContain("QUOTE-ACROSS-SECRET");
  });

  it("answers odd ids, slugs and cursors with the right 4xx, never a 500", async () => {
    const path = (await postThread(asker, { title: "Odd inputs should not break this" })).location!;
    const id = path.split("/")[2];
    for (const p of [
      "/?after=253402300800000_1",
      "/tags/reference?after=99999999999999_1",
      "/api/v1/threads?after=253402300800000_1",
      "/?sort=helpful&after=5_5",
    ]) {
      expect((await guest.get(p)).status, p).toBe(200);
    }
    const euro = await asker.post(`/t/${id}/%E2%82%AC`, { intent: "follow" });
    expect(euro.status).toBe(302);
    const crlf = await asker.post(`/t/${id}/%0D%0AX-Evil:%201`, { intent: "follow" });
    expect(crlf.status).toBe(302);
    expect(crlf.headers.get("x-evil")).toBeNull();
    const sneaky = await asker.post(`/t/${id}/..%2F..%2F%5Cevil.com`, { intent: "follow" });
    expect(new URL(sneaky.location!, server.url).host).toBe(new URL(server.url).host);
    expect(sneaky.location).toMatch(new RegExp(`^/t/${id}/`));
    for (const replyId of ["Infinity", "1.5", "-3", "1e400"]) {
      for (const intent of ["helpful", "edit-reply", "delete-reply", "accept"]) {
        expect((await asker.post(path, { intent, replyId, body: "x" })).status, `${intent} ${replyId}`).toBe(400);
      }
    }
  });
});

describe("earlier versions", () => {
  it("are shown to the author (and moderators), not to others", async () => {
    const path = (await postThread(asker, { title: "A thread that will be edited", body: "FIRST-VERSION" })).location!;
    const id = path.split("/")[2];
    expect((await asker.post(path, { intent: "edit-thread", title: "A thread that was edited", body: "SECOND-VERSION" })).status).toBe(302);
    const res = await helper.post(`/t/${id}`, { intent: "reply", body: "REPLY-FIRST" });
    const replyId = /#reply-(\d+)$/.exec(res.location!)![1];
    await helper.post(`/t/${id}`, { intent: "edit-reply", replyId, body: "REPLY-SECOND" });

    const mine = await asker.get(`/threads/${id}/revisions`);
    expect(mine.status).toBe(200);
    expect(textOf(mine.body)).toContain("FIRST-VERSION");
    expect(textOf(mine.body)).toContain("Title: A thread that will be edited");
    expect((await bystander.get(`/threads/${id}/revisions`)).status).toBe(403);
    expect((await guest.get(`/threads/${id}/revisions`)).status).toBe(302);
    expect(textOf((await helper.get(`/threads/${id}/revisions?reply=${replyId}`)).body)).toContain("REPLY-FIRST");
    expect((await asker.get(`/threads/${id}/revisions?reply=${replyId}`)).status).toBe(403);
    expect((await helper.get(`/threads/999999/revisions?reply=${replyId}`)).status).toBe(404);
    const page = await asker.get(path.replace(/\/[^/]+$/, "/a-thread-that-was-edited"));
    expect(page.body).toContain(`href="/threads/${id}/revisions"`);
  });
});
