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
import { findTag } from "~/models/tag.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.tag.name} — ParaNet` : "Tag not found — ParaNet" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const tag = await findTag(params.slug ?? "");
  if (!tag) throw new Response("There is no such tag.", { status: 404 });
  const viewer = await getCurrentUser(request);
  const filters = { ...threadFiltersFrom(new URL(request.url).searchParams), tag: tag.slug };
  const liveCursor = await latestLiveEventId();
  const [list, following] = await Promise.all([listThreads(filters), isFollowingTag(viewer, tag.id)]);
  return json({ tag, ...list, following, signedIn: !!viewer, liveCursor });
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
  const { tag, threads, nextCursor, following, signedIn, liveCursor } = useLoaderData<typeof loader>();
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
      {tag.scopeNote ? <p className="lead">{tag.scopeNote}</p> : null}
      <p className="muted">
        Feeds: <a href={`/feeds/tags/${tag.slug}.rss`}>RSS</a> · <a href={`/feeds/tags/${tag.slug}.atom`}>Atom</a>
      </p>
      <ThreadFilters />
      <ThreadList threads={threads} nextCursor={nextCursor} labelledBy="tag-heading" />
      <NewThreadsPill cursor={liveCursor} tag={tag.slug} />
    </div>
  );
}
