// Who may read what: the one place the visibility rules are written. Pages,
// the API, feeds, search, live events, notifications and mail all ask here,
// as a JS predicate for a row already loaded, as a Prisma `where` for a
// query, or as a raw SQL condition (bound parameters only) for the hot raw
// queries. The three forms state the same rule; test/unit/visibility.test.ts
// checks that they agree on every combination of states.
//
// The rules:
// - A thread or reply that is hidden (held for approval, hidden by flags or by
//   a moderator) is for its author (who is told why) and moderators; one a
//   moderator deleted is for moderators only.
// - A reply is seen only where its thread is seen: a hidden thread hides its
//   replies (so a deleted thread's replies are for moderators only).
// - A private reply (in a TARGET) is for the asker, the reply's author and
//   moderators.
// - A removed reply (deletedAt) keeps its place on the thread page for those
//   who may see the reply, but its words are gone: search, mail and the like
//   use the "readable" forms, which leave it out.
// - Lists, feeds, digests, list mail and live announcements show only what
//   everyone may see (`public*`): the rule for a guest.
import { isStaff, type Role } from "~/lib/domain";
import { Prisma } from "~/generated/prisma/client";

/** The reader: a member, or null for a guest. */
export type Viewer = { id: number; role: Role } | null;

/** A post as moderation sees it: hidden (held, flagged, hidden or deleted by a moderator) or not. */
export type Moderated = { authorId: number; hiddenAt: Date | string | null; hiddenReason: string };
/** What the rules need of a thread. */
export type ThreadState = Moderated;
/** What the rules need of a reply (and, for the "readable" forms, whether it was removed). */
export type ReplyState = Moderated & { isPrivate: boolean; deletedAt?: Date | string | null };

// --- Predicates, for rows already loaded -------------------------------------

/**
 * A hidden post is seen by moderators and by its author (who is told why),
 * except one a moderator deleted: that is for moderators only.
 */
export function canSeePost(viewer: Viewer, post: Moderated): boolean {
  if (!post.hiddenAt) return true;
  if (!viewer) return false;
  return isStaff(viewer.role) || (viewer.id === post.authorId && post.hiddenReason !== "deleted");
}

/** May this viewer open the thread (its page, its API entry)? */
export const canSeeThread: (viewer: Viewer, thread: ThreadState) => boolean = canSeePost;

/** Does everyone see this thread (so lists, feeds and live announcements may carry it)? */
export const isPublicThread = (thread: ThreadState): boolean => canSeeThread(null, thread);

/**
 * May this viewer see the reply (on the thread page, at least as "reply
 * removed")? Only where they may see its thread.
 */
export function canSeeReply(viewer: Viewer, reply: ReplyState, thread: ThreadState): boolean {
  if (!canSeeThread(viewer, thread) || !canSeePost(viewer, reply)) return false;
  if (!reply.isPrivate) return true;
  return !!viewer && (isStaff(viewer.role) || viewer.id === thread.authorId || viewer.id === reply.authorId);
}

/** May this viewer read the reply's words (search, quotes, mail)? A removed reply has none. */
export function canReadReply(viewer: Viewer, reply: ReplyState, thread: ThreadState): boolean {
  return !reply.deletedAt && canSeeReply(viewer, reply, thread);
}

/** Authors edit their own posts; moderators and admins edit any. */
export function canModify(viewer: Viewer, authorId: number): boolean {
  return !!viewer && (viewer.id === authorId || isStaff(viewer.role));
}

// --- Prisma `where` builders -------------------------------------------------

/** A post (thread or reply) the viewer may see, as far as moderation goes. */
function postWhere(viewer: Viewer): Prisma.ThreadWhereInput & Prisma.ReplyWhereInput {
  if (viewer && isStaff(viewer.role)) return {};
  if (!viewer) return { hiddenAt: null };
  return { OR: [{ hiddenAt: null }, { authorId: viewer.id, hiddenReason: { not: "deleted" } }] };
}

/** Threads the viewer may open. */
export function threadVisibleWhere(viewer: Viewer): Prisma.ThreadWhereInput {
  return postWhere(viewer);
}

/** Threads everyone may see: what lists, feeds and digests show. */
export function publicThreadWhere(): Prisma.ThreadWhereInput {
  return threadVisibleWhere(null);
}

/** Replies the viewer may see (removed ones included, as placeholders). */
export function replyVisibleWhere(viewer: Viewer): Prisma.ReplyWhereInput {
  if (viewer && isStaff(viewer.role)) return {};
  const privacy: Prisma.ReplyWhereInput = viewer
    ? { OR: [{ isPrivate: false }, { authorId: viewer.id }, { thread: { authorId: viewer.id } }] }
    : { isPrivate: false };
  return { AND: [{ thread: threadVisibleWhere(viewer) }, postWhere(viewer), privacy] };
}

/** Replies whose words the viewer may read (not removed). */
export function replyReadableWhere(viewer: Viewer): Prisma.ReplyWhereInput {
  return { AND: [replyVisibleWhere(viewer), { deletedAt: null }] };
}

/** Public replies of public threads, not removed: what digests and list mail may carry. */
export function publicReplyWhere(): Prisma.ReplyWhereInput {
  return replyReadableWhere(null);
}

// --- Raw SQL conditions --------------------------------------------------------
// Each returns a boolean SQL expression for the given table aliases, to put
// after WHERE or AND. Values are bound parameters; only the aliases (checked
// to be plain identifiers) are written into the text. Portable: the same text
// runs on SQLite and PostgreSQL (`NOT r."isPrivate"` works on SQLite's 0/1
// integers and on PostgreSQL booleans).

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
function column(alias: string, name: string): Prisma.Sql {
  if (!IDENTIFIER.test(alias)) throw new Error(`Not a table alias: ${alias}`);
  return Prisma.raw(`${alias}."${name}"`);
}
const ALWAYS = Prisma.sql`(1 = 1)`;

function postVisibleSql(viewer: Viewer, alias: string): Prisma.Sql {
  if (viewer && isStaff(viewer.role)) return ALWAYS;
  const hiddenAt = column(alias, "hiddenAt");
  if (!viewer) return Prisma.sql`(${hiddenAt} IS NULL)`;
  return Prisma.sql`(${hiddenAt} IS NULL OR (${column(alias, "authorId")} = ${viewer.id} AND ${column(alias, "hiddenReason")} <> 'deleted'))`;
}

/** The thread aliased `thread` (default `t`) is one the viewer may open. */
export function threadVisibleSql(viewer: Viewer, thread = "t"): Prisma.Sql {
  return postVisibleSql(viewer, thread);
}

/** The thread is one everyone may see. */
export function publicThreadSql(thread = "t"): Prisma.Sql {
  return threadVisibleSql(null, thread);
}

export type ReplyAliases = { reply?: string; thread?: string };

/**
 * The reply aliased `reply` (default `r`), in the thread aliased `thread`
 * (default `t`, which the query must join: `JOIN "Thread" t ON t."id" = r."threadId"`),
 * is one the viewer may see (removed ones included).
 */
export function replyVisibleSql(viewer: Viewer, aliases: ReplyAliases = {}): Prisma.Sql {
  const r = aliases.reply ?? "r";
  const t = aliases.thread ?? "t";
  if (viewer && isStaff(viewer.role)) return ALWAYS;
  const privacy = viewer
    ? Prisma.sql`(NOT ${column(r, "isPrivate")} OR ${column(r, "authorId")} = ${viewer.id} OR ${column(t, "authorId")} = ${viewer.id})`
    : Prisma.sql`(NOT ${column(r, "isPrivate")})`;
  return Prisma.sql`(${threadVisibleSql(viewer, t)} AND ${postVisibleSql(viewer, r)} AND ${privacy})`;
}

/** The reply is one whose words the viewer may read (visible and not removed). */
export function replyReadableSql(viewer: Viewer, aliases: ReplyAliases = {}): Prisma.Sql {
  return Prisma.sql`(${replyVisibleSql(viewer, aliases)} AND ${column(aliases.reply ?? "r", "deletedAt")} IS NULL)`;
}

/** Public replies of public threads, not removed: what the search index holds. */
export function publicReplySql(aliases: ReplyAliases = {}): Prisma.Sql {
  return replyReadableSql(null, aliases);
}

// --- Who may receive a reply's live events -------------------------------------

/**
 * The members (besides moderators, who see everything) who may see a reply
 * that not everyone may see: of the two people who can be named for it (the
 * asker and the reply's author), those the rule allows. Live events go to
 * their rooms and the staff room; a reply everyone may see goes to its
 * thread's room instead (`canSeeReply(null, …)`).
 */
export function namedReadersOf(reply: ReplyState, thread: ThreadState): number[] {
  const candidates = [...new Set([thread.authorId, reply.authorId])];
  return candidates.filter((id) => canSeeReply({ id, role: "member" }, reply, thread));
}
