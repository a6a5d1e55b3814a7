import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { EntryFields } from "~/components/Portfolio";
import { requireUser } from "~/web/auth.server";
import { handleFormAction, readForm } from "~/web/http.server";
import type { FieldErrors } from "~/lib/errors";
import { formDataWithLists, positiveId } from "~/lib/validation";
import { entryFromForm, parseEntry } from "~/lib/portfolio-input.server";
import { createEntry, draftFromResource, draftFromWork, todayUtc, workCandidates } from "~/models/portfolio.server";
import { listCompetencyAreas } from "~/models/tag.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Add an activity — ParaNet", "Log a course, workshop, conference day or other professional activity.");

type Failure = { message: string; fields: FieldErrors; values: Record<string, unknown> };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const params = new URL(request.url).searchParams;
  const resourceId = positiveId(params.get("resource"));
  const work = params.get("work") ?? "";
  const [areas, candidates, draft] = await Promise.all([
    listCompetencyAreas(),
    workCandidates(user),
    resourceId ? draftFromResource(resourceId) : work ? draftFromWork(user, work) : null,
  ]);
  const today = todayUtc();
  return json({
    areas,
    candidates,
    draft: draft ? { ...draft, area: draft.areas } : { type: "", unit: "hours", startedOn: today },
    fromSomething: !!draft,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const values = formDataWithLists(form, ["area"]);
  const parsed = parseEntry(entryFromForm(form), todayUtc());
  if (!parsed.ok) return json<Failure>({ message: "Please correct the highlighted fields.", fields: parsed.fields, values }, { status: 400 });
  return handleFormAction(values as Record<string, string>, async () => {
    const entry = await createEntry(user, parsed.data, String(form.get("source") ?? ""));
    return redirect(`/me/portfolio/entries/${entry.id}?saved=1`);
  });
}

export default function NewEntry() {
  const { areas, candidates, draft, fromSomething } = useLoaderData<typeof loader>();
  const failed = useActionData<Failure>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="narrow-wide stack">
      <p>
        <Link to="/me/portfolio">← My portfolio</Link>
      </p>
      <h1>Add an activity</h1>
      {fromSomething && !failed ? (
        <p className="notice notice--info">Filled in from what you chose: check the dates and hours, then save. Nothing is added until you do.</p>
      ) : null}
      <Form method="post" className="form card" noValidate key={"source" in draft ? draft.source : "blank"}>
        <EntryFields areas={areas} values={failed?.values ?? draft} errors={failed?.fields ?? {}} message={failed?.message} />
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            Save to my portfolio
          </button>
          <Link to="/me/portfolio">Cancel</Link>
        </div>
      </Form>

      <section aria-labelledby="from-your-work" className="stack">
        <h2 id="from-your-work">From your ParaNet work</h2>
        <p className="muted">
          Answers the asker accepted, HITs you compiled and resources you shared can count as professional activity. Add the ones you want; none is counted
          unless you do.
        </p>
        {candidates.length === 0 ? (
          <p className="muted">Nothing yet — or everything is already in your log.</p>
        ) : (
          <ul className="entry-list">
            {candidates.map((c) => (
              <li key={c.source}>
                <Link to={c.href}>{c.title}</Link> <span className="muted">· {c.on}</span>{" "}
                <Link to={`/me/portfolio/new?work=${encodeURIComponent(c.source)}`} className="button button--secondary button--small">
                  Add<span className="visually-hidden">: {c.title}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
