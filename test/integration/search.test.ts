// Search over HTTP, on the engine the tests run on (SQLite, or PostgreSQL
// under npm run test:postgres): findable the moment something is saved, every
// privacy rule (private TARGET replies through their own index), ranking
// rules and boosts, filters, safe highlighting, the triggers that keep both
// indexes current, the rebuild script, and no error for any input. Rules are
// asserted, not scores: the engines score differently.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { execute, queryAll, queryOne } from "../helpers/db";
import { installationEnv, startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let asker: Visitor, helper: Visitor, bystander: Visitor, admin: Visitor, guest: Visitor;
let tagId: string;

type Posted = { id: number; path: string };
async function post(visitor: Visitor, fields: Record<string, string>, extraTags: string[] = []): Promise<Posted> {
  const body = new URLSearchParams({ kind: "question", tagIds: tagId, ...fields });
  for (const t of extraTags) body.append("tagIds", t);
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
  return Number(/#reply-(\d+)$/.exec(res.location!)![1]);
}
async function moderate(path: string, intent: string, target: string, extra: Record<string, string> = {}) {
  const res = await admin.post(path, { intent, target, reason: "Testing search", ...extra });
  expect(res.status, textOf(res.body).slice(0, 300)).toBe(200);
}
type Result = { kind: string; id: number; href: string; titleHtml: string; snippetHtml: string; accepted: boolean; private?: boolean };
const api = async (visitor: Visitor, query: string) => {
  const res = await visitor.get(`/api/v1/search?${query}`);
  expect(res.status, res.body.slice(0, 300)).toBe(200);
  return JSON.parse(res.body) as { results: Result[] };
};
const ids = async (visitor: Visitor, query: string) => (await api(visitor, query)).results.map((r) => r.id);
const userId = async (handle: string) => (await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "User" WHERE "handle" = ?`, handle)).id;

/** Rows of an index that hold a word, by the engine's own full-text match. */
async function indexed(table: "SearchIndex" | "PrivateSearchIndex", word: string): Promise<number> {
  const sql =
    server.database.engine === "postgres"
      ? `SELECT COUNT(*) AS "n" FROM "${table}" WHERE "doc" @@ to_tsquery('paranet', ?)`
      : `SELECT COUNT(*) AS "n" FROM "${table}" WHERE "${table}" MATCH ?`;
  return (await queryOne<{ n: number }>(server.database, sql, word)).n;
}
const privateRow = (replyId: number) =>
  queryOne<{ threadId: number; askerId: number; authorId: number } | undefined>(
    server.database,
    `SELECT "threadId", "askerId", "authorId" FROM "PrivateSearchIndex" WHERE "replyId" = ?`,
    replyId,
  );

beforeAll(async () => {
  // Scenes set by direct SQL do not pass through the guest page cache's invalidation: it is off here.
  server = await startServer({ env: { API_RATE_LIMIT: "100000", GUEST_CACHE_SECONDS: "0" } });
  [asker, helper, bystander, admin, guest] = Array.from({ length: 5 }, () => new Visitor(server.url));
  await join(asker, aMember("asker"));
  await join(helper, aMember("helper"));
  await join(bystander, aMember("bystander"));
  await admin.post(`/setup?token=${server.setupToken}`, aMember("admin"));
  tagId = String((await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "Tag" WHERE "slug" = 'collection-management'`)).id);
});
afterAll(async () => {
  await server?.stop();
});

describe(`finding things (${process.env.TEST_DATABASE === "postgres" ? "PostgreSQL" : "SQLite"})`, () => {
  it("finds a thread the moment it is posted, with the matched words highlighted and everything else escaped", async () => {
    await post(asker, { title: "Weeding a biography section on no budget", body: "We use the CREW method. <script>alert(1)</script> <b>bold</b>" });
    const page = await guest.get("/search?q=weeding+biography");
    expect(page.status).toBe(200);
    expect(page.body).toContain("<mark>Weeding</mark>");
    expect(page.body).toContain("<mark>biography</mark>");
    const found = await api(guest, "q=crew+method");
    expect(found.results[0].snippetHtml).toContain("<mark>CREW</mark> <mark>method.</mark>");
    expect(found.results[0].snippetHtml).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(found.results[0].snippetHtml).not.toMatch(/<script|<b>/);
    // Stemmed, accent-blind, phrases in order, exclusions, prefixes, OR.
    expect((await api(guest, "q=weeded+biographies")).results.length).toBeGreaterThan(0);
    expect((await api(guest, "q=%22crew+method%22")).results.length).toBeGreaterThan(0);
    expect((await api(guest, "q=%22method+crew%22")).results).toEqual([]);
    expect((await api(guest, "q=biography+-budget")).results).toEqual([]);
    expect((await api(guest, "q=biog*")).results.length).toBeGreaterThan(0);
    expect((await api(guest, "q=nonexistentword+OR+biography")).results.length).toBeGreaterThan(0);
  });

  it("reflects edits and removals at once", async () => {
    const thread = await post(asker, { title: "Shelving graphic novels", body: "Where do they go?" });
    const id = await reply(helper, thread.path, "By series, in a BRIGHTSPINE bin.");
    expect(await ids(guest, "q=brightspine")).toEqual([id]);
    await helper.post(thread.path, { intent: "edit-reply", replyId: String(id), body: "By series, in a DARKSPINE bin." });
    expect((await api(guest, "q=brightspine")).results).toEqual([]);
    expect(await ids(guest, "q=darkspine")).toEqual([id]);
    await helper.post(thread.path, { intent: "delete-reply", replyId: String(id) });
    expect((await api(guest, "q=darkspine")).results).toEqual([]);
    await asker.post(thread.path, { intent: "edit-thread", title: "Shelving graphic novels by series", body: "Where do MANGAVOLUMES go?" });
    expect((await api(guest, "q=mangavolumes")).results.map((r) => r.kind)).toEqual(["thread"]);
  });

  it("ranks a title match above a body match, and sorts newest first when asked", async () => {
    const titled = await post(asker, { title: "The RANKTITLEWORD question", body: "Nothing else here." });
    const bodied = await post(helper, { title: "Another question", body: "This body mentions RANKTITLEWORD once." });
    expect(await ids(guest, "q=ranktitleword")).toEqual([titled.id, bodied.id]);
    expect(await ids(guest, "q=ranktitleword&sort=newest")).toEqual([bodied.id, titled.id]);
  });

  it("ranks an accepted answer and a HIT above equal matches", async () => {
    const thread = await post(asker, { title: "Barcode scanners", body: "Which ones?" });
    const first = await reply(helper, thread.path, "A cheap SCANNERWORD works.");
    const second = await reply(bystander, thread.path, "A cheap SCANNERWORD works.");
    // Equal text: the newer comes first, unless the older is the accepted answer.
    expect(await ids(guest, "q=scannerword&type=replies")).toEqual([second, first]);
    await asker.post(thread.path, { intent: "accept", replyId: String(first) });
    const ranked = await api(guest, "q=scannerword&type=replies");
    expect(ranked.results.map((r) => r.id)).toEqual([first, second]);
    expect(ranked.results[0].accepted).toBe(true);

    const older = await post(asker, { title: "Notes on HITBOOSTWORD", body: "Same words." });
    const newer = await post(asker, { title: "Notes on HITBOOSTWORD", body: "Same words." });
    expect(await ids(guest, "q=hitboostword")).toEqual([newer.id, older.id]);
    // Set the scene: the older one is a HIT (what the HIT form makes; the index does not change).
    await execute(server.database, `UPDATE "Thread" SET "kind" = 'hit' WHERE "id" = ?`, older.id);
    expect(await ids(guest, "q=hitboostword")).toEqual([older.id, newer.id]);
  });

  it("filters by type, kind, author, answered, library type, dates and tag (with its synonyms)", async () => {
    const thread = await post(asker, { title: "FILTERWORD in school libraries", body: "Barcodes.", libraryTypes: "school" });
    const answer = await reply(helper, thread.path, "FILTERWORD answer.");
    expect((await ids(guest, "q=filterword")).sort()).toEqual([thread.id, answer].sort());
    expect(await ids(guest, "q=filterword&type=threads")).toEqual([thread.id]);
    expect(await ids(guest, "q=filterword&type=replies")).toEqual([answer]);
    expect(await ids(guest, "q=filterword&type=resources")).toEqual([]);
    expect(await ids(guest, "q=filterword&kind=hit")).toEqual([]);
    expect((await ids(guest, "q=filterword&kind=question")).sort()).toEqual([thread.id, answer].sort());
    expect(await ids(guest, "q=filterword&author=memberhelper")).toEqual([answer]);
    expect(await ids(guest, "q=filterword&author=@memberasker&type=threads")).toEqual([thread.id]);
    expect(await ids(guest, "q=filterword&author=nobodyatall")).toEqual([]);
    expect(await ids(guest, "q=filterword&answered=1")).toEqual([]);
    await asker.post(thread.path, { intent: "accept", replyId: String(answer) });
    expect((await ids(guest, "q=filterword&answered=1")).sort()).toEqual([thread.id, answer].sort());
    expect((await ids(guest, "q=filterword&library=school")).length).toBe(2);
    expect(await ids(guest, "q=filterword&library=academic")).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    expect((await ids(guest, `q=filterword&from=${today}&to=${today}`)).length).toBe(2);
    expect(await ids(guest, `q=filterword&from=${day(1)}`)).toEqual([]);
    expect(await ids(guest, `q=filterword&to=${day(-1)}`)).toEqual([]);

    // A topic tag and a synonym of it: filtering by either finds threads tagged with the other.
    for (const name of ["Filtertopic main", "Filtertopic alias"]) await admin.post("/admin/tags", { intent: "create", name, scopeNote: "For search tests" });
    const tags = await queryAll<{ id: number; slug: string; name: string }>(
      server.database,
      `SELECT "id", "slug", "name" FROM "Tag" WHERE "name" LIKE 'Filtertopic%' ORDER BY "name"`,
    );
    const [alias, main] = tags;
    expect(tags.map((t) => t.name)).toEqual(["Filtertopic alias", "Filtertopic main"]);
    await admin.post("/admin/tags", { intent: "synonym", id: String(alias.id), otherId: String(main.id) });
    const tagged = await post(asker, { title: "TAGFILTERWORD thread", body: "Tagged with the synonym." }, [String(alias.id)]);
    await post(asker, { title: "TAGFILTERWORD untagged", body: "Not tagged." });
    expect(await ids(guest, `q=tagfilterword&tag=${main.slug}`)).toEqual([tagged.id]);
    expect(await ids(guest, `q=tagfilterword&tag=${alias.slug}`)).toEqual([tagged.id]);
    expect(await ids(guest, `q=tagfilterword&tag=no-such-tag`)).toEqual([]);
  });

  it("leaves out hidden and removed replies, and a hidden thread's replies, and takes them back when restored", async () => {
    const thread = await post(asker, { title: "Hiding test", body: "Plain." });
    const id = await reply(helper, thread.path, "A HIDEWORD reply.");
    expect(await ids(guest, "q=hideword")).toEqual([id]);
    await moderate(thread.path, "mod-hide", `reply:${id}`);
    for (const v of [guest, helper, admin]) expect(await ids(v, "q=hideword")).toEqual([]);
    await moderate(thread.path, "mod-restore", `reply:${id}`);
    expect(await ids(guest, "q=hideword")).toEqual([id]);
    await moderate(thread.path, "mod-hide", `thread:${thread.id}`);
    expect(await ids(guest, "q=hideword")).toEqual([]);
    expect(await ids(guest, "q=hiding")).toEqual([]);
    await moderate(thread.path, "mod-restore", `thread:${thread.id}`);
    expect(await ids(guest, "q=hideword")).toEqual([id]);
  });

  it("follows a reply moved to another thread", async () => {
    const from = await post(asker, { title: "Move source", body: "Plain." });
    const to = await post(asker, { title: "Move destination", body: "Plain." });
    const id = await reply(helper, from.path, "A MOVEDWORD reply.");
    await moderate(from.path, "mod-move", `reply:${id}`, { toThread: to.path });
    const [found] = (await api(guest, "q=movedword")).results;
    expect(found.href).toBe(`${to.path}?reply=${id}#reply-${id}`);
  });

  it("lists earlier threads with similar titles for the new-thread form", async () => {
    const thread = await post(asker, { title: "Weeding SIMILARWORD encyclopedias", body: "Old sets." });
    await post(asker, { title: "Unrelated", body: "The body says SIMILARWORD encyclopedias, not the title." });
    const res = await asker.get(`/threads/similar?title=${encodeURIComponent("similarword encyclopedias?")}`);
    const { threads } = JSON.parse(res.body) as { threads: { id: number; title: string }[] };
    expect(threads.map((t) => t.id)).toEqual([thread.id]);
    expect(JSON.parse((await asker.get("/threads/similar?title=a+an")).body)).toEqual({ threads: [] });
  });
});

describe("privacy", () => {
  let target: Posted;
  let privateId: number;

  it("finds a private TARGET reply only for the asker, its author and moderators, with the same filters", async () => {
    target = await post(asker, { title: "TARGET: summer reading budgets", body: "Reply privately", kind: "target" });
    privateId = await reply(helper, target.path, "Our PRIVATEBUDGET is small.");
    for (const v of [asker, helper, admin]) {
      const found = await api(v, "q=privatebudget");
      expect(found.results.map((r) => [r.id, r.private])).toEqual([[privateId, true]]);
    }
    for (const v of [bystander, guest]) {
      expect((await api(v, "q=privatebudget")).results).toEqual([]);
      expect((await v.get("/search?q=privatebudget")).body).not.toContain("PRIVATEBUDGET");
    }
    // Not even in the shared index, whose pages are cached for every viewer.
    expect(await indexed("SearchIndex", "privatebudget")).toBe(0);
    expect(await indexed("PrivateSearchIndex", "privatebudget")).toBe(1);
    expect((await asker.get("/search?q=privatebudget")).body).toContain("Private reply");
    // The filters apply to private replies too.
    expect(await ids(asker, "q=privatebudget&type=threads")).toEqual([]);
    expect(await ids(asker, "q=privatebudget&kind=question")).toEqual([]);
    expect(await ids(asker, "q=privatebudget&answered=1")).toEqual([]);
    expect(await ids(asker, "q=privatebudget&kind=target&type=replies")).toEqual([privateId]);
    expect(await ids(asker, "q=privatebudget&author=memberhelper")).toEqual([privateId]);
    expect(await ids(asker, "q=privatebudget&author=memberasker")).toEqual([]);
    expect(await ids(asker, "q=privatebudget&tag=collection-management")).toEqual([privateId]);
    expect(await ids(asker, "q=privatebudget&tag=technology")).toEqual([]);
    expect(await ids(asker, `q=privatebudget&from=${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}`)).toEqual([]);
    expect(await ids(asker, "q=privatebudget+-small")).toEqual([]);
    expect(await ids(asker, "q=%22budget+is%22")).toEqual([]);
    expect(await ids(asker, "q=%22privatebudget+is%22")).toEqual([privateId]);
  });

  it("keeps the private index current by triggers: create, edit, hide, move, removal", async () => {
    expect(await privateRow(privateId)).toEqual({ threadId: target.id, askerId: await userId("memberasker"), authorId: await userId("memberhelper") });
    // Edit: the old words are gone, the new ones found.
    await helper.post(target.path, { intent: "edit-reply", replyId: String(privateId), body: "Our PRIVATEFUNDS are small." });
    expect(await ids(asker, "q=privatebudget")).toEqual([]);
    expect(await ids(asker, "q=privatefunds")).toEqual([privateId]);
    expect(await indexed("PrivateSearchIndex", "privatebudget")).toBe(0);

    // Hidden by a moderator: its author and moderators still find it, the asker no longer does.
    await moderate(target.path, "mod-hide", `reply:${privateId}`);
    expect(await ids(asker, "q=privatefunds")).toEqual([]);
    expect(await ids(helper, "q=privatefunds")).toEqual([privateId]);
    expect(await ids(admin, "q=privatefunds")).toEqual([privateId]);
    await moderate(target.path, "mod-restore", `reply:${privateId}`);
    expect(await ids(asker, "q=privatefunds")).toEqual([privateId]);

    // Moved into another member's TARGET (the app refuses this; the database keeps the index right anyway).
    const other = await post(bystander, { title: "TARGET: another asker", body: "Reply privately", kind: "target" });
    await execute(server.database, `UPDATE "Reply" SET "threadId" = ? WHERE "id" = ?`, other.id, privateId);
    expect(await privateRow(privateId)).toEqual({ threadId: other.id, askerId: await userId("memberbystander"), authorId: await userId("memberhelper") });
    expect(await ids(asker, "q=privatefunds")).toEqual([]);
    expect(await ids(bystander, "q=privatefunds")).toEqual([privateId]);
    expect(await ids(helper, "q=privatefunds")).toEqual([privateId]);
    await execute(server.database, `UPDATE "Reply" SET "threadId" = ? WHERE "id" = ?`, target.id, privateId);
    expect(await ids(asker, "q=privatefunds")).toEqual([privateId]);

    // Removed by its author: gone for everyone, moderators included.
    const removed = await reply(helper, target.path, "A REMOVEDPRIVATE note.");
    expect(await ids(admin, "q=removedprivate")).toEqual([removed]);
    await helper.post(target.path, { intent: "delete-reply", replyId: String(removed) });
    expect(await privateRow(removed)).toBeUndefined();
    for (const v of [asker, helper, admin]) expect(await ids(v, "q=removedprivate")).toEqual([]);
  });

  it("never finds a private reply in a deleted TARGET, but for moderators", async () => {
    const deleted = await post(asker, { title: "TARGET: soon deleted DELETEDTARGETWORD", body: "Reply privately", kind: "target" });
    const id = await reply(helper, deleted.path, "A DELETEDTARGETREPLY answer.");
    for (const v of [asker, helper, admin]) expect(await ids(v, "q=deletedtargetreply")).toEqual([id]);
    await moderate(deleted.path, "mod-delete", `thread:${deleted.id}`);
    for (const v of [asker, helper, bystander, guest]) {
      expect(await ids(v, "q=deletedtargetreply")).toEqual([]);
      expect(await ids(v, "q=deletedtargetword")).toEqual([]);
    }
    expect(await ids(admin, "q=deletedtargetreply")).toEqual([id]);
  });

  it("never shows a resource that is not approved", async () => {
    const submitted = await bystander.post("/resources/new", {
      title: "ZEBRACROSSING guide",
      url: "https://zebra.example.org/guide",
      abstract: "A ZEBRACROSSING guide for school library staff about safe routes, with a printable handout.",
      type: "toolkit",
      tagIds: tagId,
    });
    const id = Number(/submitted=(\d+)/.exec(submitted.location!)![1]);
    for (const v of [guest, helper, bystander, admin]) expect((await api(v, "q=zebracrossing")).results).toEqual([]);
    await admin.post(`/resources/${id}`, { intent: "approve" });
    expect((await api(guest, "q=zebracrossing")).results.map((r) => [r.kind, r.id])).toEqual([["resource", id]]);
    await admin.post(`/resources/${id}`, { intent: "archive" });
    expect((await api(guest, "q=zebracrossing")).results).toEqual([]);
  });
});

describe("any input", () => {
  it("answers every odd query with a page, never an error", async () => {
    for (const q of [
      '"unbalanced',
      "NEAR(a b)",
      "-",
      "*",
      "AND OR NOT",
      "🙂📚",
      "x".repeat(1000),
      "'; DROP TABLE Thread; --",
      "title:weeding",
      "(((",
      "\u0000",
      "weeding\\",
      "it's o'clock",
      "'weeding':* & !'a' | <-> :A",
      "² -weeding",
      "!!! & |",
      "\\'",
    ]) {
      const res = await guest.get(`/search?q=${encodeURIComponent(q)}&page=abc&from=2026-99-99&type=nonsense`);
      expect(res.status, q).toBe(200);
      expect((await guest.get(`/api/v1/search?q=${encodeURIComponent(q)}`)).status, q).toBe(200);
      expect((await asker.get(`/api/v1/search?q=${encodeURIComponent(q)}`)).status, q).toBe(200);
    }
    // A query left with only exclusions finds nothing, not everything else.
    expect((await api(guest, "q=%C2%B2+-weeding")).results).toEqual([]);
    expect(textOf((await guest.get("/search?q=%3F%3F%3F")).body)).toContain("Type a word to search for");
    // Input cut at its length limit never leaves half an emoji behind.
    const emoji = encodeURIComponent(`${"x".repeat(499)}😀`);
    expect((await guest.get(`/search?q=${emoji}`)).status).toBe(200);
    expect(
      (await guest.get(`/api/v1/search?q=a&tag=${encodeURIComponent(`${"x".repeat(79)}😀`)}&author=${encodeURIComponent(`${"x".repeat(39)}😀`)}`)).status,
    ).toBe(200);
    expect((await guest.get(`/resources?tag=${encodeURIComponent(`${"x".repeat(79)}😀`)}`)).status).toBe(200);
    // Many short prefixes are refused cheaply, not run.
    const started = Date.now();
    expect((await guest.get(`/api/v1/search?q=${encodeURIComponent("a* b* c* d* e* f* g* h* i* l* m* n*")}`)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("keeps every search trigger in place after all migrations", async () => {
    if (server.database.engine === "postgres") {
      const names = (await queryAll<{ name: string }>(server.database, `SELECT "tgname"::text AS "name" FROM pg_trigger WHERE NOT "tgisinternal"`)).map(
        (r) => r.name,
      );
      for (const table of ["thread", "reply", "resource"]) expect(names).toContain(`SearchIndex_${table}`);
      const gin = await queryAll<{ name: string; options: string }>(
        server.database,
        `SELECT c."relname"::text AS "name", array_to_string(c."reloptions", ',') AS "options" FROM pg_class c JOIN pg_am a ON a."oid" = c."relam"
         WHERE a."amname" = 'gin' ORDER BY 1`,
      );
      expect(gin).toEqual([
        { name: "PrivateSearchIndex_doc_idx", options: "fastupdate=off" },
        { name: "SearchIndex_doc_idx", options: "fastupdate=off" },
      ]);
      return;
    }
    const names = (
      await queryAll<{ name: string }>(server.database, `SELECT "name" FROM sqlite_master WHERE "type" = 'trigger' AND "name" LIKE '%SearchIndex_%'`)
    ).map((r) => r.name);
    for (const table of ["thread", "reply", "resource"]) for (const op of ["insert", "update", "delete"]) expect(names).toContain(`SearchIndex_${table}_${op}`);
    for (const op of ["insert", "update", "delete"]) expect(names).toContain(`PrivateSearchIndex_reply_${op}`);
  });
});

describe("npm run search:rebuild", () => {
  function run(cmd: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
      const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      child.on("exit", (code) => resolve({ code, output }));
    });
  }

  it("refills both damaged indexes from the tables, by the visibility rule", { timeout: 120_000 }, async () => {
    const target = await post(asker, { title: "TARGET: REBUILDPUBLIC question", body: "Reply privately", kind: "target" });
    const privateId = await reply(helper, target.path, "A REBUILDPRIVATE answer.");
    const gone = await post(asker, { title: "REBUILDPUBLIC hidden thread", body: "Hidden." });
    await moderate(gone.path, "mod-hide", `thread:${gone.id}`);
    expect(await ids(guest, "q=rebuildpublic")).toEqual([target.id]);
    expect(await ids(asker, "q=rebuildprivate")).toEqual([privateId]);

    await execute(server.database, `DELETE FROM "SearchIndex"`);
    await execute(server.database, `DELETE FROM "PrivateSearchIndex"`);
    expect(await ids(guest, "q=rebuildpublic")).toEqual([]);
    expect(await ids(asker, "q=rebuildprivate")).toEqual([]);

    const result = await run("npm", ["run", "--silent", "search:rebuild"], installationEnv(server));
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/Search index rebuilt: [1-9]\d* threads, replies and resources/);
    expect(await ids(guest, "q=rebuildpublic")).toEqual([target.id]);
    for (const v of [asker, helper, admin]) expect(await ids(v, "q=rebuildprivate")).toEqual([privateId]);
    for (const v of [bystander, guest]) expect(await ids(v, "q=rebuildprivate")).toEqual([]);
    expect(await indexed("SearchIndex", "rebuildprivate")).toBe(0);
    expect(await indexed("PrivateSearchIndex", "rebuildprivate")).toBe(1);
    // The triggers go on after a rebuild.
    const later = await reply(helper, target.path, "A REBUILDLATER answer.");
    expect(await ids(asker, "q=rebuildlater")).toEqual([later]);
  });
});
