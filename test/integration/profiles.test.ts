// Profiles over HTTP: a member's record (helpful votes, accepted answers,
// HITs, resources, threads, replies, top competency areas) and their
// threads, replies and HITs as tabs, paged, each as a viewer may see it.
// Ada is the member whose profile is read. Everything is posted through the
// site: Bea asks, Ada answers, Cal votes, the admin moderates.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { queryOne } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let admin: Visitor, ada: Visitor, bea: Visitor, cal: Visitor, guest: Visitor;
const tags = {} as Record<"reference" | "collection" | "youth", string>;
/** Words that only someone allowed to read the post may ever see on Ada's profile. */
const SECRETS = {
  privateReply: "SECRETTARGETWORDS",
  hiddenReply: "HIDDENREPLYWORDS",
  heldReply: "HELDREPLYWORDS",
  deletedThreadReply: "DELETEDTHREADREPLY",
  hiddenThread: "HIDDENTHREADTITLE",
};
const ids = {} as Record<"privateReply" | "hiddenReply" | "heldReply" | "deletedThreadReply" | "firstAnswer" | "hiddenThread" | "deletedThread", number>;
let hitPath = "";
let firstAnswerThread = "";

const person = (name: string) => aMember(name, { handle: name, displayName: name[0].toUpperCase() + name.slice(1) + " Lovelace" });
const settings = (fields: Record<string, string>) => admin.post("/admin/settings", { worksiteRequired: "on", flagsToHide: "3", postLimit: "1000", ...fields });

async function ask(visitor: Visitor, title: string, tagId: string, kind = "question") {
  const body = new URLSearchParams({ kind, title, body: "What do you do about this in your library?", tagIds: tagId });
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
async function act(visitor: Visitor, path: string, form: Record<string, string>, status = 302) {
  const res = await visitor.post(path, form);
  expect(res.status, `${form.intent} on ${path}`).toBe(status);
}

/** A count on the profile, as the page shows it. */
function stat(body: string, label: string): number {
  const m = new RegExp(`${label} (\\d+)`).exec(textOf(body));
  if (!m) throw new Error(`no "${label}" on the page`);
  return Number(m[1]);
}
const profile = (v: Visitor, query = "") => v.get(`/u/ada${query}`);
/** The "Top competency areas" line, as one sentence. */
const areasLine = (body: string) =>
  /Top competency areas:[\s\S]*?<\/p>/
    .exec(body)?.[0]
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ") ?? "";
/** The tab marked as the current page. */
const currentTab = (body: string) => /<a aria-current="page"[^>]*href="\/u\/ada\?tab=(\w+)"/.exec(body)?.[1];
/** The links of a tab's list: threads (/t/…) in the order shown. */
const postLinks = (body: string) => [...body.matchAll(/<h3 class="profile-work__title"><a [^>]*href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, "&"));

beforeAll(async () => {
  server = await startServer();
  [admin, ada, bea, cal, guest] = Array.from({ length: 5 }, () => new Visitor(server.url));
  expect((await admin.post(`/setup?token=${server.setupToken}`, person("admin"))).status).toBe(302);
  expect((await settings({ holdFirstPosts: "0" })).status).toBe(200);
  await join(ada, aMember("ada", { handle: "ada", displayName: "Ada Byron", jobTitle: "Library Technician", worksite: "Hill County Library" }));
  await join(bea, person("bea"));
  await join(cal, person("cal"));
  for (const [key, slug] of [
    ["reference", "reference"],
    ["collection", "collection-management"],
    ["youth", "youth-services"],
  ] as const) {
    tags[key] = String((await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "Tag" WHERE "slug" = ?`, slug)).id);
  }

  // Three public answers of Ada's, all accepted: two under Reference, one under Collection Management.
  const answered: [string, string][] = [
    ["Which reference databases are free?", tags.reference],
    ["How often do you weed the nonfiction?", tags.collection],
    ["Citation help for middle schoolers?", tags.reference],
  ];
  for (const [i, [title, tagId]] of answered.entries()) {
    const q = await ask(bea, title, tagId);
    const id = await reply(ada, q.path, i === 0 ? "**Bold** advice with a [link](https://example.org/db) and\n\n- a list item" : `Answer number ${i + 1}.`);
    await act(bea, q.path, { intent: "accept", replyId: String(id) });
    await act(cal, q.path, { intent: "helpful", replyId: String(id) });
    if (i === 0) {
      await act(bea, q.path, { intent: "helpful", replyId: String(id) });
      ids.firstAnswer = id;
      firstAnswerThread = q.path;
    }
  }
  // A private TARGET reply, accepted and voted helpful by the asker: for Bea, Ada and staff only.
  const target = await ask(bea, "TARGET: storytime songs for toddlers", tags.youth, "target");
  ids.privateReply = await reply(ada, target.path, `Try these: ${SECRETS.privateReply}`);
  await act(bea, target.path, { intent: "accept", replyId: String(ids.privateReply) });
  await act(bea, target.path, { intent: "helpful", replyId: String(ids.privateReply) });
  // A reply a moderator hid (after Cal found it helpful).
  const q4 = await ask(bea, "Overdue fines: keep them or drop them?", tags.reference);
  ids.hiddenReply = await reply(ada, q4.path, `Patron names here: ${SECRETS.hiddenReply}`);
  await act(cal, q4.path, { intent: "helpful", replyId: String(ids.hiddenReply) });
  await act(admin, q4.path, { intent: "mod-hide", target: `reply:${ids.hiddenReply}`, reason: "Patron privacy" }, 200);
  // A reply in a thread a moderator deleted.
  const q5 = await ask(bea, "A thread that will be deleted soon", tags.reference);
  ids.deletedThread = q5.id;
  ids.deletedThreadReply = await reply(ada, q5.path, `In a doomed thread: ${SECRETS.deletedThreadReply}`);
  await act(admin, q5.path, { intent: "mod-delete", target: `thread:${q5.id}`, reason: "Posted in error" }, 200);
  // A reply held for approval (the hold raised for a moment).
  expect((await settings({ holdFirstPosts: "50" })).status).toBe(200);
  ids.heldReply = await reply(ada, q4.path, `Held for now: ${SECRETS.heldReply}`);
  expect((await settings({ holdFirstPosts: "0" })).status).toBe(200);

  // Ada's own threads: a question, one a moderator hid, and a TARGET she compiles into a HIT.
  await ask(ada, "How do you label graphic novels?", tags.collection);
  const hidden = await ask(ada, `Spam about ${SECRETS.hiddenThread}`, tags.reference);
  ids.hiddenThread = hidden.id;
  await act(admin, hidden.path, { intent: "mod-hide", target: `thread:${hidden.id}`, reason: "Off topic" }, 200);
  const adaTarget = await ask(ada, "TARGET: summer reading prizes under $1", tags.youth, "target");
  await reply(bea, adaTarget.path, "Bookmarks and stickers.");
  const hit = await ada.post(`/threads/${adaTarget.id}/hit`, {
    title: "HIT: summer reading prizes under $1",
    body: "Thanks, everyone: bookmarks and stickers won.",
    tagIds: tags.youth,
  });
  expect(hit.status).toBe(302);
  hitPath = hit.location!;

  // Resources: one approved (curated), one still pending.
  const resource = (title: string, url: string) =>
    ada.post("/resources/new", {
      title,
      url,
      abstract: "A free, self-paced course for library support staff on the reference interview, with short videos and quizzes.",
      type: "course",
      tagIds: tags.reference,
      region: "national",
      cost: "free",
      provider: "Example Library Association",
      ceHours: "",
      publishedOn: "",
    });
  const approved = await resource("The reference interview", "https://example.org/reference-interview");
  expect(approved.status).toBe(302);
  await act(admin, `/resources/${/submitted=(\d+)/.exec(approved.location!)![1]}`, { intent: "approve" });
  expect((await resource("Shelving basics", "https://example.org/shelving")).status).toBe(302);
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe("the record", () => {
  it("counts only what a guest may read, for a guest and for an unrelated member", async () => {
    for (const v of [guest, cal]) {
      const page = await profile(v);
      expect(page.status).toBe(200);
      // Three public answers; the private TARGET reply, the hidden and held replies and the one in a deleted thread are not counted.
      expect(stat(page.body, "Replies")).toBe(3);
      expect(stat(page.body, "Accepted answers")).toBe(3);
      // Bea's and Cal's votes on the first answer, Cal's on the second and third: not Bea's vote on the private reply, nor Cal's on the hidden one.
      expect(stat(page.body, "Helpful votes received")).toBe(4);
      expect(stat(page.body, "Threads started")).toBe(2);
      expect(stat(page.body, "HITs compiled")).toBe(1);
      expect(stat(page.body, "Resources curated")).toBe(1);
      expect(areasLine(page.body)).toBe("Top competency areas: Reference (2), Collection Management (1)");
      for (const word of Object.values(SECRETS)) expect(page.body).not.toContain(word);
    }
  });

  it("counts the private TARGET reply for its asker, the whole record for Ada, and everything for staff", async () => {
    const asker = (await profile(bea)).body;
    expect(stat(asker, "Replies")).toBe(4);
    expect(stat(asker, "Accepted answers")).toBe(4);
    expect(stat(asker, "Helpful votes received")).toBe(5);
    expect(areasLine(asker)).toBe("Top competency areas: Reference (2), Collection Management (1), Youth Services (1)");
    expect(asker).not.toContain(SECRETS.hiddenThread);

    const own = (await profile(ada)).body;
    // Her hidden and held replies are hers to see; the thread a moderator deleted is not.
    expect(stat(own, "Replies")).toBe(6);
    expect(stat(own, "Helpful votes received")).toBe(6);
    expect(stat(own, "Threads started")).toBe(3);

    const staff = (await profile(admin)).body;
    expect(stat(staff, "Replies")).toBe(7);
    expect(stat(staff, "Threads started")).toBe(3);
  });

  it("describes the member for search engines and omits the competency line when there is none", async () => {
    const page = await profile(guest);
    expect(page.body).toContain('<meta name="description" content="Ada Byron, Library Technician at Hill County Library: 3 accepted answers on ParaNet."/>');
    const bare = await guest.get("/u/cal");
    expect(bare.status).toBe(200);
    expect(stat(bare.body, "Accepted answers")).toBe(0);
    expect(textOf(bare.body)).not.toContain("Top competency areas");
  });
});

describe("the tabs", () => {
  it("are plain links with the current one marked, threads first", async () => {
    const page = await profile(guest);
    expect(currentTab(page.body)).toBe("threads");
    expect(page.body).toContain('href="/u/ada?tab=replies"');
    expect(page.body).toContain('href="/u/ada?tab=hits"');
    expect(page.body.match(/aria-current="page"/g)).toHaveLength(1);
    expect(currentTab((await profile(guest, "?tab=replies")).body)).toBe("replies");
    expect(currentTab((await profile(guest, "?tab=hits")).body)).toBe("hits");
  });

  it("open on the first tab with posts: a member who only answers, on their replies", async () => {
    const dee = new Visitor(server.url);
    await join(dee, person("dee"));
    await reply(dee, firstAnswerThread, "Dee only ever answers.");
    const page = await guest.get("/u/dee");
    expect(/<a aria-current="page"[^>]*href="\/u\/dee\?tab=(\w+)"/.exec(page.body)?.[1]).toBe("replies");
    expect(textOf(page.body)).toContain("Dee only ever answers.");
  });

  it("lists threads (not HITs) and HITs (with their source), each linking to the post", async () => {
    const threads = textOf((await profile(guest, "?tab=threads")).body);
    expect(threads).toContain("How do you label graphic novels?");
    expect(threads).toContain("TARGET: summer reading prizes under $1");
    expect(threads).not.toContain("HIT: summer reading prizes");
    const hits = await profile(guest, "?tab=hits");
    expect(postLinks(hits.body)).toEqual([hitPath]);
    expect(textOf(hits.body)).toContain("Thanks, everyone: bookmarks and stickers won.");
    expect(textOf(hits.body)).toContain("Compiled from TARGET: summer reading prizes under $1");
  });

  it("lists replies as plain-text excerpts linking to the reply's permalink, and the link opens it", async () => {
    const page = await profile(guest, "?tab=replies");
    const links = postLinks(page.body);
    const [, id, slug] = /^\/t\/(\d+)\/([^?]+)/.exec(firstAnswerThread)!;
    const href = `/t/${id}/${slug}?reply=${ids.firstAnswer}#reply-${ids.firstAnswer}`;
    expect(links).toContain(href);
    const text = textOf(page.body);
    expect(text).toContain("Bold advice with a link and a list item");
    expect(page.body).not.toContain("**Bold**");
    expect(text).toContain("Accepted answer");
    const opened = await guest.get(href.split("#")[0]);
    expect(opened.status).toBe(200);
    expect(opened.body).toContain(`id="reply-${ids.firstAnswer}"`);
  });

  it("never shows a guest or another member a private, hidden, held or deleted post, in the page or its data", async () => {
    for (const v of [guest, cal]) {
      for (const tab of ["threads", "replies", "hits"]) {
        for (const query of [`?tab=${tab}`, `?tab=${tab}&_data=routes%2Fu.%24handle`]) {
          const page = await profile(v, query);
          expect(page.status, query).toBe(200);
          for (const word of Object.values(SECRETS)) expect(page.body, `${query}: ${word}`).not.toContain(word);
          for (const id of [ids.privateReply, ids.hiddenReply, ids.heldReply, ids.deletedThreadReply]) expect(page.body).not.toContain(`reply=${id}`);
          expect(page.body).not.toContain(`/t/${ids.deletedThread}/`);
        }
      }
    }
  });

  it("shows the member their own hidden and held posts, marked, and staff the deleted thread's reply", async () => {
    const own = await profile(ada, "?tab=replies");
    for (const word of [SECRETS.privateReply, SECRETS.hiddenReply, SECRETS.heldReply]) expect(own.body).toContain(word);
    expect(own.body).not.toContain(SECRETS.deletedThreadReply);
    const text = textOf(own.body);
    expect(text).toContain("Private reply");
    expect(text).toContain("Waiting for approval");
    expect(text).toContain("Hidden");
    expect(textOf((await profile(ada, "?tab=threads")).body)).toContain(SECRETS.hiddenThread);
    // The asker reads the private reply, not the hidden one.
    const asker = (await profile(bea, "?tab=replies")).body;
    expect(asker).toContain(SECRETS.privateReply);
    expect(asker).not.toContain(SECRETS.hiddenReply);
    expect(asker).not.toContain(SECRETS.heldReply);
    const staff = await profile(admin, "?tab=replies");
    expect(staff.body).toContain(SECRETS.deletedThreadReply);
  });

  it("ignores a tab or page it does not know, showing the first page of threads", async () => {
    for (const query of ["?tab=secrets", "?tab=replies&before=abc", "?tab=replies&before=99999999999999", "?before=-1", "?tab=&before="]) {
      const page = await profile(guest, query);
      expect(page.status, query).toBe(200);
    }
    expect(postLinks((await profile(guest, "?tab=secrets")).body)).toEqual(postLinks((await profile(guest)).body));
  });
});

describe("paging", () => {
  it("shows 20 a page, newest first, with an Older link to the rest and nothing twice", async () => {
    const q = await ask(bea, "Favorite read-aloud chapter books?", tags.youth);
    const posted: number[] = [];
    for (let i = 0; i < 20; i++) posted.push(await reply(ada, q.path, `Read-aloud pick ${i}`));
    // 3 earlier public answers + 20 = 23 a guest may read.
    const first = await profile(guest, "?tab=replies");
    const firstLinks = postLinks(first.body);
    expect(firstLinks).toHaveLength(20);
    expect(firstLinks[0]).toContain(`reply=${posted[19]}`);
    const older = /href="\/u\/ada(\?tab=replies&amp;before=\d+)"[^>]*>Older replies</.exec(first.body);
    expect(older).not.toBeNull();
    const second = await profile(guest, older![1].replace(/&amp;/g, "&"));
    const secondLinks = postLinks(second.body);
    expect(secondLinks).toHaveLength(3);
    expect(secondLinks).toContain(`${firstAnswerThread}?reply=${ids.firstAnswer}#reply-${ids.firstAnswer}`);
    expect(new Set([...firstLinks, ...secondLinks]).size).toBe(23);
    expect(second.body).not.toContain("Older replies");
    expect(second.body).toMatch(/href="\/u\/ada\?tab=replies"[^>]*>Newest</);
    for (const word of Object.values(SECRETS)) expect(second.body).not.toContain(word);
    // Ada sees her private, hidden and held replies on the second page too.
    const own = await profile(ada, `?tab=replies&before=${posted[0]}`);
    for (const word of [SECRETS.privateReply, SECRETS.hiddenReply, SECRETS.heldReply]) expect(own.body).toContain(word);
  });
});
