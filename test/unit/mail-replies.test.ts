// Reply extraction (issue 17) on the corpus of real-client shapes in
// test/fixtures/mail-replies/: every case sent through mailparser as the
// server receives it, then app/lib/mail-reply.ts. A known miss stays in the
// corpus, marked, and this test holds it to still being a miss: when a change
// fixes one, drop its `miss:` line.
import { describe, expect, it } from "vitest";
import { replyText } from "~/lib/mail-reply";
import { asReceived, loadCorpus } from "../fixtures/mail-replies/corpus.mjs";

const corpus = loadCorpus();

describe("the corpus", () => {
  it("covers at least 80 shapes, every client family and language the issue names", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(80);
    const families = new Set(corpus.map((c) => c.family));
    for (const f of ["gmail", "apple", "outlook", "thunderbird", "yahoo", "yandex", "mailru", "windows-mail", "android", "listserv"])
      expect(families).toContain(f);
    const languages = new Set(corpus.map((c) => c.language));
    for (const l of ["en", "es", "fr", "de", "nl", "it", "pt", "pl", "sv", "no", "da", "ru", "zh", "ja"]) expect(languages).toContain(l);
    const shapes = new Set(corpus.map((c) => c.shape));
    for (const s of ["top", "bottom", "inline", "signature", "trap"]) expect(shapes).toContain(s);
  });
});

describe("what the member wrote, by client", () => {
  it.each(corpus.map((c) => [`${c.id} (${c.family}, ${c.language}, ${c.shape})`, c] as const))("%s", async (_name, c) => {
    const got = replyText(await asReceived(c));
    if (c.miss) expect(got, `known miss now passes: drop its "miss:" line (${c.miss})`).not.toBe(c.expected);
    else expect(got).toBe(c.expected);
  });
});

describe("hostile input", () => {
  const megabyte = (line: string) => line.repeat(Math.ceil((1024 * 1024) / line.length));
  it.each([
    ["attribution look-alikes", "On Mon, 23 Nov 2026 a b c d e f g h i j k l m n o p q r s t u v w x y z wrote x:\n"],
    ["header keys", "From: a\nSent: b\nTo: c\n"],
    ["one long line", `${"On 1 a ".repeat(200_000)}wrote:`],
    ["quotes and answers", "> q 1\na\n"],
    ["closings", "Best,\nRosa\n"],
    ["spaces", " ".repeat(1024 * 1024)],
  ])(
    "a megabyte of %s returns, reading at most 64 KB",
    (_name, line) => {
      const out = replyText({ text: megabyte(line) });
      // 64 KB read; inline answers gain a blank line around each quote.
      expect(out.length).toBeLessThanOrEqual(2 * 64 * 1024);
    },
    5000,
  );

  it("deeply nested and huge HTML returns", () => {
    const nested = `${"<blockquote><div>".repeat(20_000)}deep${"</div></blockquote>".repeat(20_000)}`;
    expect(replyText({ text: "", html: nested }).length).toBeLessThanOrEqual(64 * 1024);
    const wide = `<div>Answer</div>${'<div class="gmail_quote"><blockquote>q</blockquote></div>'.repeat(30_000)}`;
    expect(replyText({ text: "", html: wide })).toBe("Answer");
  }, 5000);

  it("keeps the new text above a huge quoted history", () => {
    const text = `Short answer.\n\nOn Mon, Nov 23, 2026 at 9:00 AM Rosa <rosa@example.org> wrote:\n${"> old line\n".repeat(50_000)}`;
    expect(replyText({ text })).toBe("Short answer.");
  });
});
