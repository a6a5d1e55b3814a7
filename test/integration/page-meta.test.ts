// What search engines and link previews read: every page has a description
// (Remix replaces the layout's meta with a page's own, so each states one), a
// canonical address that keeps only what chooses the content, and a shared
// thread carries its title and opening words as OpenGraph.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, Visitor } from "../helpers/client";
import { queryOne } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let threadPath = "";
// The question's text, as text: Markdown gone, the typed tag shown as typed (and escaped in the page).
const WORDS = "We keep three years of the World Almanac and wonder what others do. <script>alert(1)</script>";
const guest = () => new Visitor(server.url);

/** The content of <meta name|property=…> in a page, or null. */
function metaContent(html: string, key: string): string | null {
  const tag = new RegExp(`<meta (?:name|property)="${key}" content="([^"]*)"`).exec(html);
  return tag
    ? tag[1]
        .replace(/&amp;/g, "&")
        .replace(/&#x27;|&#39;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
    : null;
}
const canonicalOf = (html: string) => /<link rel="canonical" href="([^"]*)"/.exec(html)?.[1].replace(/&amp;/g, "&") ?? null;

beforeAll(async () => {
  server = await startServer();
  const member = new Visitor(server.url);
  await join(member, aMember("meta"));
  const tagId = String((await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "Tag" WHERE "slug" = 'reference'`)).id);
  const res = await member.post("/threads/new", {
    title: "Which almanacs do you keep on the reference shelf?",
    body: "We keep **three years** of the _World Almanac_ and wonder what others do. <script>alert(1)</script>",
    kind: "question",
    tagIds: tagId,
  });
  expect(res.status).toBe(302);
  threadPath = res.location!;
});
afterAll(() => server?.stop());

describe("page meta", () => {
  it("gives every public page a title and its own description", async () => {
    const seen = new Map<string, string>();
    for (const path of ["/", "/join", "/login", "/guidelines", "/resources", "/resources/associations", "/tags", "/tags/reference", "/search", threadPath]) {
      const page = await guest().get(path);
      expect(page.status, path).toBe(200);
      const description = metaContent(page.body, "description");
      expect(description, path).toBeTruthy();
      expect(description!.length, path).toBeLessThanOrEqual(200);
      seen.set(path, description!);
    }
    // The join page and a thread say what they are, not the site-wide sentence.
    expect(seen.get("/join")).not.toBe(seen.get("/"));
    expect(seen.get(threadPath)).toBe(WORDS);
  });

  it("names one canonical address per page: the path, with only the parameters that choose the content", async () => {
    expect(canonicalOf((await guest().get(`${threadPath}?reply=1&quote=2`)).body)).toBe(`${server.url}${threadPath}`);
    expect(canonicalOf((await guest().get("/search?q=almanac&kind=question")).body)).toBe(`${server.url}/search?q=almanac`);
    expect(canonicalOf((await guest().get("/")).body)).toBe(`${server.url}/`);
  });

  it("describes a shared thread for link previews (OpenGraph), as text", async () => {
    const html = (await guest().get(threadPath)).body;
    expect(metaContent(html, "og:title")).toBe("Which almanacs do you keep on the reference shelf?");
    expect(metaContent(html, "og:type")).toBe("article");
    expect(metaContent(html, "og:url")).toBe(`${server.url}${threadPath}`);
    expect(metaContent(html, "og:description")).toBe(WORDS);
  });
});
