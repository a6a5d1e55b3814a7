import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useMatches, useNavigation, useOutlet } from "@remix-run/react";
import { EvidenceSection } from "~/components/Evidence";
import { useState } from "react";
import { ConfirmAction } from "~/components/Confirm";
import { AmountText, EntryFields, entryFormValues } from "~/components/Portfolio";
import { VerificationSection, type VerificationFailure } from "~/components/Verification";
import { requireUser } from "~/web/auth.server";
import { handleFormAction, idOr404, orErrorPage, readForm } from "~/web/http.server";
import { retryAfterHeaders } from "~/web/retry-after";
import type { FieldErrors } from "~/lib/errors";
import { formDataWithLists } from "~/lib/validation";
import { parseVerificationRequest } from "~/lib/verification-input.server";
import { entryFromForm, parseEntry } from "~/lib/portfolio-input.server";
import { activityTypeLabel, areaShare } from "~/lib/program";
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
  return json({
    entry,
    areas,
    evidence,
    storage,
    verification,
    saved: query.has("saved"),
    asked: query.has("asked"),
    editing: query.has("edit"),
    evidenceNotice: query.get("evidence"),
  });
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
  const { entry, areas, evidence, storage, verification, saved, asked, editing, evidenceNotice } = useLoaderData<typeof loader>();
  // After a refused evidence form (/me/portfolio/entries/<id>/evidence), that route's forms show what went wrong.
  const outlet = useOutlet();
  const evidenceForms = useMatches().at(-1)?.id === "routes/me.portfolio.entries.$id.evidence" ? outlet : null;
  const answer = useActionData<Failure | VerificationFailure>();
  const asking = answer && "form" in answer ? answer : undefined;
  const failed = answer && !("form" in answer) ? answer : undefined;
  const busy = useNavigation().state === "submitting";
  // The edit form is folded under the entry: open for ?edit (the "Edit" link, which works without JavaScript) and after a
  // failed save, closed once a save succeeds (the entry changed); in between, as the member toggles it. Set while
  // rendering, so a failure's banner is in an open form when it takes the focus.
  const wanted = editing || !!failed;
  const [editOpen, setEditOpen] = useState(wanted);
  const cause = `${wanted}|${entry.updatedAt}`;
  const [lastCause, setLastCause] = useState(cause);
  if (cause !== lastCause) {
    setLastCause(cause);
    setEditOpen(wanted);
  }
  const clears = clearingWarning(verification);
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

      {/* The entry as it stands, read first (on a phone, before any form). */}
      <section aria-labelledby="entry-heading" className="card stack entry-view">
        <h2 id="entry-heading" className="visually-hidden">
          The entry
        </h2>
        <dl className="entry-facts">
          <dt>Kind</dt>
          <dd>{activityTypeLabel(entry.type)}</dd>
          {entry.provider ? (
            <>
              <dt>Provider</dt>
              <dd>{entry.provider}</dd>
            </>
          ) : null}
          <dt>When</dt>
          <dd>{entry.startedOn === entry.endedOn ? entry.startedOn : `${entry.startedOn} to ${entry.endedOn}`}</dd>
          <dt>Amount</dt>
          <dd>
            <AmountText quantity={entry.quantity} unit={entry.unit} />
          </dd>
          <dt>Competency areas</dt>
          <dd>
            {entry.areas.length ? (
              <ul className="entry-facts__areas">
                {entry.areas.map((a) => (
                  <li key={a.slug}>
                    {a.name} <span className="muted">{areaShare(a.hours, entry.unit)}</span>
                  </li>
                ))}
              </ul>
            ) : (
              "None chosen."
            )}
          </dd>
          <dt>Reflection or competency statement</dt>
          <dd className="entry-facts__reflection">{entry.reflection || <span className="muted">None written yet.</span>}</dd>
          <dt>Evidence</dt>
          <dd>
            {evidence.length ? <a href="#evidence-heading">{evidence.length === 1 ? "1 file or link" : `${evidence.length} files and links`}</a> : "None yet."}
          </dd>
          <dt>Verification</dt>
          <dd>{verificationLine(verification)}</dd>
        </dl>
        <p className="entry-view__actions">
          <Link to="?edit=1#edit" className="button button--secondary button--small" onClick={() => setEditOpen(true)}>
            Edit this entry
          </Link>
        </p>
      </section>

      {asked && !asking ? (
        <p className="notice notice--success" role="status">
          Your request is on its way.
        </p>
      ) : null}
      <VerificationSection state={verification} failure={asking} />

      <EvidenceSection entryId={entry.id} evidence={evidence} usage={storage} notice={evidenceNotice} forms={evidenceForms} />

      <details id="edit" className="entry-edit" open={editOpen} onToggle={(e) => setEditOpen(e.currentTarget.open)}>
        <summary>
          <h2 id="edit-heading">Edit this entry</h2>
        </summary>
        {clears ? <p className="notice notice--warning">{clears}</p> : null}
        <Form method="post" className="form card" noValidate>
          <EntryFields areas={areas} values={failed?.values ?? entryFormValues(entry)} errors={failed?.fields ?? {}} message={failed?.message} />
          {/* Said again where the member presses Save: the top of a long form is screens away on a phone. */}
          {clears ? (
            <p className="notice notice--warning entry-edit__clears" id="edit-clears">
              {clears}
            </p>
          ) : null}
          <div className="actions">
            <button type="submit" className="button" disabled={busy} aria-describedby={clears ? "edit-clears" : undefined}>
              Save changes
            </button>
            <a href={`/me/portfolio/entries/${entry.id}`}>Cancel</a>
          </div>
        </Form>
      </details>

      <section aria-labelledby="delete-heading" className="stack">
        <h2 id="delete-heading">Delete</h2>
        <ConfirmAction
          look="button"
          label="Delete this entry"
          question="The entry, its evidence files and links and its verification are deleted for good. This cannot be undone."
          confirm="Yes, delete this entry"
        >
          <input type="hidden" name="intent" value="delete" />
        </ConfirmAction>
      </section>
    </div>
  );
}

type VerificationView = Parameters<typeof VerificationSection>[0]["state"];

/** The verification in a line, for the entry's facts (the Verification section below says more). */
function verificationLine(v: VerificationView): string {
  switch (v.status) {
    case "confirmed":
      return `Verified by ${v.by} on ${v.on}.`;
    case "declined":
      return `Declined by ${v.by} on ${v.on}.`;
    case "pending":
      return v.expired ? `Not verified (the request to ${v.by} expired).` : `Asked of ${v.by} on ${v.since}; no answer yet.`;
    default:
      return "Not verified.";
  }
}

/** What saving an edit does to a verification (models/portfolio.server.ts updateEntry clears it), or null when nothing. */
function clearingWarning(v: VerificationView): string | null {
  if (v.status === "confirmed") return `Saving changes clears the verification by ${v.by}: it was for what the entry said before. You can ask again.`;
  if (v.status === "declined") return `Saving changes clears ${v.by}’s answer: it was for what the entry said before. You can ask again.`;
  if (v.status === "pending" && !v.expired) return `Saving changes withdraws your request to ${v.by}: their link stops working. You can ask again.`;
  return null;
}
