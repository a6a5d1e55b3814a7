// Accept-Encoding negotiation, cached pages compressed once with a slot for
// each response's nonce (server/compressed-pages.ts), and what the guest
// cache keeps of them, in a real Express server on a real port.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { compressPage, standIns, withNonce } from "../../server/compressed-pages";
import { negotiateEncoding } from "../../server/compression";
import { guestCache } from "../../server/guest-cache";

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

const nonce = () => Buffer.from(randomBytes(16).toString("base64"));
const decode = (encoding: string, body: Buffer) => (encoding === "br" ? zlib.brotliDecompressSync(body) : zlib.gunzipSync(body));
const join = (parts: Buffer[], glue: Buffer) => Buffer.concat(parts.flatMap((p, i) => (i ? [glue, p] : [p])));

/** Page-like text: markup, words in several scripts, repeats (so there is something to match), and JSON. */
function pageText(rng: () => number, size: number): string {
  const words = [
    "shelf",
    "weeding",
    '<p class="reply">',
    "</p>",
    "&amp;",
    "Bücherei",
    "図書館",
    "библиотека",
    "📚",
    '{"id":12,"body":"',
    "\\u003c",
    "\n",
    "  ",
  ];
  let out = "";
  while (out.length < size) out += words[Math.floor(rng() * words.length)] + (rng() < 0.3 ? String(Math.floor(rng() * 1000)) : " ");
  return out;
}
function seeded(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

describe("compressPage", () => {
  it("decodes, with any nonce, to the page with that nonce, wherever and however often the nonce was", async () => {
    const rng = seeded(16);
    const shapes = [0, 1, 3, 7]; // nonces per page
    for (const count of shapes) {
      for (const [encoding, level] of [
        ["br", 4],
        ["br", 5],
        ["gzip", 4],
        ["gzip", 6],
      ] as const) {
        // Parts of every size, some empty: nonces at the start, at the end, next to each other.
        const parts = Array.from({ length: count + 1 }, (_, i) =>
          Buffer.from(i === 0 && count > 2 ? "" : pageText(rng, [0, 10, 3000, 40_000][Math.floor(rng() * 4)])),
        );
        const page = await compressPage(parts, 24, encoding, level);
        expect(page, `${count} ${encoding}`).not.toBeNull();
        for (let i = 0; i < 3; i++) {
          const fresh = nonce();
          const body = Buffer.concat(withNonce(page!, fresh));
          expect(decode(encoding, body).equals(join(parts, fresh)), `${count} nonces, ${encoding} ${level}`).toBe(true);
        }
      }
    }
  });

  it("compresses as well as compressing the page whole", async () => {
    const parts = [Buffer.from(pageText(seeded(1), 100_000)), Buffer.from(pageText(seeded(2), 2_000)), Buffer.from(pageText(seeded(3), 100_000))];
    const page = await compressPage(parts, 24, "br", 5);
    const whole = zlib.brotliCompressSync(join(parts, nonce()), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } });
    expect(Buffer.concat(withNonce(page!, nonce())).length).toBeLessThan(whole.length * 1.02);
  });

  it("uses stand-ins no page byte matches, and gives up (null: send it uncompressed) when a page leaves too few", async () => {
    const fillers = standIns([Buffer.from("plain text")], 40, 24)!;
    expect(fillers).toHaveLength(40);
    const pairs = new Set<string>();
    for (const filler of fillers) {
      for (let i = 1; i < filler.length; i++) pairs.add(`${filler[i - 1]},${filler[i]}`);
    }
    expect(pairs.size).toBe(40 * 23); // no pair of adjacent bytes twice: nothing to copy from
    expect(standIns([Buffer.from("x")], 41, 24)).toBeNull();

    // A page holding a few of those bytes still works, with the others.
    const someControls = [Buffer.from("a\u0001b\u0002c\u001f" + "text ".repeat(500)), Buffer.from("more")];
    const page = await compressPage(someControls, 24, "br", 4);
    const fresh = nonce();
    expect(decode("br", Buffer.concat(withNonce(page!, fresh))).equals(join(someControls, fresh))).toBe(true);

    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(await compressPage([everyByte, Buffer.from("tail")], 24, "gzip", 6)).toBeNull();
    // Without a nonce in it, any body compresses.
    const plain = await compressPage([everyByte], 24, "gzip", 6);
    expect(decode("gzip", Buffer.concat(withNonce(plain!, nonce()))).equals(everyByte)).toBe(true);
  });
});

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function get(base: string, path: string, headers: Record<string, string> = {}): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(base + path, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

describe("the guest cache's compressed pages", () => {
  it("count against its memory: a page that fits only uncompressed stays cached and is sent uncompressed", async () => {
    const app = express();
    app.use((_req, res, next) => {
      res.locals.cspNonce = randomBytes(16).toString("base64");
      next();
    });
    app.use(guestCache({ ttlMs: 60_000, maxBytes: 5000 }));
    // Nearly incompressible: its brotli form is most of its size again.
    const text = randomBytes(2400).toString("base64");
    app.get("/page", (_req, res) => res.type("text/html").send(`<script nonce="${res.locals.cspNonce}"></script>${text}`));
    const server = http.createServer(app);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const br = { "Accept-Encoding": "br" };
    expect((await get(base, "/page", br)).headers["x-cache"]).toBe("miss");
    const first = await get(base, "/page", br);
    expect(first.headers["x-cache"]).toBe("hit");
    expect(first.headers["content-encoding"]).toBe("br"); // made for it, but too big to keep
    expect(zlib.brotliDecompressSync(first.body).toString()).toContain(text);
    for (let i = 0; i < 3; i++) {
      const later = await get(base, "/page", br);
      expect(later.headers["x-cache"]).toBe("hit"); // the page itself is still kept
      expect(later.headers["content-encoding"]).toBeUndefined();
      expect(later.body.toString()).toContain(text);
    }
  });
});
