// Certification programs as data, and what a member's activity log adds up to
// in one. A program (LSSC, PARA, NYSLAA, Montana…) is a definition an admin
// can edit: its categories, what each kind of activity is worth, its levels,
// its window and renewal rule. Everything here is pure (no database, no
// clock but the `today` passed in), so the progress page, the exports and the
// API compute the same figures, and the rules are unit-tested on their own.
// The definition's schema (what an admin may save) is in
// program-definition.server.ts.

/** What a member did. The kinds the issue names; "other" for the rest. */
export const ACTIVITY_TYPES = [
  { value: "course", label: "Course" },
  { value: "workshop", label: "Workshop or webinar" },
  { value: "conference", label: "Conference day" },
  { value: "presentation", label: "Presentation given" },
  { value: "publication", label: "Publication" },
  { value: "service", label: "Committee or association service" },
  { value: "experience", label: "Work experience" },
  { value: "mentoring", label: "Mentoring" },
  { value: "other", label: "Other" },
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number]["value"];
export const ACTIVITY_TYPE_VALUES = ACTIVITY_TYPES.map((t) => t.value) as [ActivityType, ...ActivityType[]];
export const activityTypeLabel = (value: string) => ACTIVITY_TYPES.find((t) => t.value === value)?.label ?? value;

/**
 * How an entry's amount is given. Contact hours are the common currency
 * (LSSC's published equivalences: a semester credit is 15 hours, a quarter
 * credit 10, a conference day 6); items (a publication, a committee term)
 * have no hours and count only where a program gives points per item.
 */
export const UNITS = [
  { value: "hours", label: "hours", hours: 1 },
  { value: "semester_credits", label: "semester credits", hours: 15 },
  { value: "quarter_credits", label: "quarter credits", hours: 10 },
  { value: "days", label: "conference days", hours: 6 },
  { value: "items", label: "items", hours: 0 },
] as const;
export type Unit = (typeof UNITS)[number]["value"];
export const UNIT_VALUES = UNITS.map((u) => u.value) as [Unit, ...Unit[]];

/** Contact hours for an amount in a unit (items: 0). */
export function toHours(quantity: number, unit: string): number {
  const u = UNITS.find((x) => x.value === unit);
  return u ? round(quantity * u.hours) : 0;
}

/** "3 semester credits = 45 hours", for forms and lists. */
export function describeAmount(quantity: number, unit: string): string {
  const u = UNITS.find((x) => x.value === unit);
  if (!u) return String(quantity);
  const label = quantity === 1 ? u.label.replace(/s$/, "") : u.label;
  if (u.value === "hours" || u.value === "items") return `${format(quantity)} ${label}`;
  return `${format(quantity)} ${label} = ${format(toHours(quantity, unit))} hours`;
}

/**
 * An area's part of an entry, with its unit: "6 hours", "1 hour". An entry
 * counted in items has no hours: its areas' parts are shares ("share 1").
 */
export function areaShare(hours: number, unit: string): string {
  if (unit === "items") return `share ${format(hours)}`;
  return `${format(hours)} ${hours === 1 ? "hour" : "hours"}`;
}

/** An entry's areas in words, each with its part: "Technology 6 hours, Reference 4 hours". */
export const describeAreas = (areas: { name: string; hours: number }[], unit: string) => areas.map((a) => `${a.name} ${areaShare(a.hours, unit)}`).join(", ");

// --- The definition ---------------------------------------------------------------

export type ProgramCategory = {
  key: string;
  name: string;
  /** A requirement: every required category must reach its minimum. */
  required: boolean;
  /** Hours or points this category needs (0: none). */
  minimum: number;
  /** Competency areas (tag slugs) whose hours count here… */
  areas: string[];
  /** …and/or activity types that count here whole (empty: any type). */
  activityTypes: ActivityType[];
};

/** What an activity type is worth: per hour, per item or per entry, with a cap per entry. */
export type ActivityRule = { type: ActivityType; per: "hour" | "item" | "entry"; value: number; capPerEntry?: number };

export type ProgramLevel = { name: string; threshold: number };

export type ProgramDefinition = {
  name: string;
  /** Who runs it ("American Library Association"). */
  body: string;
  summary: string;
  url: string;
  /** What is not known for sure: shown wherever the program's figures are. */
  checkWithProgram: string;
  /** What progress is counted in. */
  measure: "hours" | "points";
  /** Only activity within the last N years counts (null: no window). */
  windowYears: number | null;
  /** Complete when every required category and this many others reach their minimum (LSSC: 3 electives). */
  electivesNeeded: number;
  categories: ProgramCategory[];
  /** How each activity type converts (types not listed: 1 per hour). */
  rules: ActivityRule[];
  /** Levels by total, lowest first (LSSC has none: it is complete or not). */
  levels: ProgramLevel[];
  /** What must be in place before certification (LSSC: 1,820 hours of library work in the last 5 years). */
  prerequisite: { name: string; activityTypes: ActivityType[]; hours: number; withinYears: number } | null;
  renewal: { everyYears: number; amount: number; minimumIn: { category: string; amount: number } | null } | null;
  /** The portfolio notebook's sections, in order, each listing categories. */
  sections: { title: string; categories: string[] }[];
};

// --- A member's entries, and what they add up to ------------------------------------

export type EntryForProgress = {
  id: number;
  type: string;
  title: string;
  startedOn: string; // YYYY-MM-DD
  endedOn: string; // YYYY-MM-DD
  quantity: number;
  unit: string;
  /** Hours per competency area (tag slug); for items, any positive shares. */
  areas: { slug: string; hours: number }[];
};

export type CategoryProgress = {
  key: string;
  name: string;
  required: boolean;
  minimum: number;
  amount: number;
  met: boolean;
  missing: number;
  entryIds: number[];
};

export type Progress = {
  measure: "hours" | "points";
  today: string;
  /** The earliest end date that still counts (null: no window). */
  windowStart: string | null;
  categories: CategoryProgress[];
  total: number;
  level: ProgramLevel | null;
  nextLevel: (ProgramLevel & { missing: number }) | null;
  /** For programs completed by categories (LSSC): required met, electives met and needed. */
  completion: { requiredMet: number; requiredTotal: number; electivesMet: number; electivesNeeded: number; complete: boolean } | null;
  prerequisite: { name: string; hours: number; needed: number; met: boolean } | null;
  /** Counted entries that leave the window within the next year, soonest first. */
  leaving: { entryId: number; title: string; on: string }[];
  /** Entries outside the window (not counted). */
  outside: number[];
  renewal: { everyYears: number; amount: number; minimumIn: { category: string; name: string; amount: number } | null } | null;
};

/** An entry's worth in a program, before it is divided among areas. */
export function entryValue(program: ProgramDefinition, entry: Pick<EntryForProgress, "type" | "quantity" | "unit">): number {
  const hours = toHours(entry.quantity, entry.unit);
  const rule = program.rules.find((r) => r.type === entry.type);
  if (!rule) return hours;
  const raw = rule.per === "hour" ? hours * rule.value : rule.per === "item" ? (entry.unit === "items" ? entry.quantity : 1) * rule.value : rule.value;
  return round(rule.capPerEntry !== undefined ? Math.min(raw, rule.capPerEntry) : raw);
}

/** The share of an entry's worth each of its areas gets (by hours; items split evenly). */
function areaShares(entry: EntryForProgress): Map<string, number> {
  const shares = new Map<string, number>();
  const total = entry.areas.reduce((s, a) => s + Math.max(0, a.hours), 0);
  for (const a of entry.areas) shares.set(a.slug, total > 0 ? Math.max(0, a.hours) / total : 1 / entry.areas.length);
  return shares;
}

/** What one entry adds to one category (0 when it does not count there), given its worth and its areas' shares. */
function contribution(category: ProgramCategory, entry: EntryForProgress, value: number, shares: Map<string, number>): number {
  if (category.activityTypes.length && !category.activityTypes.includes(entry.type as ActivityType)) return 0;
  if (!category.areas.length) return value;
  let share = 0;
  for (const slug of category.areas) share += shares.get(slug) ?? 0;
  return value * share;
}

/** Progress in a program on `today` (YYYY-MM-DD). */
export function computeProgress(program: ProgramDefinition, entries: EntryForProgress[], today: string): Progress {
  const windowStart = program.windowYears ? addYears(today, -program.windowYears) : null;
  const inWindow = (e: EntryForProgress) => e.endedOn <= today && (!windowStart || e.endedOn >= windowStart);
  const counted = entries.filter(inWindow);
  const outside = entries.filter((e) => !inWindow(e)).map((e) => e.id);

  // Each entry's worth and its areas' shares once, not once per category: a long log has hundreds.
  const weighed = counted.map((e) => ({ e, value: entryValue(program, e), shares: areaShares(e) }));
  const countsSomewhere = new Set<number>();
  const categories = program.categories.map((category): CategoryProgress => {
    let amount = 0;
    const entryIds: number[] = [];
    for (const { e, value, shares } of weighed) {
      const add = contribution(category, e, value, shares);
      if (add > 0) {
        amount += add;
        entryIds.push(e.id);
        countsSomewhere.add(e.id);
      }
    }
    amount = round(amount);
    const met = amount >= category.minimum && (category.minimum > 0 || entryIds.length > 0);
    return {
      key: category.key,
      name: category.name,
      required: category.required,
      minimum: category.minimum,
      amount,
      met,
      missing: round(Math.max(0, category.minimum - amount)),
      entryIds,
    };
  });

  // The total counts each entry once, whatever number of categories it serves.
  const total = round(weighed.reduce((s, { e, value }) => s + (countsSomewhere.has(e.id) ? value : 0), 0));
  const levels = [...program.levels].sort((a, b) => a.threshold - b.threshold);
  const categoriesOk = categories.filter((c) => c.required).every((c) => c.met);
  const reached = levels.filter((l) => total >= l.threshold && categoriesOk);
  const level = reached.length ? reached[reached.length - 1] : null;
  const next = levels.find((l) => !reached.includes(l)) ?? null;

  const required = categories.filter((c) => c.required);
  const electives = categories.filter((c) => !c.required);
  const completion =
    program.electivesNeeded > 0 || (levels.length === 0 && required.length > 0)
      ? {
          requiredMet: required.filter((c) => c.met).length,
          requiredTotal: required.length,
          electivesMet: electives.filter((c) => c.met).length,
          electivesNeeded: program.electivesNeeded,
          complete: required.every((c) => c.met) && electives.filter((c) => c.met).length >= program.electivesNeeded,
        }
      : null;

  let prerequisite: Progress["prerequisite"] = null;
  if (program.prerequisite) {
    const p = program.prerequisite;
    const since = addYears(today, -p.withinYears);
    const hours = round(
      entries
        .filter((e) => (p.activityTypes.length === 0 || p.activityTypes.includes(e.type as ActivityType)) && e.endedOn <= today && e.endedOn >= since)
        .reduce((s, e) => s + toHours(e.quantity, e.unit), 0),
    );
    prerequisite = { name: p.name, hours, needed: p.hours, met: hours >= p.hours };
  }

  const yearAhead = addYears(today, 1);
  // Only entries that ended within about a year of the window's start can leave it within a year (a few days' margin for 29 February).
  const mayLeave = windowStart ? addDays(addYears(yearAhead, -program.windowYears!), 3) : "";
  const leaving = windowStart
    ? counted
        .filter((e) => e.endedOn <= mayLeave)
        .map((e) => ({ entryId: e.id, title: e.title, on: addDays(addYears(e.endedOn, program.windowYears!), 1) }))
        .filter((l) => l.on <= yearAhead)
        .sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.entryId - b.entryId))
    : [];

  const renewal = program.renewal
    ? {
        everyYears: program.renewal.everyYears,
        amount: program.renewal.amount,
        minimumIn: program.renewal.minimumIn
          ? {
              ...program.renewal.minimumIn,
              name: program.categories.find((c) => c.key === program.renewal!.minimumIn!.category)?.name ?? program.renewal.minimumIn.category,
            }
          : null,
      }
    : null;

  return {
    measure: program.measure,
    today,
    windowStart,
    categories,
    total,
    level,
    nextLevel: next ? { ...next, missing: round(Math.max(0, next.threshold - total)) } : null,
    completion,
    prerequisite,
    leaving,
    outside,
    renewal,
  };
}

function completionLine(c: NonNullable<Progress["completion"]>): string {
  return c.complete
    ? `Complete: all ${c.requiredTotal} required ${plural(c.requiredTotal, "category", "categories")} and ${c.electivesMet} elective${c.electivesMet === 1 ? "" : "s"} met.`
    : `${c.requiredMet} of ${c.requiredTotal} required ${plural(c.requiredTotal, "category", "categories")} met; ${c.electivesMet} of ${c.electivesNeeded} electives met.`;
}
const totalLine = (p: Progress, unit: string) => `${format(p.total)} ${unit} in all${p.level ? `: ${p.level.name} reached` : ""}.`;
/** "9 hours", "1 point". */
/** A program's note on its figures, under a "Check the current rules with the program." heading: the note's own closing copy of it goes. */
export const caveatUnderHeading = (note: string) => note.replace(/\s*Check the current rules with the program\.\s*$/i, "");

/** "1 hour", "2.5 hours", "1 point": an amount with its unit, singular for one. */
export const amountOf = (n: number, unit: string) => `${format(n)} ${n === 1 ? unit.slice(0, -1) : unit}`;

/** One sentence per fact, for screen readers and the text summary beside the bars. */
export function progressSummary(program: ProgramDefinition, p: Progress): string[] {
  const unit = p.measure === "hours" ? "hours" : "points";
  const lines: string[] = [];
  if (p.completion) lines.push(completionLine(p.completion));
  if (program.levels.length) {
    lines.push(totalLine(p, unit));
    if (p.nextLevel)
      lines.push(
        `${p.nextLevel.name} needs ${format(p.nextLevel.threshold)} ${unit}: ${format(p.nextLevel.missing)} more${p.nextLevel.missing === 0 ? " (and every required category met)" : ""}.`,
      );
  }
  for (const c of p.categories) {
    if (c.minimum > 0)
      lines.push(
        `${c.name}${c.required ? " (required)" : ""}: ${format(c.amount)} of ${format(c.minimum)} ${unit}${c.met ? ", met" : `, ${format(c.missing)} to go`}.`,
      );
    else if (c.amount > 0) lines.push(`${c.name}: ${format(c.amount)} ${unit}.`);
  }
  if (p.prerequisite)
    lines.push(`${p.prerequisite.name}: ${format(p.prerequisite.hours)} of ${format(p.prerequisite.needed)} hours${p.prerequisite.met ? ", met" : ""}.`);
  // One line, however many: the program page and the exports list them by name.
  const [first] = p.leaving;
  if (p.leaving.length === 1) lines.push(`“${first.title}” stops counting on ${first.on}.`);
  else if (first) lines.push(`${p.leaving.length} activities stop counting within a year, the first (“${first.title}”) on ${first.on}.`);
  return lines;
}

/**
 * What to work on next, in a sentence that says why it is named: the category
 * that stands between the member and the program (a required one first, the
 * one closest to its minimum among several), or the next level. Null when
 * nothing is missing (complete, or the highest level reached).
 */
export function nextStep(program: ProgramDefinition, p: Progress): string | null {
  const unit = p.measure === "hours" ? "hours" : "points";
  if (p.completion?.complete) return null;
  const open = p.categories.filter((c) => !c.met);
  /** The open category closest to being met (a shorter way to go first; the definition's order breaks ties). */
  const closest = (cs: CategoryProgress[]) => cs.reduce<CategoryProgress | null>((best, c) => (best === null || c.missing < best.missing ? c : best), null);
  const say = (c: CategoryProgress, kind: string) =>
    `Next: ${c.name}${kind} — ${c.minimum > 0 ? `${amountOf(c.missing, unit)} to go` : "nothing counted there yet"}.`;
  const required = closest(open.filter((c) => c.required));
  if (program.levels.length && p.nextLevel && p.nextLevel.missing > 0) return `Next: ${p.nextLevel.name} — ${amountOf(p.nextLevel.missing, unit)} to go.`;
  if (required) return say(required, " (required)");
  if (p.completion && p.completion.electivesMet < p.completion.electivesNeeded) {
    const elective = closest(open.filter((c) => !c.required));
    return elective ? say(elective, " (elective)") : null;
  }
  if (program.levels.length) return null;
  const other = closest(open.filter((c) => c.minimum > 0));
  return other ? say(other, "") : null;
}

/**
 * A program's progress in two lines, for a list of programs (the member's
 * portfolio page): where the member stands, then what comes next and why.
 */
export function briefSummary(program: ProgramDefinition, p: Progress): string[] {
  const unit = p.measure === "hours" ? "hours" : "points";
  const withMinimum = p.categories.filter((c) => c.minimum > 0);
  const standing = p.completion
    ? completionLine(p.completion)
    : program.levels.length || withMinimum.length === 0
      ? totalLine(p, unit)
      : `${withMinimum.filter((c) => c.met).length} of ${withMinimum.length} ${plural(withMinimum.length, "category", "categories")} met; ${format(p.total)} ${unit} in all.`;
  const next = nextStep(program, p);
  return next ? [standing, next] : [standing];
}

// --- Dates and numbers ---------------------------------------------------------------

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const isIsoDate = (s: string) =>
  ISO_DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

export function addYears(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  const month = d.getUTCMonth();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  // 29 February into a common year: the 28th, not 1 March.
  if (d.getUTCMonth() !== month) d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
/** Days from start to end, both counted (a one-day workshop: 1). */
export const daysSpanned = (start: string, end: string) => Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000) + 1;

const round = (n: number) => Math.round(n * 100) / 100;
const numbers = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
/** 1,820 and 7.5 (one formatter made once: toLocaleString makes one a call, and a long page formats hundreds). */
export const format = (n: number) => numbers.format(n);
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

// --- What each entry adds where (the exports' points sheet) ----------------------------

/**
 * What one counted entry adds to each category of a program, as
 * computeProgress adds it (an entry outside the window adds nothing):
 * `{ category key → amount }`, categories where it does not count left out.
 */
export function entryContributions(program: ProgramDefinition, entry: EntryForProgress, today: string): Map<string, number> {
  const windowStart = program.windowYears ? addYears(today, -program.windowYears) : null;
  const out = new Map<string, number>();
  if (entry.endedOn > today || (windowStart && entry.endedOn < windowStart)) return out;
  const value = entryValue(program, entry);
  const shares = areaShares(entry);
  for (const category of program.categories) {
    const add = contribution(category, entry, value, shares);
    if (add > 0) out.set(category.key, round(add));
  }
  return out;
}
