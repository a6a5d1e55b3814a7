// What each entry adds to each category (app/lib/program.ts entryContributions):
// the exports' points sheet lists these, so they must add up to the progress
// computeProgress shows, window and conversions included.
import { describe, expect, it } from "vitest";
import { computeProgress, entryContributions, type EntryForProgress } from "~/lib/program";
import { SHIPPED_PROGRAMS } from "~/lib/shipped-programs";

const TODAY = "2026-12-06";
const entries: EntryForProgress[] = [
  {
    id: 1,
    type: "workshop",
    title: "Split",
    startedOn: "2026-03-01",
    endedOn: "2026-03-01",
    quantity: 4,
    unit: "hours",
    areas: [
      { slug: "technology", hours: 1 },
      { slug: "reference", hours: 3 },
    ],
  },
  {
    id: 2,
    type: "course",
    title: "Credits",
    startedOn: "2025-01-10",
    endedOn: "2025-05-10",
    quantity: 1,
    unit: "semester_credits",
    areas: [{ slug: "foundations", hours: 15 }],
  },
  {
    id: 3,
    type: "presentation",
    title: "Talk",
    startedOn: "2026-06-01",
    endedOn: "2026-06-01",
    quantity: 1,
    unit: "items",
    areas: [{ slug: "youth-services", hours: 1 }],
  },
  {
    id: 4,
    type: "service",
    title: "Committee",
    startedOn: "2024-01-01",
    endedOn: "2026-01-01",
    quantity: 40,
    unit: "hours",
    areas: [{ slug: "supervision-management", hours: 40 }],
  },
  {
    id: 5,
    type: "course",
    title: "Too old",
    startedOn: "2019-01-01",
    endedOn: "2019-01-01",
    quantity: 10,
    unit: "hours",
    areas: [{ slug: "technology", hours: 10 }],
  },
  { id: 6, type: "experience", title: "Library work", startedOn: "2024-01-01", endedOn: "2026-11-30", quantity: 2000, unit: "hours", areas: [] },
];

describe("entryContributions", () => {
  for (const { slug, definition } of SHIPPED_PROGRAMS) {
    it(`adds up to ${slug}'s progress, category by category`, () => {
      const progress = computeProgress(definition, entries, TODAY);
      for (const c of progress.categories) {
        const sum = entries.reduce((s, e) => s + (entryContributions(definition, e, TODAY).get(c.key) ?? 0), 0);
        expect(sum, c.key).toBeCloseTo(c.amount, 2);
        expect(entries.filter((e) => entryContributions(definition, e, TODAY).has(c.key)).map((e) => e.id)).toEqual(c.entryIds);
      }
    });
  }

  it("gives nothing for an entry outside the window or not ended yet", () => {
    const lssc = SHIPPED_PROGRAMS.find((p) => p.slug === "lssc")!.definition;
    expect(entryContributions(lssc, entries[4], TODAY).size).toBe(0);
    expect(entryContributions(lssc, { ...entries[0], endedOn: "2026-12-07" }, TODAY).size).toBe(0);
    expect(Object.fromEntries(entryContributions(lssc, entries[0], TODAY))).toEqual({ technology: 1, reference: 3 });
  });
});
