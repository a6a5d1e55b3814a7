import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { IdentificationCard } from "~/components/IdentificationCard";
import { getCurrentUser } from "~/lib/auth.server";
import { listCompetencyAreas } from "~/models/tag.server";
import { countMembers, listNewestMembers } from "~/models/user.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, competencyAreas, newestMembers, memberCount] = await Promise.all([
    getCurrentUser(request),
    listCompetencyAreas(),
    listNewestMembers(6),
    countMembers(),
  ]);
  return json({ user, competencyAreas, newestMembers, memberCount });
}

export default function Home() {
  const { user, competencyAreas, newestMembers, memberCount } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <section className="hero" aria-labelledby="welcome">
        {user ? (
          <>
            <h1 id="welcome">Welcome back, {user.displayName}</h1>
            <p className="lead">Nobody to ask in your building? Ask the people who do the same work.</p>
          </>
        ) : (
          <>
            <h1 id="welcome">The community for library support staff</h1>
            <p className="lead">
              Paraprofessionals, clerks and technicians often run a library alone. ParaNet is where you ask colleagues,
              share what worked, and find training — in the tradition of the LM_NET mailing list.
            </p>
            <p>
              <Link to="/join" className="button">
                Join ParaNet
              </Link>{" "}
              <Link to="/login" className="button button--secondary">
                Log in
              </Link>
            </p>
          </>
        )}
      </section>

      <div className="notice notice--info" role="note">
        <strong>Threads are opening soon.</strong> Asking questions, peer answers, TARGETs and HITs are being built for this
        installation. Meanwhile, complete your <Link to={user ? "/me/settings" : "/join"}>identification</Link> so colleagues
        know who you are.
      </div>

      <section className="section" aria-labelledby="how">
        <h2 id="how">How ParaNet works</h2>
        <div className="grid">
          <div className="card">
            <h3>Ask and answer</h3>
            <p>Post a question; colleagues answer, mark the helpful replies, and you accept the one that solved it.</p>
          </div>
          <div className="card">
            <h3>TARGET and HIT</h3>
            <p>
              Ask for replies to come <strong>privately</strong> to you (a TARGET), then share a summary of what you learned with
              everyone (a HIT).
            </p>
          </div>
          <div className="card">
            <h3>A clearinghouse of resources</h3>
            <p>Articles, webinars, courses and certification programs, tagged by the ten LSSC competency areas.</p>
          </div>
        </div>
      </section>

      <section className="section" aria-labelledby="areas">
        <h2 id="areas">The ten competency areas</h2>
        <p className="muted">ALA's Library Support Staff Certification organizes the work into ten areas; so does ParaNet.</p>
        <ul className="grid" style={{ listStyle: "none", padding: 0 }}>
          {competencyAreas.map((area) => (
            <li key={area.id} className="card competency">
              <h3>{area.name}</h3>
              <p>{area.scopeNote}</p>
            </li>
          ))}
        </ul>
      </section>

      {newestMembers.length > 0 ? (
        <section className="section" aria-labelledby="members">
          <h2 id="members">Newest members</h2>
          <p className="muted">
            {memberCount} {memberCount === 1 ? "member" : "members"} so far.
          </p>
          <ul className="grid" style={{ listStyle: "none", padding: 0 }}>
            {newestMembers.map((m) => (
              <li key={m.id} className="card">
                <IdentificationCard member={m} compact />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
