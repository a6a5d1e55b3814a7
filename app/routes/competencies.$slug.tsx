import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ResourceCard } from "~/components/Resources";
import { KindBadge, Time } from "~/components/ThreadBits";
import { getCompetencyPage } from "~/models/resource-directory.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.area.name} — ParaNet` : "Competency area not found — ParaNet" },
  ...(data ? [{ name: "description", content: data.area.scopeNote }] : []),
];

export async function loader({ params }: LoaderFunctionArgs) {
  const page = await getCompetencyPage(params.slug ?? "");
  if (!page) throw new Response("There is no such competency area.", { status: 404 });
  return json(page);
}

export default function CompetencyArea() {
  const { area, featured, newest, threads, count } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <header>
        <p className="muted">
          <Link to="/resources">Resources</Link> · LSSC competency area
        </p>
        <h1>{area.name}</h1>
        <p className="lead">{area.scopeNote}</p>
        <p className="actions">
          <Link to={`/resources?competency=${area.slug}`} className="button">
            All {count} {count === 1 ? "resource" : "resources"} in this area
          </Link>
          <Link to={`/tags/${area.slug}`} className="button button--secondary">
            All threads in this area
          </Link>
        </p>
      </header>
      {featured.length ? (
        <section aria-labelledby="featured-heading" className="stack">
          <h2 id="featured-heading">Featured resources</h2>
          <div className="resource-list">
            {featured.map((r) => (
              <ResourceCard key={r.id} r={r} />
            ))}
          </div>
        </section>
      ) : null}
      <section aria-labelledby="newest-heading" className="stack">
        <h2 id="newest-heading">{featured.length ? "More resources" : "Resources"}</h2>
        {newest.length ? (
          <div className="resource-list">
            {newest.map((r) => (
              <ResourceCard key={r.id} r={r} />
            ))}
          </div>
        ) : (
          <p className="muted">
            Nothing here yet. <Link to="/resources/new">Suggest a resource</Link> for this area.
          </p>
        )}
      </section>
      <section aria-labelledby="threads-heading" className="stack">
        <h2 id="threads-heading">Recent threads</h2>
        {threads.length ? (
          <ul className="plain-list">
            {threads.map((t) => (
              <li key={t.id}>
                <KindBadge kind={t.kind} /> <Link to={`/t/${t.id}/${t.slug}`}>{t.title}</Link>{" "}
                <span className="muted">
                  · <Time at={t.lastActivityAt} /> · {t.publicReplyCount} {t.publicReplyCount === 1 ? "reply" : "replies"}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No threads in this area yet.</p>
        )}
      </section>
    </div>
  );
}
