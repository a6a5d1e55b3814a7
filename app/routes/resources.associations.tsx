import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { ResourceCard } from "~/components/Resources";
import { clip } from "~/lib/validation";
import { listAssociations } from "~/models/resource-directory.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () =>
  pageMeta(
    "Associations for library support staff — ParaNet",
    "Associations for library support staff, by region: state and national groups, with what they offer.",
  );

export async function loader({ request }: LoaderFunctionArgs) {
  const region = clip(new URL(request.url).searchParams.get("region")?.trim() ?? "", 80) || undefined;
  return json(await listAssociations(region));
}

export default function Associations() {
  const { associations, regions } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <div className="stack">
      <p className="muted">
        <Link to="/resources">Resources</Link>
      </p>
      <h1 id="associations-heading">Associations directory</h1>
      <p className="lead">National, regional and state groups where support staff meet colleagues, find mentors and keep learning.</p>
      <Form method="get" className="filters" aria-label="Filter associations">
        <label>
          Region{" "}
          <select name="region" defaultValue={params.get("region") ?? ""}>
            <option value="">All regions</option>
            {regions.map((r) => (
              <option key={r} value={r}>
                {r === "national" ? "National" : r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button--small">
          Show
        </button>
      </Form>
      {associations.length ? (
        <div className="resource-list" aria-labelledby="associations-heading">
          {associations.map((r) => (
            <ResourceCard key={r.id} r={r} headingLevel={2} />
          ))}
        </div>
      ) : (
        <p className="card empty">
          No associations listed for this region yet. Know one? <Link to="/resources/new">Suggest it</Link>.
        </p>
      )}
    </div>
  );
}
