// Resource addresses: one normal form, so the same page submitted as
// "http://www.Example.org/cert/?utm_source=x#top" and
// "https://example.org/cert" is recognised as one resource.

import LinkifyIt from "linkify-it";

const TRACKING = /^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ref|_hs[a-z]+)$/i;

/**
 * The comparable form of an http(s) address: host lower-cased without
 * "www.", no scheme, default port, fragment, tracking parameters or trailing
 * slash; remaining parameters sorted. Null when it is not an http(s) address.
 */
export function normalizeUrl(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return null;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  const host = u.hostname.toLowerCase().replace(/^www\./, "");
  const port = u.port && u.port !== "80" && u.port !== "443" ? `:${u.port}` : "";
  const params = [...u.searchParams].filter(([k]) => !TRACKING.test(k)).sort(([a], [b]) => a.localeCompare(b));
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : "";
  const path = u.pathname.replace(/\/+$/, "");
  return `${host}${port}${path}${query}`;
}

/** The address as people should follow it: trimmed, with its fragment kept. */
export function cleanUrl(raw: string): string {
  return new URL(raw.trim()).toString();
}

// The same finder markdown-it links with (linkify: true), so the addresses
// looked up for cards are the ones a reader can follow in the rendered post:
// balanced parentheses stay in ("…/a_(b)"), sentence punctuation goes.
const linkify = new LinkifyIt();

/** Every http(s) address written in a Markdown text (a bare www.… counts, as it is linked), in order, without repeats. */
export function urlsIn(source: string): string[] {
  const found = (linkify.match(source) ?? []).map((m) => m.url).filter((u) => /^https?:\/\//i.test(u));
  return [...new Set(found)];
}
