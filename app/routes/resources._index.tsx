import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useState, type ReactNode } from "react";
import { ResourceCard } from "~/components/Resources";
import { getCurrentUser } from "~/web/auth.server";
import { isStaff, LIBRARY_TYPE_LABELS, LIBRARY_TYPES, RESOURCE_COST_LABELS, RESOURCE_COSTS, RESOURCE_TYPE_LABELS, RESOURCE_TYPES } from "~/lib/domain";
import { listResources, resourceFiltersFrom } from "~/models/resource.server";
import { listResourceRegions } from "~/models/resource-directory.server";
import { listCompetencyAreas } from "~/models/tag.server";

export const meta: MetaFunction = () => [
  { title: "Resources — ParaNet" },
  {
    name: "description",
    content: "Training, certification programs, webinars, articles and associations for library support staff, tagged by LSSC competency area.",
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const filters = resourceFiltersFrom(new URL(request.url).searchParams);
  const [user, list, areas, regions] = await Promise.all([getCurrentUser(request), listResources(filters), listCompetencyAreas(), listResourceRegions()]);
  // The list shows excerpts: the full abstracts stay on each entry's page (and in the API).
  const resources = list.resources.map(({ abstractHtml: _full, ...r }) => r);
  return json({ ...list, resources, areas, regions, signedIn: !!user, staff: !!user && isStaff(user.role) });
}

function Select({ name, label, options }: { name: string; label: string; options: { value: string; label: string }[] }) {
  const [params] = useSearchParams();
  return (
    <label>
      {label}{" "}
      <select name={name} defaultValue={params.get(name) ?? ""}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

const FILTERS = ["competency", "type", "library", "region", "cost"];
/** Wider than a phone (40rem): where the filters start open. */
const WIDE = "(min-width: 40.0625rem)";

/**
 * The filters and competency areas, folded on phones so the first resource
 * is on the first screen. Closed as served (a phone without JavaScript sees
 * the list first); opened once hydrated where the screen is wide.
 */
function FilterPanel({ children }: { children: ReactNode }) {
  const [params] = useSearchParams();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (window.matchMedia(WIDE).matches) setOpen(true);
  }, []);
  const active = FILTERS.filter((f) => params.get(f)).length;
  return (
    <details className="filter-panel" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="filter-panel__summary">Filters{active ? ` (${active} chosen)` : ""} and competency areas</summary>
      <div className="filter-panel__body stack">{children}</div>
    </details>
  );
}

export default function Resources() {
  const { resources, total, page, pages, areas, regions, signedIn, staff } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const pageLink = (n: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(n));
    return `/resources?${next}`;
  };
  return (
    <div className="stack">
      <div className="list-head">
        <div>
          <h1 id="resources-heading">Resources</h1>
          <p className="muted">
            Training, certification programs, webinars, articles and associations for library support staff, chosen by members and checked by moderators.
          </p>
        </div>
        <p className="actions">
          <Link to="/resources/new" className="button">
            Suggest a resource
          </Link>
          {staff ? (
            <Link to="/moderate/resources" className="button button--secondary">
              Curation queue
            </Link>
          ) : null}
        </p>
      </div>
      <FilterPanel>
        <Form method="get" className="filters" aria-label="Filter resources">
          <Select name="competency" label="Competency area" options={areas.map((a) => ({ value: a.slug, label: a.name }))} />
          <Select name="type" label="Type" options={RESOURCE_TYPES.map((t) => ({ value: t, label: RESOURCE_TYPE_LABELS[t] }))} />
          <Select name="library" label="Library" options={LIBRARY_TYPES.map((t) => ({ value: t, label: LIBRARY_TYPE_LABELS[t] }))} />
          <Select name="region" label="Region" options={regions.map((r) => ({ value: r, label: r === "national" ? "National" : r }))} />
          <Select name="cost" label="Cost" options={RESOURCE_COSTS.map((c) => ({ value: c, label: RESOURCE_COST_LABELS[c] }))} />
          <label>
            Sort{" "}
            <select name="sort" defaultValue={params.get("sort") ?? "newest"}>
              <option value="newest">Newest</option>
              <option value="cited">Most cited</option>
              <option value="title">Title</option>
            </select>
          </label>
          {params.get("tag") ? <input type="hidden" name="tag" value={params.get("tag")!} /> : null}
          <button type="submit" className="button button--small">
            Show
          </button>
        </Form>
        <nav aria-label="Competency areas" className="chip-nav">
          {areas.map((a) => (
            <Link key={a.slug} to={`/competencies/${a.slug}`} className="tag tag--competency" title={a.scopeNote}>
              {a.name}
            </Link>
          ))}
          <Link to="/resources/associations" className="tag">
            Associations directory
          </Link>
        </nav>
      </FilterPanel>
      <p className="muted" aria-live="polite">
        {total} {total === 1 ? "resource" : "resources"}
        {params.get("tag") ? ` tagged “${params.get("tag")}”` : ""}
      </p>
      {resources.length ? (
        <div className="resource-list">
          {resources.map((r) => (
            <ResourceCard key={r.id} r={r} headingLevel={2} />
          ))}
        </div>
      ) : (
        <p className="card empty">Nothing matches these filters yet. {signedIn ? <Link to="/resources/new">Suggest a resource</Link> : null}</p>
      )}
      {pages > 1 ? (
        <nav aria-label="Pages" className="pager">
          {page > 1 ? <Link to={pageLink(page - 1)}>← Previous</Link> : <span />}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages ? <Link to={pageLink(page + 1)}>Next →</Link> : <span />}
        </nav>
      ) : null}
    </div>
  );
}
