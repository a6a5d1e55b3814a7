// Rendering pages: the bytes React sends, and headings placed under the page's own.
// React 18's server renderer wrote its whole 2 KB buffer when a character
// did not fit at its end, so the unwritten bytes went out as NUL characters
// (seen on /me/settings/email: "ParaNet \0— by and for…"). patches/react-dom
// writes only what was written; this renders text that puts a multi-byte
// character at every position across that boundary.
import { Writable } from "node:stream";
import { createElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";

function render(text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
      final(done) {
        resolve(Buffer.concat(chunks));
        done();
      },
    });
    // Many small pieces, as a page is: they fill the buffer a few bytes at a time.
    const items = Array.from({ length: 120 }, (_, i) => createElement("li", { key: i }, text));
    const stream = renderToPipeableStream(createElement("ul", null, items), {
      onAllReady: () => stream.pipe(sink),
      onError: reject,
    });
  });
}

describe("server rendering", () => {
  it("never sends NUL bytes when a multi-byte character meets the end of the renderer's buffer", async () => {
    for (let pad = 0; pad < 60; pad++) {
      const text = `${"b".repeat(pad)}ParaNet — by and for support staff 📚 é`;
      const html = await render(text);
      expect(html.indexOf(0), `padding ${pad}`).toBe(-1);
      expect(html.toString("utf8")).toContain(text);
    }
  });
});

describe("headingsFrom", () => {
  it("moves a text's headings so the highest is the level asked for, keeping their order", async () => {
    const { headingsFrom } = await import("~/lib/html");
    expect(headingsFrom("<h4>Identify yourself</h4><p>x</p><h5>Why</h5>", 2)).toBe("<h2>Identify yourself</h2><p>x</p><h3>Why</h3>");
    expect(headingsFrom('<h4 id="a">A</h4>', 3)).toBe('<h3 id="a">A</h3>');
    expect(headingsFrom("<p>No headings</p>", 2)).toBe("<p>No headings</p>");
    expect(headingsFrom("<h3>a</h3><h6>b</h6>", 4)).toBe("<h4>a</h4><h6>b</h6>");
  });
});
