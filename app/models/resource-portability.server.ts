// Moving the clearinghouse in and out: CSV rows (as objects keyed by the
// header) are imported one by one — a bad row is reported, never aborts the
// rest — and approved entries are exported with the same columns, so an
// export re-imports to the same set.
import { db } from "~/db/client.server";
import { LIBRARY_TYPE_LABELS, RESOURCE_COST_LABELS, RESOURCE_TYPE_LABELS } from "~/lib/domain";
import { normalizeUrl } from "~/lib/resource-url";
import { slugOf } from "~/lib/slug";
import { CSV_COLUMNS, IMPORT_BATCH_ROWS, type ImportOutcome } from "~/lib/resource-csv";
import { parseInput, ResourceSchema } from "~/lib/validation";
import { recordEvent } from "./event-outbox.server";
import { findDuplicate, resourceData } from "./resource.server";
import { requireActiveStaff } from "./user.server";
import type { Actor } from "~/lib/domain";

export { CSV_COLUMNS, IMPORT_BATCH_ROWS, type ImportOutcome };

const list = (v: string | undefined) =>
  (v ?? "")
    .split(/[;|]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** Accept a value or its label, in any case ("Online course" or "course"). */
function fromLabel<T extends string>(value: string | undefined, labels: Record<T, string>): string {
  const v = (value ?? "").trim().toLowerCase();
  const found = (Object.keys(labels) as T[]).find((k) => k.toLowerCase() === v || labels[k].toLowerCase() === v);
  return found ?? v;
}

/** Moderators and admins who are not suspended. */
const requireStaff = (actor: Actor) => requireActiveStaff(actor, "Only moderators can import or export the clearinghouse.");

/**
 * Import rows (numbered from `firstRow`, the file's line for the first one)
 * as approved entries. Unknown topic tags are created; unknown competency
 * areas reject the row.
 */
export async function importResources(actor: Actor, rows: Record<string, unknown>[], firstRow = 2): Promise<ImportOutcome[]> {
  await requireStaff(actor);
  const tags = await db.tag.findMany({ select: { id: true, slug: true, name: true, kind: true, synonymOfId: true } });
  const byKey = new Map<string, (typeof tags)[number]>();
  for (const t of tags) {
    byKey.set(t.slug.toLowerCase(), t);
    byKey.set(t.name.toLowerCase(), t);
  }
  const outcomes: ImportOutcome[] = [];
  const notes = new Map<number, string>();
  for (const [i, raw] of rows.entries()) {
    const row = firstRow + i;
    // The database driver is synchronous: let other requests in between rows.
    if (i % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
    const r = Object.fromEntries(
      Object.entries(raw ?? {}).map(([k, v]) => {
        // Cells are text (numbers allowed); anything else a script sends is read as empty.
        const text = typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : "";
        // Undo the apostrophe an export puts before formula-like cells.
        return [k.trim().toLowerCase(), text.replace(/^'(?=[=+\-@\t\r])/, "")];
      }),
    );
    const competencyNames = list(r.competencies);
    const unknownAreas = competencyNames.filter((n) => byKey.get(n.toLowerCase())?.kind !== "competency");
    if (!competencyNames.length || unknownAreas.length) {
      outcomes.push({
        row,
        status: "rejected",
        message: competencyNames.length ? `Unknown competency area: ${unknownAreas.join(", ")}.` : "No competency area (column “competencies”).",
      });
      continue;
    }
    const tagIds = competencyNames.map((n) => byKey.get(n.toLowerCase())!.id);
    const parsed = parseInput(ResourceSchema, {
      title: r.title,
      url: r.url,
      abstract: r.abstract,
      type: fromLabel(r.type, RESOURCE_TYPE_LABELS),
      tagIds,
      libraryTypes: list(r.library_types).map((t) => fromLabel(t, LIBRARY_TYPE_LABELS)),
      region: r.region,
      cost: fromLabel(r.cost || "free", RESOURCE_COST_LABELS),
      provider: r.provider,
      ceHours: r.ce_hours,
      publishedOn: r.published_on,
    });
    if (!parsed.ok) {
      outcomes.push({
        row,
        status: "rejected",
        message: Object.entries(parsed.fields)
          .map(([field, m]) => `${field}: ${m}`)
          .join(" "),
      });
      continue;
    }
    // Topic tags are looked up (or, for a valid row, created) only now.
    const skipped: string[] = [];
    for (const name of list(r.tags).slice(0, 5)) {
      let tag = byKey.get(name.toLowerCase()) ?? byKey.get(slugOf(name, 60));
      if (!tag) {
        const slug = slugOf(name, 60);
        if (name.length < 2 || name.length > 60 || !slug) {
          skipped.push(name.slice(0, 60));
          continue;
        }
        const [createdTag] = await db.$transaction([
          db.tag.create({ data: { slug, name, kind: "topic" }, select: { id: true, slug: true, name: true, kind: true, synonymOfId: true } }),
          recordEvent(db, { type: "tags.changed" }),
        ]);
        tag = createdTag;
        byKey.set(tag.slug, tag);
        byKey.set(tag.name.toLowerCase(), tag);
      }
      parsed.data.tagIds.push(tag.synonymOfId ?? tag.id);
    }
    parsed.data.tagIds = [...new Set(parsed.data.tagIds)];
    if (skipped.length) notes.set(row, `Tags skipped (2 to 60 characters, with letters or digits): ${skipped.join(", ")}.`);
    const input = parsed.data;
    const existing = await findDuplicate(input.url);
    if (existing) {
      outcomes.push({
        row,
        status: "duplicate",
        message: `Already in the clearinghouse as #${existing.id} “${existing.title}”.`,
        id: existing.id ?? undefined,
      });
      continue;
    }
    // Each row commits on its own (a bad row never undoes the others), with its event.
    const [created] = await db.$transaction([
      db.resource.create({
        data: {
          ...resourceData(input, normalizeUrl(input.url)!),
          submitterId: actor.id,
          status: "approved",
          approvedAt: new Date(),
          tags: { create: input.tagIds.map((tagId) => ({ tagId })) },
          curations: { create: { actorId: actor.id, action: "imported", detail: `CSV row ${row}` } },
        },
        select: { id: true },
      }),
      // 0: lists and caches change; posts are not re-rendered for an import.
      recordEvent(db, { type: "resource.changed", resourceId: 0 }),
    ]);
    outcomes.push({ row, status: "imported", message: notes.get(row) ?? "Imported.", id: created.id });
  }
  return outcomes;
}

/** Every approved entry, as CSV-ready rows (the import's columns) or structured records. */
export async function exportResources(actor: Actor) {
  await requireStaff(actor);
  const rows = await db.resource.findMany({
    where: { status: "approved" },
    orderBy: { id: "asc" },
    select: {
      id: true,
      title: true,
      url: true,
      abstractSource: true,
      type: true,
      libraryTypes: true,
      region: true,
      cost: true,
      provider: true,
      ceHours: true,
      publishedOn: true,
      featured: true,
      citationCount: true,
      approvedAt: true,
      tags: { select: { tag: { select: { slug: true, kind: true } } } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    url: r.url,
    abstract: r.abstractSource,
    type: r.type,
    competencies: r.tags.filter((t) => t.tag.kind === "competency").map((t) => t.tag.slug),
    tags: r.tags.filter((t) => t.tag.kind !== "competency").map((t) => t.tag.slug),
    libraryTypes: r.libraryTypes ? r.libraryTypes.split(",") : [],
    region: r.region,
    cost: r.cost,
    provider: r.provider,
    ceHours: r.ceHours,
    publishedOn: r.publishedOn ? r.publishedOn.toISOString().slice(0, 10) : null,
    featured: r.featured,
    citationCount: r.citationCount,
    approvedAt: r.approvedAt,
  }));
}

/** An exported record as a CSV row with the import's columns. */
export function csvRowOf(r: Awaited<ReturnType<typeof exportResources>>[number]): Record<(typeof CSV_COLUMNS)[number], string> {
  return {
    title: r.title,
    url: r.url,
    abstract: r.abstract,
    type: r.type,
    competencies: r.competencies.join("; "),
    tags: r.tags.join("; "),
    library_types: r.libraryTypes.join("; "),
    region: r.region,
    cost: r.cost,
    provider: r.provider,
    ce_hours: r.ceHours === null ? "" : String(r.ceHours),
    published_on: r.publishedOn ?? "",
  };
}
