// A reviewer's read-only view of one program's portfolio (issue 19), opened
// with a share link and no account: the member's identification, their
// progress, and the entries that count in the program, in its section order.
// An expired or revoked link answers 410 and an unknown one 404, each showing
// nothing of the portfolio.
//
// Never stored by anything between the member and the reviewer: `private,
// no-store` (which also keeps it out of the guest page cache, server/guest-cache.ts,
// whatever the answer), `noindex` for search engines, and no Referer sent
// from here (the address is the secret). The Referrer-Policy header the
// security middleware sets for every page comes first; this one, sent after
// it, is the one browsers apply (the last valid policy wins), and the meta
// tag says the same.
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { isRouteErrorResponse, Link, useLoaderData, useRouteError } from "@remix-run/react";
import { IdentificationCard } from "~/components/IdentificationCard";
import { ProgressPicture } from "~/components/Portfolio";
import { getCurrentUser } from "~/web/auth.server";
import { orErrorPage } from "~/web/http.server";
import { amountOf, describeAreas, format } from "~/lib/program";
import { openShare, type SharedEntry } from "~/models/portfolio-share.server";
import { pageMeta } from "~/ui/meta";

const SHARED_HEADERS = {
  "Cache-Control": "private, no-store",
  "X-Robots-Tag": "noindex, nofollow",
  "Referrer-Policy": "no-referrer",
};

export const headers: HeadersFunction = () => SHARED_HEADERS;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...pageMeta(
    data ? `${data.program.name}: the portfolio of ${data.owner.displayName} — ParaNet` : "This link does not open a portfolio — ParaNet",
    "A read-only portfolio shared with a reviewer.",
  ),
  { name: "robots", content: "noindex, nofollow" },
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await getCurrentUser(request);
  const opened = await orErrorPage(() => openShare(params.token ?? "", { viewerId: viewer?.id ?? null }));
  if (opened.state === "gone") {
    throw new Response("This link has expired or was revoked. Ask the member who shared it for a new one.", {
      status: 410,
      statusText: "Link expired or revoked",
      headers: SHARED_HEADERS,
    });
  }
  return json(opened.portfolio, { headers: SHARED_HEADERS });
}

export default function SharedPortfolio() {
  const data = useLoaderData<typeof loader>();
  const unit = data.progress.measure === "points" ? "points" : "hours";
  return (
    <div className="narrow-wide stack shared-portfolio">
      <header className="stack">
        <h1>
          {data.program.name}: the portfolio of {data.owner.displayName}
        </h1>
        <p className="notice notice--info">
          Shared with you by {data.owner.displayName} to read, until {data.expiresAt.slice(0, 10)}. It shows {data.owner.displayName}&rsquo;s progress in this
          program and the activities that count in it, as of {data.progress.today}.
        </p>
        <IdentificationCard member={data.owner} />
      </header>

      <section aria-labelledby="shared-progress-heading" className="stack">
        <h2 id="shared-progress-heading">Progress</h2>
        <p className="muted">
          {data.program.body}
          {data.program.url ? (
            <>
              {" · "}
              <a href={data.program.url} rel="noopener noreferrer nofollow">
                The program&rsquo;s own site
              </a>
            </>
          ) : null}
        </p>
        <ProgressPicture
          progress={data.progress}
          summary={data.summary}
          windowYears={data.program.windowYears}
          headingId="shared-progress-heading"
          summaryId="shared-summary-heading"
        />
        {data.program.checkWithProgram ? (
          <p className="muted">
            <strong>About the figures:</strong> {data.program.checkWithProgram}
          </p>
        ) : null}
      </section>

      {data.sections.map((s, i) => (
        <section key={`${i}:${s.title}`} aria-labelledby={`shared-section-${i}`} className="stack">
          <h2 id={`shared-section-${i}`}>{s.title}</h2>
          {s.categories.map((c) => (
            <div key={c.key} className="stack">
              <h3>
                {c.name}: {amountOf(c.amount, unit)}
                {c.minimum > 0 ? ` of ${format(c.minimum)}` : ""}
              </h3>
              {c.entries.length ? (
                c.entries.map((ref) =>
                  ref.first ? (
                    <SharedEntryCard key={ref.anchor} e={data.entries[ref.anchor]} />
                  ) : (
                    <p key={ref.anchor} className="muted">
                      Also counted here: <a href={`#${ref.anchor}`}>{data.entries[ref.anchor].title}</a> (above).
                    </p>
                  ),
                )
              ) : (
                <p className="muted">Nothing counted here yet.</p>
              )}
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}

const VERIFIED: Record<SharedEntry["verification"]["state"], string> = {
  confirmed: "Verified",
  pending: "Verification asked for, not answered yet",
  declined: "Not verified (the verifier declined)",
  none: "Not verified",
};

function SharedEntryCard({ e }: { e: SharedEntry }) {
  const v = e.verification;
  return (
    <article id={e.anchor} className="card shared-entry" aria-labelledby={`${e.anchor}-title`}>
      <h4 id={`${e.anchor}-title`} className="shared-entry__title">
        {e.title}
      </h4>
      <p className="muted">
        {e.kind}
        {e.provider ? ` · ${e.provider}` : ""} · {e.startedOn === e.endedOn ? e.startedOn : `${e.startedOn} to ${e.endedOn}`} · {e.amount}
      </p>
      <dl className="shared-entry__facts">
        {e.areas.length ? (
          <>
            <dt>Competency areas</dt>
            <dd>{describeAreas(e.areas, e.unit)}</dd>
          </>
        ) : null}
        <dt>Reflection or competency statement</dt>
        <dd className="shared-entry__reflection">{e.reflection || "None written."}</dd>
        <dt>Verification</dt>
        <dd>
          {VERIFIED[v.state]}
          {v.state === "confirmed" && v.by ? ` by ${v.by}` : ""}
          {v.state === "confirmed" && v.on ? ` on ${v.on}` : ""}
        </dd>
        <dt>Evidence</dt>
        <dd>
          {e.evidence.length ? (
            <ul className="shared-entry__evidence">
              {e.evidence.map((x, i) => (
                <li key={i}>
                  {x.kind === "link" && x.url ? (
                    <a href={x.url} rel="noopener noreferrer nofollow">
                      {x.name}
                    </a>
                  ) : x.url ? (
                    <a href={x.url} download>
                      {x.name}
                    </a>
                  ) : (
                    x.name
                  )}{" "}
                  <span className="muted">({x.kind === "link" ? "link" : "file, downloads"})</span>
                </li>
              ))}
            </ul>
          ) : (
            "None attached."
          )}
        </dd>
      </dl>
    </article>
  );
}

/** An expired, revoked or unknown link: said plainly, with nothing of the portfolio. */
export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title = status === 410 ? "This link no longer works" : status === 404 ? "No portfolio at this link" : "Something went wrong";
  const body =
    status === 410
      ? "It has expired, or the member who shared it revoked it. Ask them for a new link if you still need it."
      : status === 404
        ? "There is no shared portfolio at this address. Check that the whole link was copied."
        : "An unexpected error happened on our side. It has been logged; please try again.";
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-page__status">Error {status}</p>
      <h1 id="error-title">{title}</h1>
      <p>{body}</p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </section>
  );
}
