// Labelled form fields with their error message beside them. Each keeps what
// the user typed (defaultValue) when the form comes back with errors.
import { useEffect, useRef, type ReactNode } from "react";

type Common = {
  name: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  required?: boolean;
};

function describedBy(name: string, error?: string, hint?: ReactNode) {
  return [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
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
  inputMode,
}: Common & {
  /** When one page shows the same field in several forms (e.g. a reason per post). */
  id?: string;
  type?: "text" | "email" | "password" | "url" | "date";
  defaultValue?: string;
  autoComplete?: string;
  maxLength?: number;
  inputMode?: "numeric" | "text";
}) {
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
        inputMode={inputMode}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
      />
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
  maxLength,
}: Common & { defaultValue?: string; rows?: number; maxLength?: number }) {
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <Label name={name} label={label} required={required} />
      <textarea
        id={name}
        name={name}
        rows={rows}
        defaultValue={defaultValue}
        maxLength={maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, error, hint)}
      />
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

/** The banner at the top of a form that failed; it takes focus so keyboard and screen-reader users start there. */
export function FormMessage({ message }: { message?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message) ref.current?.focus();
  }, [message]);
  if (!message) return null;
  return (
    <div className="notice notice--error" role="alert" tabIndex={-1} ref={ref}>
      {message}
    </div>
  );
}
