// A member's activity log (issue 19): entries, the competency areas each
// served, progress in the programs they follow, and candidates for entries
// from their clearinghouse reading and their own ParaNet work. Private: every
// read and write names its owner, and another member's entry is "not found"
// (a guessed id tells nothing). Progress is computed from the entries and the
// program's current definition on each read (app/lib/program.ts), so an
// admin's change to a program shows at once.
import { db } from "~/db/client.server";
import { lockRows } from "~/db/dialect.server";
import type { Prisma } from "~/generated/prisma/client";
import type { Actor } from "~/lib/domain";
import { NotFoundError, ValidationError } from "~/lib/errors";
import type { EntryInput } from "~/lib/portfolio-input.server";
import { computeProgress, entryContributions, progressSummary, type EntryForProgress, type Progress, type ProgramDefinition } from "~/lib/program";
import { followedPrograms, programForMember, type FollowedProgram, type LoadedProgram } from "./program.server";
import { removeStoredFiles, storedFilesOf } from "./evidence.server";

/** Today as a member's log counts it: the UTC day. */
export const todayUtc = (now = new Date()) => now.toISOString().slice(0, 10);

/** An entry in the member's own words (no evidence, no bookkeeping): also what a verifier is shown (portfolio-verification.server.ts). */
export const entryWordsSelect = {
  id: true,
  type: true,
  title: true,
  provider: true,
  startedOn: true,
  endedOn: true,
  quantity: true,
  unit: true,
  reflection: true,
  areas: { select: { hours: true, tag: { select: { slug: true, name: true, position: true } } } },
} satisfies Prisma.PortfolioEntrySelect;

const entrySelect = {
  ...entryWordsSelect,
  source: true,
  createdAt: true,
  updatedAt: true,
  _count: { select: { evidence: true } },
  verifications: {
    where: { status: { in: ["pending", "confirmed", "declined"] } },
    orderBy: { id: "desc" },
    take: 1,
    select: { status: true, verifierName: true, verifierEmail: true, decidedAt: true, note: true, verifier: { select: { displayName: true, handle: true } } },
  },
} satisfies Prisma.PortfolioEntrySelect;

type EntryRow = Awaited<ReturnType<typeof loadEntries>>[number];
function loadEntries(ownerId: number, where: { id?: number } = {}, page?: { skip: number; take: number }) {
  return db.portfolioEntry.findMany({ where: { ownerId, ...where }, orderBy: [{ endedOn: "desc" }, { id: "desc" }], select: entrySelect, ...page });
}

export type PortfolioEntryView = ReturnType<typeof entryView>;
function entryView(row: EntryRow) {
  const v = row.verifications[0];
  return {
    id: row.id,
    type: row.type,
    title: row.title,
    provider: row.provider,
    startedOn: row.startedOn,
    endedOn: row.endedOn,
    quantity: row.quantity,
    unit: row.unit,
    reflection: row.reflection,
    source: row.source,
    updatedAt: row.updatedAt.toISOString(),
    areas: [...row.areas].sort((a, b) => a.tag.position - b.tag.position).map((a) => ({ slug: a.tag.slug, name: a.tag.name, hours: a.hours })),
    evidenceCount: row._count.evidence,
    verification: v
      ? {
          status: v.status as "pending" | "confirmed" | "declined",
          by: v.verifier?.displayName ?? (v.verifierName || v.verifierEmail),
          decidedAt: v.decidedAt?.toISOString() ?? null,
          note: v.note,
        }
      : null,
  };
}

const forProgress = (e: PortfolioEntryView): EntryForProgress => ({
  id: e.id,
  type: e.type,
  title: e.title,
  startedOn: e.startedOn,
  endedOn: e.endedOn,
  quantity: e.quantity,
  unit: e.unit,
  areas: e.areas.map((a) => ({ slug: a.slug, hours: a.hours })),
});

export async function listEntries(actor: Actor): Promise<PortfolioEntryView[]> {
  return (await loadEntries(actor.id)).map(entryView);
}

/** Entries on one page of the log: years of activities make hundreds. */
export const LOG_PAGE_SIZE = 50;

/** One page of the actor's log, most recent first (a page past the end shows the last). */
export async function entryLogPage(actor: Actor, asked: number): Promise<{ entries: PortfolioEntryView[]; total: number; page: number; pages: number }> {
  const total = await db.portfolioEntry.count({ where: { ownerId: actor.id } });
  const pages = Math.max(1, Math.ceil(total / LOG_PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, Math.floor(asked) || 1));
  const rows = await loadEntries(actor.id, {}, { skip: (page - 1) * LOG_PAGE_SIZE, take: LOG_PAGE_SIZE });
  return { entries: rows.map(entryView), total, page, pages };
}

/** One entry of the actor's own; anyone else's is not found. */
export async function getEntry(actor: Actor, id: number): Promise<PortfolioEntryView> {
  const [row] = await loadEntries(actor.id, { id });
  if (!row) throw new NotFoundError("There is no such entry in your portfolio.");
  return entryView(row);
}

async function areaTagIds(areas: EntryInput["areas"], client: Prisma.TransactionClient = db): Promise<{ tagId: number; hours: number }[]> {
  if (!areas.length) return [];
  const tags = await client.tag.findMany({ where: { kind: "competency", slug: { in: areas.map((a) => a.area) } }, select: { id: true, slug: true } });
  const bySlug = new Map(tags.map((t) => [t.slug, t.id]));
  return areas.map((a) => {
    const tagId = bySlug.get(a.area);
    if (!tagId) throw new ValidationError({ areas: "Choose competency areas from the list." });
    return { tagId, hours: a.hours };
  });
}

const SOURCE = /^(resource|curated|thread|reply):\d{1,10}$/;

export async function createEntry(actor: Actor, input: EntryInput, source = ""): Promise<PortfolioEntryView> {
  const areas = await areaTagIds(input.areas);
  const { areas: _areas, ...fields } = input;
  const entry = await db.portfolioEntry.create({
    data: { ...fields, ownerId: actor.id, source: SOURCE.test(source) ? source : "", areas: { create: areas } },
    select: { id: true },
  });
  return getEntry(actor, entry.id);
}

/** Save an edit. A verification (asked or given) no longer stands: it was for what the entry said before. */
export async function updateEntry(actor: Actor, id: number, input: EntryInput): Promise<PortfolioEntryView> {
  const { areas: _areas, ...fields } = input;
  await db.$transaction(async (tx) => {
    // Two saves of one entry at once (two tabs, an API client) take turns: on PostgreSQL both would
    // otherwise delete the old areas and then insert the same new ones. One deleted meanwhile is not found.
    await lockRows(tx, "PortfolioEntry", [id]);
    if (!(await tx.portfolioEntry.count({ where: { id, ownerId: actor.id } }))) throw new NotFoundError("There is no such entry in your portfolio.");
    const areas = await areaTagIds(input.areas, tx);
    await tx.portfolioEntryArea.deleteMany({ where: { entryId: id } });
    await tx.portfolioEntry.update({ where: { id }, data: { ...fields, revision: { increment: 1 }, areas: { create: areas } } });
    await tx.verification.updateMany({ where: { entryId: id, status: { in: ["pending", "confirmed", "declined"] } }, data: { status: "cleared" } });
  });
  return getEntry(actor, id);
}

/** Delete an entry of the actor's own; its evidence goes with it, the stored files once the rows are gone. */
export async function deleteEntry(actor: Actor, id: number): Promise<void> {
  const files = await db.$transaction(async (tx) => {
    // Holding the member's row: an upload to this entry waits, then finds it gone (evidence.server.ts).
    await lockRows(tx, "User", [actor.id]);
    const files = await storedFilesOf(tx, actor.id, { entryId: id });
    const { count } = await tx.portfolioEntry.deleteMany({ where: { id, ownerId: actor.id } });
    if (!count) throw new NotFoundError("There is no such entry in your portfolio.");
    return files;
  });
  await removeStoredFiles(files);
}

// --- Progress ------------------------------------------------------------------------

export type ProgramProgress = { program: FollowedProgram; progress: Progress; summary: string[] };

const progressSelect = {
  id: true,
  type: true,
  title: true,
  startedOn: true,
  endedOn: true,
  quantity: true,
  unit: true,
  areas: { select: { hours: true, tagId: true } },
} satisfies Prisma.PortfolioEntrySelect;

/** Every entry of a member's with only what progress is computed from: no reflections, evidence or verifications. */
async function readEntriesForProgress(ownerId: number): Promise<EntryForProgress[]> {
  // The areas' slugs from the ten competency tags (an entry's areas are only those, and their slugs never change), not a join per area.
  const [rows, tags] = await Promise.all([
    db.portfolioEntry.findMany({ where: { ownerId }, orderBy: [{ endedOn: "desc" }, { id: "desc" }], select: progressSelect }),
    db.tag.findMany({ where: { kind: "competency" }, select: { id: true, slug: true } }),
  ]);
  const slugOf = new Map(tags.map((t) => [t.id, t.slug]));
  return rows.map(({ areas, ...e }) => ({ ...e, areas: areas.map((a) => ({ slug: slugOf.get(a.tagId) ?? "", hours: a.hours })) }));
}

/**
 * Members' logs as progress reads them, kept between requests: reading hundreds of entries is most of a progress
 * page's cost. Each use first reads the log's stamp (one indexed query) and a log that changed since, in this process
 * or another, is read again. The stamp is how many entries, the newest id and the sum of their revisions: ids are never
 * reused and every save raises one revision, so any write changes it (clocks play no part). It is read before the
 * entries, so a write in between only makes the next request read again.
 */
type KeptLog = {
  stamp: string;
  entries: EntryForProgress[];
  titles: Map<number, string>;
  progress: WeakMap<ProgramDefinition, { today: string; progress: Progress }>;
};
const keptLogs = new Map<number, KeptLog>();
const KEPT_LOGS = 200;

async function logStamp(ownerId: number): Promise<string> {
  const { _count, _max, _sum } = await db.portfolioEntry.aggregate({
    where: { ownerId },
    _count: { _all: true },
    _max: { id: true },
    _sum: { revision: true },
  });
  return `${_count._all}:${_max.id ?? 0}:${_sum.revision ?? 0}`;
}

async function keptLog(ownerId: number): Promise<KeptLog> {
  const stamp = await logStamp(ownerId);
  let kept = keptLogs.get(ownerId);
  keptLogs.delete(ownerId); // put back last: the map's order is the least recently used first
  if (kept?.stamp !== stamp) {
    const entries = await readEntriesForProgress(ownerId);
    kept = { stamp, entries, titles: new Map(entries.map((e) => [e.id, e.title])), progress: new WeakMap() };
  }
  keptLogs.set(ownerId, kept);
  if (keptLogs.size > KEPT_LOGS) keptLogs.delete(keptLogs.keys().next().value!);
  return kept;
}

/**
 * A member's progress in a program on `today`, from their kept log. Computed once per log, program definition (a saved
 * definition is one object: program.server.ts) and day.
 */
function progressIn(log: KeptLog, definition: ProgramDefinition, today: string): Progress {
  let computed = log.progress.get(definition);
  if (computed?.today !== today) {
    computed = { today, progress: computeProgress(definition, log.entries, today) };
    log.progress.set(definition, computed);
  }
  return computed.progress;
}

/** Progress in every program the member follows, on `today` (their log's stamp read once for all of them). */
export async function portfolioProgress(actor: Actor, today = todayUtc()): Promise<ProgramProgress[]> {
  const [programs, log] = await Promise.all([followedPrograms(actor.id), keptLog(actor.id)]);
  return programs.map((program) => {
    const progress = progressIn(log, program.definition, today);
    return { program, progress, summary: progressSummary(program.definition, progress) };
  });
}

/**
 * One program for its page: the program, and when the member follows it their progress in it and the titles
 * of their entries (by id) to name the counted ones.
 */
export async function programProgress(
  actor: Actor,
  slug: string,
  today = todayUtc(),
): Promise<{ program: LoadedProgram; followed: (ProgramProgress & { titles: Map<number, string> }) | null }> {
  const [{ follow, ...loaded }, log] = await Promise.all([programForMember(actor.id, slug), keptLog(actor.id)]);
  if (!follow) return { program: loaded, followed: null };
  const progress = progressIn(log, loaded.definition, today);
  return {
    program: loaded,
    followed: {
      program: { ...loaded, badge: follow.badge },
      progress,
      summary: progressSummary(loaded.definition, progress),
      titles: log.titles,
    },
  };
}

/** What a member's entries add up to in one program, for a reader the caller has already let in (a reviewer's file download). */
export async function programProgressOf(ownerId: number, definition: ProgramDefinition, today = todayUtc()): Promise<Progress> {
  return progressIn(await keptLog(ownerId), definition, today);
}

/**
 * A member's entries and what they add up to in one program, for a reader the caller has already let in (a
 * reviewer's share link, app/models/portfolio-share.server.ts): the same entries and the same pure computation
 * as the member's own program page.
 */
export async function programPortfolio(
  ownerId: number,
  definition: ProgramDefinition,
  today = todayUtc(),
): Promise<{ entries: PortfolioEntryView[]; progress: Progress; summary: string[] }> {
  const entries = (await loadEntries(ownerId)).map(entryView);
  const progress = computeProgress(definition, entries.map(forProgress), today);
  return { entries, progress, summary: progressSummary(definition, progress) };
}

// --- Quick-add: what the member's reading and work suggest ------------------------------

/** A new entry's starting values, which the member checks and saves (nothing is added without their say). */
export type EntryDraft = {
  source: string;
  type: string;
  title: string;
  provider: string;
  startedOn: string;
  endedOn: string;
  quantity: string;
  unit: string;
  reflection: string;
  areas: string[];
};

const RESOURCE_ACTIVITY: Record<string, string> = {
  course: "course",
  webinar: "workshop",
  certification: "course",
  article: "other",
  book: "other",
  toolkit: "other",
};

/** Starting values from a clearinghouse resource (a course or webinar fills title, provider, hours and areas). */
export async function draftFromResource(id: number, today = todayUtc()): Promise<EntryDraft | null> {
  const r = await db.resource.findFirst({
    where: { id, status: "approved" },
    select: { id: true, title: true, provider: true, type: true, ceHours: true, tags: { select: { tag: { select: { slug: true, kind: true } } } } },
  });
  if (!r) return null;
  return {
    source: `resource:${r.id}`,
    type: RESOURCE_ACTIVITY[r.type] ?? "other",
    title: r.title,
    provider: r.provider,
    startedOn: today,
    endedOn: today,
    quantity: r.ceHours ? String(r.ceHours) : "",
    unit: "hours",
    reflection: "",
    areas: r.tags.filter((t) => t.tag.kind === "competency").map((t) => t.tag.slug),
  };
}

export type WorkCandidate = { source: string; kind: "accepted_answer" | "hit" | "resource"; title: string; on: string; href: string; areas: string[] };

/**
 * The member's own ParaNet work that may count as professional activity:
 * answers the asker accepted, HITs they compiled, resources of theirs the
 * clearinghouse took. Listed for them to add or not; those already in the log
 * are left out.
 */
export async function workCandidates(actor: Actor): Promise<WorkCandidate[]> {
  const competency = { where: { tag: { kind: "competency" } }, select: { tag: { select: { slug: true } } } } as const;
  const [answers, hits, resources, used] = await Promise.all([
    db.reply.findMany({
      where: { authorId: actor.id, deletedAt: null, hiddenAt: null, acceptedFor: { isNot: null }, thread: { hiddenAt: null } },
      orderBy: { id: "desc" },
      take: 50,
      select: { id: true, createdAt: true, thread: { select: { id: true, slug: true, title: true, tags: competency } } },
    }),
    db.thread.findMany({
      where: { authorId: actor.id, kind: "hit", hiddenAt: null },
      orderBy: { id: "desc" },
      take: 50,
      select: { id: true, slug: true, title: true, createdAt: true, tags: competency },
    }),
    db.resource.findMany({
      where: { submitterId: actor.id, status: "approved" },
      orderBy: { id: "desc" },
      take: 50,
      select: { id: true, title: true, approvedAt: true, createdAt: true, tags: competency },
    }),
    db.portfolioEntry.findMany({ where: { ownerId: actor.id, source: { not: "" } }, select: { source: true } }),
  ]);
  const taken = new Set(used.map((u) => u.source));
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const all: WorkCandidate[] = [
    ...answers.map((a) => ({
      source: `reply:${a.id}`,
      kind: "accepted_answer" as const,
      title: `Accepted answer: ${a.thread.title}`,
      on: day(a.createdAt),
      href: `/t/${a.thread.id}/${a.thread.slug}?reply=${a.id}`,
      areas: a.thread.tags.map((t) => t.tag.slug),
    })),
    ...hits.map((h) => ({
      source: `thread:${h.id}`,
      kind: "hit" as const,
      title: `HIT compiled: ${h.title}`,
      on: day(h.createdAt),
      href: `/t/${h.id}/${h.slug}`,
      areas: h.tags.map((t) => t.tag.slug),
    })),
    ...resources.map((r) => ({
      // Not "resource:": taking a course from the clearinghouse is another activity than having shared it there.
      source: `curated:${r.id}`,
      kind: "resource" as const,
      title: `Resource shared in the clearinghouse: ${r.title}`,
      on: day(r.approvedAt ?? r.createdAt),
      href: `/resources/${r.id}`,
      areas: r.tags.map((t) => t.tag.slug),
    })),
  ];
  return all.filter((c) => !taken.has(c.source)).sort((a, b) => (a.on < b.on ? 1 : a.on > b.on ? -1 : 0));
}

/** Starting values for one of the member's work candidates (its source as listed). */
export async function draftFromWork(actor: Actor, source: string): Promise<EntryDraft | null> {
  const candidate = (await workCandidates(actor)).find((c) => c.source === source);
  if (!candidate) return null;
  return {
    source: candidate.source,
    type: candidate.kind === "hit" ? "publication" : "other",
    title: candidate.title,
    provider: "ParaNet",
    startedOn: candidate.on,
    endedOn: candidate.on,
    quantity: "1",
    unit: candidate.kind === "hit" ? "items" : "hours",
    reflection: "",
    areas: candidate.areas,
  };
}

// --- Export for reviewers ---------------------------------------------------------------

export type ExportEvidence = { id: number; kind: "link" | "file"; url: string; storedName: string; originalName: string; mediaType: string; bytes: number };
export type ExportEntry = PortfolioEntryView & {
  evidence: ExportEvidence[];
  /** What the entry adds to each category of the program it counts in (category key → amount). */
  counts: Record<string, number>;
};
export type PortfolioExport = {
  member: { id: number; displayName: string; handle: string; jobTitle: string; worksite: string; region: string };
  program: FollowedProgram;
  progress: Progress;
  summary: string[];
  /** The entries that count in the program today (inside its window and in at least one category), newest first. */
  entries: ExportEntry[];
};

/**
 * A member's portfolio in one program they follow, for the reviewers'
 * notebook (PDF), points sheet (CSV) and zip: their identification, the
 * program's current definition and progress, and every counted entry with its
 * areas, verification and evidence. Only the actor's own; a program they do
 * not follow is not found (its page offers to follow it first).
 */
export async function portfolioForExport(actor: Actor, slug: string, today = todayUtc()): Promise<PortfolioExport> {
  const [member, programs, entries] = await Promise.all([
    db.user.findUnique({ where: { id: actor.id }, select: { id: true, displayName: true, handle: true, jobTitle: true, worksite: true, region: true } }),
    followedPrograms(actor.id),
    listEntries(actor),
  ]);
  const program = programs.find((p) => p.slug === slug);
  if (!member || !program) throw new NotFoundError("You do not follow this program: follow it on its page to export its notebook.");
  const progress = computeProgress(program.definition, entries.map(forProgress), today);
  const counted = entries
    .map((e) => ({ e, counts: Object.fromEntries(entryContributions(program.definition, forProgress(e), today)) }))
    .filter((x) => Object.keys(x.counts).length > 0);
  const evidence = await db.evidence.findMany({
    // All of the member's (a list of hundreds of ids would meet SQLite's limit on bound values first).
    where: { entry: { ownerId: actor.id } },
    orderBy: { id: "asc" },
    select: { id: true, entryId: true, kind: true, url: true, storedName: true, originalName: true, mediaType: true, bytes: true },
  });
  const byEntry = new Map<number, ExportEvidence[]>();
  for (const { entryId, ...ev } of evidence) byEntry.set(entryId, [...(byEntry.get(entryId) ?? []), { ...ev, kind: ev.kind === "file" ? "file" : "link" }]);
  return {
    member,
    program,
    progress,
    summary: progressSummary(program.definition, progress),
    entries: counted.map(({ e, counts }) => ({ ...e, counts, evidence: byEntry.get(e.id) ?? [] })),
  };
}
