// What a member sends to ask for an entry's verification, and what a
// verifier sends to decide (issue 19): checked here, each message keyed by
// the field at fault. A request names a ParaNet member (by handle) or an
// email address with the person's name — one or the other, never both.
// Server-only (zod).
import type { FieldErrors } from "./errors";
import { cleanInput, type ParseResult } from "./input";
import { emailField, handleField } from "./validation.server";

export const VERIFIER_NAME_MAX = 100;
export const VERIFICATION_MESSAGE_MAX = 1000;
export const VERIFICATION_NOTE_MAX = 1000;

export type VerificationRequestInput = { verifier: { handle: string } | { email: string; name: string }; message: string };
export type VerificationDecisionInput = { decision: "confirmed" | "declined"; name: string; note: string };

const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");
/** A name for a mail greeting and the entry's "verified by": one line, a sensible length. */
const name = (value: unknown, fields: FieldErrors, key: string, required: string) => {
  const v = text(value).replace(/\s+/g, " ");
  if (!v) fields[key] = required;
  else if (v.length > VERIFIER_NAME_MAX) fields[key] = `Name must be at most ${VERIFIER_NAME_MAX} characters.`;
  return v;
};
const longText = (value: unknown, fields: FieldErrors, key: string, label: string, max: number) => {
  const v = text(value);
  if (v.length > max) fields[key] = `${label} must be at most ${max.toLocaleString("en-US")} characters.`;
  return v;
};

/** The ask form: `verifierHandle`, or `verifierEmail` with `verifierName`; an optional `message`. */
export function parseVerificationRequest(raw: Record<string, unknown>): ParseResult<VerificationRequestInput> {
  const input = cleanInput(raw);
  const fields: FieldErrors = {};
  const handle = text(input.verifierHandle);
  const email = text(input.verifierEmail);
  const message = longText(input.message, fields, "message", "Your message", VERIFICATION_MESSAGE_MAX);
  if (handle && email) {
    const both = "Give a member's handle or an email address, not both.";
    return { ok: false, fields: { ...fields, verifierHandle: both, verifierEmail: both } };
  }
  if (!handle && !email) {
    return {
      ok: false,
      fields: {
        ...fields,
        verifierHandle: "Give the handle of the ParaNet member who can verify this, or their email address below.",
        verifierEmail: "Or give the email address of someone without a ParaNet account, with their name.",
      },
    };
  }
  if (handle) {
    const parsed = handleField.safeParse(handle);
    if (!parsed.success) fields.verifierHandle = parsed.error.issues[0]?.message ?? "That is not a handle.";
    return Object.keys(fields).length ? { ok: false, fields } : { ok: true, data: { verifier: { handle: parsed.data! }, message } };
  }
  const parsed = emailField.safeParse(email);
  if (!parsed.success) fields.verifierEmail = parsed.error.issues[0]?.message ?? "Enter an email address like name@example.org.";
  const who = name(input.verifierName, fields, "verifierName", "Give their name: the mail greets them with it, and your entry shows who verified it.");
  return Object.keys(fields).length ? { ok: false, fields } : { ok: true, data: { verifier: { email: parsed.data!, name: who }, message } };
}

/**
 * The decide form: `intent` confirm or decline, an optional `note`, and the
 * verifier's `name` (asked of someone without an account; a member's is
 * their account's, `nameRequired` false).
 */
export function parseVerificationDecision(raw: Record<string, unknown>, nameRequired: boolean): ParseResult<VerificationDecisionInput> {
  const input = cleanInput(raw);
  const fields: FieldErrors = {};
  const intent = text(input.intent);
  if (intent !== "confirm" && intent !== "decline") fields.intent = "Choose Confirm or Decline.";
  const note = longText(input.note, fields, "note", "Your note", VERIFICATION_NOTE_MAX);
  const who = nameRequired ? name(input.name, fields, "name", "Give your name: the entry shows who verified it.") : "";
  if (Object.keys(fields).length) return { ok: false, fields };
  return { ok: true, data: { decision: intent === "confirm" ? "confirmed" : "declined", name: who, note } };
}
