// What checking input needs besides the schemas: the limits, cleaning text
// as it enters, ids from addresses, form data as objects. No schema library
// here: browser code may import this (the schemas, with zod, are server-only
// in validation.server.ts; validation.ts offers both under one name).
import type { FieldErrors } from "./errors";

export const WORKSITE_REQUIRED = "Worksite is required: the library or school where you work.";

/** The first `max` UTF-16 units of a text, never ending in half an emoji (a lone surrogate the database refuses). */
export function clip(value: string, max: number): string {
  const cut = value.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** The largest id a row can have: ids are 32-bit integers (PostgreSQL's INTEGER refuses more). */
export const MAX_ID = 2_147_483_647;

/** A database id from a URL or form value: a positive safe integer, or null. */
export function positiveId(value: unknown): number | null {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : typeof value === "number" ? value : NaN;
  return Number.isSafeInteger(n) && n > 0 && n <= MAX_ID ? n : null;
}

// Control characters nobody means to type (C0 but tab, newline and carriage
// return; DEL; C1), U+FFFE/U+FFFF, and lone UTF-16 halves (a JSON "\ud800",
// which no text column can store). XML 1.0 forbids most of them even in CDATA,
// so one in a title would make every feed listing it unreadable.
// eslint-disable-next-line no-control-regex
const UNWANTED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as ParaNet stores it: Unicode NFC (so "é" typed two ways is one
 * word for search and duplicates), without invisible control characters, a
 * lone surrogate half becoming U+FFFD as a browser does with a form.
 */
export function cleanText(value: string): string {
  return value.replace(LONE_SURROGATE, "\uFFFD").replace(UNWANTED, "").normalize("NFC");
}

/** Passwords are compared as typed: cleaning them would lock out whoever chose one with such a character. */
const KEPT_AS_TYPED = /password/i;

/**
 * Every string of a form or JSON body (keys too, nested values too) made
 * `cleanText`, except passwords. Done once where input enters: `readForm`,
 * `readJson`, and `parseInput` (for inbound mail and imports).
 */
export function cleanInput<T>(value: T, key = ""): T {
  if (typeof value === "string") return (KEPT_AS_TYPED.test(key) ? value.replace(LONE_SURROGATE, "\uFFFD") : cleanText(value)) as T;
  if (Array.isArray(value)) return value.map((v) => cleanInput(v, key)) as T;
  // Any FormData (Remix's polyfill or Node's own), told by its methods.
  if (isFormData(value)) {
    const out = new FormData();
    for (const [name, v] of value.entries()) {
      const cleanName = cleanText(name);
      if (typeof v === "string") out.append(cleanName, cleanInput(v, cleanName));
      else out.append(cleanName, v);
    }
    return out as T;
  }
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanInput(v, k)])) as T;
  }
  return value;
}

export function isFormData(value: unknown): value is FormData {
  return (
    value instanceof FormData ||
    (typeof value === "object" && value !== null && ["append", "getAll", "entries"].every((m) => typeof (value as Record<string, unknown>)[m] === "function"))
  );
}

export type ParseResult<T> = { ok: true; data: T } | { ok: false; fields: FieldErrors };

export function formDataToObject(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string") out[key] = value;
  }
  return out;
}

/** What a form re-renders after an error: the user's text, minus secrets. */
export function keepValues(form: FormData): Record<string, string> {
  const values = formDataToObject(form);
  for (const key of Object.keys(values)) if (/password|^token$/i.test(key)) delete values[key];
  return values;
}

export const MAX_POST_LENGTH = 20_000;

/** Form data as an object, with repeated fields (checkbox groups) as arrays. */
export function formDataWithLists(form: FormData, lists: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = formDataToObject(form);
  for (const name of lists) out[name] = form.getAll(name).filter((v): v is string => typeof v === "string" && v !== "");
  return out;
}

/** The abstract of a resource: long enough to choose from, short enough to scan. */
export const ABSTRACT_MIN = 50;
export const ABSTRACT_MAX = 2000;

/** A "2026-01-31" query parameter as the start (or the last moment) of that UTC day; undefined for anything else. */
export function dayParam(value: string | null, endOfDay: boolean): Date | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const d = new Date(`${value}T${endOfDay ? "23:59:59.999" : "00:00:00.000"}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
