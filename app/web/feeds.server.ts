// RSS 2.0 and Atom feeds: of threads (the latest, HITs, a tag's), and one
// thread's own feed of its replies. Only what a guest may read goes in a
// feed: a private TARGET reply, a hidden post or a hidden thread never does.
import { Feed } from "feed";
import { escapeHtml } from "~/lib/html";
import { THREAD_KIND_LABELS, type ThreadKind } from "~/lib/domain";
import { siteUrl } from "~/web/http.server";
import type { getThreadFeed, listThreadsForFeed } from "~/models/thread.server";
import { replyHref } from "~/lib/links";

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

/** One entry of a feed: a thread, or a reply in a thread's own feed. */
type FeedEntry = {
  link: string;
  title: string;
  date: Date;
  published: Date;
  html: string;
  author: FeedThread["author"];
  categories: string[];
};

/** The RSS or Atom document of a feed's entries, every member-written string made safe for XML. */
function feedOf(
  request: Request,
  opts: { title: string; description: string; path: string; selfPath: string; format: FeedFormat },
  entries: FeedEntry[],
): Response {
  const base = siteUrl(request);
  const feed = new Feed({
    id: `${base}${opts.path}`,
    title: `${opts.title} — ParaNet`,
    description: opts.description,
    link: `${base}${opts.path}`,
    language: "en",
    updated: entries[0]?.date ?? new Date(0),
    generator: "ParaNet",
    copyright: "Posts belong to their authors.",
    feedLinks: { [opts.format]: `${base}${opts.selfPath}` },
  });
  for (const e of entries) {
    const link = `${base}${e.link}`;
    const who = [e.author.displayName, e.author.jobTitle, e.author.worksite].filter(Boolean).join(", ");
    const title = noCdataEnd(e.title);
    feed.addItem({
      id: link,
      link,
      title: opts.format === "atom" ? escapeHtml(title) : title,
      date: e.date,
      published: e.published,
      content: noCdataEnd(e.html),
      author: [{ name: noCdataEnd(who), link: `${base}/u/${e.author.handle}` }],
      category: e.categories.map((name) => ({ name: escapeHtml(noCdataEnd(name)) })),
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

const threadEntry = (t: FeedThread): FeedEntry => {
  const label = THREAD_KIND_LABELS[t.kind as ThreadKind] ?? t.kind;
  return {
    link: `/t/${t.id}/${t.slug}`,
    title: t.title.toLowerCase().startsWith(label.toLowerCase()) ? t.title : `[${label}] ${t.title}`,
    date: t.editedAt ?? t.createdAt,
    published: t.createdAt,
    html: t.bodyHtml,
    author: t.author,
    categories: t.tags.map((x) => x.tag.name),
  };
};

/** A feed of threads (the latest, HITs, a tag's). */
export function feedResponse(
  request: Request,
  opts: { title: string; description: string; path: string; selfPath: string; format: FeedFormat; threads: FeedThread[] },
): Response {
  return feedOf(request, opts, opts.threads.map(threadEntry));
}

/** One thread's feed: its newest public replies, then the thread itself (the oldest entry). */
export function threadFeedResponse(request: Request, format: FeedFormat, feed: NonNullable<Awaited<ReturnType<typeof getThreadFeed>>>): Response {
  const { thread, replies } = feed;
  const path = `/t/${thread.id}/${thread.slug}`;
  const entries = [
    ...replies.map((r) => ({
      link: replyHref(thread, r.id),
      title: `${r.author.displayName} replied to “${thread.title}”`,
      date: r.editedAt ?? r.createdAt,
      published: r.createdAt,
      html: r.bodyHtml,
      author: r.author,
      categories: [],
    })),
    threadEntry(thread),
  ];
  return feedOf(
    request,
    { title: thread.title, description: `Replies to “${thread.title}” on ParaNet.`, path, selfPath: `/feeds/threads/${thread.id}.${format}`, format },
    entries,
  );
}
