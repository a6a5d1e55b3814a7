import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage, SelectField } from "~/components/Field";
import { EntryLink, EntryMeta, ProgressBars } from "~/components/Portfolio";
import { requireUser } from "~/web/auth.server";
import { handleFormAction, readForm, type FormFailure } from "~/web/http.server";
import { briefSummary, describeAreas } from "~/lib/program";
import { entryLogPage, LOG_PAGE_SIZE, portfolioProgress, workCandidates } from "~/models/portfolio.server";
import { followProgram, listPrograms } from "~/models/program.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("My portfolio — ParaNet", "Your professional development log and your progress toward certification.");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const [log, programs, offered, candidates] = await Promise.all([
    entryLogPage(user, Number(url.searchParams.get("page") ?? 1)),
    portfolioProgress(user),
    listPrograms(),
    workCandidates(user),
  ]);
  const following = new Set(programs.map((p) => p.program.slug));
  return json({
    log: { ...log, first: (log.page - 1) * LOG_PAGE_SIZE + 1 },
    programs: programs.map(({ program, progress }) => ({
      slug: program.slug,
      name: program.name,
      checkWithProgram: program.definition.checkWithProgram,
      progress,
      // Where the member stands and what comes next (with why), not the first lines of the full summary.
      brief: briefSummary(program.definition, progress),
    })),
    offered: offered.filter((p) => !following.has(p.slug)).map((p) => ({ slug: p.slug, name: p.name })),
    candidates: candidates.length,
    saved: url.searchParams.get("saved") ?? "",
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const program = String(form.get("program") ?? "");
  return handleFormAction({ program }, async () => {
    await followProgram(user, program);
    return redirect(`/me/portfolio/programs/${encodeURIComponent(program)}`);
  });
}

export default function Portfolio() {
  const { log, programs, offered, candidates, saved } = useLoaderData<typeof loader>();
  const { entries } = log;
  const failed = useActionData<FormFailure>();
  return (
    <div className="narrow-wide stack">
      <h1>My portfolio</h1>
      <p className="muted">
        Your professional development, in one place: courses, workshops, conference days, presentations, service and work experience, with the competency areas
        each served and proof of it. Only you see it, unless you share it with a reviewer.
      </p>
      {saved ? (
        <p className="notice notice--success" role="status">
          {saved === "deleted" ? "The entry was deleted." : "Saved."}
        </p>
      ) : null}

      <section aria-labelledby="programs-heading" className="stack">
        <h2 id="programs-heading">Certification progress</h2>
        {programs.length === 0 ? <p className="muted">Choose a program below to see how your activities count toward it.</p> : null}
        {programs.map((p) => (
          <article key={p.slug} className="card stack portfolio-program" aria-labelledby={`program-${p.slug}`}>
            <h3 id={`program-${p.slug}`}>
              <Link to={`/me/portfolio/programs/${p.slug}`}>{p.name}</Link>
            </h3>
            <ProgressBars progress={p.progress} headingId={`program-${p.slug}`} />
            <ul className="progress-summary">
              {p.brief.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            <p>
              <Link to={`/me/portfolio/programs/${p.slug}`}>
                Details, what is missing and renewal<span className="visually-hidden">: {p.name}</span>
              </Link>
            </p>
          </article>
        ))}
        {offered.length ? (
          <Form method="post" className="form card inline-form" noValidate>
            <FormMessage message={failed?.message} />
            <SelectField
              name="program"
              label="Work toward a program"
              defaultValue={failed?.values.program}
              error={failed?.fields.program}
              placeholder="Choose a program"
              options={offered.map((p) => ({ value: p.slug, label: p.name }))}
            />
            <div className="actions">
              <button type="submit" className="button">
                Follow this program
              </button>
            </div>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="entries-heading" className="stack">
        <div className="section-head">
          <h2 id="entries-heading">Activity log</h2>
          <p className="actions">
            <Link to="/me/portfolio/new" className="button">
              Add an activity
            </Link>
            {candidates ? <Link to="/me/portfolio/new#from-your-work">From your ParaNet work ({candidates})</Link> : null}
          </p>
        </div>
        {log.total > entries.length ? (
          <p className="muted">
            {log.total} activities, most recent first: {log.first}–{log.first + entries.length - 1} shown.
          </p>
        ) : null}
        {entries.length === 0 ? (
          <p className="muted">
            Nothing logged yet. Add a course, workshop or conference day — or open a course or webinar in the <Link to="/resources">clearinghouse</Link> and
            choose &ldquo;Add to my portfolio&rdquo;.
          </p>
        ) : (
          <ul className="entry-list">
            {entries.map((e) => (
              <li key={e.id}>
                <EntryLink e={e} />
                <br />
                <EntryMeta e={e} />
                {e.areas.length ? <span className="muted"> · {describeAreas(e.areas, e.unit)}</span> : null}
                {e.evidenceCount ? (
                  <span className="muted">
                    {" "}
                    · {e.evidenceCount} {e.evidenceCount === 1 ? "piece" : "pieces"} of evidence
                  </span>
                ) : null}
                {e.verification?.status === "confirmed" ? <span className="status status--approved"> Verified by {e.verification.by}</span> : null}
              </li>
            ))}
          </ul>
        )}
        {log.pages > 1 ? (
          <nav className="pagination" aria-label="Pages of the activity log">
            {log.page > 1 ? (
              <Link to={`/me/portfolio?page=${log.page - 1}#entries-heading`} rel="prev">
                ← Newer
              </Link>
            ) : null}
            <span>
              Page {log.page} of {log.pages}
            </span>
            {log.page < log.pages ? (
              <Link to={`/me/portfolio?page=${log.page + 1}#entries-heading`} rel="next">
                Older →
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
