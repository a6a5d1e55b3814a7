import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useMatches, useNavigation, useOutlet } from "@remix-run/react";
import { EvidenceSection } from "~/components/Evidence";
import { EntryFields, EntryMeta, entryFormValues } from "~/components/Portfolio";
import { requireUser } from "~/web/auth.server";
import { handleFormAction, idOr404, orErrorPage, readForm } from "~/web/http.server";
import type { FieldErrors } from "~/lib/errors";
import { formDataWithLists } from "~/lib/validation";
import { entryFromForm, parseEntry } from "~/lib/portfolio-input.server";
import { format } from "~/lib/program";
import { deleteEntry, getEntry, todayUtc, updateEntry } from "~/models/portfolio.server";
import { evidenceUsage, listEvidence } from "~/models/evidence.server";
import { listCompetencyAreas } from "~/models/tag.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(`${data?.entry.title ?? "Entry"} — My portfolio — ParaNet`);

type Failure = { message: string; fields: FieldErrors; values: Record<string, unknown> };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = idOr404(params.id);
  const [entry, areas, evidence, storage] = await Promise.all([
    orErrorPage(() => getEntry(user, id)),
    listCompetencyAreas(),
    listEvidence(user, id),
    evidenceUsage(user),
  ]);
  const search = new URL(request.url).searchParams;
  return json({ entry, areas, saved: search.has("saved"), evidence, storage, evidenceNotice: search.get("evidence") });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idOr404(params.id);
  const form = await readForm(request);
  const values = formDataWithLists(form, ["area"]);
  if (form.get("intent") === "delete") {
    return handleFormAction({}, async () => {
      await deleteEntry(user, id);
      return redirect("/me/portfolio?saved=deleted");
    });
  }
  const parsed = parseEntry(entryFromForm(form), todayUtc());
  if (!parsed.ok) return json<Failure>({ message: "Please correct the highlighted fields.", fields: parsed.fields, values }, { status: 400 });
  return handleFormAction(values as Record<string, string>, async () => {
    await updateEntry(user, id, parsed.data);
    return redirect(`/me/portfolio/entries/${id}?saved=1`);
  });
}

export default function Entry() {
  const { entry, areas, saved, evidence, storage, evidenceNotice } = useLoaderData<typeof loader>();
  // After a refused evidence form (/me/portfolio/entries/<id>/evidence), that route's forms show what went wrong.
  const outlet = useOutlet();
  const evidenceForms = useMatches().at(-1)?.id === "routes/me.portfolio.entries.$id.evidence" ? outlet : null;
  const failed = useActionData<Failure>();
  const busy = useNavigation().state === "submitting";
  const v = entry.verification;
  return (
    <div className="narrow-wide stack">
      <p>
        <Link to="/me/portfolio">← My portfolio</Link>
      </p>
      <h1>{entry.title}</h1>
      {saved && !failed ? (
        <p className="notice notice--success" role="status">
          Saved to your portfolio.
        </p>
      ) : null}
      <p>
        <EntryMeta e={entry} />
      </p>
      {entry.areas.length ? (
        <p>Competency areas: {entry.areas.map((a) => `${a.name} (${format(a.hours)}${entry.unit === "items" ? "" : " hours"})`).join(", ")}</p>
      ) : null}
      {v ? (
        <p className={v.status === "confirmed" ? "notice notice--success" : "notice notice--info"}>
          {v.status === "confirmed"
            ? `Verified by ${v.by}${v.decidedAt ? ` on ${v.decidedAt.slice(0, 10)}` : ""}.`
            : v.status === "declined"
              ? `${v.by} declined to verify this entry.`
              : `Waiting for ${v.by} to verify this entry.`}
          {v.note ? ` Their note: “${v.note}”` : ""}
        </p>
      ) : null}

      <EvidenceSection entryId={entry.id} evidence={evidence} usage={storage} notice={evidenceNotice} forms={evidenceForms} />

      <section aria-labelledby="edit-heading" className="stack">
        <h2 id="edit-heading">Edit</h2>
        {v?.status === "confirmed" ? <p className="muted">Saving a change clears the verification: it was for what the entry said before.</p> : null}
        <Form method="post" className="form card" noValidate>
          <EntryFields areas={areas} values={failed?.values ?? entryFormValues(entry)} errors={failed?.fields ?? {}} message={failed?.message} />
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>
              Save changes
            </button>
          </div>
        </Form>
      </section>

      <section aria-labelledby="delete-heading" className="stack">
        <h2 id="delete-heading">Delete</h2>
        <Form method="post">
          <input type="hidden" name="intent" value="delete" />
          <button type="submit" className="button button--danger">
            Delete this entry
          </button>
        </Form>
      </section>
    </div>
  );
}
