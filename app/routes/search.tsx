import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { KindBadge, Time } from "~/components/ThreadBits";
import { getCurrentUser } from "~/web/auth.server";
import { LIBRARY_TYPE_LABELS, LIBRARY_TYPES, THREAD_KIND_LABELS, THREAD_KINDS } from "~/lib/domain";
import { search, searchFiltersFrom } from "~/models/search.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta(
    data?.q ? `“${data.q.slice(0, 60)}” — ParaNet search` : "Search — ParaNet",
    "Search threads, answers, HITs and the resource clearinghouse of ParaNet, the community for library support staff.",
  );

export async function loader({ request }: LoaderFunctionArgs) {
  const filters = searchFiltersFrom(new URL(request.url).searchParams);
  const viewer = await getCurrentUser(request);
  const found = filters.q.trim() ? await search(viewer, filters) : { results: [], query: null, hasMore: false };
  return json({ q: filters.q, page: filters.page, ...found });
}

const TYPE_LABELS = { all: "Everything", threads: "Threads", replies: "Replies", resources: "Resources" } as const;

export default function Search() {
  const { q, page, results, query, hasMore } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const pageLink = (n: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(n));
    return `/search?${next}`;
  };
  const value = (name: string) => params.get(name) ?? "";
  return (
    <div className="stack">
      <h1 id="search-heading">Search</h1>
      <Form method="get" role="search" className="search-form" aria-label="Search ParaNet">
        <div className="search-form__box">
          <label htmlFor="q" className="visually-hidden">
            Search threads, replies and resources
          </label>
          <input id="q" name="q" type="search" defaultValue={q} maxLength={1000} placeholder='e.g. weeding biographies, "reading log", catalog* -fiction' />
          <button type="submit" className="button">
            Search
          </button>
        </div>
        <p className="field__hint">
          All words must match. Use “quotes” for a phrase, -word to leave one out, word* for words starting with it, and OR between alternatives.
        </p>
        <div className="filters">
          <label>
            Show{" "}
            <select name="type" defaultValue={value("type") || "all"}>
              {Object.entries(TYPE_LABELS).map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Kind{" "}
            <select name="kind" defaultValue={value("kind")}>
              <option value="">Any kind</option>
              {THREAD_KINDS.map((k) => (
                <option key={k} value={k}>
                  {THREAD_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Library{" "}
            <select name="library" defaultValue={value("library")}>
              <option value="">Any</option>
              {LIBRARY_TYPES.map((t) => (
                <option key={t} value={t}>
                  {LIBRARY_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Tag <input name="tag" type="text" size={14} defaultValue={value("tag")} placeholder="e.g. reference" />
          </label>
          <label>
            Author <input name="author" type="text" size={12} defaultValue={value("author")} placeholder="@handle" />
          </label>
          <label>
            From <input name="from" type="date" defaultValue={value("from")} />
          </label>
          <label>
            To <input name="to" type="date" defaultValue={value("to")} />
          </label>
          <label className="filters__check">
            <input type="checkbox" name="answered" value="1" defaultChecked={value("answered") === "1"} /> Answered only
          </label>
          <label>
            Order{" "}
            <select name="sort" defaultValue={value("sort") || "relevance"}>
              <option value="relevance">Best match</option>
              <option value="newest">Newest</option>
            </select>
          </label>
        </div>
      </Form>

      {q.trim() ? (
        query === null ? (
          <p className="card empty">Type a word to search for (punctuation alone, or only -excluded words, finds nothing).</p>
        ) : results.length === 0 && page > 1 ? (
          <p className="card empty" role="status">
            No more results for “{q}”. <Link to={pageLink(1)}>Back to the first page</Link>.
          </p>
        ) : results.length === 0 ? (
          <p className="card empty" role="status">
            Nothing found for “{q}”. Try fewer words, word* for variations, or <Link to="/threads/new">ask the community</Link>.
          </p>
        ) : (
          <section aria-labelledby="results-heading" className="stack">
            <h2 id="results-heading" className="visually-hidden">
              Results
            </h2>
            <ol className="search-results">
              {results.map((r) => (
                <li key={`${r.kind}-${r.id}`} className="search-result">
                  <p className="search-result__meta">
                    {r.kind === "resource" ? <span className="badge">Resource</span> : r.threadKind ? <KindBadge kind={r.threadKind} /> : null}
                    {r.kind === "reply" ? <span className="badge">Reply</span> : null}
                    {r.private ? <span className="badge badge--private">Private reply</span> : null}
                    {r.accepted ? (
                      <span className="status status--answered">Accepted answer</span>
                    ) : r.kind === "thread" && r.answered ? (
                      <span className="status status--answered">Answered</span>
                    ) : null}
                  </p>
                  <h3 className="search-result__title">
                    <Link to={r.href} dangerouslySetInnerHTML={{ __html: r.titleHtml }} />
                  </h3>
                  <p className="search-result__snippet" dangerouslySetInnerHTML={{ __html: r.snippetHtml }} />
                  <p className="muted search-result__by">
                    {r.author ? <>{r.author.name} · </> : null}
                    <Time at={r.createdAt} />
                  </p>
                </li>
              ))}
            </ol>
            <nav aria-label="Pages" className="pager">
              {page > 1 ? <Link to={pageLink(page - 1)}>← Previous</Link> : <span />}
              {hasMore ? <Link to={pageLink(page + 1)}>Next results →</Link> : <span />}
            </nav>
          </section>
        )
      ) : null}
    </div>
  );
}
