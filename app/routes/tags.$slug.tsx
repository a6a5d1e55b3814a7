import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { NewThreadsPill } from "~/components/LiveUpdates";
import { ThreadFilters, ThreadList } from "~/components/ThreadList";
import { getCurrentUser, requireUser } from "~/web/auth.server";
import { handleFormAction, readForm } from "~/web/http.server";
import { isFollowingTag, setTagFollow } from "~/models/follow.server";
import { latestLiveEventId } from "~/models/live-event.server";
import { listThreads, threadFiltersFrom } from "~/models/thread.server";
import { findTagPage } from "~/models/tag.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Tag not found — ParaNet" }];
  const { name, slug, scopeNote } = data.tag;
  const feed = `ParaNet: threads tagged ${name}`;
  return [
    { title: `${name} — ParaNet` },
    { name: "description", content: scopeNote || `Questions and answers about ${name} from library support staff.` },
    // Rendered by <Meta /> ahead of the site-wide feeds root.tsx links, so a feed reader finds this tag's feed first.
    { tagName: "link", rel: "alternate", type: "application/rss+xml", title: feed, href: `/feeds/tags/${slug}.rss` },
    { tagName: "link", rel: "alternate", type: "application/atom+xml", title: feed, href: `/feeds/tags/${slug}.atom` },
  ];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const tag = await findTagPage(params.slug ?? "");
  if (!tag) throw new Response("There is no such tag.", { status: 404 });
  const url = new URL(request.url);
  if (tag.synonymOf) {
    // A synonym has no page of its own: its threads are the main tag's. The main page says where the reader came from.
    const query = new URLSearchParams(url.searchParams);
    query.set("from", tag.slug);
    throw redirect(`/tags/${tag.synonymOf.slug}?${query}`, 301);
  }
  const from = url.searchParams.get("from");
  const cameFrom = tag.synonyms.find((s) => s.slug === from)?.name ?? null;
  const viewer = await getCurrentUser(request);
  const filters = { ...threadFiltersFrom(url.searchParams), tag: tag.slug };
  const liveCursor = await latestLiveEventId();
  const [list, following] = await Promise.all([listThreads(filters), isFollowingTag(viewer, tag.id)]);
  return json({ tag, cameFrom, ...list, following, signedIn: !!viewer, liveCursor });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  return handleFormAction({}, async () => {
    await setTagFollow(user, params.slug ?? "", form.get("intent") === "follow");
    return redirect(`/tags/${params.slug}`);
  });
}

export default function TagPage() {
  const { tag, cameFrom, threads, nextCursor, following, signedIn, liveCursor } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <header className="list-head">
        <div>
          <p className="muted">{tag.kind === "competency" ? "LSSC competency area" : "Tag"}</p>
          <h1 id="tag-heading">{tag.name}</h1>
        </div>
        {signedIn ? (
          <Form method="post" className="actions">
            <Link to="/threads/new" className="button button--secondary">
              Ask a question
            </Link>
            <button type="submit" name="intent" value={following ? "unfollow" : "follow"} className={following ? "button button--secondary" : "button"}>
              {following ? "Following ✓ (unfollow)" : "Follow this tag"}
            </button>
          </Form>
        ) : null}
      </header>
      {cameFrom ? (
        <p className="notice notice--info" role="status">
          “{cameFrom}” is a synonym of {tag.name}: its threads are here.
        </p>
      ) : null}
      {tag.scopeNote ? <p className="lead">{tag.scopeNote}</p> : null}
      {tag.synonyms.length ? (
        <p className="tag-synonyms">
          <span className="tag-synonyms__label">Also called:</span> {tag.synonyms.map((s) => s.name).join(", ")}
        </p>
      ) : null}
      <p className="muted">
        Feeds: <a href={`/feeds/tags/${tag.slug}.rss`}>RSS</a> · <a href={`/feeds/tags/${tag.slug}.atom`}>Atom</a>
      </p>
      <ThreadFilters />
      <ThreadList threads={threads} nextCursor={nextCursor} labelledBy="tag-heading" itemHeading="h2" />
      <NewThreadsPill cursor={liveCursor} tag={tag.slug} />
    </div>
  );
}
