// The clearinghouse: members submit resources, moderators curate them, and
// everyone browses the approved ones. The visibility rule, written once
// (canSeeResource): an entry that is not approved exists only for its
// submitter and for moderators — in pages, the API, feeds and search.
// validate → load → authorize → write (one transaction, with a curation
// record) → return what the caller may see.
import { db } from "~/db/client.server";
import { containsText, lockRows } from "~/db/dialect.server";
import {
  isStaff,
  LIBRARY_TYPES,
  RESOURCE_COSTS,
  RESOURCE_TYPES,
  type LibraryType,
  type ResourceCost,
  type ResourceStatus,
  type ResourceType,
} from "~/lib/domain";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { textExcerpt } from "~/lib/html-text.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { cleanUrl, normalizeUrl } from "~/lib/resource-url";
import { clip, type ResourceInput } from "~/lib/validation";
import type { Prisma } from "~/generated/prisma/client";
import { recordEvent } from "./event-outbox.server";
import { tagWithSynonyms } from "./tag.server";
import { logModeration } from "./moderation-rules.server";
import { countPost, requireActiveStaff, requireParticipant } from "./user.server";
import type { Actor } from "~/lib/domain";
import { publicThreadWhere, type Viewer } from "./visibility.server";

export type ResourceFilters = {
  competency?: string;
  tag?: string;
  type?: ResourceType;
  libraryType?: LibraryType;
  region?: string;
  cost?: ResourceCost;
  sort?: "newest" | "cited" | "title";
  page?: number;
};

export const RESOURCES_PAGE_SIZE = 20;
/** How much of an abstract a list shows, in characters of plain text. */
const RESOURCE_EXCERPT = 240;

/** Filters from a query string (pages and API share them); unknown values are ignored. */
export function resourceFiltersFrom(p: URLSearchParams): ResourceFilters {
  const type = p.get("type");
  const library = p.get("library");
  const cost = p.get("cost");
  const sort = p.get("sort");
  const page = Number(p.get("page"));
  return {
    competency: clip(p.get("competency") ?? "", 80) || undefined,
    tag: clip(p.get("tag") ?? "", 80) || undefined,
    type: RESOURCE_TYPES.includes(type as ResourceType) ? (type as ResourceType) : undefined,
    libraryType: LIBRARY_TYPES.includes(library as LibraryType) ? (library as LibraryType) : undefined,
    region: clip(p.get("region")?.trim() ?? "", 80) || undefined,
    cost: RESOURCE_COSTS.includes(cost as ResourceCost) ? (cost as ResourceCost) : undefined,
    sort: sort === "cited" || sort === "title" ? sort : "newest",
    page: Number.isSafeInteger(page) && page > 1 && page < 10_000 ? page : 1,
  };
}

export function canSeeResource(viewer: Viewer, resource: { status: string; submitterId: number }): boolean {
  return resource.status === "approved" || (!!viewer && (viewer.id === resource.submitterId || isStaff(viewer.role)));
}

/** Moderators and admins who are not suspended. */
const requireStaff = (actor: Actor) => requireActiveStaff(actor, "Only moderators can curate the clearinghouse.");

/** What a resource card shows (lists, competency pages, the directory). */
export const resourceCardSelect = {
  id: true,
  title: true,
  url: true,
  abstractHtml: true,
  type: true,
  libraryTypes: true,
  region: true,
  cost: true,
  provider: true,
  ceHours: true,
  publishedOn: true,
  featured: true,
  citationCount: true,
  status: true,
  approvedAt: true,
  tags: { select: { tag: { select: { slug: true, name: true, kind: true } } }, orderBy: { tag: { position: "asc" } } },
} as const satisfies Prisma.ResourceSelect;

type CardRow = Prisma.ResourceGetPayload<{ select: typeof resourceCardSelect }>;

export function toResourceCard({ tags, libraryTypes, ...r }: CardRow) {
  return {
    ...r,
    type: r.type as ResourceType,
    cost: r.cost as ResourceCost,
    status: r.status as ResourceStatus,
    libraryTypes: libraryTypes ? (libraryTypes.split(",") as LibraryType[]) : [],
    competencies: tags.filter((t) => t.tag.kind === "competency").map((t) => t.tag),
    tags: tags.filter((t) => t.tag.kind !== "competency").map((t) => t.tag),
  };
}
export type ResourceCard = ReturnType<typeof toResourceCard>;

/**
 * Tag ids as chosen (a synonym counts as the tag it stands for), checked to
 * exist and to include at least one competency area.
 */
async function resolveTags(tagIds: number[]): Promise<number[]> {
  const tags = await db.tag.findMany({ where: { id: { in: [...new Set(tagIds)] } }, select: { id: true, kind: true, synonymOfId: true } });
  if (tags.length !== new Set(tagIds).size) throw new ValidationError({ tagIds: "Choose tags from the list." });
  const canonical = [...new Set(tags.map((t) => t.synonymOfId ?? t.id))];
  const kinds = await db.tag.findMany({ where: { id: { in: canonical } }, select: { kind: true } });
  if (!kinds.some((t) => t.kind === "competency")) throw new ValidationError({ tagIds: "Choose at least one competency area." });
  return canonical;
}

/** An entry's stored fields from checked input (submission, edit and import alike). */
export function resourceData(input: ResourceInput, normalizedUrl: string) {
  const rendered = renderMarkdown(input.abstract);
  return {
    title: input.title,
    url: cleanUrl(input.url),
    normalizedUrl,
    abstractSource: input.abstract,
    abstractHtml: rendered.html,
    type: input.type,
    libraryTypes: [...new Set(input.libraryTypes)].join(","),
    region: input.region,
    cost: input.cost,
    provider: input.provider,
    ceHours: input.ceHours,
    publishedOn: input.publishedOn,
  };
}

/** An entry at the same address. Someone else's pending suggestion shows neither its title nor its number. */
export type Duplicate = { id: number | null; title: string | null; status: ResourceStatus };

/**
 * An entry (approved or waiting) with the same normalized address, if any,
 * as `viewer` may see it (omit the viewer for the full entry: moderators' use).
 */
export async function findDuplicate(url: string, options: { exceptId?: number; viewer?: Viewer } = {}): Promise<Duplicate | null> {
  const normalized = normalizeUrl(url);
  if (!normalized) return null;
  const found = await db.resource.findFirst({
    where: { normalizedUrl: normalized, status: { in: ["approved", "pending"] }, ...(options.exceptId ? { id: { not: options.exceptId } } : {}) },
    orderBy: { id: "asc" },
    select: { id: true, title: true, status: true, submitterId: true },
  });
  if (!found) return null;
  const status = found.status as ResourceStatus;
  if ("viewer" in options && !canSeeResource(options.viewer ?? null, found)) return { id: null, title: null, status };
  return { id: found.id, title: found.title, status };
}

/** A member's submission: pending until a moderator decides. Refused if the address is already in (or waiting for) the clearinghouse. */
export async function submitResource(actor: Actor, input: ResourceInput): Promise<{ id: number } | { duplicate: Duplicate }> {
  await requireParticipant(actor);
  await countPost(actor);
  const normalized = normalizeUrl(input.url);
  if (!normalized) throw new ValidationError({ url: "Enter a full web address starting with https:// (or http://)." });
  const duplicate = await findDuplicate(input.url, { viewer: actor });
  if (duplicate) return { duplicate };
  const tagIds = await resolveTags(input.tagIds);
  const created = await db.$transaction(async (tx) => {
    const resource = await tx.resource.create({
      data: {
        ...resourceData(input, normalized),
        submitterId: actor.id,
        tags: { create: tagIds.map((tagId) => ({ tagId })) },
        curations: { create: { actorId: actor.id, action: "submitted" } },
      },
      select: { id: true },
    });
    await recordEvent(tx, { type: "resource.changed", resourceId: resource.id });
    return resource;
  });
  return created;
}

/** Browse the approved entries. The landing view (no filters, newest) puts featured ones first. */
export async function listResources(filters: ResourceFilters) {
  const where: Prisma.ResourceWhereInput = { status: "approved" };
  const and: Prisma.ResourceWhereInput[] = [];
  for (const slug of [filters.competency, filters.tag]) {
    if (!slug) continue;
    const ids = await tagWithSynonyms(slug);
    and.push({ tags: { some: { tagId: { in: ids ?? [-1] } } } });
  }
  if (filters.type) where.type = filters.type;
  if (filters.cost) where.cost = filters.cost;
  if (filters.region) where.region = filters.region;
  if (filters.libraryType) and.push({ OR: [{ libraryTypes: "" }, { libraryTypes: { contains: filters.libraryType } }] });
  if (and.length) where.AND = and;
  const landing = !filters.competency && !filters.tag && !filters.type && !filters.cost && !filters.region && !filters.libraryType;
  const order: Prisma.ResourceOrderByWithRelationInput[] =
    filters.sort === "title" ? [{ title: "asc" }] : filters.sort === "cited" ? [{ citationCount: "desc" }, { approvedAt: "desc" }] : [{ approvedAt: "desc" }];
  if (landing && filters.sort === "newest") order.unshift({ featured: "desc" });
  const total = await db.resource.count({ where });
  // Past the last page shows the last page.
  const page = Math.min(filters.page ?? 1, Math.max(1, Math.ceil(total / RESOURCES_PAGE_SIZE)));
  const rows = await db.resource.findMany({
    where,
    orderBy: [...order, { id: "desc" }],
    skip: (page - 1) * RESOURCES_PAGE_SIZE,
    take: RESOURCES_PAGE_SIZE,
    select: resourceCardSelect,
  });
  return {
    // A list shows a taste of each abstract as plain text; the whole one is on the entry's page.
    resources: rows.map((row) => ({ ...toResourceCard(row), abstractExcerpt: textExcerpt(row.abstractHtml, RESOURCE_EXCERPT) })),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / RESOURCES_PAGE_SIZE)),
  };
}

/** One entry as this viewer may see it, or null; a merged entry points to the one it joined. */
export async function getResource(viewer: Viewer, id: number) {
  const r = await db.resource.findUnique({
    where: { id },
    select: {
      ...resourceCardSelect,
      abstractSource: true,
      submitterId: true,
      rejectionReason: true,
      curatorNote: true,
      mergedIntoId: true,
      createdAt: true,
      submitter: { select: { handle: true, displayName: true, jobTitle: true, worksite: true } },
    },
  });
  if (!r) return null;
  // A merged entry points to the one it joined, for those who could see it before.
  if (r.status === "merged" && r.mergedIntoId) {
    return r.approvedAt || canSeeResource(viewer, { status: "pending", submitterId: r.submitterId }) ? { mergedInto: r.mergedIntoId } : null;
  }
  if (!canSeeResource(viewer, r)) return null;
  const staff = !!viewer && isStaff(viewer.role);
  const mine = viewer?.id === r.submitterId;
  const citedBy = await db.resourceCitation.findMany({
    where: { resourceId: id, thread: publicThreadWhere() },
    orderBy: { createdAt: "desc" },
    take: 20,
    select: { thread: { select: { id: true, slug: true, title: true, kind: true } } },
  });
  const history = staff
    ? await db.resourceCuration.findMany({
        where: { resourceId: id },
        orderBy: { id: "desc" },
        select: { id: true, action: true, detail: true, createdAt: true, actor: { select: { handle: true, displayName: true } } },
      })
    : [];
  const { abstractSource, submitterId: _s, rejectionReason, curatorNote, mergedIntoId: _m, submitter, createdAt, ...card } = r;
  return {
    resource: {
      ...toResourceCard(card),
      // Who recommended it: the submitter's identification, as on every post.
      submitter,
      createdAt,
      curatorNote,
      rejectionReason: mine || staff ? rejectionReason : "",
      abstractSource: staff ? abstractSource : null,
    },
    citedBy: citedBy.map((c) => c.thread),
    history,
    can: { curate: staff },
  };
}

/** The member's own submissions and what became of them. */
export async function listMySubmissions(actor: Actor) {
  return db.resource.findMany({
    where: { submitterId: actor.id },
    orderBy: { id: "desc" },
    take: 50,
    select: { id: true, title: true, status: true, rejectionReason: true, createdAt: true, mergedIntoId: true },
  });
}

/** Moderators' queue: pending submissions, oldest first, each with a possible duplicate among approved entries. */
export async function listPending(actor: Actor) {
  await requireStaff(actor);
  const pending = await db.resource.findMany({
    where: { status: "pending" },
    orderBy: { id: "asc" },
    take: 100,
    select: {
      ...resourceCardSelect,
      createdAt: true,
      normalizedUrl: true,
      submitter: { select: { handle: true, displayName: true, jobTitle: true, worksite: true } },
    },
  });
  const approvedTwins = await db.resource.findMany({
    where: { status: "approved", normalizedUrl: { in: pending.map((p) => p.normalizedUrl) } },
    select: { id: true, title: true, normalizedUrl: true },
  });
  return pending.map(({ normalizedUrl, submitter, createdAt, ...card }) => ({
    ...toResourceCard(card),
    submitter,
    createdAt,
    duplicateOf: approvedTwins.find((t) => t.normalizedUrl === normalizedUrl) ?? null,
  }));
}

type Curation = "approve" | "reject" | "feature" | "unfeature" | "archive" | "restore";

async function loadForCuration(actor: Actor, id: number) {
  await requireStaff(actor);
  const r = await db.resource.findUnique({ where: { id }, select: { id: true, status: true, submitterId: true, title: true, approvedAt: true } });
  if (!r) throw new NotFoundError("That resource does not exist.");
  return r;
}

/** The submitter's notification of a decision, as writes for the curation's transaction (none for one's own entry). */
/** The submitter's notification and its event: items of an array transaction (`db`), or writes to await in an interactive one (`tx`). */
function notifySubmitter(
  resource: { id: number; submitterId: number },
  actor: Actor,
  kind: "resource_approved" | "resource_rejected",
  writer: Prisma.TransactionClient | typeof db = db,
) {
  if (resource.submitterId === actor.id) return [];
  return [
    writer.notification.create({ data: { userId: resource.submitterId, kind, resourceId: resource.id, actorId: actor.id } }),
    recordEvent(writer, { type: "notification.created", userIds: [resource.submitterId] }),
  ];
}

/** Approve, reject (with a reason for the submitter), feature, archive or restore an entry; each is recorded. */
export async function curateResource(actor: Actor, id: number, action: Curation, options: { reason?: string; note?: string } = {}) {
  const r = await loadForCuration(actor, id);
  const now = new Date();
  const allowed: Record<Curation, ResourceStatus[]> = {
    approve: ["pending", "rejected"],
    reject: ["pending"],
    feature: ["approved"],
    unfeature: ["approved"],
    // A suggestion that should not be listed is rejected (with a reason), not archived.
    archive: ["approved"],
    restore: ["archived"],
  };
  if (!allowed[action].includes(r.status as ResourceStatus)) {
    throw new ConflictError(`This entry is ${r.status}; it cannot be ${action === "feature" || action === "unfeature" ? `${action}d` : `${action}d`} now.`);
  }
  if (action === "approve" || action === "restore") {
    const twin = await findDuplicateOfId(id);
    if (twin) throw new ConflictError(`“${twin.title}” is already in the clearinghouse at this address: merge this entry into it instead.`);
  }
  if (action === "reject" && !options.reason?.trim()) throw new ValidationError({ reason: "Say why, for the submitter." });
  if (action === "reject" && options.reason!.trim().length > 500) throw new ValidationError({ reason: "Keep the reason under 500 characters." });
  const data: Prisma.ResourceUpdateInput =
    action === "approve"
      ? { status: "approved", approvedAt: now, rejectionReason: "" }
      : action === "reject"
        ? { status: "rejected", rejectionReason: options.reason!.trim() }
        : action === "feature"
          ? { featured: true }
          : action === "unfeature"
            ? { featured: false }
            : action === "archive"
              ? { status: "archived" }
              : { status: "approved", approvedAt: r.approvedAt ?? now };
  if (options.note !== undefined) data.curatorNote = options.note.trim().slice(0, 500);
  const past = { approve: "approved", reject: "rejected", feature: "featured", unfeature: "unfeatured", archive: "archived", restore: "restored" } as const;
  await db.$transaction([
    db.resource.update({ where: { id }, data }),
    db.resourceCuration.create({
      data: { resourceId: id, actorId: actor.id, action: past[action], detail: action === "reject" ? options.reason!.trim() : "" },
    }),
    logModeration(actor, { action: `resource.${past[action]}`, subjectId: r.submitterId, targetType: "resource", targetId: id, reason: options.reason ?? "" }),
    ...(action === "approve" ? notifySubmitter(r, actor, "resource_approved") : []),
    ...(action === "reject" ? notifySubmitter(r, actor, "resource_rejected") : []),
    recordEvent(db, { type: "resource.changed", resourceId: id }),
  ]);
}

async function findDuplicateOfId(id: number) {
  const r = await db.resource.findUnique({ where: { id }, select: { normalizedUrl: true } });
  if (!r) return null;
  return db.resource.findFirst({ where: { normalizedUrl: r.normalizedUrl, status: "approved", id: { not: id } }, select: { id: true, title: true } });
}

/** An entry as the edit form needs it (moderators). */
export async function getResourceForEditing(actor: Actor, id: number) {
  await requireStaff(actor);
  const r = await db.resource.findUnique({
    where: { id },
    select: {
      id: true,
      title: true,
      url: true,
      abstractSource: true,
      type: true,
      region: true,
      cost: true,
      provider: true,
      ceHours: true,
      publishedOn: true,
      curatorNote: true,
      libraryTypes: true,
      status: true,
      tags: { select: { tagId: true } },
    },
  });
  if (!r) throw new NotFoundError("That resource does not exist.");
  const { tags, libraryTypes, ...rest } = r;
  return { ...rest, libraryTypes: libraryTypes ? libraryTypes.split(",") : [], tagIds: tags.map((t) => t.tagId) };
}

/** A moderator corrects an entry (and, for a pending one, may approve it in the same step). */
export async function editResource(actor: Actor, id: number, input: ResourceInput & { curatorNote?: string }, options: { approve?: boolean } = {}) {
  const r = await loadForCuration(actor, id);
  if (r.status === "merged") throw new ConflictError("This entry was merged into another; edit that one.");
  const normalized = normalizeUrl(input.url);
  if (!normalized) throw new ValidationError({ url: "Enter a full web address starting with https:// (or http://)." });
  const twin = await findDuplicate(input.url, { exceptId: id });
  if (twin && twin.status === "approved") {
    throw new ValidationError({ url: `“${twin.title}” is already in the clearinghouse at this address: merge this entry into it instead.` });
  }
  const tagIds = await resolveTags(input.tagIds);
  const approving = options.approve && (r.status === "pending" || r.status === "rejected");
  await db.$transaction(async (tx) => {
    // Two moderators saving at once would both delete and re-add the tags (PostgreSQL; SQLite is serial).
    await lockRows(tx, "Resource", [id]);
    await tx.resourceTag.deleteMany({ where: { resourceId: id } });
    await tx.resource.update({
      where: { id },
      data: {
        ...resourceData(input, normalized),
        ...(input.curatorNote !== undefined ? { curatorNote: input.curatorNote.trim().slice(0, 500) } : {}),
        ...(approving ? { status: "approved", approvedAt: new Date(), rejectionReason: "" } : {}),
        tags: { create: tagIds.map((tagId) => ({ tagId })) },
      },
    });
    await tx.resourceCuration.create({ data: { resourceId: id, actorId: actor.id, action: approving ? "edited and approved" : "edited" } });
    if (approving) for (const write of notifySubmitter(r, actor, "resource_approved", tx)) await write;
    await recordEvent(tx, { type: "resource.changed", resourceId: id });
  });
}

/** Merge a duplicate into an existing entry: its citations and tags join the target; it then points there. */
export async function mergeResource(actor: Actor, id: number, intoId: number) {
  const r = await loadForCuration(actor, id);
  if (id === intoId) throw new ValidationError({ intoId: "Choose another entry to merge into." });
  const target = await db.resource.findUnique({ where: { id: intoId }, select: { id: true, status: true, title: true } });
  if (!target || target.status !== "approved") throw new ValidationError({ intoId: "Merge into an approved entry (give its number)." });
  if (r.status === "merged") throw new ConflictError("This entry was already merged.");
  await db.$transaction(async (tx) => {
    await lockRows(tx, "Resource", [id, intoId]);
    const [tags, citations] = await Promise.all([
      tx.resourceTag.findMany({ where: { resourceId: id }, select: { tagId: true } }),
      tx.resourceCitation.findMany({ where: { resourceId: id }, select: { threadId: true } }),
    ]);
    for (const { tagId } of tags) {
      await tx.resourceTag.upsert({ where: { resourceId_tagId: { resourceId: intoId, tagId } }, create: { resourceId: intoId, tagId }, update: {} });
    }
    for (const { threadId } of citations) {
      await tx.resourceCitation.upsert({
        where: { resourceId_threadId: { resourceId: intoId, threadId } },
        create: { resourceId: intoId, threadId },
        update: {},
      });
    }
    const count = await tx.resourceCitation.count({ where: { resourceId: intoId } });
    await tx.resource.update({ where: { id: intoId }, data: { citationCount: count } });
    await tx.resource.update({ where: { id }, data: { status: "merged", mergedIntoId: intoId, featured: false } });
    await tx.resourceCuration.create({ data: { resourceId: id, actorId: actor.id, action: "merged", detail: `into #${intoId} “${target.title}”` } });
    await tx.resourceCuration.create({ data: { resourceId: intoId, actorId: actor.id, action: "merged", detail: `#${id} “${r.title}” merged in` } });
    await recordEvent(tx, { type: "resource.changed", resourceId: id });
  });
}

/** Approved entries whose address appears in a post, for resource cards and citations. */
export async function resourcesLinkedFrom(urls: string[]) {
  const normalized = [...new Set(urls.map(normalizeUrl).filter((u): u is string => !!u))].slice(0, 20);
  if (!normalized.length) return [];
  return db.resource.findMany({
    where: { status: "approved", normalizedUrl: { in: normalized } },
    select: { id: true, title: true, url: true, normalizedUrl: true, type: true, provider: true, cost: true },
  });
}

/** A public post in this thread links these entries: count each thread once per entry. */
export async function recordCitations(threadId: number, resourceIds: number[]) {
  for (const resourceId of new Set(resourceIds)) {
    const existing = await db.resourceCitation.findUnique({ where: { resourceId_threadId: { resourceId, threadId } }, select: { resourceId: true } });
    if (existing) continue;
    await db.$transaction([
      db.resourceCitation.create({ data: { resourceId, threadId } }),
      db.resource.update({ where: { id: resourceId }, data: { citationCount: { increment: 1 } } }),
    ]);
  }
}

/** Approved entries whose title starts or contains these words: the picker in the editor. */
export async function suggestResources(q: string) {
  const words = clip(q.trim(), 100);
  if (words.length < 2) return [];
  return db.resource.findMany({
    where: { status: "approved", OR: [{ title: containsText(words) }, { provider: containsText(words) }] },
    orderBy: [{ citationCount: "desc" }, { title: "asc" }],
    take: 8,
    select: { id: true, title: true, url: true, provider: true },
  });
}

/** A link a HIT compiled: its words, the line around it, and whether the clearinghouse has it already. */
export type HitLink = { url: string; text: string; context: string; existing: Duplicate | null };

/**
 * The links in a HIT, for its author to send to the clearinghouse in one
 * step (each becomes a pending suggestion), with the HIT's competency areas.
 */
export async function linksInHit(actor: Actor, threadId: number) {
  const thread = await db.thread.findUnique({
    where: { id: threadId },
    select: {
      id: true,
      slug: true,
      kind: true,
      title: true,
      authorId: true,
      bodySource: true,
      tags: { select: { tagId: true, tag: { select: { kind: true } } } },
    },
  });
  if (!thread || thread.kind !== "hit") throw new NotFoundError("That HIT does not exist.");
  if (thread.authorId !== actor.id) throw new ForbiddenError("Only the HIT's author can send its links to the clearinghouse.");
  const seen = new Set<string>();
  const links: HitLink[] = [];
  for (const line of thread.bodySource.split("\n")) {
    const plain = line
      .replace(/\[([^\]]*)\]\((https?:[^)\s]+)\)/g, "$1")
      .replace(/^[\s>*\-+\d.]+/, "")
      .trim();
    const found = [...line.matchAll(/\[([^\]]*)\]\((https?:[^)\s]+)\)|(https?:\/\/[^\s<>"')\]]+)/g)];
    for (const m of found) {
      const url = (m[2] ?? m[3] ?? "").replace(/[.,;:!?]+$/, "");
      const key = normalizeUrl(url);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      const text = (m[1] ?? "").trim() || new URL(url).hostname;
      links.push({ url, text: text.slice(0, 200), context: plain.slice(0, 1500), existing: await findDuplicate(url, { viewer: actor }) });
      if (links.length >= 30) break;
    }
  }
  const competencyIds = thread.tags.filter((t) => t.tag.kind === "competency").map((t) => t.tagId);
  return { thread: { id: thread.id, slug: thread.slug, title: thread.title }, links, competencyIds };
}
