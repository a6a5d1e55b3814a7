// Text parts as format=flowed (RFC 3676, app/lib/flowed.ts): wrapped at 78,
// read back exactly, quotes and signatures kept.
import { describe, expect, it } from "vitest";
import { fromFlowed, toFlowed } from "~/lib/flowed";

describe("format=flowed", () => {
  it("wraps long paragraphs at 78 characters with soft breaks, and reads them back as written", () => {
    const paragraph = "We weed the 500s every spring and keep anything that a teacher asked for in the last two years, which is most of the biology shelf.";
    const text = `${paragraph}\n\nShort line.\n\n> ${paragraph}\n-- \nRosa, Lincoln Elementary\nhttps://example.org/${"a".repeat(90)}`;
    const flowed = toFlowed(text);
    for (const line of flowed.split("\n")) if (!line.includes("https://")) expect(line.length, line).toBeLessThanOrEqual(79);
    expect(flowed.split("\n").filter((l) => l.startsWith("> ")).length).toBeGreaterThan(1);
    expect(flowed).toContain("\n-- \n");
    expect(fromFlowed(flowed)).toBe(text);
  });

  it("space-stuffs lines that begin with a space or From, and drops trailing spaces that would join lines", () => {
    expect(toFlowed("From the desk:\n indented\nends with space   \nnext")).toBe(" From the desk:\n  indented\nends with space\nnext");
    expect(fromFlowed(toFlowed("From the desk:\n indented"))).toBe("From the desk:\n indented");
  });
});
