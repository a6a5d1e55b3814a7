// Verification of portfolio entries (issue 19): the section of an entry's
// page where its owner sees the state and asks someone, and the page where a
// verifier decides (the same for a link in a mail and for a member's request).
import { Form } from "@remix-run/react";
import { Fragment } from "react";
import type { FieldErrors } from "~/lib/errors";
import type { VerificationPage, VerificationState } from "~/models/portfolio-verification.server";
import type { FormFailure } from "~/web/http.server";
import { FormMessage, TextArea, TextField, useEmptiedOnceSent } from "./Field";

export type VerificationFailure = { form: "verification"; message: string; fields: FieldErrors; values: Record<string, string> };

/** The state in a sentence (with the verifier's note, if any). */
function StateNotice({ state }: { state: VerificationState }) {
  switch (state.status) {
    case "none":
      return <p className="muted">Nobody has been asked to verify this entry yet.</p>;
    case "pending":
      return state.expired ? (
        <p className="notice notice--warning">
          Your request to {state.by} (sent {state.since}) expired on {state.expiresOn} without an answer. You can ask again.
        </p>
      ) : (
        <p className="notice notice--info">
          Waiting for {state.by} to verify this entry since {state.since}
          {state.viaEmail ? ` (the link in the mail works until ${state.expiresOn})` : ` (until ${state.expiresOn})`}.
        </p>
      );
    case "confirmed":
    case "declined":
      return (
        <div className={state.status === "confirmed" ? "notice notice--success" : "notice notice--warning"}>
          <p>{state.status === "confirmed" ? `Verified by ${state.by} on ${state.on}.` : `${state.by} declined to verify this entry on ${state.on}.`}</p>
          {state.note ? <p className="verification__note">Their note: “{state.note}”</p> : null}
        </div>
      );
    case "cleared":
      return (
        <p className="notice notice--info">
          {state.decided
            ? `The verification by ${state.by} was cleared when you edited the entry: it was for what the entry said before.`
            : `Your request to ${state.by} was withdrawn when you edited the entry: it was for what the entry said before.`}{" "}
          You can ask again.
        </p>
      );
  }
}

/** The owner's view: the state, and the form to ask (not while the entry stands confirmed). */
export function VerificationSection({ state, failure }: { state: VerificationState; failure?: VerificationFailure }) {
  const values = failure?.values ?? {};
  const errors = failure?.fields ?? {};
  // A second press would otherwise ask again, replacing the request just made.
  const emptied = useEmptiedOnceSent(failure !== undefined);
  return (
    <section aria-labelledby="verification-heading" className="stack verification">
      <h2 id="verification-heading">Verification</h2>
      <StateNotice state={state} />
      {state.status === "confirmed" ? (
        <FormMessage message={failure?.message} />
      ) : (
        <Form method="post" className="form card" noValidate {...emptied}>
          <input type="hidden" name="intent" value="ask-verification" />
          <FormMessage message={failure?.message} />
          <p className="fieldset__intro">
            A supervisor or mentor can confirm that this entry is true. They see the entry as you wrote it (not your evidence files) and confirm or decline it
            with a note. Your email address is not shown to them.
            {state.status === "pending" && !state.expired ? ` Asking again replaces your request to ${state.by}: their link stops working.` : ""}
          </p>
          <TextField
            name="verifierHandle"
            label="A ParaNet member's handle"
            defaultValue={values.verifierHandle}
            error={errors.verifierHandle}
            hint="Like @jsmith. They are notified, and decide on ParaNet."
            maxLength={40}
            autoComplete="off"
          />
          <fieldset className="fieldset fieldset--inner">
            <legend>Or someone without an account, by email</legend>
            <TextField
              name="verifierEmail"
              label="Their email address"
              type="email"
              defaultValue={values.verifierEmail}
              error={errors.verifierEmail}
              hint="They get a link that needs no account and works for 30 days."
              maxLength={254}
              autoComplete="off"
            />
            <TextField name="verifierName" label="Their name" defaultValue={values.verifierName} error={errors.verifierName} limit={100} autoComplete="off" />
          </fieldset>
          <TextArea name="message" label="A message to them (optional)" defaultValue={values.message} error={errors.message} rows={3} limit={1000} />
          <div className="actions">
            <button type="submit" className="button">
              Ask to verify
            </button>
          </div>
        </Form>
      )}
    </section>
  );
}

const GONE: Record<"expired" | "replaced" | "cleared", (on: string) => string> = {
  expired: (on) => `This request expired on ${on}: requests to verify an entry stay open for 30 days. The member who asked can ask you again.`,
  replaced: () => "The member asked again since (perhaps someone else), so this request no longer stands and cannot be used.",
  cleared: () =>
    "The member changed the entry after asking, so this request no longer stands: what you would have confirmed is not what the entry says now. They can ask you again.",
};

/** The verifier's page: the request and the decide form, the decision once taken, or why the request is gone. */
export function VerificationDecision({ page, failure, asMember }: { page: VerificationPage; failure?: FormFailure; asMember: boolean }) {
  if (page.state === "gone") {
    return (
      <div className="narrow stack">
        <h1>This request is no longer open</h1>
        <p className="notice notice--info">{GONE[page.reason](page.on)}</p>
      </div>
    );
  }
  if (page.state === "decided") {
    return (
      <div className="narrow stack">
        <h1>Thank you</h1>
        <p className={page.decision === "confirmed" ? "notice notice--success" : "notice notice--info"} role="status">
          {page.by} {page.decision === "confirmed" ? "confirmed" : "declined to verify"} “{page.title}” on {page.on}. The member has been told.
        </p>
        {page.note ? <p className="verification__note">Your note: “{page.note}”</p> : null}
        <p className="muted">This request is answered: it cannot be used again.</p>
      </div>
    );
  }
  const r = page.request;
  const values = failure?.values ?? {};
  const errors = failure?.fields ?? {};
  const asker = [r.asker.jobTitle, r.asker.worksite].filter(Boolean).join(", ");
  return (
    <div className="narrow-wide stack verification">
      <h1>Verify an activity</h1>
      <p>
        <strong>{r.asker.displayName}</strong>
        {asker ? ` (${asker})` : ""} keeps a record of their professional development on ParaNet and asks you to confirm this activity.
      </p>
      <section aria-labelledby="entry-heading" className="card">
        <h2 id="entry-heading">{r.entry.title}</h2>
        <dl className="facts verification__facts">
          {r.entry.lines.map(([label, text]) => (
            <Fragment key={label}>
              <dt>{label}</dt>
              <dd>{text}</dd>
            </Fragment>
          ))}
        </dl>
      </section>
      {r.message ? (
        <section aria-labelledby="message-heading">
          <h2 id="message-heading">Their message to you</h2>
          <blockquote className="verification__message">{r.message}</blockquote>
        </section>
      ) : null}
      <Form method="post" className="form card" noValidate>
        <FormMessage message={failure?.message} />
        {asMember ? (
          <p className="fieldset__intro">You answer as {r.verifierName}, your ParaNet name.</p>
        ) : (
          <TextField
            name="name"
            label="Your name"
            required
            defaultValue={values.name ?? r.verifierName}
            error={errors.name}
            hint="The entry shows who verified it."
            limit={100}
            autoComplete="name"
          />
        )}
        <TextArea
          name="note"
          label="A note (optional)"
          defaultValue={values.note}
          error={errors.note}
          rows={3}
          limit={1000}
          hint="The member reads it with your answer: what you saw, or why you decline."
        />
        {errors.intent ? (
          <p className="field__error" role="alert">
            {errors.intent}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" name="intent" value="confirm" className="button">
            Confirm
          </button>
          <button type="submit" name="intent" value="decline" className="button button--secondary">
            Decline
          </button>
        </div>
        <p className="muted">This request stays open until {r.expiresOn}. Once you answer, it cannot be used again.</p>
      </Form>
    </div>
  );
}
