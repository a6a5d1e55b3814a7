// Earlier versions of an edited thread or reply: for its author and moderators.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Time } from "~/components/ThreadBits";
import { requireUser } from "~/web/auth.server";
import { idOr404, orErrorPage } from "~/web/http.server";
import { positiveId } from "~/lib/validation";
import { listRevisions } from "~/models/reply.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Earlier versions — ParaNet");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const threadId = idOr404(params.id);
  const replyId = positiveId(new URL(request.url).searchParams.get("reply"));
  const revisions = await orErrorPage(() => listRevisions(user, replyId ? { replyId, threadId } : { threadId }));
  return json({ threadId, replyId, revisions });
}

export default function Revisions() {
  const { threadId, replyId, revisions } = useLoaderData<typeof loader>();
  return (
    <div className="narrow-wide stack">
      <h1>Earlier versions of this {replyId ? "reply" : "thread"}</h1>
      <p>
        <Link to={`/t/${threadId}${replyId ? `?reply=${replyId}#reply-${replyId}` : ""}`}>Back to the thread</Link>
      </p>
      {revisions.length === 0 ? (
        <p className="muted">It has not been edited.</p>
      ) : (
        <ol className="stack revision-list">
          {revisions.map((r) => (
            <li key={r.id} className="card">
              <p className="muted">
                Replaced <Time at={r.createdAt} /> by {r.editor.displayName} (@{r.editor.handle})
              </p>
              {r.title ? (
                <p>
                  <strong>Title:</strong> {r.title}
                </p>
              ) : null}
              <pre className="revision">{r.bodySource}</pre>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
