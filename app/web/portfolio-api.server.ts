// The portfolio's JSON API (issue 19, item 8): the shapes it answers with and
// how a PATCH body meets the entry it changes. Token-scoped to the owner: the
// models read and write only the caller's own entries (another member's id is
// "not found"), and every answer is private.
import type { EntryInput } from "~/lib/portfolio-input.server";
import { toHours } from "~/lib/program";
import type { EvidenceView } from "~/models/evidence.server";
import type { PortfolioEntryView, ProgramProgress } from "~/models/portfolio.server";

/** Never kept by a shared cache: it is one member's private record. */
export const PRIVATE = { "Cache-Control": "private, no-store" };

/** An entry as the API sends it: `areas` in the shape POST and PATCH take (`{ area, hours }`), with each area's name. */
export function entryJson(e: PortfolioEntryView) {
  return {
    id: e.id,
    type: e.type,
    title: e.title,
    provider: e.provider,
    startedOn: e.startedOn,
    endedOn: e.endedOn,
    quantity: e.quantity,
    unit: e.unit,
    hours: toHours(e.quantity, e.unit),
    reflection: e.reflection,
    source: e.source,
    areas: e.areas.map((a) => ({ area: a.slug, name: a.name, hours: a.hours })),
    evidenceCount: e.evidenceCount,
    verification: e.verification,
    updatedAt: e.updatedAt,
    url: `/me/portfolio/entries/${e.id}`,
  };
}

/**
 * A piece of evidence as the API sends it: a link's address, or a file's
 * name, type (as its content says) and size with where to download it.
 * `title` is a link's label or a file's name ("" for a link without one).
 */
export function evidenceJson(e: EvidenceView) {
  const file = e.kind === "file";
  return {
    id: e.id,
    entryId: e.entryId,
    kind: e.kind,
    title: e.name,
    url: file ? null : e.url,
    file: file ? { name: e.name, mediaType: e.mediaType, bytes: e.bytes } : null,
    download: file ? `/api/v1/portfolio/evidence/${e.id}/file` : null,
    createdAt: e.createdAt,
  };
}

/** A followed program with the caller's progress in it, as the progress page computes it. */
export function programJson(p: ProgramProgress) {
  const base = `/me/portfolio/programs/${encodeURIComponent(p.program.slug)}`;
  return {
    slug: p.program.slug,
    name: p.program.name,
    body: p.program.definition.body,
    version: p.program.version,
    retired: p.program.retired,
    badge: p.program.badge,
    checkWithProgram: p.program.definition.checkWithProgram,
    progress: p.progress,
    summary: p.summary,
    url: base,
    exports: { pdf: `${base}/export.pdf`, csv: `${base}/export.csv`, zip: `${base}/export.zip` },
  };
}

/**
 * A PATCH body over the entry it changes: the fields sent replace the saved
 * ones, the rest stay (the whole is then checked as a new entry would be).
 * Areas not sent keep their hours; if the amount changes and an entry split
 * across several areas no longer adds up, the check says so on `areas`.
 */
export function patched(current: PortfolioEntryView, body: Record<string, unknown>): Record<string, unknown> {
  const saved: Record<keyof EntryInput, unknown> = {
    type: current.type,
    title: current.title,
    provider: current.provider,
    startedOn: current.startedOn,
    endedOn: current.endedOn,
    quantity: current.quantity,
    unit: current.unit,
    reflection: current.reflection,
    areas: current.areas.map((a) => ({ area: a.slug, hours: a.hours })),
  };
  const out: Record<string, unknown> = { ...saved };
  for (const key of Object.keys(saved)) if (Object.hasOwn(body, key)) out[key] = body[key];
  return out;
}
