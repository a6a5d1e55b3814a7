// A portfolio entry's evidence (issue 19): the list (a link shows its
// address; a file its name, type and size, to download), the member's
// storage, and the forms to upload a file or add a link. Plain forms: the
// upload is an ordinary multipart form and works without JavaScript. They
// post to /me/portfolio/entries/<id>/evidence, whose page is the entry page
// with these forms showing what went wrong.
import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { FormMessage, TextField, useEmptiedOnceSent } from "~/components/Field";
import type { FieldErrors } from "~/lib/errors";
import { EVIDENCE_ACCEPT, EVIDENCE_LABEL_MAX, formatBytes, MAX_EVIDENCE_BYTES } from "~/lib/evidence-type";
import type { EvidenceView } from "~/models/evidence.server";

/** What a refused evidence form sends back: which form, its message, the fields at fault and what was typed. */
export type EvidenceFailure = { form: "link" | "file"; message: string; fields: FieldErrors; values: Record<string, string> };

export const evidenceAction = (entryId: number) => `/me/portfolio/entries/${entryId}/evidence`;

const NOTICES: Record<string, string> = { added: "Evidence added.", deleted: "Evidence deleted." };

export function EvidenceSection({
  entryId,
  evidence,
  usage,
  notice,
  forms,
}: {
  entryId: number;
  evidence: EvidenceView[];
  usage: { used: number; quota: number };
  /** "added" or "deleted" after a form succeeded. */
  notice: string | null;
  /** The forms as a failed post re-renders them (the evidence route's page); the empty forms otherwise. */
  forms: ReactNode;
}) {
  return (
    <section aria-labelledby="evidence-heading" className="stack" id="evidence">
      <h2 id="evidence-heading">Evidence</h2>
      {notice && NOTICES[notice] ? (
        <p className="notice notice--success" role="status">
          {NOTICES[notice]}
        </p>
      ) : null}
      {evidence.length ? (
        <ul className="evidence-list">
          {evidence.map((e) => (
            <EvidenceItem key={e.id} entryId={entryId} e={e} />
          ))}
        </ul>
      ) : (
        <p className="muted">No evidence yet: upload a certificate or a programme, or link to the page that shows what you did.</p>
      )}
      <p className="muted">
        Your evidence files use {formatBytes(usage.used)} of your {formatBytes(usage.quota)}.
      </p>
      {forms ?? <EvidenceForms entryId={entryId} />}
    </section>
  );
}

function EvidenceItem({ entryId, e }: { entryId: number; e: EvidenceView }) {
  const name = e.kind === "file" ? e.name : e.name || e.url;
  return (
    <li className="evidence-item">
      <div className="evidence-item__what">
        {e.kind === "file" ? (
          <>
            <a href={`/me/portfolio/evidence/${e.id}`} download className="evidence-item__name">
              {e.name}
              <span className="visually-hidden"> (download)</span>
            </a>
            <span className="evidence-item__meta">
              {e.typeLabel}, {formatBytes(e.bytes)}
            </span>
          </>
        ) : (
          <>
            <a href={e.url} rel="nofollow noopener noreferrer" className="evidence-item__name">
              {name}
            </a>
            <span className="evidence-item__meta">Link{e.name ? <>: {e.url}</> : null}</span>
          </>
        )}
      </div>
      <Form method="post" action={evidenceAction(entryId)} className="evidence-item__delete">
        <input type="hidden" name="intent" value="delete" />
        <input type="hidden" name="evidenceId" value={e.id} />
        <button type="submit" className="button button--small button--secondary">
          Delete<span className="visually-hidden"> {name}</span>
        </button>
      </Form>
    </li>
  );
}

export function EvidenceForms({ entryId, failure }: { entryId: number; failure?: EvidenceFailure }) {
  const action = evidenceAction(entryId);
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formAction === action;
  const file = failure?.form === "file" ? failure : undefined;
  const link = failure?.form === "link" ? failure : undefined;
  // A piece added empties its form: what was sent does not linger in it, to be sent twice. A refused file goes too
  // (sent again it would be refused again); a refused link stays, to be corrected.
  const fileForm = useEmptiedOnceSent(false);
  const linkForm = useEmptiedOnceSent(link !== undefined);
  return (
    <div className="evidence-forms">
      <Form
        method="post"
        action={action}
        encType="multipart/form-data"
        className="form card"
        aria-labelledby="evidence-upload-heading"
        noValidate
        {...fileForm}
      >
        <h3 id="evidence-upload-heading">Upload a file</h3>
        <FormMessage message={file?.message} />
        <TextField
          type="file"
          name="file"
          id="evidence-file"
          label="File"
          required
          accept={EVIDENCE_ACCEPT}
          error={file?.fields.file}
          hint={`A PDF, PNG or JPEG of at most ${formatBytes(MAX_EVIDENCE_BYTES)}: a certificate, a programme, a photo of a badge.`}
        />
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            Upload
          </button>
        </div>
      </Form>
      <Form method="post" action={action} className="form card" aria-labelledby="evidence-link-heading" noValidate {...linkForm}>
        <h3 id="evidence-link-heading">Add a link</h3>
        <FormMessage message={link?.message} />
        <TextField
          name="url"
          id="evidence-url"
          label="Address"
          type="url"
          required
          defaultValue={link?.values.url}
          error={link?.fields.url}
          hint="The page that shows what you did: a course record, a conference programme, a published article."
        />
        <TextField
          name="label"
          id="evidence-label"
          label="Label"
          defaultValue={link?.values.label}
          error={link?.fields.label}
          limit={EVIDENCE_LABEL_MAX}
          hint="Optional: what it is, e.g. “Certificate of completion”."
        />
        <div className="actions">
          <button type="submit" className="button button--secondary" disabled={busy}>
            Add the link
          </button>
        </div>
      </Form>
    </div>
  );
}
