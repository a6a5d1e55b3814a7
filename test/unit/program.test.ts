// Programs as data (issue 19): conversions, windows, LSSC's sets, levels, and
// what an admin may save (app/lib/program.ts, program-definition.server.ts).
import { describe, expect, it } from "vitest";
import {
  addYears,
  areaShare,
  briefSummary,
  computeProgress,
  describeAmount,
  describeAreas,
  entryValue,
  nextStep,
  progressSummary,
  toHours,
  type EntryForProgress,
  type ProgramDefinition,
} from "~/lib/program";
import { checkDefinition, readDefinitionJson } from "~/lib/program-definition.server";
import { SHIPPED_PROGRAMS } from "~/lib/shipped-programs";

const program = (slug: string) => structuredClone(SHIPPED_PROGRAMS.find((p) => p.slug === slug)!.definition);
let nextId = 1;
const entry = (over: Partial<EntryForProgress> & { areas?: EntryForProgress["areas"] }): EntryForProgress => ({
  id: nextId++,
  type: "course",
  title: "An entry",
  startedOn: "2026-01-10",
  endedOn: "2026-01-10",
  quantity: 15,
  unit: "hours",
  areas: [],
  ...over,
});
const TODAY = "2026-12-06";

describe("units", () => {
  it("converts credits and days to contact hours as LSSC publishes them", () => {
    expect(toHours(3, "semester_credits")).toBe(45);
    expect(toHours(2, "quarter_credits")).toBe(20);
    expect(toHours(2, "days")).toBe(12);
    expect(toHours(1.5, "hours")).toBe(1.5);
    expect(toHours(4, "items")).toBe(0);
    expect(describeAmount(3, "semester_credits")).toBe("3 semester credits = 45 hours");
    expect(describeAmount(1, "days")).toBe("1 conference day = 6 hours");
    expect(describeAmount(1, "hours")).toBe("1 hour");
  });

  it("names each area's part with its unit (items split by shares, not hours)", () => {
    expect(areaShare(6, "hours")).toBe("6 hours");
    expect(areaShare(1, "semester_credits")).toBe("1 hour");
    expect(areaShare(7.5, "days")).toBe("7.5 hours");
    expect(areaShare(1, "items")).toBe("share 1");
    expect(
      describeAreas(
        [
          { name: "Technology", hours: 6 },
          { name: "Reference", hours: 4 },
        ],
        "hours",
      ),
    ).toBe("Technology 6 hours, Reference 4 hours");
  });

  it("adds years to a date, 29 February landing on the 28th", () => {
    expect(addYears("2024-02-29", 1)).toBe("2025-02-28");
    expect(addYears("2026-12-06", -4)).toBe("2022-12-06");
  });
});

describe("what an entry is worth", () => {
  it("per hour, per item, per entry, with a cap", () => {
    const p = program("para-ma");
    expect(entryValue(p, { type: "workshop", quantity: 3, unit: "hours" })).toBe(3);
    expect(entryValue(p, { type: "presentation", quantity: 2, unit: "items" })).toBe(10);
    expect(entryValue(p, { type: "presentation", quantity: 1, unit: "hours" })).toBe(5);
    expect(entryValue(p, { type: "service", quantity: 40, unit: "hours" })).toBe(5);
    // Experience: 0.01 a hour, at most 20 an entry.
    expect(entryValue(p, { type: "experience", quantity: 1820, unit: "hours" })).toBe(18.2);
    expect(entryValue(p, { type: "experience", quantity: 5000, unit: "hours" })).toBe(20);
    // No rule: an hour is one.
    expect(entryValue(p, { type: "other", quantity: 2, unit: "days" })).toBe(12);
  });
});

describe("LSSC", () => {
  const lssc = program("lssc");

  it("is complete with the three required sets and three electives, each at its minimum", () => {
    const sets = ["foundations", "technology", "communication-teamwork", "reference", "youth-services"];
    const entries = sets.map((slug) => entry({ areas: [{ slug, hours: 15 }] }));
    let p = computeProgress(lssc, entries, TODAY);
    expect(p.completion).toEqual({ requiredMet: 3, requiredTotal: 3, electivesMet: 2, electivesNeeded: 3, complete: false });
    expect(p.categories.find((c) => c.key === "access-services")).toMatchObject({ amount: 0, met: false, missing: 15 });
    p = computeProgress(lssc, [...entries, entry({ areas: [{ slug: "access-services", hours: 15 }] })], TODAY);
    expect(p.completion!.complete).toBe(true);
    expect(progressSummary(lssc, p)[0]).toBe("Complete: all 3 required categories and 3 electives met.");
  });

  it("splits an entry's hours across the areas it served", () => {
    const talk = entry({
      type: "presentation",
      quantity: 20,
      unit: "hours",
      areas: [
        { slug: "technology", hours: 12 },
        { slug: "reference", hours: 8 },
      ],
    });
    const p = computeProgress(lssc, [talk], TODAY);
    expect(p.categories.find((c) => c.key === "technology")).toMatchObject({ amount: 12, met: false, missing: 3 });
    expect(p.categories.find((c) => c.key === "reference")).toMatchObject({ amount: 8 });
    expect(p.total).toBe(20);
  });

  it("counts only the last four years, and says which entries leave the window and when", () => {
    const old = entry({ title: "Old course", endedOn: "2022-12-05", areas: [{ slug: "technology", hours: 15 }] });
    const leaving = entry({ title: "Leaving soon", endedOn: "2023-03-01", areas: [{ slug: "foundations", hours: 15 }] });
    const recent = entry({ title: "Recent", endedOn: "2026-06-01", areas: [{ slug: "reference", hours: 15 }] });
    const future = entry({ title: "Not yet ended", startedOn: "2026-12-01", endedOn: "2027-01-10", areas: [{ slug: "reference", hours: 15 }] });
    const p = computeProgress(lssc, [old, leaving, recent, future], TODAY);
    expect(p.windowStart).toBe("2022-12-06");
    expect(p.outside.sort()).toEqual([old.id, future.id].sort());
    expect(p.categories.find((c) => c.key === "technology")!.amount).toBe(0);
    expect(p.categories.find((c) => c.key === "foundations")!.met).toBe(true);
    expect(p.leaving).toEqual([{ entryId: leaving.id, title: "Leaving soon", on: "2027-03-02" }]);
  });

  it("checks the eligibility hours: library work in the last five years", () => {
    const work = entry({ type: "experience", quantity: 1000, unit: "hours", endedOn: "2025-06-30" });
    const earlier = entry({ type: "experience", quantity: 1000, unit: "hours", endedOn: "2020-06-30" });
    expect(computeProgress(lssc, [work, earlier], TODAY).prerequisite).toEqual({
      name: "Library work, paid or volunteer, in the last five years",
      hours: 1000,
      needed: 1820,
      met: false,
    });
  });

  it("states its renewal rule with the technology minimum", () => {
    expect(computeProgress(lssc, [], TODAY).renewal).toEqual({
      everyYears: 4,
      amount: 32,
      minimumIn: { category: "technology", name: "Technology", amount: 4 },
    });
  });
});

describe("levels", () => {
  it("reaches the highest level whose threshold the total meets, and says what the next one needs", () => {
    const para = program("para-ma");
    const entries = [entry({ type: "workshop", quantity: 30, unit: "hours" }), entry({ type: "presentation", quantity: 1, unit: "items" })];
    const p = computeProgress(para, entries, TODAY);
    expect(p.total).toBe(35);
    expect(p.level?.name).toBe("PARA level 1");
    expect(p.nextLevel).toEqual({ name: "PARA level 2", threshold: 50, missing: 15 });
    expect(p.categories.map((c) => [c.key, c.amount])).toEqual([
      ["education", 30],
      ["experience", 0],
      ["professional", 5],
    ]);
  });

  it("Montana: a level needs every required category's minimum as well as the total", () => {
    const mt = program("montana");
    const tech = entry({ quantity: 60, areas: [{ slug: "technology", hours: 60 }] });
    let p = computeProgress(mt, [tech], TODAY);
    expect(p.total).toBe(60);
    expect(p.level).toBeNull();
    expect(p.categories.filter((c) => !c.met).map((c) => c.key)).toEqual(["library-services", "collections", "management"]);
    const rest = ["reference", "collection-management", "supervision-management"].map((slug) => entry({ quantity: 10, areas: [{ slug, hours: 10 }] }));
    p = computeProgress(mt, [tech, ...rest], TODAY);
    expect(p.level?.name).toBe("Certified");
  });
});

describe("the short summary: where the member stands, and what comes next and why", () => {
  it("LSSC: the required set closest to its minimum first, then the closest elective, nothing once complete", () => {
    const lssc = program("lssc");
    let p = computeProgress(lssc, [entry({ quantity: 6, areas: [{ slug: "technology", hours: 6 }] })], TODAY);
    expect(briefSummary(lssc, p)).toEqual(["0 of 3 required categories met; 0 of 3 electives met.", "Next: Technology (required) — 9 hours to go."]);
    const required = ["foundations", "technology", "communication-teamwork"].map((slug) => entry({ areas: [{ slug, hours: 15 }] }));
    p = computeProgress(lssc, [...required, entry({ quantity: 14, areas: [{ slug: "reference", hours: 14 }] })], TODAY);
    expect(nextStep(lssc, p)).toBe("Next: Reference (elective) — 1 hour to go.");
    const electives = ["reference", "youth-services", "access-services"].map((slug) => entry({ areas: [{ slug, hours: 15 }] }));
    p = computeProgress(lssc, [...required, ...electives], TODAY);
    expect(nextStep(lssc, p)).toBeNull();
    expect(briefSummary(lssc, p)).toEqual(["Complete: all 3 required categories and 3 electives met."]);
  });

  it("levels: the total and the next level with what it needs", () => {
    const para = program("para-ma");
    const p = computeProgress(
      para,
      [entry({ type: "workshop", quantity: 30, unit: "hours" }), entry({ type: "presentation", quantity: 1, unit: "items" })],
      TODAY,
    );
    expect(briefSummary(para, p)).toEqual(["35 points in all: PARA level 1 reached.", "Next: PARA level 2 — 15 points to go."]);
  });

  it("Montana: the total reached, the required category still missing named as the next step", () => {
    const mt = program("montana");
    const p = computeProgress(
      mt,
      [entry({ quantity: 60, areas: [{ slug: "technology", hours: 60 }] }), entry({ quantity: 8, areas: [{ slug: "reference", hours: 8 }] })],
      TODAY,
    );
    expect(nextStep(mt, p)).toBe("Next: Library and information services (required) — 2 hours to go.");
  });
});

describe("what an admin may save", () => {
  it("accepts every shipped program", () => {
    for (const p of SHIPPED_PROGRAMS) expect(checkDefinition(p.definition).ok, p.slug).toBe(true);
  });

  it("refuses negative points, overlapping levels, unknown areas and categories named twice, each under its field", () => {
    const p = program("para-ma") as ProgramDefinition;
    p.rules[0].value = -1;
    p.levels[2].threshold = 40;
    p.categories.push({ ...p.categories[0] });
    p.categories[1].areas = ["knitting"];
    const check = checkDefinition(p);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.fields.rules).toContain("cannot be negative");
    expect(check.fields.levels).toBe("Levels overlap: “PARA level 3” must need more than “PARA level 2”.");
    expect(check.fields.categories).toMatch(/knitting|named twice/);
  });

  it("refuses sections and renewal rules that name missing categories, and too many electives", () => {
    const p = program("lssc");
    p.sections[0].categories.push("cooking");
    p.renewal!.minimumIn!.category = "gardening";
    p.electivesNeeded = 8;
    const check = checkDefinition(p);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.fields.sections).toContain("“cooking”, which is not a category");
    expect(check.fields.renewal).toContain("“gardening”");
    expect(check.fields.electivesNeeded).toBe("Only 7 categories are electives.");
  });

  it("says when an import is not JSON at all", () => {
    const check = readDefinitionJson("{ name: LSSC");
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.fields.definition).toMatch(/^This is not valid JSON/);
  });
});
