// Requests made to the member's account to verify others' portfolio entries
// (issue 19): open ones to answer, and those answered.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/web/auth.server";
import { requestsForMember } from "~/models/portfolio-verification.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Activities to verify — ParaNet");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json(await requestsForMember(user));
}

export default function Verifications() {
  const { open, answered } = useLoaderData<typeof loader>();
  return (
    <div className="narrow-wide stack">
      <h1>Activities to verify</h1>
      <p className="muted">Members who keep a certification portfolio may ask you, as a supervisor or mentor, to confirm an activity.</p>
      <section aria-labelledby="open-heading" className="stack">
        <h2 id="open-heading">Waiting for your answer</h2>
        {open.length ? (
          <ul className="plain-list">
            {open.map((r) => (
              <li key={r.id}>
                <Link to={`/me/verifications/${r.id}`}>{r.title}</Link>{" "}
                <span className="muted">
                  — {r.asker} asked on {r.since}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Nothing is waiting for you.</p>
        )}
      </section>
      {answered.length ? (
        <section aria-labelledby="answered-heading" className="stack">
          <h2 id="answered-heading">Answered</h2>
          <ul className="plain-list">
            {answered.map((r) => (
              <li key={r.id}>
                <Link to={`/me/verifications/${r.id}`}>{r.title}</Link>{" "}
                <span className="muted">
                  — {r.asker}; you {r.status === "confirmed" ? "confirmed it" : "declined"} on {r.decidedOn}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
