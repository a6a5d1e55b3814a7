import { db } from "~/lib/db.server";
import { COMPETENCY_AREAS } from "~/lib/domain";

/** Make sure the ten LSSC competency areas exist as tags (idempotent). */
export async function ensureCompetencyAreas(): Promise<void> {
  const existing = new Set(
    (await db.tag.findMany({ where: { kind: "competency" }, select: { slug: true } })).map((t) => t.slug),
  );
  const missing = COMPETENCY_AREAS.map((area, position) => ({ ...area, position })).filter((a) => !existing.has(a.slug));
  if (missing.length === 0) return;
  await db.$transaction(
    missing.map((a) =>
      db.tag.upsert({
        where: { slug: a.slug },
        create: { slug: a.slug, name: a.name, scopeNote: a.scopeNote, kind: "competency", position: a.position },
        update: { kind: "competency" },
      }),
    ),
  );
}

export function listCompetencyAreas() {
  return db.tag.findMany({
    where: { kind: "competency" },
    orderBy: { position: "asc" },
    select: { id: true, slug: true, name: true, scopeNote: true },
  });
}
