// Long threads come a page at a time (issue 16): page links, permalinks to a
// reply on any page, the accepted answer pinned on the first page, each body
// sent once per document, and no page ever holding a reply its viewer may not
// read — whichever page it is.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { execute, insertReturning, queryOne } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let asker: Visitor, helper: Visitor, bystander: Visitor, moderator: Visitor, guest: Visitor;
let ids: { asker: number; helper: number; bystander: number };
let threadPath: string;
let threadId: number;
/** The replies in the order they were written: [id, kind]. */
const written: { id: number; kind: "public" | "private" | "held" | "removed" }[] = [];

const PER_PAGE = 20;
const query = <T>(sql: string, ...args: unknown[]) => queryOne<T>(server.database, sql, ...args);
const replyIdsOn = (html: string) => [...html.matchAll(/<article[^>]*id="reply-(\d+)"/g)].map((m) => Number(m[1]));
const bodyOf = (id: number) => `Reply body number ${id} with a distinctive marker zq${id}zq.`;

/** A reply written straight into the database a minute after the previous one (posting 50 through the form would meet the post limit). */
async function addReply(authorId: number, kind: (typeof written)[number]["kind"], minute: number) {
  const at = new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString();
  const row = await insertReturning<{ id: number }>(
    server.database,
    `INSERT INTO "Reply" ("threadId", "authorId", "bodySource", "bodyHtml", "rendererVersion", "isPrivate", "helpfulCount", "createdAt", "hiddenAt", "hiddenReason", "deletedAt")
     VALUES (?, ?, 'x', 'x', 1, ?, 0, ?, ?, ?, ?) RETURNING "id"`,
    threadId,
    authorId,
    kind === "private",
    at,
    kind === "held" ? at : null,
    kind === "held" ? "held" : "",
    kind === "removed" ? at : null,
  );
  const id = Number(row.id);
  await execute(server.database, `UPDATE "Reply" SET "bodySource" = ?, "bodyHtml" = ? WHERE "id" = ?`, bodyOf(id), `<p>${bodyOf(id)}</p>`, id);
  written.push({ id, kind });
  return id;
}

beforeAll(async () => {
  // No guest page cache: replies are written behind the server's back.
  server = await startServer({ env: { GUEST_CACHE_SECONDS: "0" } });
  [asker, helper, bystander, moderator, guest] = Array.from({ length: 5 }, () => new Visitor(server.url));
  await join(asker, aMember("pgasker"));
  await join(helper, aMember("pghelper"));
  await join(bystander, aMember("pgbystander"));
  await join(moderator, aMember("pgmod"));
  const idOf = async (handle: string) => Number((await query<{ id: number }>(`SELECT "id" FROM "User" WHERE "handle" = ?`, handle)).id);
  ids = { asker: await idOf("memberpgasker"), helper: await idOf("memberpghelper"), bystander: await idOf("memberpgbystander") };
  await execute(server.database, `UPDATE "User" SET "role" = 'moderator' WHERE "handle" = 'memberpgmod'`);
  const tagId = String((await query<{ id: number }>(`SELECT "id" FROM "Tag" WHERE "slug" = 'reference'`)).id);
  const made = await asker.post("/threads/new", { title: "A long TARGET about summer reading", body: "Tell me privately.", kind: "target", tagIds: tagId });
  expect(made.status).toBe(302);
  threadPath = made.location!;
  threadId = Number(threadPath.split("/")[2]);
  // 50 replies: public ones, with private replies to the TARGET, a held reply and a removed one among them.
  for (let i = 0; i < 50; i++) {
    const kind = i % 7 === 3 ? "private" : i === 12 ? "held" : i === 30 ? "removed" : "public";
    await addReply(kind === "private" || kind === "held" ? ids.helper : ids.bystander, kind, i);
  }
  await execute(server.database, `UPDATE "Thread" SET "privateReplyCount" = ? WHERE "id" = ?`, written.filter((w) => w.kind === "private").length, threadId);
});
afterAll(async () => {
  await server?.stop();
});

/** What a viewer may see of the 50, in order (removed replies keep their place without their words). */
function expected(viewer: "guest" | "asker" | "helper" | "bystander" | "moderator") {
  return written
    .filter((w) => {
      if (w.kind === "private") return viewer === "asker" || viewer === "helper" || viewer === "moderator";
      if (w.kind === "held") return viewer === "helper" || viewer === "moderator";
      return true;
    })
    .map((w) => w.id);
}

describe("a long thread, page by page", () => {
  it("shows 20 replies a page, with links between pages, to every kind of viewer", async () => {
    const viewers = { guest, asker, helper, bystander, moderator } as const;
    for (const [name, visitor] of Object.entries(viewers)) {
      const mine = expected(name as keyof typeof viewers);
      const pages = Math.ceil(mine.length / PER_PAGE);
      const seen: number[] = [];
      for (let n = 1; n <= pages; n++) {
        const res = await visitor.get(n === 1 ? threadPath : `${threadPath}?page=${n}`);
        expect(res.status, `${name} page ${n}`).toBe(200);
        const onPage = replyIdsOn(res.body);
        expect(onPage, `${name} page ${n}`).toEqual(mine.slice((n - 1) * PER_PAGE, n * PER_PAGE));
        // No page holds a reply this viewer may not read, in its HTML or its data.
        for (const w of written.filter((x) => !mine.includes(x.id))) expect(res.body, `${name} page ${n}`).not.toContain(`zq${w.id}zq`);
        const text = textOf(res.body);
        expect(text).toContain(`${mine.length} replies · page ${n} of ${pages}`);
        if (n < pages) expect(res.body).toContain(`href="${threadPath}?page=${n + 1}"`);
        if (n > 1) expect(res.body).toContain(`href="${n === 2 ? threadPath : `${threadPath}?page=${n - 1}`}"`);
        seen.push(...onPage);
      }
      expect(seen, name).toEqual(mine);
    }
  });

  it("sends each body once in a document, and with the data on a client navigation", async () => {
    // (A viewer who wrote none of them: an author's data also holds the Markdown source, for editing.)
    const res = await guest.get(threadPath);
    const first = replyIdsOn(res.body)[0]!;
    const removed = written.find((w) => w.kind === "removed")!.id;
    for (const id of replyIdsOn(res.body).filter((x) => x !== removed)) {
      expect(res.body.split(`zq${id}zq`).length - 1, `reply ${id}`).toBe(1);
    }
    const data = await guest.get(`${threadPath}?_data=${encodeURIComponent("routes/t.$id.($slug)")}`);
    expect(data.status).toBe(200);
    const json = JSON.parse(data.body) as { page: { replies: { id: number; bodyHtml: string }[] } };
    expect(json.page.replies.find((r) => r.id === first)!.bodyHtml).toContain(`zq${first}zq`);
  });

  it("opens the page that holds a reply from its permalink, and the last page past the end", async () => {
    const mine = expected("bystander");
    const target = mine.at(-1)!;
    const res = await bystander.get(`${threadPath}?reply=${target}`);
    expect(res.status).toBe(200);
    expect(replyIdsOn(res.body)).toContain(target);
    expect(textOf(res.body)).toContain("page 3 of 3");
    // A reply this viewer may not see gives nothing away: the first page.
    const privateOne = written.find((w) => w.kind === "private")!.id;
    expect(replyIdsOn((await bystander.get(`${threadPath}?reply=${privateOne}`)).body)).toEqual(mine.slice(0, PER_PAGE));
    const past = await bystander.get(`${threadPath}?page=99`);
    expect(past.status).toBe(302);
    expect(past.location).toBe(`${threadPath}?page=3`);
    for (const odd of ["0", "-1", "abc", "2.5"]) expect((await bystander.get(`${threadPath}?page=${odd}`)).status, odd).toBe(200);
  });

  it("pins the accepted answer on the first page only, and pages through the others", async () => {
    const mine = expected("bystander");
    const accepted = mine[30]!;
    await execute(server.database, `UPDATE "Thread" SET "acceptedReplyId" = ? WHERE "id" = ?`, accepted, threadId);
    try {
      const one = await bystander.get(threadPath);
      expect(replyIdsOn(one.body)).toEqual([accepted, ...mine.filter((id) => id !== accepted).slice(0, PER_PAGE)]);
      expect(textOf(one.body)).toContain(`${mine.length - 1} other replies`);
      const two = await bystander.get(`${threadPath}?page=2`);
      expect(replyIdsOn(two.body)).toEqual(mine.filter((id) => id !== accepted).slice(PER_PAGE, 2 * PER_PAGE));
      // Its permalink is the first page.
      expect(replyIdsOn((await bystander.get(`${threadPath}?reply=${accepted}`)).body)[0]).toBe(accepted);
    } finally {
      await execute(server.database, `UPDATE "Thread" SET "acceptedReplyId" = NULL WHERE "id" = ?`, threadId);
    }
  });

  it("returns to the reply acted on, on its page, after a vote", async () => {
    const target = expected("asker")[44]!;
    const res = await asker.post(threadPath, { intent: "helpful", replyId: String(target) });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`${threadPath}?reply=${target}#reply-${target}`);
    expect(replyIdsOn((await asker.get(res.location!)).body)).toContain(target);
  });

  it("shares one read of a page among those who see the same replies, never their own marks or rights", async () => {
    // A member who sees only what everyone sees, and has voted: the same shared copy as a guest's, plus a vote of their own.
    const reader = new Visitor(server.url);
    await join(reader, aMember("pgreader"));
    const target = expected("guest")[2]!; // a public reply, written by the bystander
    expect((await reader.post(threadPath, { intent: "helpful", replyId: String(target) })).status).toBe(302);
    const viewers = { reader, guest, bystander, asker, helper, moderator } as const;
    const sees = (name: keyof typeof viewers) => expected(name === "reader" ? "guest" : name);
    const route = encodeURIComponent("routes/t.$id.($slug)");
    type Data = { page: { replies: { id: number; votedHelpful: boolean; canEdit: boolean; canVote: boolean; bodySource: string | null }[] } };
    // Whoever comes first fills the shared copy (the write above emptied it); the order must not matter.
    const names = Object.keys(viewers) as (keyof typeof viewers)[];
    for (const order of [names, [...names].reverse()]) {
      for (const name of order) {
        const visitor = viewers[name];
        const [page, data] = await Promise.all([visitor.get(threadPath), visitor.get(`${threadPath}?_data=${route}`)]);
        expect(replyIdsOn(page.body), name).toEqual(sees(name).slice(0, PER_PAGE));
        for (const w of written.filter((x) => !sees(name).includes(x.id))) expect(page.body + data.body, name).not.toContain(`zq${w.id}zq`);
        const reply = (JSON.parse(data.body) as Data).page.replies.find((r) => r.id === target)!;
        expect(reply.votedHelpful, name).toBe(name === "reader");
        expect(reply.canVote, name).toBe(name !== "guest" && name !== "bystander");
        expect(reply.canEdit, name).toBe(name === "bystander" || name === "moderator");
        expect(reply.bodySource !== null, name).toBe(name === "bystander" || name === "moderator");
        expect(page.body.split("vote vote--on").length - 1, name).toBe(name === "reader" ? 1 : 0);
      }
    }
  });

  it("pages the API too: 100 replies a page, with the paging", async () => {
    const res = await guest.get(`/api/v1/threads/${threadId}`);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { replies: { id: number }[]; paging: { page: number; pages: number; perPage: number; listed: number } };
    expect(body.paging).toEqual({ page: 1, pages: 1, perPage: 100, listed: expected("guest").length });
    expect(body.replies.map((r) => r.id)).toEqual(expected("guest"));
  });
});
