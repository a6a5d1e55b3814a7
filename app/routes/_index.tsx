import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { IdentificationCard } from "~/components/IdentificationCard";
import { AnsweredBadge, KindBadge, TagList, Time } from "~/components/ThreadBits";
import { getCurrentUser } from "~/lib/auth.server";
import { LIBRARY_TYPE_LABELS, LIBRARY_TYPES, THREAD_KIND_LABELS, THREAD_KINDS } from "~/lib/domain";
import { listCompetencyAreas } from "~/models/tag.server";
import { listThreads, threadFiltersFrom } from "~/models/thread.server";
import { countMembers, listNewestMembers } from "~/models/user.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const filters = threadFiltersFrom(new URL(request.url).searchParams);
  const [user, list, competencyAreas, newestMembers, memberCount] = await Promise.all([
    getCurrentUser(request),
    listThreads(filters),
    listCompetencyAreas(),
    listNewestMembers(4),
    countMembers(),
  ]);
  return json({ user, ...list, competencyAreas, newestMembers, memberCount });
}

export default function Home() {
  const { user, threads, nextCursor, competencyAreas, newestMembers, memberCount } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const filtered = ["kind", "tag", "library", "unanswered"].some((k) => params.get(k));
  const nextPage = () => {
    const next = new URLSearchParams(params);
    next.set("after", nextCursor!);
    return `/?${next}`;
  };
  const activeTag = competencyAreas.find((a) => a.slug === params.get("tag"));
  return (
    <div className="home">
      <div className="home__main stack">
        {user ? null : (
          <section className="hero" aria-labelledby="welcome">
            <h1 id="welcome">The community for library support staff</h1>
            <p className="lead">
              Paraprofessionals, clerks and technicians often run a library alone. ParaNet is where you ask colleagues, share what
              worked, and find training — in the tradition of the LM_NET mailing list.
            </p>
            <p>
              <Link to="/join" className="button">
                Join ParaNet
              </Link>{" "}
              <Link to="/login" className="button button--secondary">
                Log in
              </Link>
            </p>
          </section>
        )}
        <div className="list-head">
          <h2 id="threads-heading" className={user ? "list-head__title--page" : undefined}>
            {activeTag ? activeTag.name : "Latest threads"}
          </h2>
          <Link to="/threads/new" className="button">
            Ask a question
          </Link>
        </div>
        {activeTag ? <p className="muted">{activeTag.scopeNote}</p> : null}
        <Form method="get" className="filters" aria-label="Filter threads">
          {params.get("tag") ? <input type="hidden" name="tag" value={params.get("tag")!} /> : null}
          <label>
            Kind{" "}
            <select name="kind" defaultValue={params.get("kind") ?? ""}>
              <option value="">All kinds</option>
              {THREAD_KINDS.map((k) => (
                <option key={k} value={k}>
                  {THREAD_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Library{" "}
            <select name="library" defaultValue={params.get("library") ?? ""}>
              <option value="">All libraries</option>
              {LIBRARY_TYPES.map((t) => (
                <option key={t} value={t}>
                  {LIBRARY_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Sort{" "}
            <select name="sort" defaultValue={params.get("sort") ?? "latest"}>
              <option value="latest">Latest activity</option>
              <option value="newest">Newest</option>
            </select>
          </label>
          <label className="filters__check">
            <input type="checkbox" name="unanswered" value="1" defaultChecked={params.get("unanswered") === "1"} /> Unanswered only
          </label>
          <button type="submit" className="button button--small button--secondary">
            Apply
          </button>
          {filtered ? <Link to="/">Clear filters</Link> : null}
        </Form>

        {threads.length === 0 ? (
          <div className="card empty">
            <p>{filtered ? "No threads match these filters." : "No threads yet. Be the first to ask!"}</p>
          </div>
        ) : (
          <ol className="thread-list" aria-labelledby="threads-heading">
            {threads.map((t) => (
              <li key={t.id} className="thread-item">
                <div className="thread-item__badges">
                  <KindBadge kind={t.kind} />
                  {t.kind === "question" ? <AnsweredBadge answered={t.answered} /> : null}
                </div>
                <h3 className="thread-item__title">
                  <Link to={`/t/${t.id}/${t.slug}`}>{t.title}</Link>
                </h3>
                <p className="thread-item__meta">
                  {t.author.displayName}
                  {t.author.jobTitle ? `, ${t.author.jobTitle}` : ""}
                  {t.author.worksite ? ` · ${t.author.worksite}` : ""} · <Time at={t.lastActivityAt} /> ·{" "}
                  {t.kind === "target"
                    ? `${t.privateReplyCount} private ${t.privateReplyCount === 1 ? "reply" : "replies"}`
                    : `${t.publicReplyCount} ${t.publicReplyCount === 1 ? "reply" : "replies"}`}
                  {t.kind === "job" && t.jobLocation ? ` · ${t.jobLocation}` : ""}
                </p>
                <TagList tags={t.tags} />
              </li>
            ))}
          </ol>
        )}
        {nextCursor ? (
          <p className="pagination">
            <Link to={nextPage()}>Older threads →</Link>
          </p>
        ) : null}
      </div>

      <aside className="home__side stack" aria-label="Browse">
        <section className="card">
          <h2 className="side-title">Competency areas</h2>
          <ul className="side-list">
            {competencyAreas.map((a) => (
              <li key={a.id}>
                <Link to={`/?tag=${a.slug}`} title={a.scopeNote} aria-current={params.get("tag") === a.slug ? "page" : undefined}>
                  {a.name}
                </Link>
              </li>
            ))}
          </ul>
        </section>
        <section className="card">
          <h2 className="side-title">TARGET and HIT</h2>
          <p className="muted">
            A <strong>TARGET</strong> asks for replies privately to you; a <strong>HIT</strong> shares the summary with everyone.
          </p>
        </section>
        {newestMembers.length ? (
          <section className="card">
            <h2 className="side-title">Newest members</h2>
            <p className="muted">{memberCount} members so far.</p>
            <ul className="side-list">
              {newestMembers.map((m) => (
                <li key={m.id}>
                  <IdentificationCard member={m} compact />
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </aside>
    </div>
  );
}
