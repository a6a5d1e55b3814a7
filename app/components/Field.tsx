// Labelled form fields with their error message beside them. Each keeps what
// the user typed (defaultValue) when the form comes back with errors.
import { useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { FieldErrors } from "~/lib/errors";

type Common = {
  name: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  required?: boolean;
};

function describedBy(name: string, error?: string, hint?: ReactNode, limit?: number) {
  return [hint ? `${name}-hint` : null, limit ? `${name}-counter` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
}

const plural = (n: number) => `${n.toLocaleString("en-US")} character${n === 1 ? "" : "s"}`;

/**
 * A field with a limit is never cut short (a `maxlength` would silently drop
 * the end of pasted text): it counts instead, and the server's message says
 * the same if the text is sent too long anyway. Without JavaScript the
 * counter states the limit; screen readers hear the count once typing pauses.
 */
function useLength(initial: string | undefined) {
  const [length, setLength] = useState(initial?.length ?? 0);
  return { length, onInput: (e: { currentTarget: { value: string } }) => setLength(e.currentTarget.value.length) };
}

function counterText(limit: number, length: number) {
  return length > limit ? `${plural(length - limit)} too many` : `${plural(limit - length)} left`;
}

/** The counter under a limited field (its id is `<field id>-counter`, for aria-describedby). */
export function CharacterCount({ id, limit, length }: { id: string; limit: number; length: number }) {
  // Until hydration the page states the limit: a count of the server's text would not follow typing.
  const [live, setLive] = useState(false);
  const [spoken, setSpoken] = useState("");
  useEffect(() => setLive(true), []);
  useEffect(() => {
    if (length < limit * 0.8) return setSpoken("");
    const timer = setTimeout(() => setSpoken(counterText(limit, length)), 1000);
    return () => clearTimeout(timer);
  }, [limit, length]);
  const over = live && length > limit;
  return (
    <>
      <p className={over ? "field__counter field__counter--over" : "field__counter"} id={`${id}-counter`}>
        {live ? counterText(limit, length) : `Up to ${plural(limit)}.`}
      </p>
      <span className="visually-hidden" aria-live="polite">
        {live ? spoken : ""}
      </span>
    </>
  );
}

function Messages({ name, error, hint }: { name: string; error?: string; hint?: ReactNode }) {
  return (
    <>
      {hint ? (
        <p className="field__hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={`${name}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}

function Label({ name, label, required }: { name: string; label: string; required?: boolean }) {
  return (
    <label htmlFor={name} className="field__label">
      {label}
      {required ? <span className="field__required"> (required)</span> : null}
    </label>
  );
}

export function TextField({
  name,
  id = name,
  label,
  error,
  hint,
  required,
  type = "text",
  defaultValue,
  autoComplete,
  maxLength,
  limit,
  inputMode,
  accept,
}: Common & {
  /** When one page shows the same field in several forms (e.g. a reason per post). */
  id?: string;
  /** "file": the evidence upload, the one file field in ParaNet (what was chosen is never refilled after an error: browsers do not allow it). */
  type?: "text" | "email" | "password" | "url" | "date" | "file";
  /** For a file field: the types its picker offers (a hint; the server decides by content). */
  accept?: string;
  defaultValue?: string;
  autoComplete?: string;
  /** A hard cut, for short fields where a longer value is never meant (an email address, a handle). */
  maxLength?: number;
  /** A limit shown with a counter, never cutting what is typed or pasted (titles, names). */
  limit?: number;
  inputMode?: "numeric" | "text";
}) {
  const counter = useLength(defaultValue);
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <Label name={id} label={label} required={required} />
      <input
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        maxLength={maxLength}
        onInput={limit ? counter.onInput : undefined}
        inputMode={inputMode}
        accept={accept}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint, limit)}
      />
      {limit ? <CharacterCount id={id} limit={limit} length={counter.length} /> : null}
      <Messages name={id} error={error} hint={hint} />
    </div>
  );
}

export function TextArea({
  name,
  label,
  error,
  hint,
  required,
  defaultValue,
  rows = 4,
  limit,
}: Common & { defaultValue?: string; rows?: number; /** Shown with a counter, never cutting what is typed or pasted. */ limit?: number }) {
  const counter = useLength(defaultValue);
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <Label name={name} label={label} required={required} />
      <textarea
        id={name}
        name={name}
        rows={rows}
        defaultValue={defaultValue}
        onInput={limit ? counter.onInput : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, error, hint, limit)}
      />
      {limit ? <CharacterCount id={name} limit={limit} length={counter.length} /> : null}
      <Messages name={name} error={error} hint={hint} />
    </div>
  );
}

export function SelectField({
  name,
  label,
  error,
  hint,
  required,
  defaultValue,
  options,
  placeholder,
}: Common & { defaultValue?: string; options: { value: string; label: string }[]; placeholder?: string }) {
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <Label name={name} label={label} required={required} />
      <select id={name} name={name} defaultValue={defaultValue ?? ""} aria-invalid={error ? true : undefined} aria-describedby={describedBy(name, error, hint)}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Messages name={name} error={error} hint={hint} />
    </div>
  );
}

export function CheckboxField({ name, label, defaultChecked, hint }: { name: string; label: string; defaultChecked?: boolean; hint?: ReactNode }) {
  return (
    <div className="field field--checkbox">
      <input id={name} name={name} type="checkbox" defaultChecked={defaultChecked} aria-describedby={hint ? `${name}-hint` : undefined} />
      <label htmlFor={name}>{label}</label>
      {hint ? (
        <p className="field__hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The banner at the top of a form that failed; it takes focus so keyboard and screen-reader users start there.
 * Given the failure's `fields`, it also lists each field's message as a link to that field (the element whose id
 * is the field's name: TextField, TextArea and SelectField use it), so the problem in a long form — or on a phone,
 * where the field is screens below — is one tap away. A form passes only fields that have such an element.
 */
export function FormMessage({ message, fields }: { message?: string; fields?: FieldErrors }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message) ref.current?.focus();
  }, [message]);
  if (!message) return null;
  // "form" is the whole form's own problem (the message says it); a message equal to the banner's is said once.
  const links = Object.entries(fields ?? {}).filter(([name, text]) => name !== "form" && text && text !== message);
  return (
    <div className="notice notice--error" role="alert" tabIndex={-1} ref={ref}>
      {message}
      {links.length ? (
        <ul className="notice__fields">
          {links.map(([name, text]) => (
            <li key={name}>
              <a href={`#${name}`}>{text}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * For a form whose text should go once it has been sent (a request or a piece of evidence added): spread the answer on
 * the <Form>, and when its own submission ends without `failed` (the redirect after success) it is reset to its
 * (then empty) defaults, so a second press does not send the same thing again. Not by remounting on a new location:
 * Remix shows a failed action's answer before it has reloaded the page's data, so a form remounted then would drop
 * what the member typed meanwhile. (Without JavaScript the page is new anyway.)
 */
export function useEmptiedOnceSent(failed: boolean) {
  const ref = useRef<HTMLFormElement>(null);
  const sent = useRef(false);
  const { state } = useNavigation();
  useEffect(() => {
    if (state !== "idle" || !sent.current) return;
    sent.current = false;
    if (!failed) ref.current?.reset();
  }, [state, failed]);
  return { ref, onSubmit: () => void (sent.current = true) };
}
