// /feeds/tags/<slug>.rss and .atom: new threads with that tag.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { feedResponse, parseFeedName } from "~/web/feeds.server";
import { listThreadsForFeed } from "~/models/thread.server";
import { findTag } from "~/models/tag.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const parsed = parseFeedName(params.name);
  const tag = parsed ? await findTag(parsed.name) : null;
  if (!parsed || !tag)
    throw new Response("No such feed. Try /feeds/latest.rss.", {
      status: 404,
      statusText: "Not Found",
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  // A synonym's feed is its main tag's (a reader subscribed before the tags were joined keeps getting threads).
  if (tag.synonymOf) throw redirect(`/feeds/tags/${tag.synonymOf}.${parsed.format}`, 301);
  return feedResponse(request, {
    title: tag.name,
    description: tag.scopeNote || `New threads tagged ${tag.name}.`,
    path: `/?tag=${tag.slug}`,
    selfPath: `/feeds/tags/${params.name}`,
    format: parsed.format,
    threads: await listThreadsForFeed({ tag: tag.slug }),
  });
}
