import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useMatches, useNavigation, useOutlet } from "@remix-run/react";
import { EvidenceSection } from "~/components/Evidence";
import { EntryFields, EntryMeta, entryFormValues } from "~/components/Portfolio";
import { VerificationSection, type VerificationFailure } from "~/components/Verification";
import { requireUser } from "~/web/auth.server";
import { handleFormAction, idOr404, orErrorPage, readForm } from "~/web/http.server";
import { retryAfterHeaders } from "~/web/retry-after";
import type { FieldErrors } from "~/lib/errors";
import { formDataWithLists } from "~/lib/validation";
import { parseVerificationRequest } from "~/lib/verification-input.server";
import { entryFromForm, parseEntry } from "~/lib/portfolio-input.server";
import { format } from "~/lib/program";
import { deleteEntry, getEntry, todayUtc, updateEntry } from "~/models/portfolio.server";
import { evidenceUsage, listEvidence } from "~/models/evidence.server";
import { askVerification, verificationFor } from "~/models/portfolio-verification.server";
import { listCompetencyAreas } from "~/models/tag.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(`${data?.entry.title ?? "Entry"} — My portfolio — ParaNet`);

// Asking for verification is rate-limited: a 429 says when to try again.
export const headers = retryAfterHeaders;

type Failure = { message: string; fields: FieldErrors; values: Record<string, unknown> };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = idOr404(params.id);
  const [entry, areas, evidence, storage, verification] = await Promise.all([
    orErrorPage(() => getEntry(user, id)),
    listCompetencyAreas(),
    listEvidence(user, id),
    evidenceUsage(user),
    orErrorPage(() => verificationFor(user, id)),
  ]);
  const query = new URL(request.url).searchParams;
  return json({ entry, areas, evidence, storage, verification, saved: query.has("saved"), asked: query.has("asked"), evidenceNotice: query.get("evidence") });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idOr404(params.id);
  const form = await readForm(request);
  const values = formDataWithLists(form, ["area"]);
  if (form.get("intent") === "ask-verification") {
    // Asking someone to verify the entry (the Verification section's form): its own failures, kept apart from the edit form's.
    await orErrorPage(() => getEntry(user, id));
    const typed = {
      verifierHandle: String(form.get("verifierHandle") ?? ""),
      verifierEmail: String(form.get("verifierEmail") ?? ""),
      verifierName: String(form.get("verifierName") ?? ""),
      message: String(form.get("message") ?? ""),
    };
    const parsed = parseVerificationRequest(typed);
    if (!parsed.ok)
      return json<VerificationFailure>(
        { form: "verification", message: "Please correct the highlighted fields.", fields: parsed.fields, values: typed },
        { status: 400 },
      );
    return handleFormAction(
      typed,
      async () => {
        await askVerification(user, id, parsed.data);
        return redirect(`/me/portfolio/entries/${id}?asked=1#verification-heading`);
      },
      { form: "verification" },
    );
  }
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
  const { entry, areas, evidence, storage, verification, saved, asked, evidenceNotice } = useLoaderData<typeof loader>();
  // After a refused evidence form (/me/portfolio/entries/<id>/evidence), that route's forms show what went wrong.
  const outlet = useOutlet();
  const evidenceForms = useMatches().at(-1)?.id === "routes/me.portfolio.entries.$id.evidence" ? outlet : null;
  const answer = useActionData<Failure | VerificationFailure>();
  const asking = answer && "form" in answer ? answer : undefined;
  const failed = answer && !("form" in answer) ? answer : undefined;
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
      {asked && !asking ? (
        <p className="notice notice--success" role="status">
          Your request is on its way.
        </p>
      ) : null}
      <VerificationSection state={verification} failure={asking} />

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
