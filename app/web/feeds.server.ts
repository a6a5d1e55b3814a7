// RSS 2.0 and Atom feeds of threads. Feeds carry thread bodies only: replies
// (and so private TARGET replies) never appear in a feed.
import { Feed } from "feed";
import { escapeHtml } from "~/lib/html";
import { THREAD_KIND_LABELS, type ThreadKind } from "~/lib/domain";
import { siteUrl } from "~/web/http.server";
import type { listThreadsForFeed } from "~/models/thread.server";

export type FeedFormat = "rss" | "atom";

// The feed library wraps text in CDATA and copies some attributes verbatim:
// a "]]>" inside members' text must not end the CDATA early, and whatever is
// read as HTML (Atom's type="html" titles) or sits in an attribute is escaped.
const noCdataEnd = (s: string) => s.replace(/]]>/g, "]] >");
// XML 1.0 has no way to write these, not even as &#7; or in CDATA: a stored
// title with a bell in it (rows from before input was cleaned, an import, a
// direct edit) would make the whole feed unreadable. They go from the output.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const xmlSafe = (s: string) => s.replace(NOT_XML, "");
type FeedThread = Awaited<ReturnType<typeof listThreadsForFeed>>[number];

/** "latest.rss" → { name: "latest", format: "rss" }; null for anything else. */
export function parseFeedName(value: string | undefined): { name: string; format: FeedFormat } | null {
  const match = /^([a-z0-9-]{1,80})\.(rss|atom)$/.exec(value ?? "");
  return match ? { name: match[1], format: match[2] as FeedFormat } : null;
}

export function feedResponse(
  request: Request,
  opts: { title: string; description: string; path: string; selfPath: string; format: FeedFormat; threads: FeedThread[] },
): Response {
  const base = siteUrl(request);
  const feed = new Feed({
    id: `${base}${opts.path}`,
    title: `${opts.title} — ParaNet`,
    description: opts.description,
    link: `${base}${opts.path}`,
    language: "en",
    updated: opts.threads[0]?.createdAt ?? new Date(0),
    generator: "ParaNet",
    copyright: "Posts belong to their authors.",
    feedLinks: { [opts.format]: `${base}${opts.selfPath}` },
  });
  for (const t of opts.threads) {
    const link = `${base}/t/${t.id}/${t.slug}`;
    const who = [t.author.displayName, t.author.jobTitle, t.author.worksite].filter(Boolean).join(", ");
    feed.addItem({
      id: link,
      link,
      title: (() => {
        const label = THREAD_KIND_LABELS[t.kind as ThreadKind] ?? t.kind;
        const title = noCdataEnd(t.title.toLowerCase().startsWith(label.toLowerCase()) ? t.title : `[${label}] ${t.title}`);
        return opts.format === "atom" ? escapeHtml(title) : title;
      })(),
      date: t.editedAt ?? t.createdAt,
      published: t.createdAt,
      content: noCdataEnd(t.bodyHtml),
      author: [{ name: noCdataEnd(who), link: `${base}/u/${t.author.handle}` }],
      category: t.tags.map((x) => ({ name: escapeHtml(noCdataEnd(x.tag.name)) })),
    });
  }
  const body = xmlSafe(opts.format === "rss" ? feed.rss2() : feed.atom1());
  return new Response(body, {
    headers: {
      "Content-Type": opts.format === "rss" ? "application/rss+xml; charset=utf-8" : "application/atom+xml; charset=utf-8",
      "Cache-Control": "public, max-age=300",
    },
  });
}
