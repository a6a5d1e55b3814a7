// /feeds/threads/<id>.rss and .atom: one thread's public replies, newest
// first (a TARGET's are private: its feed holds the question only).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseFeedName, threadFeedResponse } from "~/web/feeds.server";
import { getThreadFeed } from "~/models/thread.server";

const notFound = () =>
  new Response("No such feed: a thread's feed is /feeds/threads/<thread id>.rss (or .atom).", {
    status: 404,
    statusText: "Not Found",
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = parseFeedName(params.name);
  const id = parsed && /^[1-9]\d{0,9}$/.test(parsed.name) ? Number(parsed.name) : null;
  const feed = id && id <= 2_147_483_647 ? await getThreadFeed(id) : null;
  if (!parsed || !feed) throw notFound();
  return threadFeedResponse(request, parsed.format, feed);
}
