// /feeds/latest.rss, /feeds/latest.atom, /feeds/hits.rss, /feeds/hits.atom
import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedResponse, parseFeedName } from "~/web/feeds.server";
import { listThreadsForFeed } from "~/models/thread.server";

const FEEDS = {
  latest: { title: "Latest threads", description: "New questions, discussions, TARGETs, HITs and job postings.", kind: undefined },
  hits: { title: "HITs", description: "Summaries of what colleagues learned from their TARGETs and questions.", kind: "hit" as const },
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = parseFeedName(params.name);
  const spec = parsed && FEEDS[parsed.name as keyof typeof FEEDS];
  if (!parsed || !spec)
    throw new Response("No such feed. Try /feeds/latest.rss.", {
      status: 404,
      statusText: "Not Found",
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  const threads = await listThreadsForFeed({ kind: spec.kind });
  return feedResponse(request, {
    ...spec,
    path: spec.kind ? `/?kind=${spec.kind}` : "/",
    selfPath: `/feeds/${params.name}`,
    format: parsed.format,
    threads,
  });
}
