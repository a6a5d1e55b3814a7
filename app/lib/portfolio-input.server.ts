// A portfolio entry as a member sends it, from the form or the API: checked
// here, with each message keyed by the field at fault (issue 19: dates in the
// future or an end before the start, zero or negative amounts, more than 24
// hours a day, area hours that do not add up). Server-only (zod).
import { z } from "zod";
import { COMPETENCY_AREAS } from "./domain";
import type { FieldErrors } from "./errors";
import { cleanInput, type ParseResult } from "./input";
import { ACTIVITY_TYPE_VALUES, addDays, daysSpanned, isIsoDate, toHours, UNIT_VALUES, type ActivityType, type Unit } from "./program";

export type EntryInput = {
  type: ActivityType;
  title: string;
  provider: string;
  startedOn: string;
  endedOn: string;
  quantity: number;
  unit: Unit;
  reflection: string;
  /** Competency areas served, with the hours given to each (they add up to the entry's hours). */
  areas: { area: string; hours: number }[];
};

const AREA_SLUGS = COMPETENCY_AREAS.map((a) => a.slug) as string[];
export const REFLECTION_MAX = 5000;

const text = (max: number, label: string) =>
  z
    .string({ error: `${label} must be text.` })
    .trim()
    .max(max, `${label} must be at most ${max.toLocaleString("en-US")} characters.`);
const day = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .refine(isIsoDate, `${label} must be a date like 2026-03-14.`);
const number = (label: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v.trim().replace(",", "."))) : v),
    z
      .number({ error: `${label} is required: a number.` })
      .finite(`${label} must be a number.`)
      .positive(`${label} must be more than 0.`)
      .max(100_000, `${label} is too large.`),
  );

const EntrySchema = z.object({
  type: z.enum(ACTIVITY_TYPE_VALUES, { error: "Choose what kind of activity this was." }),
  title: text(200, "Title").min(1, "Title is required."),
  provider: text(200, "Provider").default(""),
  startedOn: day("Start date"),
  endedOn: z.string().trim().default(""),
  quantity: number("Amount"),
  unit: z.enum(UNIT_VALUES, { error: "Choose hours, credits, days or items." }),
  reflection: text(REFLECTION_MAX, "Reflection").default(""),
  areas: z
    .array(
      z.object({
        area: z.string().refine((s) => AREA_SLUGS.includes(s), "Choose competency areas from the list."),
        hours: z.number().finite().min(0, "Hours for an area cannot be negative.").nullable().default(null),
      }),
      { error: "Areas must be a list." },
    )
    .default([]),
});

/**
 * The form's fields as the API's shape: `area` checkboxes and `hours-<area>`
 * boxes become `areas` (an area with hours typed counts as chosen). A box
 * that is not a number is kept as NaN so the check names it.
 */
export function entryFromForm(form: FormData): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of ["type", "title", "provider", "startedOn", "endedOn", "quantity", "unit", "reflection"]) {
    const v = form.get(key);
    if (typeof v === "string") values[key] = v;
  }
  const chosen = new Set(form.getAll("area").filter((v): v is string => typeof v === "string"));
  const areas: { area: string; hours: number | null }[] = [];
  for (const slug of AREA_SLUGS) {
    const raw = form.get(`hours-${slug}`);
    const typed = typeof raw === "string" ? raw.trim() : "";
    if (!chosen.has(slug) && typed === "") continue;
    areas.push({ area: slug, hours: typed === "" ? null : Number(typed.replace(",", ".")) });
  }
  for (const slug of chosen) if (!AREA_SLUGS.includes(slug)) areas.push({ area: slug, hours: null });
  values.areas = areas;
  return values;
}

/**
 * The dates against each other and today: the end date the entry keeps (a blank end stands for the start), with
 * any problem added to `fields`.
 */
function checkDates(startedOn: string, typedEnd: string, today: string, fields: FieldErrors): string {
  const endedOn = typedEnd === "" ? startedOn : typedEnd;
  const latest = addDays(today, 1);
  if (!isIsoDate(endedOn)) fields.endedOn = "End date must be a date like 2026-03-14.";
  else if (endedOn < startedOn) fields.endedOn = "The end date is before the start date.";
  // A blank end date stands for the start date: a future start is named once, on the start date the member typed.
  else if (endedOn > latest && typedEnd !== "") fields.endedOn = "The end date is in the future: add an activity once it has ended.";
  if (startedOn > latest) fields.startedOn = "The start date is in the future: add an activity once it has taken place.";
  return endedOn;
}

/** Check an entry; `today` is the member's day (UTC, with a day's grace for time zones ahead). */
export function parseEntry(input: Record<string, unknown>, today: string): ParseResult<EntryInput> {
  const clean = cleanInput(input);
  const parsed = EntrySchema.safeParse(clean);
  const fields: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] === "areas" ? "areas" : String(issue.path[0] ?? "form");
      fields[key] ??= issue.message;
    }
    // Area hours typed as words come through as NaN.
    if (fields.areas && /expected number|NaN/i.test(fields.areas)) fields.areas = "Hours for an area must be a number.";
    // The dates are still checked, so a future date is named with a missing amount, not after it is fixed.
    const typedEnd = typeof clean.endedOn === "string" ? clean.endedOn.trim() : "";
    if (!fields.startedOn && !fields.endedOn && typeof clean.startedOn === "string") checkDates(clean.startedOn.trim(), typedEnd, today, fields);
    return { ok: false, fields };
  }
  const e = parsed.data;
  const endedOn = checkDates(e.startedOn, e.endedOn, today, fields);
  const hours = toHours(e.quantity, e.unit);
  if (!fields.endedOn && !fields.startedOn) {
    const days = daysSpanned(e.startedOn, endedOn);
    if (e.unit === "hours" && e.quantity > 24 * days)
      fields.quantity = `${e.quantity.toLocaleString("en-US")} hours in ${days === 1 ? "one day" : `${days} days`} is more than 24 hours a day: check the amount or the dates.`;
    if (e.unit === "days" && e.quantity > days)
      fields.quantity = `${e.quantity} conference days do not fit between these dates (${days} ${days === 1 ? "day" : "days"}).`;
  }
  const seen = new Set<string>();
  const areas: EntryInput["areas"] = [];
  for (const a of e.areas) {
    if (seen.has(a.area)) {
      fields.areas = "Each area once, please.";
      break;
    }
    seen.add(a.area);
    areas.push({ area: a.area, hours: a.hours ?? Number.NaN });
  }
  if (!fields.areas && areas.length) {
    const typed = areas.filter((a) => !Number.isNaN(a.hours));
    if (typed.length === 0 || (areas.length === 1 && e.unit !== "items")) {
      // Nothing typed (or one area): the hours are split evenly.
      const each = hours > 0 ? Math.round((hours / areas.length) * 100) / 100 : 1;
      for (const a of areas) a.hours = each;
    } else if (typed.length !== areas.length) {
      fields.areas = "Give hours for every area you chose, or for none (they are then split evenly).";
    } else if (hours > 0 && Math.abs(typed.reduce((s, a) => s + a.hours, 0) - hours) > 0.01) {
      fields.areas = `The areas' hours add up to ${typed.reduce((s, a) => s + a.hours, 0).toLocaleString("en-US")}, not the entry's ${hours.toLocaleString("en-US")}.`;
    }
  }
  if (Object.keys(fields).length) return { ok: false, fields };
  return { ok: true, data: { ...e, endedOn, areas } };
}
