import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { KindBadge } from "~/components/ThreadBits";
import { requireUser } from "~/web/auth.server";
import { handleFormAction, readForm } from "~/web/http.server";
import { positiveId } from "~/lib/validation";
import { listFollowing, setTagFollow, setThreadFollow } from "~/models/follow.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Following — ParaNet");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json(await listFollowing(user));
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  return handleFormAction({}, async () => {
    const threadId = positiveId(form.get("threadId"));
    if (threadId) await setThreadFollow(user, threadId, false);
    const tag = form.get("tag");
    if (typeof tag === "string" && tag) await setTagFollow(user, tag, false);
    return redirect("/me/following");
  });
}

export default function Following() {
  const { threads, tags } = useLoaderData<typeof loader>();
  return (
    <div className="narrow-wide stack">
      <h1>Following</h1>
      <p className="muted">You follow threads you start or reply to. You will be notified about new replies and new threads in tags you follow.</p>
      <section aria-labelledby="tags-heading" className="stack">
        <h2 id="tags-heading">Tags</h2>
        {tags.length === 0 ? (
          <p className="muted">No tags yet. Open a competency area or tag and choose “Follow this tag”.</p>
        ) : (
          <ul className="token-list">
            {tags.map((t) => (
              <li key={t.slug}>
                <Link to={`/tags/${t.slug}`}>{t.name}</Link>
                <Form method="post">
                  <input type="hidden" name="tag" value={t.slug} />
                  <button type="submit" className="link-button">
                    Unfollow<span className="visually-hidden"> {t.name}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="threads-heading" className="stack">
        <h2 id="threads-heading">Threads</h2>
        {threads.length === 0 ? (
          <p className="muted">No threads yet.</p>
        ) : (
          <ul className="token-list">
            {threads.map((t) => (
              <li key={t.id}>
                <span>
                  <KindBadge kind={t.kind} /> <Link to={`/t/${t.id}/${t.slug}`}>{t.title}</Link>
                </span>
                <Form method="post">
                  <input type="hidden" name="threadId" value={t.id} />
                  <button type="submit" className="link-button">
                    Unfollow<span className="visually-hidden"> {t.title}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
