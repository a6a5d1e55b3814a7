// The shipped programs' notes on figures to check (checkWithProgram), against
// a real database: they name no figure the definition holds (an admin may
// change those, and the pages show them from the definition), and an
// installation still carrying a note ParaNet wrote before gets the new one at
// start, while a note an admin rewrote stays theirs.
import { beforeAll, describe, expect, it } from "vitest";
import { db, prepareDatabase } from "~/db/client.server";
import type { ProgramDefinition } from "~/lib/program";
import { SHIPPED_PROGRAMS } from "~/lib/shipped-programs";
import { ensurePrograms } from "~/models/program.server";
import { ensureCompetencyAreas } from "~/models/tag.server";

const shipped = (slug: string) => SHIPPED_PROGRAMS.find((p) => p.slug === slug)!;
const NUMBER_WORDS = /\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|thousand)\b/i;

async function stored(slug: string): Promise<{ version: number; definition: ProgramDefinition }> {
  const row = await db.program.findUniqueOrThrow({ where: { slug }, select: { version: true, definition: true } });
  return { version: row.version, definition: JSON.parse(row.definition) as ProgramDefinition };
}
/** Write a definition as an older ParaNet (or an admin) left it. */
async function storeAs(slug: string, change: (d: ProgramDefinition) => void): Promise<number> {
  const { definition, version } = await stored(slug);
  change(definition);
  await db.program.update({ where: { slug }, data: { definition: JSON.stringify(definition) } });
  return version;
}

beforeAll(async () => {
  await prepareDatabase();
  await ensureCompetencyAreas();
  await ensurePrograms();
});

describe("the shipped notes", () => {
  it("name no figure: neither digits nor number words", () => {
    for (const p of SHIPPED_PROGRAMS) {
      expect(p.definition.checkWithProgram, p.slug).not.toMatch(/\d/);
      expect(p.definition.checkWithProgram, p.slug).not.toMatch(NUMBER_WORDS);
      expect(p.earlierNotes ?? [], p.slug).not.toContain(p.definition.checkWithProgram);
    }
  });
});

describe("an installation's programs at start", () => {
  it("get the new note where the note is still one ParaNet wrote, the admin's figures kept; once", async () => {
    const lssc = shipped("lssc");
    // As an older ParaNet left it, with a minimum an admin has since changed: the old note now says a wrong figure.
    const before = await storeAs("lssc", (d) => {
      d.checkWithProgram = lssc.earlierNotes![0];
      for (const c of d.categories) c.minimum = 20;
    });
    expect(lssc.earlierNotes![0]).toContain("15 contact hours");

    await Promise.all([ensurePrograms(), ensurePrograms()]);
    const after = await stored("lssc");
    expect(after.definition.checkWithProgram).toBe(lssc.definition.checkWithProgram);
    expect(after.definition.categories.map((c) => c.minimum)).toEqual(lssc.definition.categories.map(() => 20));
    expect(after.definition.summary).toBe(lssc.definition.summary);
    // A new version (an admin's form opened before it asks first), once however many processes start.
    expect(after.version).toBe(before + 1);
    await ensurePrograms();
    expect((await stored("lssc")).version).toBe(before + 1);
  });

  it("keep a note an admin wrote, and one an admin emptied", async () => {
    const before = await storeAs("montana", (d) => {
      d.checkWithProgram = "Our state library confirmed these figures in March.";
    });
    await storeAs("nyslaa", (d) => {
      d.checkWithProgram = "";
    });
    await ensurePrograms();
    const montana = await stored("montana");
    expect(montana.definition.checkWithProgram).toBe("Our state library confirmed these figures in March.");
    expect(montana.version).toBe(before);
    expect((await stored("nyslaa")).definition.checkWithProgram).toBe("");
  });

  it("bring every earlier shipped note up to date", async () => {
    for (const p of SHIPPED_PROGRAMS)
      for (const earlier of p.earlierNotes ?? []) {
        await storeAs(p.slug, (d) => {
          d.checkWithProgram = earlier;
        });
        await ensurePrograms();
        expect((await stored(p.slug)).definition.checkWithProgram, p.slug).toBe(p.definition.checkWithProgram);
      }
  });
});
