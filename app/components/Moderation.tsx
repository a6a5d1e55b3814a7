// Flagging and moderating, where the posts are: a member's "Flag" form, a
// moderator's tools on a post, a thread's moderation panel, and the notice a
// hidden post's author sees. Each form posts to the page it is on; a failed
// one comes back open, with the message beside the field and the text kept.
import { Form, useSearchParams } from "@remix-run/react";
import { useState, type ReactNode } from "react";
import { FormMessage, TextField } from "~/components/Field";
import { FLAG_REASON_LABELS, FLAG_REASONS, HIDDEN_REASON_LABELS } from "~/lib/domain";
import type { FieldErrors } from "~/lib/errors";

/** What a moderation form's action returns when it fails. */
export type ModerationFailure = { ok: false; intent: string; target?: string; message: string; fields: FieldErrors; values: Record<string, string> };

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p className="field__error" id={id} role="alert">
      {error}
    </p>
  ) : null;
}

/** The "why" of a moderator's action, kept and marked when the form comes back. */
export function ReasonField({
  id,
  label,
  failure,
  required = false,
}: {
  id: string;
  label: string;
  failure?: { fields: FieldErrors; values: Record<string, string> };
  required?: boolean;
}) {
  return (
    <TextField
      id={id}
      name="reason"
      label={label}
      maxLength={500}
      required={required}
      defaultValue={failure?.values.reason ?? ""}
      error={failure?.fields.reason}
    />
  );
}

/** Why a post is out of sight, for its author and moderators. */
export function HiddenNotice({ reason, children }: { reason: string | null; children?: ReactNode }) {
  if (!reason) return null;
  return (
    <p className="notice notice--warning moderation-notice" role="note">
      {HIDDEN_REASON_LABELS[reason] ?? HIDDEN_REASON_LABELS.moderator} {children}
    </p>
  );
}

/**
 * A member reports a post or resource to the moderators. The form is made
 * only when it is wanted (a page of twenty replies would otherwise carry
 * twenty hidden forms): opening "Flag" shows it at once where scripts run,
 * and without them it holds a link to the same page with `?flag=<target>`,
 * which comes back with this one form open. A failed flag comes back open too.
 */
export function FlagForm({ target, action, failure }: { target: string; action: string; failure?: ModerationFailure }) {
  const mine = failure?.intent === "flag" && failure.target === target ? failure : undefined;
  const id = `flag-${target.replace(":", "-")}`;
  const [params] = useSearchParams();
  const [open, setOpen] = useState(!!mine || params.get("flag") === target);
  const withForm = new URLSearchParams(params);
  withForm.set("flag", target);
  return (
    <details className="moderation" id={id} open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Flag</summary>
      {open ? (
        <Form method="post" action={action} className="form moderation__form" preventScrollReset>
          <input type="hidden" name="intent" value="flag" />
          <input type="hidden" name="target" value={target} />
          <FormMessage message={mine?.message} />
          <fieldset className={mine?.fields.reason ? "field field--invalid" : "field"}>
            <legend className="field__label">What is wrong?</legend>
            {FLAG_REASONS.map((r) => (
              <label key={r} className="choice">
                <input type="radio" name="reason" value={r} defaultChecked={mine?.values.reason === r} /> {FLAG_REASON_LABELS[r]}
              </label>
            ))}
            <FieldError id={`${id}-reason-error`} error={mine?.fields.reason} />
          </fieldset>
          <div className={mine?.fields.note ? "field field--invalid" : "field"}>
            <label htmlFor={`${id}-note`} className="field__label">
              A note for the moderators (optional)
            </label>
            <textarea id={`${id}-note`} name="note" rows={2} maxLength={500} defaultValue={mine?.values.note ?? ""} />
            <FieldError id={`${id}-note-error`} error={mine?.fields.note} />
          </div>
          <button type="submit" className="button button--small">
            Send to the moderators
          </button>
        </Form>
      ) : (
        <a href={`?${withForm}#${id}`} className="moderation__open">
          Tell the moderators what is wrong
        </a>
      )}
    </details>
  );
}

/** A moderator's decision on one post: approve or restore, hide, delete (and move, for a reply). */
export function PostModeration({
  target,
  hiddenReason,
  action,
  failure,
  canMove = false,
}: {
  target: string;
  hiddenReason: string | null;
  action: string;
  failure?: ModerationFailure;
  canMove?: boolean;
}) {
  const mine = failure && failure.target === target && failure.intent.startsWith("mod-") ? failure : undefined;
  const id = `mod-${target.replace(":", "-")}`;
  return (
    <details className="moderation" open={!!mine}>
      <summary>Moderate</summary>
      <Form method="post" action={action} className="form moderation__form" preventScrollReset>
        <input type="hidden" name="target" value={target} />
        <FormMessage message={mine?.message} />
        <ReasonField id={`${id}-reason`} label="Reason (for the log; required to hide, delete or move)" failure={mine} />
        {canMove ? (
          <div className={mine?.fields.toThread ? "field field--invalid" : "field"}>
            <label htmlFor={`${id}-to`} className="field__label">
              Move to thread (its address or number)
            </label>
            <input id={`${id}-to`} name="toThread" type="text" maxLength={300} defaultValue={mine?.values.toThread ?? ""} />
            <FieldError id={`${id}-to-error`} error={mine?.fields.toThread} />
          </div>
        ) : null}
        <div className="actions">
          {hiddenReason ? (
            <button type="submit" name="intent" value="mod-restore" className="button button--small">
              {hiddenReason === "held" ? "Approve" : "Restore"}
            </button>
          ) : (
            <button type="submit" name="intent" value="mod-hide" className="button button--small button--secondary">
              Hide
            </button>
          )}
          {hiddenReason !== "deleted" ? (
            <button type="submit" name="intent" value="mod-delete" className="button button--small button--danger">
              Delete
            </button>
          ) : null}
          {canMove ? (
            <button type="submit" name="intent" value="mod-move" className="button button--small button--secondary">
              Move
            </button>
          ) : null}
        </div>
      </Form>
    </details>
  );
}

type Tag = { id: number; slug: string; name: string; kind: string };

/** A thread's moderation: lock, pin, close as a duplicate, retag. */
export function ThreadModeration({
  thread,
  tags,
  action,
  failure,
}: {
  thread: { id: number; locked: boolean; pinned: boolean; tags: { slug: string }[] };
  tags: Tag[];
  action: string;
  failure?: ModerationFailure;
}) {
  const mine = failure && ["lock", "unlock", "pin", "unpin", "duplicate", "retag"].includes(failure.intent) ? failure : undefined;
  const current = new Set(thread.tags.map((t) => t.slug));
  return (
    <details className="moderation moderation--thread card" open={!!mine}>
      <summary>Moderate this thread</summary>
      <FormMessage message={mine?.message} />
      <Form method="post" action={action} className="form moderation__form" preventScrollReset>
        <ReasonField
          id="thread-mod-reason"
          label="Reason (for the log)"
          failure={mine && mine.intent !== "duplicate" && mine.intent !== "retag" ? mine : undefined}
        />
        <div className="actions">
          <button type="submit" name="intent" value={thread.locked ? "unlock" : "lock"} className="button button--small button--secondary">
            {thread.locked ? "Unlock" : "Lock"}
          </button>
          <button type="submit" name="intent" value={thread.pinned ? "unpin" : "pin"} className="button button--small button--secondary">
            {thread.pinned ? "Unpin" : "Pin"}
          </button>
        </div>
      </Form>
      <Form method="post" action={action} className="form moderation__form" preventScrollReset>
        <input type="hidden" name="intent" value="duplicate" />
        <div className={mine?.intent === "duplicate" && mine.fields.duplicateOf ? "field field--invalid" : "field"}>
          <label htmlFor="duplicate-of" className="field__label">
            Close as a duplicate of (the other thread's address or number)
          </label>
          <input id="duplicate-of" name="duplicateOf" type="text" maxLength={300} defaultValue={mine?.intent === "duplicate" ? mine.values.duplicateOf : ""} />
          <FieldError id="duplicate-of-error" error={mine?.intent === "duplicate" ? mine.fields.duplicateOf : undefined} />
        </div>
        <ReasonField id="duplicate-reason" label="Reason (for the log)" failure={mine?.intent === "duplicate" ? mine : undefined} />
        <button type="submit" className="button button--small button--secondary">
          Close as duplicate
        </button>
      </Form>
      <Form method="post" action={action} className="form moderation__form" preventScrollReset>
        <input type="hidden" name="intent" value="retag" />
        <fieldset className={mine?.intent === "retag" && mine.fields.tagIds ? "field field--invalid" : "field"}>
          <legend className="field__label">Tags</legend>
          <div className="choice-grid">
            {tags.map((t) => (
              <label key={t.id} className="choice">
                <input type="checkbox" name="tagIds" value={t.id} defaultChecked={current.has(t.slug)} /> {t.name}
              </label>
            ))}
          </div>
          <FieldError id="retag-error" error={mine?.intent === "retag" ? mine.fields.tagIds : undefined} />
        </fieldset>
        <ReasonField id="retag-reason" label="Reason (for the log)" failure={mine?.intent === "retag" ? mine : undefined} />
        <button type="submit" className="button button--small button--secondary">
          Save tags
        </button>
      </Form>
    </details>
  );
}
