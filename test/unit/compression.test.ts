// Accept-Encoding negotiation.
import { describe, expect, it } from "vitest";
import { negotiateEncoding } from "../../server/compression";

describe("negotiateEncoding", () => {
  it("takes the highest q among br and gzip, br on a tie, and honours q=0 and *", () => {
    const cases: [string | undefined, string | null][] = [
      [undefined, null],
      ["", null],
      ["identity", null],
      ["gzip, deflate, br, zstd", "br"],
      ["gzip", "gzip"],
      ["br;q=0.1, gzip;q=0.9", "gzip"],
      ["br;q=0.9, gzip;q=0.9", "br"],
      ["br;q=0", null],
      ["br;q=0, gzip;q=0.001", "gzip"],
      ["*", "br"],
      ["*;q=0.5, gzip", "gzip"],
      ["*;q=0, identity", null],
      ["gzip;q=0, *", "br"],
      ["x-gzip", "gzip"],
      [" GZIP ; Q=0.5 ", "gzip"],
      ["br;q=1.000", "br"],
      // Malformed weights are ignored with their entry, not read as 1.
      ["br;q=2, gzip", "gzip"],
      ["br;q=0.0001, gzip", "gzip"],
      ["br;q=, gzip;q=abc", null],
      [",,;;", null],
    ];
    for (const [header, expected] of cases) expect(negotiateEncoding(header), String(header)).toBe(expected);
    expect(negotiateEncoding("gzip, br", ["gzip"])).toBe("gzip");
    expect(negotiateEncoding("br", ["gzip"])).toBeNull();
  });
});
