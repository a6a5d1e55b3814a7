import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { IdentificationCard } from "~/components/IdentificationCard";
import { NewThreadsPill } from "~/components/LiveUpdates";
import { ThreadFilters, ThreadList } from "~/components/ThreadList";
import { getCurrentUser } from "~/web/auth.server";
import { latestLiveEventId } from "~/models/live-event.server";
import { listCompetencyAreas } from "~/models/tag.server";
import { listThreads, threadFiltersFrom } from "~/models/thread.server";
import { countMembers, listNewestMembers } from "~/models/user.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const filters = threadFiltersFrom(new URL(request.url).searchParams);
  // Read before the list: new threads after it are announced live.
  const liveCursor = await latestLiveEventId();
  const [user, list, competencyAreas, newestMembers, memberCount] = await Promise.all([
    getCurrentUser(request),
    listThreads(filters),
    listCompetencyAreas(),
    listNewestMembers(4),
    countMembers(),
  ]);
  return json({ user, ...list, competencyAreas, newestMembers, memberCount, liveCursor });
}

export default function Home() {
  const { user, threads, nextCursor, competencyAreas, newestMembers, memberCount, liveCursor } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const activeTag = competencyAreas.find((a) => a.slug === params.get("tag"));
  return (
    <div className="home">
      <div className="home__main stack">
        {user ? null : (
          <section className="hero" aria-labelledby="welcome">
            <h1 id="welcome">The community for library support staff</h1>
            <p className="lead">
              Paraprofessionals, clerks and technicians often run a library alone. ParaNet is where you ask colleagues, share what worked, and find training —
              in the tradition of the LM_NET mailing list.
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
          {/* The page's h1 for members (guests have the welcome above). */}
          {(() => {
            const sort = params.get("sort");
            const title = activeTag ? activeTag.name : sort === "helpful" ? "Most helpful threads" : sort === "newest" ? "Newest threads" : "Latest threads";
            return user ? (
              <h1 id="threads-heading" className="list-head__title--page">
                {title}
              </h1>
            ) : (
              <h2 id="threads-heading">{title}</h2>
            );
          })()}
          <Link to="/threads/new" className="button">
            Ask a question
          </Link>
        </div>
        {activeTag ? <p className="muted">{activeTag.scopeNote}</p> : null}
        <ThreadFilters keep={["tag"]} />
        <ThreadList threads={threads} nextCursor={nextCursor} labelledBy="threads-heading" itemHeading={user ? "h2" : "h3"} />
        <NewThreadsPill cursor={liveCursor} />
      </div>

      <aside className="home__side stack" aria-label="Browse">
        <section className="card">
          <h2 className="side-title">Competency areas</h2>
          <ul className="side-list">
            {competencyAreas.map((a) => (
              <li key={a.id}>
                <Link to={`/tags/${a.slug}`} title={a.scopeNote} aria-current={params.get("tag") === a.slug ? "page" : undefined}>
                  {a.name}
                </Link>
              </li>
            ))}
          </ul>
          <p className="side-more">
            <Link to="/tags">All tags →</Link>
          </p>
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
            <p className="muted">
              {memberCount} {memberCount === 1 ? "member" : "members"} so far.
            </p>
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
