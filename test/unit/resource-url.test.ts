// Resource addresses: one normal form for duplicates, and the links a post contains.
import { describe, expect, it } from "vitest";
import { normalizeUrl, urlsIn } from "~/lib/resource-url";
import { parseInput, ResourceSchema } from "~/lib/validation";

describe("normalizeUrl", () => {
  it("treats scheme, www, case of the host, default ports, fragments, tracking parameters and trailing slashes as the same address", () => {
    const same = [
      "https://example.org/lssc",
      "http://www.example.org/lssc/",
      "https://EXAMPLE.org:443/lssc#top",
      "https://example.org/lssc?utm_source=newsletter&fbclid=abc",
    ];
    expect(new Set(same.map(normalizeUrl))).toEqual(new Set(["example.org/lssc"]));
  });
  it("keeps what changes the page: path case, other parameters (sorted), other ports", () => {
    expect(normalizeUrl("https://example.org/PLA")).toBe("example.org/PLA");
    expect(normalizeUrl("https://example.org/p?b=2&a=1")).toBe("example.org/p?a=1&b=2");
    expect(normalizeUrl("https://example.org:8080/p")).toBe("example.org:8080/p");
  });
  it("refuses what is not an http(s) address", () => {
    for (const bad of ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org/x", "not a url", ""]) expect(normalizeUrl(bad)).toBeNull();
  });
});

describe("urlsIn", () => {
  it("finds each address once, without trailing punctuation or Markdown brackets", () => {
    expect(urlsIn("See [the guide](https://a.example.org/g). Also https://b.example.org/x, and https://a.example.org/g!")).toEqual([
      "https://a.example.org/g",
      "https://b.example.org/x",
    ]);
  });

  it("keeps balanced parentheses in an address and drops the sentence's own", () => {
    expect(urlsIn("(see https://example.org/a_(b))")).toEqual(["https://example.org/a_(b)"]);
    expect(urlsIn("The list is at https://example.org/weeding. Thanks!")).toEqual(["https://example.org/weeding"]);
    expect(urlsIn("Wikipedia: https://en.wikipedia.org/wiki/CREW_(weeding)?")).toEqual(["https://en.wikipedia.org/wiki/CREW_(weeding)"]);
    expect(urlsIn("Also www.ala.org/pla, not mailto:a@example.org or ftp://example.org/x")).toEqual(["http://www.ala.org/pla"]);
  });
});

describe("the resource address field", () => {
  it("reads an address typed without https:// as https", () => {
    const parsed = parseInput(ResourceSchema, { title: "PLA", url: "ala.org/pla", abstract: "x".repeat(60), type: "association", tagIds: ["1"] });
    expect(parsed.ok && parsed.data.url).toBe("https://ala.org/pla");
    const bad = parseInput(ResourceSchema, { title: "PLA", url: "javascript:alert(1)", abstract: "x".repeat(60), type: "association", tagIds: ["1"] });
    expect(bad.ok).toBe(false);
  });
});
