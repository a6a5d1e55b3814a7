// What the tag picker offers for what a member types (app/lib/tag-match.ts).
import { describe, expect, it } from "vitest";
import { foldForMatch, matchTags } from "~/lib/tag-match";

const tag = (id: number, name: string, synonyms: string[] = [], scopeNote = "") => ({ id, name, scopeNote, synonyms: synonyms.map((s) => ({ name: s })) });
const TAGS = [
  tag(1, "Reference", [], "Answering questions, readers' needs."),
  tag(2, "Collection Management", [], "Selection, weeding and evaluation."),
  tag(3, "Weeding", ["MUSTIE", "Deselection"], "Removing dated items: CREW."),
  tag(4, "Références en français"),
  tag(5, "Preference surveys"),
];
const names = (query: string, exclude: number[] = []) => matchTags(TAGS, query, new Set(exclude)).map((t) => t.name);

describe("matchTags", () => {
  it("finds a main tag by its synonym", () => {
    expect(names("must")).toEqual(["Weeding"]);
    expect(names("DESEL")).toEqual(["Weeding"]);
  });

  it("ranks the start of a name, then a word's start, then anywhere, then synonyms, then scope notes", () => {
    expect(names("ref")).toEqual(["Reference", "Références en français", "Preference surveys"]);
    expect(names("weed")).toEqual(["Weeding", "Collection Management"]);
    expect(names("management")).toEqual(["Collection Management"]);
  });

  it("ignores case, accents and punctuation", () => {
    expect(foldForMatch("Références — en Français!")).toBe("references en francais");
    expect(names("francais")).toEqual(["Références en français"]);
    expect(names("readers")).toEqual(["Reference"]);
  });

  it("reads scope notes only from three letters, at a word's start", () => {
    expect(names("cr")).toEqual([]);
    expect(names("crew")).toEqual(["Weeding"]);
    expect(names("eding")).toEqual(["Weeding"]); // inside the name itself, though
    expect(names("lection")).toEqual(["Collection Management", "Weeding"]); // in a name, before in a synonym (Deselection)
  });

  it("leaves out chosen tags, lists everything for an empty query, and keeps to the limit", () => {
    expect(names("ref", [1])).toEqual(["Références en français", "Preference surveys"]);
    expect(names("  ", [3])).toEqual(["Reference", "Collection Management", "Références en français", "Preference surveys"]);
    expect(matchTags(TAGS, "e", new Set(), 2)).toHaveLength(2);
    expect(names("zzz")).toEqual([]);
  });
});
