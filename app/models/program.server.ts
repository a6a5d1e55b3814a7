// Certification programs (issue 19): the shipped ones, what admins change,
// and which members follow which. A program's rules are its JSON definition
// (app/lib/program.ts); every save is checked by program-definition.server.ts
// first, so a definition read back here is always one the schema accepted.
import { db } from "~/db/client.server";
import { lockRows } from "~/db/dialect.server";
import type { Prisma } from "~/generated/prisma/client";
import type { Actor } from "~/lib/domain";
import { ConflictError, NotFoundError, ValidationError } from "~/lib/errors";
import type { ProgramDefinition } from "~/lib/program";
import { checkDefinition } from "~/lib/program-definition.server";
import { cleanText } from "~/lib/input";
import { SHIPPED_PROGRAMS } from "~/lib/shipped-programs";
import { recordEvent } from "./event-outbox.server";
import { logModeration } from "./moderation-rules.server";
import { requireParticipant } from "./user.server";

export type ProgramSummary = { id: number; slug: string; name: string; version: number; retired: boolean; followers: number };
export type LoadedProgram = { id: number; slug: string; name: string; version: number; retired: boolean; definition: ProgramDefinition };

const SLUG = /^[a-z0-9][a-z0-9-]{1,40}$/;

function requireAdmin(actor: Actor | null): asserts actor is Actor {
  if (actor?.role !== "admin") throw new NotFoundError("Not found.");
}

/** Definitions already read, by their saved text: every progress page reads one, and checking it is the costly part. */
const checked = new Map<string, ProgramDefinition>();

function readDefinition(text: string): ProgramDefinition {
  let definition = checked.get(text);
  if (!definition) {
    const check = checkDefinition(JSON.parse(text));
    // Only checked definitions are saved; one that no longer passes (the schema grew stricter) still reads as saved.
    definition = check.ok ? check.definition : (JSON.parse(text) as ProgramDefinition);
    if (checked.size >= 100) checked.clear();
    checked.set(text, definition);
  }
  return definition;
}

function load(row: { id: number; slug: string; name: string; version: number; retiredAt: Date | null; definition: string }): LoadedProgram {
  return { id: row.id, slug: row.slug, name: row.name, version: row.version, retired: row.retiredAt !== null, definition: readDefinition(row.definition) };
}

/**
 * Add the shipped programs an installation does not have yet, and bring a
 * shipped note up to date where it is still one ParaNet wrote before
 * (idempotent; never overwrites an admin's edits).
 */
export async function ensurePrograms(): Promise<void> {
  const existing = new Set((await db.program.findMany({ select: { slug: true } })).map((p) => p.slug));
  for (const p of SHIPPED_PROGRAMS.filter((s) => existing.has(s.slug) && s.earlierNotes?.length))
    await refreshShippedNote(p.slug, p.earlierNotes!, p.definition.checkWithProgram);
  for (const p of SHIPPED_PROGRAMS.filter((s) => !existing.has(s.slug))) {
    const check = checkDefinition(p.definition);
    if (!check.ok) throw new Error(`The shipped program ${p.slug} does not pass its own schema: ${JSON.stringify(check.fields)}`);
    try {
      await db.program.create({ data: { slug: p.slug, name: check.definition.name, definition: JSON.stringify(check.definition) } });
    } catch (err) {
      // Another process starting at the same moment added it first.
      if ((err as { code?: string }).code !== "P2002") throw err;
    }
  }
}

/**
 * A shipped program's note (checkWithProgram) as ParaNet now writes it, where the installation
 * still has one ParaNet wrote before: an admin who rewrote the note keeps their words; one who
 * changed only the figures gets the new note, which no longer repeats the old ones. A new
 * version, as any change to the definition (an admin's form opened before it then asks first).
 */
async function refreshShippedNote(slug: string, earlier: string[], note: string): Promise<void> {
  const row = await db.program.findUnique({ where: { slug }, select: { id: true, version: true, definition: true } });
  if (!row) return;
  const stored = JSON.parse(row.definition) as ProgramDefinition;
  if (!earlier.includes(stored.checkWithProgram)) return;
  const check = checkDefinition({ ...stored, checkWithProgram: note });
  if (!check.ok) return; // a definition the schema no longer accepts waits for its admin
  // Only over the version read: another process starting at the same moment did it first, or an admin saved meanwhile.
  await db.program.updateMany({
    where: { id: row.id, version: row.version },
    data: { definition: JSON.stringify(check.definition), version: { increment: 1 } },
  });
}

/** Programs members may choose (retired ones only for those who already follow them). */
export async function listPrograms(options: { includeRetired?: boolean } = {}): Promise<ProgramSummary[]> {
  const rows = await db.program.findMany({
    where: options.includeRetired ? {} : { retiredAt: null },
    orderBy: [{ retiredAt: "asc" }, { name: "asc" }],
    select: { id: true, slug: true, name: true, version: true, retiredAt: true, _count: { select: { follows: true } } },
  });
  return rows.map((r) => ({ id: r.id, slug: r.slug, name: r.name, version: r.version, retired: r.retiredAt !== null, followers: r._count.follows }));
}

export async function getProgram(slug: string): Promise<LoadedProgram> {
  const row = await db.program.findUnique({ where: { slug } });
  if (!row) throw new NotFoundError("There is no such program.");
  return load(row);
}

/** A program, and the member's follow of it (null: they do not follow it). */
export async function programForMember(userId: number, slug: string): Promise<LoadedProgram & { follow: { badge: string } | null }> {
  const row = await db.program.findUnique({ where: { slug }, include: { follows: { where: { userId }, select: { badge: true } } } });
  if (!row) throw new NotFoundError("There is no such program.");
  return { ...load(row), follow: row.follows[0] ?? null };
}

export async function getProgramById(id: number): Promise<LoadedProgram> {
  const row = await db.program.findUnique({ where: { id } });
  if (!row) throw new NotFoundError("There is no such program.");
  return load(row);
}

/**
 * Save an edited definition (admins). Raises the version: progress is computed, so it follows at once.
 * `version` is the one the admin opened: a save over a newer one (another admin saved in between) is refused,
 * so nobody's edit is silently undone. Without it, the version read here.
 */
export async function updateProgram(actor: Actor | null, slug: string, input: unknown, version?: number): Promise<LoadedProgram> {
  requireAdmin(actor);
  const current = await getProgram(slug);
  const check = checkDefinition(input);
  if (!check.ok) throw new ValidationError(check.fields);
  const row = await db.$transaction(async (tx) => {
    const { count } = await tx.program.updateMany({
      where: { id: current.id, version: version ?? current.version },
      data: { name: check.definition.name, definition: JSON.stringify(check.definition), version: { increment: 1 } },
    });
    if (!count)
      throw new ConflictError(
        "Someone saved this program after you opened it. What you typed is still here: save again to replace their version with yours, or reload the page to start from theirs.",
      );
    await logModeration(actor, { action: "program.edited", targetType: "program", targetId: current.id, detail: slug }, tx);
    return tx.program.findUniqueOrThrow({ where: { id: current.id } });
  });
  return load(row);
}

/** Add a program from a definition (the import, or an admin's new program). */
export async function createProgram(actor: Actor | null, slug: string, input: unknown): Promise<LoadedProgram> {
  requireAdmin(actor);
  const cleanSlug = slug.trim().toLowerCase();
  const fields: Record<string, string> = {};
  if (!SLUG.test(cleanSlug)) fields.slug = "A short name for addresses: 2 to 41 lower-case letters, digits and dashes, e.g. “para-ma”.";
  const check = checkDefinition(input);
  if (!check.ok) Object.assign(fields, check.fields);
  if (Object.keys(fields).length || !check.ok) throw new ValidationError(fields);
  const taken = () => new ConflictError("A program with this short name exists.", { slug: `“${cleanSlug}” is taken: choose another, or edit that program.` });
  if (await db.program.findUnique({ where: { slug: cleanSlug }, select: { id: true } })) throw taken();
  try {
    const row = await db.$transaction(async (tx) => {
      const made = await tx.program.create({ data: { slug: cleanSlug, name: check.definition.name, definition: JSON.stringify(check.definition) } });
      await logModeration(actor, { action: "program.added", targetType: "program", targetId: made.id, detail: cleanSlug }, tx);
      return made;
    });
    return load(row);
  } catch (err) {
    // Another admin added the same short name a moment ago.
    if ((err as { code?: string }).code === "P2002") throw taken();
    throw err;
  }
}

/** Retire (no new followers; those following keep their progress) or bring back. */
export async function setProgramRetired(actor: Actor | null, slug: string, retired: boolean): Promise<void> {
  requireAdmin(actor);
  const current = await getProgram(slug);
  if (current.retired === retired) return; // a second click, or another admin did it first
  await db.$transaction(async (tx) => {
    await tx.program.update({ where: { id: current.id }, data: { retiredAt: retired ? new Date() : null } });
    await logModeration(actor, { action: retired ? "program.retired" : "program.restored", targetType: "program", targetId: current.id, detail: slug }, tx);
  });
}

/** The definition as a file an admin can keep, edit and import elsewhere. */
export async function exportProgram(actor: Actor | null, slug: string): Promise<{ filename: string; json: string }> {
  requireAdmin(actor);
  const p = await getProgram(slug);
  return { filename: `paranet-program-${p.slug}.json`, json: `${JSON.stringify({ slug: p.slug, ...p.definition }, null, 2)}\n` };
}

// --- Members and the programs they follow --------------------------------------------

export type FollowedProgram = LoadedProgram & { badge: string };

export async function followedPrograms(userId: number): Promise<FollowedProgram[]> {
  const rows = await db.programFollow.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { badge: true, program: true } });
  return rows.map((r) => ({ ...load(r.program), badge: r.badge }));
}

export async function followProgram(actor: Actor, slug: string): Promise<void> {
  const p = await db.program.findUnique({ where: { slug }, select: { id: true, retiredAt: true } });
  if (!p) throw new ValidationError({ program: "Choose a program from the list." });
  const already = await db.programFollow.findUnique({ where: { userId_programId: { userId: actor.id, programId: p.id } } });
  if (already) return;
  if (p.retiredAt) throw new ValidationError({ program: "This program has been retired: choose another." });
  await db.programFollow.create({ data: { userId: actor.id, programId: p.id } });
}

export async function unfollowProgram(actor: Actor, slug: string): Promise<void> {
  const p = await db.program.findUnique({ where: { slug }, select: { id: true } });
  if (!p) throw new NotFoundError("There is no such program.");
  await db.$transaction(async (tx) => {
    await lockRows(tx, "User", [actor.id]);
    const { count } = await tx.programFollow.deleteMany({ where: { userId: actor.id, programId: p.id } });
    // Its badge leaves the identification card with it.
    if (count) await copyBadges(tx, actor.id);
  });
}

export const BADGE_MAX = 40;

/**
 * The badge the member shows on their identification card for a program they follow ("" for none).
 * It is the member's own words beside every post, like the card's other fields: cleaned as they are
 * (control characters out, NFC), on one line, and not changed by a suspended member (who may still clear it).
 */
export async function setProgramBadge(actor: Actor, slug: string, badge: string): Promise<void> {
  const p = await db.program.findUnique({ where: { slug }, select: { id: true } });
  if (!p) throw new NotFoundError("There is no such program.");
  const text = cleanText(badge).replace(/\s+/g, " ").trim();
  if (text.length > BADGE_MAX) throw new ValidationError({ badge: `A badge is at most ${BADGE_MAX} characters, e.g. “LSSC candidate”.` });
  if (text) await requireParticipant(actor);
  await db.$transaction(async (tx) => {
    await lockRows(tx, "User", [actor.id]);
    const { count } = await tx.programFollow.updateMany({ where: { userId: actor.id, programId: p.id }, data: { badge: text } });
    if (!count) throw new ValidationError({ badge: "Follow the program first." });
    await copyBadges(tx, actor.id);
  });
}

/**
 * Copy the member's non-empty badges onto User.badges (a JSON array, "" for none), in the order they followed.
 * A copy rather than a join: the identification card is read with every post, on the thread page's raw reads and
 * its shared per-class views, the profile, lists and live updates; one more column there costs nothing, where a
 * query per page (or a join per row) would cost every reader. Badges change seldom, and only here. The User row is
 * locked first (PostgreSQL), so two changes at once cannot leave the copy behind the follows it was read from; the
 * event clears the guest page cache, as any change to the card does.
 */
async function copyBadges(tx: Prisma.TransactionClient, userId: number): Promise<void> {
  const rows = await tx.programFollow.findMany({
    where: { userId, badge: { not: "" } },
    orderBy: [{ createdAt: "asc" }, { programId: "asc" }],
    select: { badge: true },
  });
  await tx.user.update({ where: { id: userId }, data: { badges: rows.length ? JSON.stringify(rows.map((r) => r.badge)) : "" } });
  await recordEvent(tx, { type: "member.updated", userId });
}
