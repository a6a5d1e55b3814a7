// A short-lived cache of the pages guests see (no session cookie, no API
// token), as Discourse's anonymous cache does: most readers are not logged in,
// and a thread page with 200 replies is expensive to render. Any domain event
// clears it at once in this process, and in the others through Redis when
// REDIS_URL is set (without it the TTL bounds their staleness).
// Members are never served from it.
import { parse as parseCookies } from "cookie";
import type { RequestHandler } from "express";
import { subscribe, type DomainEvent } from "~/lib/events.server";

type Entry = { status: number; headers: [string, string][]; body: Buffer; expires: number };

const SKIP_HEADERS = new Set(["x-request-id", "set-cookie", "date", "connection", "keep-alive", "transfer-encoding", "content-length"]);
const MAX_BODY_BYTES = 2 * 1024 * 1024;

// Events that change nothing a guest can see.
const INVISIBLE_TO_GUESTS = new Set<DomainEvent["type"]>([
  // Flags and the review queue (what moderators do to posts comes as post events).
  "moderation.changed",
  "mail.queued",
  "notification.created",
  "notifications.read",
  "session.ended",
  "member.access_changed",
]);

/** The middleware, and `clear` for changes reported by other processes. */
export function guestCache({ ttlMs, maxEntries = 500 }: { ttlMs: number; maxEntries?: number }): RequestHandler & { clear(): void } {
  const entries = new Map<string, Entry>();
  let generation = 0;
  const clear = () => {
    generation++;
    entries.clear();
  };
  subscribe((event) => {
    if (!INVISIBLE_TO_GUESTS.has(event.type)) clear();
  });

  const middleware: RequestHandler = (req, res, next) => {
    // The same cookie parser Remix uses decides who is a guest: a request that
    // Remix would treat as signed in is never served from, or stored in, the cache.
    const signedIn = req.headers.cookie ? "paranet_session" in parseCookies(req.headers.cookie) : false;
    if (ttlMs <= 0 || req.method !== "GET" || req.headers.authorization !== undefined || signedIn) {
      return next();
    }
    const key = req.originalUrl;
    const hit = entries.get(key);
    if (hit && hit.expires > Date.now()) {
      res.status(hit.status);
      for (const [name, value] of hit.headers) res.setHeader(name, value);
      res.setHeader("X-Cache", "hit");
      res.end(hit.body);
      return;
    }
    if (hit) entries.delete(key);

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
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
        const headers = Object.entries(res.getHeaders())
          .filter(([name]) => !SKIP_HEADERS.has(name))
          .map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : String(value)] as [string, string]);
        entries.set(key, { status: 200, headers, body: Buffer.concat(chunks), expires: Date.now() + ttlMs });
      }
      return end(chunk, ...rest);
    }) as typeof res.end;
    res.setHeader("X-Cache", "miss");
    next();
  };
  return Object.assign(middleware, { clear });
}
