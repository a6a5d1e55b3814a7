// A short-lived cache of the pages guests see (no session cookie, no API
// token), as Discourse's anonymous cache does: most readers are not logged in,
// and a thread page with 200 replies is expensive to render. Any domain event
// a guest could see clears it: the event dispatcher hands every process each
// event committed anywhere (server/event-dispatcher.ts: at once for this
// process's writes, within a poll for other processes').
// Members are never served from it.
//
// Every response carries its own Content-Security-Policy nonce, cached or not.
// A stored page is kept as the pieces between the occurrences of the nonce it
// was rendered with; a hit joins them with this response's nonce. That nonce
// was drawn at random (128 bits) for the render, after every post on the page
// was written, so no member's text can contain it: only the nonce attributes
// Remix wrote are found, and nothing a member wrote is ever rewritten.
//
// Hits are sent compressed when the request accepts it, but never compressed
// per hit: an entry is compressed once per encoding, on the first hit that
// asks for it (later hits wait for that one), and kept with the entry, in a
// form that takes each hit's nonce (server/compressed-pages.ts).
import { parse as parseCookies } from "cookie";
import type { RequestHandler, Response } from "express";
import { LRUCache } from "lru-cache";
import type { DomainEvent } from "~/lib/events.server";
import { logger } from "~/lib/logger.server";
import { compressPage, withNonce, type CompressedPage } from "./compressed-pages";
import { CACHED_LEVELS, MIN_COMPRESS_BYTES, negotiateEncoding, sendUncompressed, varyOnAcceptEncoding, type Encoding } from "./compression";

/**
 * A stored response: its headers and its body, each split at the nonce it
 * was rendered with (`nonceLength` bytes), and its compressed forms once made.
 */
type Entry = {
  headers: [string, string[]][];
  parts: Buffer[];
  size: number;
  nonceLength: number;
  /** Per encoding: being made, made, or null (sent as it is). */
  compressed: Partial<Record<Encoding, Promise<CompressedPage | null> | CompressedPage | null>>;
  bytes: number;
};

const SKIP_HEADERS = new Set(["x-request-id", "set-cookie", "date", "connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"]);
const MAX_BODY_BYTES = 2 * 1024 * 1024;

// Events that change nothing a guest can see.
const INVISIBLE_TO_GUESTS = new Set<DomainEvent["type"]>([
  // Flags and the review queue (what moderators do to posts comes as post events).
  "moderation.changed",
  "notification.created",
  "notifications.read",
  "session.ended",
  "member.access_changed",
  // A portfolio is private: no guest page shows it.
  "portfolio.verification_requested",
  "portfolio.verification_decided",
]);

/** `body` cut at every occurrence of `nonce` (one piece when it has none). */
export function splitAtNonce(body: Buffer, nonce: string): Buffer[] {
  if (!nonce) return [body];
  const needle = Buffer.from(nonce);
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(needle, from); at !== -1; at = body.indexOf(needle, from)) {
    parts.push(body.subarray(from, at));
    from = at + needle.length;
  }
  parts.push(body.subarray(from));
  return parts;
}

/** The stored pieces joined with this response's nonce. */
export function joinWithNonce(parts: Buffer[], nonce: string): Buffer {
  if (parts.length === 1) return parts[0];
  const glue = Buffer.from(nonce);
  return Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [part] : [glue, part])));
}

export type GuestCache = RequestHandler & { clear(): void; onEvent(event: DomainEvent): void };

/**
 * The middleware, `clear`, and `onEvent` for the event dispatcher to call with every domain event. At most
 * `maxEntries` pages and `maxBytes` bytes (bodies and headers) are kept; the
 * least recently used go first.
 */
export function guestCache({ ttlMs, maxEntries = 500, maxBytes = 64 * 1024 * 1024 }: { ttlMs: number; maxEntries?: number; maxBytes?: number }): GuestCache {
  // Room for a page of the largest size kept and its compressed forms.
  const maxEntrySize = Math.min(maxBytes, 2 * MAX_BODY_BYTES + 64 * 1024);
  const entries = new LRUCache<string, Entry>({
    max: maxEntries,
    maxSize: maxBytes,
    maxEntrySize,
    sizeCalculation: (entry, key) => entry.bytes + key.length,
    ttl: Math.max(ttlMs, 1),
  });
  let generation = 0;
  const clear = () => {
    generation++;
    entries.clear();
  };
  const onEvent = (event: DomainEvent) => {
    if (!INVISIBLE_TO_GUESTS.has(event.type)) clear();
  };

  /** Makes the entry's `encoding` form, once; hits meanwhile wait for it. */
  const compress = (key: string, entry: Entry, encoding: Encoding): Promise<CompressedPage | null> => {
    const making = compressPage(entry.parts, entry.nonceLength, encoding, CACHED_LEVELS[encoding])
      .catch((err: unknown) => {
        logger.warn({ err }, "compressing a cached page failed");
        return null;
      })
      .then((page) => {
        entry.compressed[encoding] = null;
        if (!page) {
          logger.warn({ path: key.split("?")[0], encoding }, "a cached page could not be compressed; it is sent uncompressed");
          return null;
        }
        // Counted against the cache's memory; one too big to keep with its page serves the hits waiting now only.
        if (entry.bytes + page.bytes + key.length > maxEntrySize) return page;
        entry.compressed[encoding] = page;
        entry.bytes += page.bytes;
        if (entries.peek(key) === entry) entries.set(key, entry, { noUpdateTTL: true });
        return page;
      });
    entry.compressed[encoding] = making;
    return making;
  };

  const middleware: RequestHandler = (req, res, next) => {
    // The same cookie parser Remix uses decides who is a guest: a request that
    // Remix would treat as signed in is never served from, or stored in, the cache.
    const signedIn = req.headers.cookie ? "paranet_session" in parseCookies(req.headers.cookie) : false;
    if (ttlMs <= 0 || req.method !== "GET" || req.headers.authorization !== undefined || signedIn) {
      return next();
    }
    const key = req.originalUrl;
    // This response's nonce, drawn by securityHeaders (which also sent its CSP).
    const nonce = String(res.locals.cspNonce ?? "");
    const hit = entries.get(key);
    if (hit) {
      const encoding = hit.size >= MIN_COMPRESS_BYTES ? negotiateEncoding(req.headers["accept-encoding"]) : null;
      const made = encoding ? hit.compressed[encoding] : null;
      if (made === undefined || made instanceof Promise) {
        (made ?? compress(key, hit, encoding!)).then(
          (page) => sendHit(res, hit, nonce, page),
          () => sendHit(res, hit, nonce, null),
        );
        return;
      }
      return sendHit(res, hit, nonce, made);
    }

    const startedAt = generation;
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function") return;
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
      size += buffer.length;
      if (size <= MAX_BODY_BYTES) chunks.push(buffer);
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0]);
      const cacheControl = String(res.getHeader("cache-control") ?? "");
      const type = String(res.getHeader("content-type") ?? "");
      const cacheable =
        res.statusCode === 200 &&
        startedAt === generation && // nothing changed while it rendered
        size <= MAX_BODY_BYTES &&
        !res.getHeader("set-cookie") &&
        !/no-store|private/.test(cacheControl) &&
        /^(text\/html|application\/json|application\/(rss|atom)\+xml)/.test(type);
      if (cacheable) {
        const headers = Object.entries(res.getHeaders())
          .filter(([name]) => !SKIP_HEADERS.has(name))
          .map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : String(value)] as const)
          .map(([name, value]) => [name, nonce ? value.split(nonce) : [value]] as [string, string[]]);
        const parts = splitAtNonce(Buffer.concat(chunks), nonce);
        const bytes = size + headers.reduce((n, [name, pieces]) => n + name.length + pieces.join("").length + 24, 0);
        entries.set(key, { headers, parts, size, nonceLength: Buffer.byteLength(nonce), compressed: {}, bytes });
      }
      return end(chunk, ...rest);
    }) as typeof res.end;
    res.setHeader("X-Cache", "miss");
    next();
  };
  return Object.assign(middleware, { clear, onEvent });
}

/** A stored response with this response's nonce: compressed as `page` says, or as it is. */
function sendHit(res: Response, hit: Entry, nonce: string, page: CompressedPage | null) {
  res.statusCode = 200;
  // The Content-Security-Policy header too: it names the nonce.
  for (const [name, pieces] of hit.headers) res.setHeader(name, pieces.join(nonce));
  res.setHeader("X-Cache", "hit");
  varyOnAcceptEncoding(res);
  sendUncompressed(res);
  const nonceBytes = Buffer.from(nonce);
  if (page && (page.pieces.length === 1 || nonceBytes.length === page.nonceLength)) {
    res.setHeader("Content-Encoding", page.encoding);
    res.end(Buffer.concat(withNonce(page, nonceBytes)));
  } else {
    res.end(joinWithNonce(hit.parts, nonce));
  }
}
