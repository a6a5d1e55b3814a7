import { db, readQuery } from "~/db/client.server";
import { Prisma } from "~/generated/prisma/client";
import { COMPETENCY_AREAS } from "~/lib/domain";
import { slugOf } from "~/lib/slug";
import { ConflictError, NotFoundError, ValidationError } from "~/lib/errors";
import { recordEvent } from "./event-outbox.server";
import { logModeration } from "./moderation-rules.server";
import { requireActiveStaff, requireParticipant } from "./user.server";
import { publicThreadSql } from "./visibility.server";
import type { Actor } from "~/lib/domain";

/** Make sure the ten LSSC competency areas exist as tags (idempotent). */
export async function ensureCompetencyAreas(): Promise<void> {
  const existing = new Set((await db.tag.findMany({ where: { kind: "competency" }, select: { slug: true } })).map((t) => t.slug));
  const missing = COMPETENCY_AREAS.map((area, position) => ({ ...area, position })).filter((a) => !existing.has(a.slug));
  if (missing.length === 0) return;
  try {
    await db.$transaction(
      missing.map((a) =>
        db.tag.upsert({
          where: { slug: a.slug },
          create: { slug: a.slug, name: a.name, scopeNote: a.scopeNote, kind: "competency", position: a.position },
          update: { kind: "competency" },
        }),
      ),
    );
  } catch (err) {
    // Another process starting at the same moment created them first.
    if ((err as { code?: string }).code !== "P2002") throw err;
    return ensureCompetencyAreas();
  }
}

export function listCompetencyAreas() {
  return db.tag.findMany({
    where: { kind: "competency" },
    orderBy: { position: "asc" },
    select: { id: true, slug: true, name: true, scopeNote: true },
  });
}

// Tag management: moderators and admins curate the list; members suggest.

/** Moderators and admins who are not suspended. */
const requireStaff = (actor: Actor) => requireActiveStaff(actor, "Only moderators and admins manage tags.");

const tagSlug = (name: string) => slugOf(name, 60);

function checkTagInput(input: { name: string; scopeNote: string }) {
  const name = input.name.trim();
  const fields: Record<string, string> = {};
  if (name.length < 2 || name.length > 60) fields.name = "A tag name is 2 to 60 characters.";
  else if (!tagSlug(name)) fields.name = "Use letters or digits in the name.";
  if (input.scopeNote.length > 500) fields.scopeNote = "The scope note must be at most 500 characters.";
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return { name, slug: tagSlug(name), scopeNote: input.scopeNote.trim() };
}

export async function listTagsWithCounts() {
  const tags = await db.tag.findMany({
    orderBy: [{ kind: "asc" }, { position: "asc" }, { name: "asc" }],
    select: {
      id: true,
      slug: true,
      name: true,
      kind: true,
      scopeNote: true,
      synonymOf: { select: { id: true, name: true } },
      _count: { select: { threads: true, followers: true, resources: true } },
    },
  });
  return tags.map(({ _count, ...t }) => ({ ...t, threadCount: _count.threads, followerCount: _count.followers, resourceCount: _count.resources }));
}

/**
 * The tags as members see them: main tags only, each with its synonyms beside
 * it and the number of threads everyone can see under it (synonyms' threads
 * included, a thread counted once). Competency areas first.
 */
export async function listTagIndex() {
  const [tags, counts] = await Promise.all([
    db.tag.findMany({
      where: { synonymOfId: null },
      orderBy: [{ kind: "asc" }, { position: "asc" }, { name: "asc" }],
      select: {
        id: true,
        slug: true,
        name: true,
        kind: true,
        scopeNote: true,
        synonyms: { orderBy: { name: "asc" }, select: { name: true } },
        _count: { select: { followers: true } },
      },
    }),
    readQuery<{ root: unknown; threads: unknown }>(Prisma.sql`
      SELECT COALESCE(g."synonymOfId", g."id") AS "root", COUNT(DISTINCT t."id") AS "threads"
      FROM "ThreadTag" tt JOIN "Tag" g ON g."id" = tt."tagId" JOIN "Thread" t ON t."id" = tt."threadId"
      WHERE ${publicThreadSql("t")}
      GROUP BY COALESCE(g."synonymOfId", g."id")`),
  ]);
  const threadsOf = new Map(counts.map((c) => [Number(c.root), Number(c.threads)]));
  return tags.map(({ _count, synonyms, ...t }) => ({
    ...t,
    synonyms: synonyms.map((s) => s.name),
    threadCount: threadsOf.get(t.id) ?? 0,
    followerCount: _count.followers,
  }));
}

/**
 * What the ask form offers: main tags with their scope notes and synonyms.
 * A synonym is never a choice of its own; its id is listed under its main
 * tag so a form coming back with an old synonym id shows the main tag chosen.
 */
export async function listTagChoices() {
  const tags = await db.tag.findMany({
    where: { synonymOfId: null },
    orderBy: [{ kind: "asc" }, { position: "asc" }, { name: "asc" }],
    select: { id: true, slug: true, name: true, kind: true, scopeNote: true, synonyms: { orderBy: { name: "asc" }, select: { id: true, name: true } } },
  });
  return tags;
}
export type TagChoice = Awaited<ReturnType<typeof listTagChoices>>[number];

/**
 * Tag ids as posted, each synonym replaced by its main tag, without repeats.
 * Old forms and API clients may still send a synonym's id; it lands on the
 * main tag, as the filters already treat the two as one.
 */
export async function canonicalTagIds(tagIds: number[]): Promise<number[]> {
  const unique = [...new Set(tagIds)];
  const found = await db.tag.findMany({ where: { id: { in: unique } }, select: { id: true, synonymOfId: true } });
  if (found.length !== unique.length) throw new ValidationError({ tagIds: "Choose tags from the list." });
  const main = new Map(found.map((t) => [t.id, t.synonymOfId ?? t.id]));
  return [...new Set(unique.map((id) => main.get(id)!))];
}

/** A tag page's tag: its synonyms' names, or, for a synonym, the main tag it stands for. */
export function findTagPage(slug: string) {
  return db.tag.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      name: true,
      kind: true,
      scopeNote: true,
      synonymOf: { select: { slug: true, name: true } },
      synonyms: { orderBy: { name: "asc" }, select: { slug: true, name: true } },
    },
  });
}

/** A tag id and every synonym of it: what a filter by that tag matches. */
export async function tagWithSynonyms(slug: string): Promise<number[] | null> {
  const tag = await db.tag.findUnique({ where: { slug }, select: { id: true, synonymOfId: true } });
  if (!tag) return null;
  const root = tag.synonymOfId ?? tag.id;
  const synonyms = await db.tag.findMany({ where: { synonymOfId: root }, select: { id: true } });
  return [root, ...synonyms.map((s) => s.id)];
}

/**
 * Declare a topic tag a synonym of another (filters then treat them as one),
 * or undo it with `ofTagId` null. A synonym points at a main tag, never at
 * another synonym, and competency areas stay main tags.
 */
export async function setTagSynonym(actor: Actor, tagId: number, ofTagId: number | null) {
  await requireStaff(actor);
  const tag = await db.tag.findUnique({ where: { id: tagId }, select: { kind: true, _count: { select: { synonyms: true } } } });
  if (!tag) throw new NotFoundError("That tag does not exist.");
  if (ofTagId !== null) {
    if (tag.kind === "competency") throw new ConflictError("A competency area cannot be a synonym.");
    if (tag._count.synonyms) throw new ConflictError("Other tags are synonyms of this one; point them elsewhere first.");
    const main = await db.tag.findUnique({ where: { id: ofTagId }, select: { id: true, synonymOfId: true } });
    if (!main || main.id === tagId) throw new ValidationError({ ofTagId: "Choose another tag." });
    if (main.synonymOfId !== null) throw new ValidationError({ ofTagId: "That tag is itself a synonym; choose its main tag." });
  }
  await db.$transaction([
    db.tag.update({ where: { id: tagId }, data: { synonymOfId: ofTagId } }),
    logModeration(actor, {
      action: ofTagId === null ? "tag.synonym_cleared" : "tag.synonym_set",
      targetType: "tag",
      targetId: tagId,
      detail: ofTagId === null ? "" : `synonym of #${ofTagId}`,
    }),
    recordEvent(db, { type: "tags.changed" }),
  ]);
}

/** Merge a topic tag into another: its threads, resources and followers move, then it is gone. */
export async function mergeTags(actor: Actor, fromId: number, intoId: number) {
  await requireStaff(actor);
  if (fromId === intoId) throw new ValidationError({ intoId: "Choose another tag to merge into." });
  const [from, into] = await Promise.all([
    db.tag.findUnique({ where: { id: fromId }, select: { kind: true } }),
    db.tag.findUnique({ where: { id: intoId }, select: { id: true } }),
  ]);
  if (!from || !into) throw new NotFoundError("That tag does not exist.");
  if (from.kind === "competency") throw new ConflictError("The ten competency areas cannot be merged away.");
  await db.$transaction(async (tx) => {
    // Insert-or-ignore, so an item tagged with both keeps one link.
    await tx.$executeRaw`INSERT INTO "ThreadTag" ("threadId", "tagId") SELECT "threadId", ${intoId} FROM "ThreadTag" WHERE "tagId" = ${fromId} ON CONFLICT DO NOTHING`;
    await tx.$executeRaw`INSERT INTO "ResourceTag" ("resourceId", "tagId") SELECT "resourceId", ${intoId} FROM "ResourceTag" WHERE "tagId" = ${fromId} ON CONFLICT DO NOTHING`;
    await tx.$executeRaw`INSERT INTO "TagFollow" ("userId", "tagId", "createdAt") SELECT "userId", ${intoId}, "createdAt" FROM "TagFollow" WHERE "tagId" = ${fromId} ON CONFLICT DO NOTHING`;
    await tx.tag.updateMany({ where: { synonymOfId: fromId }, data: { synonymOfId: intoId } });
    await tx.tag.delete({ where: { id: fromId } });
    await logModeration(actor, { action: "tag.merged", targetType: "tag", targetId: intoId, detail: `tag #${fromId} merged into #${intoId}` }, tx);
    await recordEvent(tx, { type: "tags.changed" });
  });
}

export async function createTag(actor: Actor, input: { name: string; scopeNote: string }) {
  await requireStaff(actor);
  const data = checkTagInput(input);
  if (await db.tag.findUnique({ where: { slug: data.slug }, select: { id: true } })) {
    throw new ConflictError("That tag already exists.", { name: "That tag already exists." });
  }
  const tag = await db.$transaction(async (tx) => {
    const created = await tx.tag.create({ data: { ...data, kind: "topic" }, select: { id: true, slug: true, name: true } });
    await logModeration(actor, { action: "tag.created", targetType: "tag", targetId: created.id, detail: created.slug }, tx);
    await recordEvent(tx, { type: "tags.changed" });
    return created;
  });
  return tag;
}

export async function updateTag(actor: Actor, tagId: number, input: { name: string; scopeNote: string }) {
  await requireStaff(actor);
  const data = checkTagInput(input);
  const tag = await db.tag.findUnique({ where: { id: tagId }, select: { kind: true } });
  if (!tag) throw new NotFoundError("That tag does not exist.");
  // Competency areas keep their names and addresses; only their scope notes change.
  const update = tag.kind === "competency" ? { scopeNote: data.scopeNote } : data;
  const clash = tag.kind === "competency" ? null : await db.tag.findFirst({ where: { slug: data.slug, id: { not: tagId } }, select: { id: true } });
  if (clash) throw new ConflictError("Another tag has that name.", { name: "Another tag has that name." });
  await db.$transaction([
    db.tag.update({ where: { id: tagId }, data: update }),
    logModeration(actor, { action: "tag.updated", targetType: "tag", targetId: tagId, detail: data.slug }),
    recordEvent(db, { type: "tags.changed" }),
  ]);
}

export async function deleteTag(actor: Actor, tagId: number) {
  await requireStaff(actor);
  const tag = await db.tag.findUnique({ where: { id: tagId }, select: { kind: true } });
  if (!tag) throw new NotFoundError("That tag does not exist.");
  if (tag.kind === "competency") throw new ConflictError("The ten competency areas cannot be deleted.");
  await db.$transaction([
    db.tag.delete({ where: { id: tagId } }),
    logModeration(actor, { action: "tag.deleted", targetType: "tag", targetId: tagId }),
    recordEvent(db, { type: "tags.changed" }),
  ]);
}

export async function suggestTag(actor: Actor, input: { name: string; scopeNote: string }) {
  await requireParticipant(actor);
  const data = checkTagInput(input);
  if (await db.tag.findUnique({ where: { slug: data.slug }, select: { id: true } })) {
    throw new ConflictError("That tag already exists: choose it from the list.", { name: "That tag already exists." });
  }
  const pending = await db.tagSuggestion.count({ where: { suggestedById: actor.id, status: "pending" } });
  if (pending >= 5) throw new ValidationError({ name: "You have 5 suggestions waiting for a moderator already." });
  await db.tagSuggestion.create({ data: { name: data.name, scopeNote: data.scopeNote, suggestedById: actor.id } });
}

export async function listTagSuggestions(actor: Actor) {
  await requireStaff(actor);
  return db.tagSuggestion.findMany({
    where: { status: "pending" },
    orderBy: { id: "asc" },
    select: { id: true, name: true, scopeNote: true, createdAt: true, suggestedBy: { select: { handle: true, displayName: true } } },
  });
}

export async function decideTagSuggestion(actor: Actor, suggestionId: number, accept: boolean) {
  await requireStaff(actor);
  const suggestion = await db.tagSuggestion.findUnique({ where: { id: suggestionId }, select: { name: true, scopeNote: true, status: true } });
  if (!suggestion || suggestion.status !== "pending") throw new NotFoundError("That suggestion is no longer waiting.");
  if (accept) await createTag(actor, { name: suggestion.name, scopeNote: suggestion.scopeNote });
  await db.tagSuggestion.update({ where: { id: suggestionId }, data: { status: accept ? "accepted" : "declined" } });
  if (!accept) await logModeration(actor, { action: "tag.suggestion_declined", targetType: "tag", detail: suggestion.name });
}

/** Every tag with its scope note, competency areas first: the resource form's choices (synonyms are chosen through their main tag). */
export function listTagsWithNotes() {
  return db.tag.findMany({
    where: { synonymOfId: null },
    orderBy: [{ kind: "asc" }, { position: "asc" }, { name: "asc" }],
    select: { id: true, slug: true, name: true, kind: true, scopeNote: true },
  });
}

/** The tags a thread can be given (a moderator's retagging form): main tags only, a synonym is its main tag. */
export function listTags() {
  return db.tag.findMany({
    where: { synonymOfId: null },
    orderBy: [{ kind: "asc" }, { position: "asc" }, { name: "asc" }],
    select: { id: true, slug: true, name: true, kind: true },
  });
}

/** A tag by its slug; `synonymOf`: the main tag's slug when it is a synonym. */
export async function findTag(slug: string) {
  const tag = await db.tag.findUnique({
    where: { slug },
    select: { id: true, slug: true, name: true, kind: true, scopeNote: true, synonymOf: { select: { slug: true } } },
  });
  return tag && { ...tag, synonymOf: tag.synonymOf?.slug ?? null };
}
