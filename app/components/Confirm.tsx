// A button for an action that is hard to take back (delete an entry, revoke
// a reviewer's link, retire a program), with a second step that needs no
// JavaScript: the first press opens a <details> disclosure — ParaNet's menus
// and moderation tools open the same way — that says what will happen, and
// only its own button sends the form. A window.confirm() dialog would be
// skipped without scripts, and a click sent by mistake could not be undone.
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";

export function ConfirmAction({
  label,
  labelHidden,
  question,
  confirm,
  children,
  look = "link",
  danger = true,
}: {
  /** What the first press says, e.g. "Revoke". */
  label: string;
  /** Said to screen readers after the label, when the page has several alike (e.g. " the link for Branch manager"). */
  labelHidden?: string;
  /** What will happen, in a sentence or two. */
  question: ReactNode;
  /** The button that does it, e.g. "Yes, revoke this link". */
  confirm: string;
  /** The form's hidden inputs (its intent and ids). */
  children: ReactNode;
  /** The first press as a text link (in lists) or as a secondary button (beside other buttons). */
  look?: "link" | "button";
  danger?: boolean;
}) {
  return (
    <details className="confirm">
      <summary className={look === "button" ? "button button--secondary confirm__open" : "link-button confirm__open"}>
        {label}
        {labelHidden ? <span className="visually-hidden">{labelHidden}</span> : null}
      </summary>
      <Form method="post" className="confirm__panel">
        {children}
        <p className="confirm__question">{question}</p>
        <button type="submit" className={danger ? "button button--danger button--small" : "button button--small"}>
          {confirm}
        </button>
      </Form>
    </details>
  );
}
