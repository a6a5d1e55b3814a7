// What an admin may save as a program (program.ts says what it means): every
// number zero or more, levels that do not overlap (thresholds strictly
// rising), each category named once, only known competency areas, sections and
// renewal rules that name existing categories. The same check for the admin
// form, the JSON import and the programs ParaNet ships. Server-only (zod).
import { z } from "zod";
import { COMPETENCY_AREAS } from "./domain";
import type { FieldErrors } from "./errors";
import { ACTIVITY_TYPE_VALUES, type ProgramDefinition } from "./program";

const AREA_SLUGS = COMPETENCY_AREAS.map((a) => a.slug) as string[];
const text = (max: number, label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .max(max, `${label} must be at most ${max} characters.`);
const named = (max: number, label: string) => text(max, label).min(1, `${label} is required.`);
const amount = (label: string) =>
  z
    .number({ error: `${label} must be a number.` })
    .finite(`${label} must be a number.`)
    .min(0, `${label} cannot be negative.`)
    .max(1_000_000, `${label} is too large.`);

const category = z.object({
  key: z
    .string({ error: "Each category needs a key." })
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,40}$/, "A category key is lower-case letters, digits and dashes (up to 41)."),
  name: named(120, "Category name"),
  required: z.boolean().default(false),
  minimum: amount("A category's minimum").default(0),
  areas: z
    .array(z.string().refine((s) => AREA_SLUGS.includes(s), { error: (i) => `“${String(i.input)}” is not one of the ten competency areas.` }))
    .default([]),
  activityTypes: z.array(z.enum(ACTIVITY_TYPE_VALUES, { error: "Unknown activity type." })).default([]),
});

export const ProgramDefinitionSchema = z
  .object({
    name: named(120, "Name"),
    body: text(160, "Who runs it").default(""),
    summary: text(2000, "Summary").default(""),
    url: z.union([z.literal(""), z.url({ protocol: /^https?$/, error: "The program's address must start with https:// or http://." })]).default(""),
    checkWithProgram: text(1000, "The note on figures to check").default(""),
    measure: z.enum(["hours", "points"], { error: "Count in hours or points." }),
    windowYears: z.number().int("The window is whole years.").min(1, "The window is at least 1 year.").max(50).nullable().default(null),
    electivesNeeded: z.number().int().min(0, "Electives needed cannot be negative.").max(50).default(0),
    categories: z.array(category).min(1, "A program needs at least one category.").max(40),
    rules: z
      .array(
        z.object({
          type: z.enum(ACTIVITY_TYPE_VALUES, { error: "Unknown activity type." }),
          per: z.enum(["hour", "item", "entry"], { error: "A rule counts per hour, per item or per entry." }),
          value: amount("A rule's value"),
          capPerEntry: amount("A rule's cap").optional(),
        }),
      )
      .default([]),
    levels: z.array(z.object({ name: named(80, "Level name"), threshold: amount("A level's threshold") })).default([]),
    prerequisite: z
      .object({
        name: named(160, "Prerequisite name"),
        activityTypes: z.array(z.enum(ACTIVITY_TYPE_VALUES)).default([]),
        hours: amount("Prerequisite hours"),
        withinYears: z.number().int().min(1).max(50),
      })
      .nullable()
      .default(null),
    renewal: z
      .object({
        everyYears: z.number().int().min(1, "Renewal is every 1 year or more.").max(50),
        amount: amount("Renewal amount"),
        minimumIn: z
          .object({ category: z.string(), amount: amount("Renewal minimum") })
          .nullable()
          .default(null),
      })
      .nullable()
      .default(null),
    sections: z.array(z.object({ title: named(120, "Section title"), categories: z.array(z.string()).default([]) })).default([]),
  })
  .superRefine((p, ctx) => {
    const keys = p.categories.map((c) => c.key);
    const dup = keys.find((k, i) => keys.indexOf(k) !== i);
    if (dup) ctx.addIssue({ code: "custom", path: ["categories"], message: `The category “${dup}” is named twice.` });
    const levels = p.levels.map((l) => l.threshold);
    for (let i = 1; i < levels.length; i++) {
      if (levels[i] <= levels[i - 1]) {
        ctx.addIssue({ code: "custom", path: ["levels"], message: `Levels overlap: “${p.levels[i].name}” must need more than “${p.levels[i - 1].name}”.` });
        break;
      }
    }
    const types = p.rules.map((r) => r.type);
    const twice = types.find((t, i) => types.indexOf(t) !== i);
    if (twice) ctx.addIssue({ code: "custom", path: ["rules"], message: `The activity type “${twice}” has two rules.` });
    const electives = p.categories.filter((c) => !c.required).length;
    if (p.electivesNeeded > electives) ctx.addIssue({ code: "custom", path: ["electivesNeeded"], message: `Only ${electives} categories are electives.` });
    for (const s of p.sections)
      for (const k of s.categories)
        if (!keys.includes(k)) ctx.addIssue({ code: "custom", path: ["sections"], message: `The section “${s.title}” names “${k}”, which is not a category.` });
    if (p.renewal?.minimumIn && !keys.includes(p.renewal.minimumIn.category))
      ctx.addIssue({ code: "custom", path: ["renewal"], message: `The renewal rule names “${p.renewal.minimumIn.category}”, which is not a category.` });
  });

export type DefinitionCheck = { ok: true; definition: ProgramDefinition } | { ok: false; fields: FieldErrors };

/** Check a definition (parsed JSON); errors keyed by its top-level field, as forms show them. */
export function checkDefinition(input: unknown): DefinitionCheck {
  const parsed = ProgramDefinitionSchema.safeParse(input);
  if (parsed.success) return { ok: true, definition: parsed.data as ProgramDefinition };
  const fields: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const where = issue.path.map(String).join(".") || "definition";
    const key = String(issue.path[0] ?? "definition");
    fields[key] ??= issue.path.length > 1 ? `${issue.message} (at ${where})` : issue.message;
  }
  return { ok: false, fields };
}

/** Read JSON text an admin pasted or uploaded, then check it. */
export function readDefinitionJson(json: string): DefinitionCheck {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    return { ok: false, fields: { definition: `This is not valid JSON: ${(e as Error).message}` } };
  }
  return checkDefinition(value);
}
