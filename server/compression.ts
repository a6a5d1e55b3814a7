// Compressed responses (issue 16): brotli or gzip, as the request's
// Accept-Encoding allows, for pages, JSON, feeds and other text.
//
// - Dynamic responses are compressed as they stream, at cheap levels
//   (DYNAMIC_LEVELS): this is a CPU-bound box, and a member's page is
//   compressed once per request. bench/RESULTS.md has the figures.
// - Guests' cached pages are compressed once per cache entry, not per hit
//   (server/guest-cache.ts, server/compressed-pages.ts).
// - Built browser assets are compressed once at build time
//   (scripts/precompress.mjs) and served here as they are.
//
// Left alone: HEAD, 204/206/304, bodies under MIN_COMPRESS_BYTES, types that
// are compressed already (images, fonts), event streams (they must flush),
// responses that say `no-transform` or already have a Content-Encoding.
// socket.io answers its own requests before Express sees them.
import fs from "node:fs";
import type { ServerResponse } from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import type { RequestHandler, Response } from "express";

export type Encoding = "br" | "gzip";

/** Below this a compressed body saves too little to pay for the work (and a gzip header). */
export const MIN_COMPRESS_BYTES = 1024;

// React writes a page in hundreds of small chunks, and each write to a
// compressor is a call into the thread pool: brotli 4 on a 54 KiB page costs
// 5 ms in 256-byte writes, 0.7 ms in 64 KiB ones. Chunks are gathered first.
const BATCH_BYTES = 64 * 1024;

/**
 * Levels for responses compressed per request. On the 200-reply thread page
 * brotli 4 takes about half the time of brotli 5 for 8% more bytes, gzip 4
 * a third of gzip 6's for 5% more (bench/RESULTS.md, issue 16).
 */
export const DYNAMIC_LEVELS: Record<Encoding, number> = { br: 4, gzip: 4 };

/** Levels for guests' cached pages: compressed once per cache entry and sent many times, so more work pays. */
export const CACHED_LEVELS: Record<Encoding, number> = { br: 5, gzip: 6 };

// Text we send: HTML, JSON, feeds and other XML, JavaScript, CSS, SVG. Not event streams.
const COMPRESSIBLE = /^\s*(text\/(?!event-stream)|application\/(json|javascript|ecmascript|xml|[\w.-]+\+(json|xml))\b|image\/svg\+xml)/i;

export const isCompressibleType = (contentType: unknown) => COMPRESSIBLE.test(String(contentType ?? ""));

/**
 * The encoding to send for an Accept-Encoding header: the one of `available`
 * with the highest q (br on a tie), or null (identity). `q=0` refuses; `*`
 * stands for any encoding not named; a malformed entry is ignored.
 */
export function negotiateEncoding(header: string | string[] | undefined, available: readonly Encoding[] = ["br", "gzip"]): Encoding | null {
  if (!header) return null;
  const q: Partial<Record<Encoding | "*", number>> = {};
  for (const entry of String(header).split(",")) {
    const [rawName, ...params] = entry.split(";");
    const name = rawName.trim().toLowerCase();
    const key = name === "x-gzip" ? "gzip" : name;
    if (key !== "br" && key !== "gzip" && key !== "*") continue;
    let weight = 1;
    for (const param of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
      if (m && /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(m[1])) weight = Number(m[1]);
      else if (/^\s*q\s*=/i.test(param)) weight = NaN; // a q we cannot read: ignore the entry
    }
    if (!Number.isNaN(weight)) q[key] = Math.max(q[key] ?? 0, weight);
  }
  const weightOf = (encoding: Encoding) => (available.includes(encoding) ? (q[encoding] ?? q["*"] ?? 0) : 0);
  const br = weightOf("br");
  const gzip = weightOf("gzip");
  if (br <= 0 && gzip <= 0) return null;
  return br >= gzip ? "br" : "gzip";
}

/** Adds Accept-Encoding to Vary (once). */
export function varyOnAcceptEncoding(res: ServerResponse) {
  const current = res.getHeader("vary");
  const value = Array.isArray(current) ? current.join(", ") : String(current ?? "");
  if (value.trim() === "*" || /(^|,)\s*accept-encoding\s*(,|$)/i.test(value)) return;
  res.setHeader("Vary", value.trim() ? `${value}, Accept-Encoding` : "Accept-Encoding");
}

/**
 * A compressor for `encoding` at `level`. Brotli's window is sized to the
 * body when its size is known, else 1 MiB: its default, 4 MiB, is allocated
 * per response and cost a member's thread page 3 to 7 ms more CPU than 1 MiB
 * (the same bytes for any page under 1 MiB).
 */
export function createEncoder(encoding: Encoding, level: number, sizeHint?: number, brotliParams: Record<number, number> = {}): Encoder {
  if (encoding === "gzip") return zlib.createGzip({ level });
  const known = sizeHint && sizeHint > 0 ? Math.min(sizeHint, 2 ** 30) : 0;
  const params: Record<number, number> = {
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    [zlib.constants.BROTLI_PARAM_QUALITY]: level,
    [zlib.constants.BROTLI_PARAM_LGWIN]: known ? Math.min(22, Math.max(16, Math.ceil(Math.log2(known)))) : 20,
    ...brotliParams,
  };
  if (known) params[zlib.constants.BROTLI_PARAM_SIZE_HINT] = known;
  return zlib.createBrotliCompress({ params });
}

// Responses another part of the server has already settled (a cached page sent as stored).
export const sendUncompressed = (res: Response) => {
  res.locals.leaveUncompressed = true;
};
const leftAlone = (res: Response) => res.locals.leaveUncompressed === true;

type Encoder = zlib.BrotliCompress | zlib.Gzip;
type WriteCallback = (error?: Error | null) => void;
type Held = { data: Buffer; callback?: WriteCallback };

const toBuffer = (chunk: unknown, encoding?: unknown) =>
  Buffer.isBuffer(chunk)
    ? chunk
    : chunk instanceof Uint8Array
      ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) // a view, not a copy
      : Buffer.from(String(chunk), typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");

/**
 * The middleware. It holds the first MIN_COMPRESS_BYTES of a body, so that it
 * knows whether the body is small before it decides (most bodies here stream
 * without a Content-Length); then it either compresses everything or passes
 * everything through. It never adds `res.flush`: Remix flushes after every
 * chunk when there is one, and a flush per chunk would ruin the ratio.
 */
export function compression(): RequestHandler {
  return (req, res, next) => {
    if (req.method === "HEAD") return next();
    const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    const on = res.on.bind(res);
    let decided = false;
    let encoder: Encoder | null = null;
    let held: Held[] = [];
    let heldBytes = 0;

    const chooseEncoding = (ending: boolean): Encoding | null => {
      if (res.headersSent || leftAlone(res) || !isCompressibleType(res.getHeader("content-type"))) return null;
      varyOnAcceptEncoding(res);
      const status = res.statusCode;
      if (status < 200 || status === 204 || status === 206 || status === 304) return null;
      if (res.getHeader("content-encoding") || /\bno-transform\b/i.test(String(res.getHeader("cache-control") ?? ""))) return null;
      if (ending && heldBytes < MIN_COMPRESS_BYTES) return null;
      return negotiateEncoding(req.headers["accept-encoding"]);
    };

    /** Settles, once, whether this body is compressed: its encoder, or null. */
    const decide = (ending: boolean): Encoder | null => {
      decided = true;
      const encoding = chooseEncoding(ending);
      if (!encoding) return null;
      const stream = createEncoder(encoding, DYNAMIC_LEVELS[encoding], Number(res.getHeader("content-length")) || undefined);
      res.setHeader("Content-Encoding", encoding);
      res.removeHeader("Content-Length");
      stream.on("data", (chunk: Buffer) => {
        if (!write(chunk)) stream.pause();
      });
      on("drain", () => stream.resume());
      stream.on("error", (err) => res.destroy(err));
      // A client that went away: stop compressing for it.
      on("close", () => stream.destroy());
      encoder = stream;
      return stream;
    };

    /** What was held, as one chunk with one callback. */
    const release = (): Held => {
      const data = held.length === 1 ? held[0].data : Buffer.concat(held.map((h) => h.data));
      const callbacks = held.flatMap((h) => (h.callback ? [h.callback] : []));
      held = [];
      heldBytes = 0;
      return { data, callback: callbacks.length ? (err) => callbacks.forEach((cb) => cb(err)) : undefined };
    };

    res.write = ((chunk: unknown, encodingOrCallback?: unknown, maybeCallback?: unknown) => {
      if (!decided && (leftAlone(res) || !isCompressibleType(res.getHeader("content-type")))) decide(false);
      if (decided && !encoder) return write(chunk, encodingOrCallback, maybeCallback);
      const callback = (typeof encodingOrCallback === "function" ? encodingOrCallback : maybeCallback) as WriteCallback | undefined;
      const data = toBuffer(chunk, encodingOrCallback);
      held.push({ data, callback });
      heldBytes += data.length;
      if (heldBytes < (encoder ? BATCH_BYTES : MIN_COMPRESS_BYTES)) return true;
      const stream = encoder ?? decide(false);
      const pending = release();
      return stream ? stream.write(pending.data, pending.callback) : write(pending.data, pending.callback);
    }) as typeof res.write;

    res.end = ((chunk?: unknown, encodingOrCallback?: unknown, maybeCallback?: unknown) => {
      if (!decided && !held.length && (leftAlone(res) || !isCompressibleType(res.getHeader("content-type")))) decide(true);
      if (decided && !encoder) return end(chunk, encodingOrCallback, maybeCallback);
      const callback = [chunk, encodingOrCallback, maybeCallback].find((a) => typeof a === "function") as WriteCallback | undefined;
      const data = chunk === undefined || chunk === null || typeof chunk === "function" ? null : toBuffer(chunk, encodingOrCallback);
      held.push({ data: data ?? Buffer.alloc(0), callback });
      heldBytes += data?.length ?? 0;
      const stream = encoder ?? decide(true);
      const last = release();
      // Small, or not to be compressed: as one chunk, so Node sends a Content-Length.
      if (!stream) return last.data.length ? end(last.data, last.callback) : end(last.callback);
      stream.once("end", () => end());
      stream.end(last.data, last.callback);
      return res;
    }) as typeof res.end;

    // Whoever waits for 'drain' after a refused write waits for the compressor's.
    res.on = ((event: string, listener: (...args: unknown[]) => void) => {
      if (event === "drain" && encoder) {
        encoder.on("drain", listener);
        return res;
      }
      return on(event, listener);
    }) as typeof res.on;

    next();
  };
}

/**
 * Serves a built asset's precompressed copy (`file.br`, `file.gz`, written
 * by scripts/precompress.mjs) when the request accepts it, with the asset's
 * own Content-Type and the same caching as the asset. Anything else goes on
 * to express.static.
 */
export function precompressedAssets(root: string, options: { maxAge: string; immutable: boolean }): RequestHandler {
  const base = path.resolve(root);
  // Per asset, which copies exist and are no older than it. Built assets are
  // named by their content hash, so the answer holds while the server runs.
  const copies = new Map<string, Promise<Record<Encoding, boolean>>>();
  const lookUp = async (file: string): Promise<Record<Encoding, boolean>> => {
    const original = await fs.promises.stat(file);
    if (!original.isFile()) return { br: false, gzip: false };
    const fresh = async (copy: string) => {
      const stat = await fs.promises.stat(copy).catch(() => null);
      return stat !== null && stat.mtimeMs >= original.mtimeMs;
    };
    return { br: await fresh(`${file}.br`), gzip: await fresh(`${file}.gz`) };
  };

  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    if (!negotiateEncoding(req.headers["accept-encoding"])) return next();
    let relative: string;
    try {
      relative = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    const file = path.join(base, relative);
    if (relative.includes("\0") || !file.startsWith(base + path.sep) || /\.(br|gz)$/.test(file)) return next();
    let found = copies.get(file);
    if (!found) {
      found = lookUp(file);
      // Only assets that exist are remembered (a stream of 404s must not grow the map).
      found.then(() => copies.size < 10_000 && copies.set(file, found!)).catch(() => undefined);
    }
    found.then(
      (has) => {
        const chosen = negotiateEncoding(
          req.headers["accept-encoding"],
          (["br", "gzip"] as const).filter((e) => has[e]),
        );
        if (!chosen) return next();
        res.type(path.extname(file));
        res.setHeader("Content-Encoding", chosen);
        varyOnAcceptEncoding(res);
        res.sendFile(`${file}${chosen === "br" ? ".br" : ".gz"}`, { ...options, acceptRanges: false }, (err) => {
          if (err && !res.headersSent) {
            res.removeHeader("Content-Encoding");
            next();
          }
        });
      },
      () => next(),
    );
  };
}
