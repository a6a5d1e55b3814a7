import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ResourceFacts } from "~/components/Resources";
import { PostBody, Time } from "~/components/ThreadBits";
import { requireRole } from "~/web/auth.server";
import { listPending } from "~/models/resource.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Curation queue — ParaNet");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["moderator", "admin"]);
  const url = new URL(request.url);
  const resource = Number(url.searchParams.get("resource"));
  return json({
    pending: await listPending(user),
    done: DONE[url.searchParams.get("done") ?? ""] ?? null,
    resource: Number.isSafeInteger(resource) && resource > 0 ? resource : null,
  });
}

/** What the queue says after a decision taken from it (the entry has left the queue). */
const DONE: Record<string, string> = {
  approve: "Approved: it is in the clearinghouse now, and its submitter has been told.",
  reject: "Rejected: its submitter has been told, with your reason.",
  merge: "Merged into the other entry.",
};

export default function CurationQueue() {
  const { pending, done, resource } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="list-head">
        <div>
          <h1>Curation queue</h1>
          <p className="muted">Suggestions waiting for a decision, oldest first. Approving notifies the submitter; so does rejecting, with your reason.</p>
        </div>
        <p className="actions">
          <Link to="/moderate/resources/import" className="button button--secondary">
            Import CSV
          </Link>
          <a href="/moderate/resources/export?format=csv" className="button button--secondary">
            Export CSV
          </a>
          <a href="/moderate/resources/export?format=json" className="button button--secondary">
            Export JSON
          </a>
        </p>
      </div>
      {done ? (
        <p className="notice notice--success" role="status">
          {done}
          {resource ? (
            <>
              {" "}
              <Link to={`/resources/${resource}`}>See the entry</Link>
            </>
          ) : null}
        </p>
      ) : null}
      {pending.length === 0 ? <p className="card empty">Nothing is waiting. Thank you!</p> : null}
      {pending.map((r) => (
        <article key={r.id} className="card stack" aria-labelledby={`pending-${r.id}`}>
          <h2 id={`pending-${r.id}`} className="resource__title">
            <Link to={`/resources/${r.id}`}>
              #{r.id} {r.title}
            </Link>
          </h2>
          <ResourceFacts r={r} />
          <p className="muted">
            <a href={r.url} rel="noopener noreferrer nofollow">
              {r.url}
            </a>
          </p>
          <PostBody html={r.abstractHtml} />
          <p className="muted">
            Suggested by <Link to={`/u/${r.submitter.handle}`}>{r.submitter.displayName}</Link>
            {r.submitter.jobTitle ? `, ${r.submitter.jobTitle}` : ""} · <Time at={r.createdAt} /> · {r.competencies.map((c) => c.name).join(", ")}
          </p>
          {r.duplicateOf ? (
            <p className="notice notice--info">
              Same address as{" "}
              <Link to={`/resources/${r.duplicateOf.id}`}>
                #{r.duplicateOf.id} {r.duplicateOf.title}
              </Link>
              , already in the clearinghouse: merge it.
            </p>
          ) : null}
          <div className="actions">
            <Form method="post" action={`/resources/${r.id}?back=queue`} className="inline-form">
              {r.duplicateOf ? (
                <>
                  <input type="hidden" name="intoId" value={r.duplicateOf.id} />
                  <button type="submit" name="intent" value="merge" className="button">
                    Merge into #{r.duplicateOf.id}
                  </button>
                </>
              ) : (
                <button type="submit" name="intent" value="approve" className="button">
                  Approve <span className="visually-hidden">{r.title}</span>
                </button>
              )}
            </Form>
            <Link to={`/moderate/resources/${r.id}/edit`} className="button button--secondary">
              Edit then approve
            </Link>
            <Link to={`/resources/${r.id}#curate-heading`} className="button button--secondary">
              Reject, merge or archive…
            </Link>
          </div>
        </article>
      ))}
    </div>
  );
}
