// Moderation: members flag posts and resources; moderators work a review
// queue (flags, held first posts, pending resources), act on posts, threads
// and members, and every action lands in the append-only moderation log.
// validate → load → authorize → write (one transaction, with its log entry and its events).
import { db } from "~/db/client.server";
import { lockRows } from "~/db/dialect.server";
import { FLAG_REASONS, isStaff, type FlagReason } from "~/lib/domain";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { requestClientIp } from "~/lib/request-scope.server";
import { clip } from "~/lib/validation";
import type { Prisma } from "~/generated/prisma/client";
import { recordEvent } from "./event-outbox.server";
import { logModeration, recountReplies } from "./moderation-rules.server";
import { countAttempt, type Window } from "./rate-limit.server";
import { deleteReply } from "./reply.server";
import { canSeeResource } from "./resource.server";
import { getCommunitySettings } from "./setting.server";
import { requireActiveStaff, requireParticipant, waitMessage } from "./user.server";
import type { Actor } from "~/lib/domain";
import { canSeeReply, canSeeThread, publicThreadWhere } from "./visibility.server";

export type TargetType = "thread" | "reply" | "resource";
export type Target = { type: TargetType; id: number };

/** "reply:12" → { type: "reply", id: 12 }; null for anything else. */
export function parseTarget(value: string | null | undefined): Target | null {
  const m = /^(thread|reply|resource):([1-9]\d{0,9})$/.exec(value ?? "");
  return m ? { type: m[1] as TargetType, id: Number(m[2]) } : null;
}
const targetKey = (t: Target) => `${t.type}:${t.id}`;

const FLAG_LIMIT_PER_MEMBER: Window = { limit: 20, windowMs: 60 * 60_000 };
const FLAG_LIMIT_PER_IP: Window = { limit: 60, windowMs: 60 * 60_000 };
/** Flags count towards hiding a post only from members of a week's standing with a visible post (or moderators). */
const ESTABLISHED_AFTER_MS = 7 * 24 * 60 * 60_000;
const REASON_MAX = 500;

/** Moderators and admins who are not suspended. */
const requireStaff = (actor: Actor) => requireActiveStaff(actor, "Only moderators and admins can do that.");

function requiredReason(reason: string | undefined, what = "Say why: it goes in the moderation log."): string {
  const why = (reason ?? "").trim();
  if (!why) throw new ValidationError({ reason: what });
  if (why.length > REASON_MAX) throw new ValidationError({ reason: `Keep the reason under ${REASON_MAX} characters.` });
  return why;
}

type Item = {
  target: Target;
  authorId: number;
  threadId: number | null;
  hiddenReason: string | null;
  isPrivate: boolean;
  removed: boolean;
};

/** The flagged thing as this viewer may see it; NotFound if they may not. */
async function loadItem(viewer: Actor, target: Target): Promise<Item> {
  const missing = new NotFoundError("That post does not exist.");
  if (target.type === "thread") {
    const t = await db.thread.findUnique({ where: { id: target.id }, select: { authorId: true, hiddenAt: true, hiddenReason: true } });
    if (!t || !canSeeThread(viewer, t)) throw missing;
    return {
      target,
      authorId: t.authorId,
      threadId: target.id,
      hiddenReason: t.hiddenAt ? t.hiddenReason || "moderator" : null,
      isPrivate: false,
      removed: false,
    };
  }
  if (target.type === "reply") {
    const r = await db.reply.findUnique({
      where: { id: target.id },
      select: {
        authorId: true,
        threadId: true,
        isPrivate: true,
        hiddenAt: true,
        hiddenReason: true,
        deletedAt: true,
        thread: { select: { authorId: true, hiddenAt: true, hiddenReason: true } },
      },
    });
    if (!r || !canSeeReply(viewer, r, r.thread)) throw missing;
    return {
      target,
      authorId: r.authorId,
      threadId: r.threadId,
      hiddenReason: r.hiddenAt ? r.hiddenReason || "moderator" : null,
      isPrivate: r.isPrivate,
      removed: r.deletedAt !== null,
    };
  }
  const res = await db.resource.findUnique({ where: { id: target.id }, select: { submitterId: true, status: true } });
  if (!res || !canSeeResource(viewer, res)) throw new NotFoundError("That resource does not exist.");
  return { target, authorId: res.submitterId, threadId: null, hiddenReason: res.status === "approved" ? null : res.status, isPrivate: false, removed: false };
}

/**
 * A member flags a thread, reply or resource (once per item). When enough
 * established members have flagged it (the "flags to hide" setting), it is
 * hidden until a moderator looks.
 */
export async function flagPost(actor: Actor, target: Target, input: { reason: string; note: string }): Promise<{ hidden: boolean }> {
  await requireParticipant(actor);
  if (!FLAG_REASONS.includes(input.reason as FlagReason)) throw new ValidationError({ reason: "Choose why you are flagging this." });
  if (input.note.length > REASON_MAX) throw new ValidationError({ note: `Keep the note under ${REASON_MAX} characters.` });
  await countAttempt(
    [
      [`flag:user:${actor.id}`, FLAG_LIMIT_PER_MEMBER],
      [`flag:ip:${requestClientIp()}`, FLAG_LIMIT_PER_IP],
    ],
    waitMessage("flags"),
  );
  const item = await loadItem(actor, target);
  if (item.authorId === actor.id) throw new ConflictError("You can't flag your own post.");
  if (item.removed) throw new ConflictError("That reply was already removed.");
  try {
    await db.$transaction([
      db.flag.create({
        data: {
          target: targetKey(target),
          threadId: item.threadId,
          replyId: target.type === "reply" ? target.id : null,
          resourceId: target.type === "resource" ? target.id : null,
          reporterId: actor.id,
          reason: input.reason,
          note: input.note.trim(),
        },
      }),
      recordEvent(db, { type: "moderation.changed" }),
    ]);
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") throw new ConflictError("You have already flagged this. A moderator will look at it.");
    throw e;
  }
  const { flagsToHide } = await getCommunitySettings();
  if (flagsToHide === 0 || item.hiddenReason !== null) return { hidden: false };
  const weight = await establishedFlags(targetKey(target));
  if (weight < flagsToHide) return { hidden: false };
  await hide(null, item, "flagged", `${weight} flags from members`);
  return { hidden: true };
}

/** Open flags on an item from established members (moderators always count). */
async function establishedFlags(key: string): Promise<number> {
  const cutoff = new Date(Date.now() - ESTABLISHED_AFTER_MS);
  const flags = await db.flag.findMany({
    where: { target: key, resolvedAt: null },
    select: { reporter: { select: { id: true, role: true, createdAt: true } } },
  });
  let n = 0;
  for (const { reporter } of flags) {
    if (isStaff(reporter.role)) n++;
    else if (reporter.createdAt <= cutoff) {
      const posts =
        (await db.thread.count({ where: { authorId: reporter.id, hiddenAt: null } })) +
        (await db.reply.count({ where: { authorId: reporter.id, hiddenAt: null, deletedAt: null } }));
      if (posts > 0) n++;
    }
  }
  return n;
}

function resolveFlags(tx: Prisma.TransactionClient, target: Target, actor: Actor | null, resolution: "dismissed" | "upheld") {
  return tx.flag.updateMany({
    where: { target: targetKey(target), resolvedAt: null },
    data: { resolvedAt: new Date(), resolvedById: actor?.id ?? null, resolution },
  });
}

/** Hide a post (or send a resource back for review); actor null: hidden by flags. */
async function hide(actor: Actor | null, item: Item, why: "flagged" | "moderator" | "deleted", reason: string) {
  const { target } = item;
  const now = new Date();
  await db.$transaction(async (tx) => {
    if (target.type === "thread") {
      await tx.thread.update({ where: { id: target.id }, data: { hiddenAt: now, hiddenReason: why } });
    } else if (target.type === "reply") {
      await tx.reply.update({ where: { id: target.id }, data: { hiddenAt: now, hiddenReason: why } });
      await recountReplies(tx, item.threadId!);
    } else {
      await tx.resource.update({ where: { id: target.id }, data: { status: why === "flagged" ? "pending" : "archived" } });
      // Its curation history names who acted; flags hiding it are in the moderation log.
      if (actor) await tx.resourceCuration.create({ data: { resourceId: target.id, actorId: actor.id, action: "archived", detail: reason } });
    }
    if (actor) await resolveFlags(tx, target, actor, "upheld");
    const action = actor ? (why === "deleted" ? `${target.type}.deleted` : `${target.type}.hidden`) : `${target.type}.auto_hidden`;
    await logModeration(actor, { action, subjectId: item.authorId, targetType: target.type, targetId: target.id, reason }, tx);
    await announce(tx, item, "gone");
    // Its author learns of it rather than finding "Hidden by a moderator" by chance (a deletion is final: no notice).
    if (target.type !== "resource" && why !== "deleted") {
      const threadId = target.type === "thread" ? target.id : item.threadId!;
      await recordEvent(tx, {
        type: "post.hidden",
        threadId,
        replyId: target.type === "reply" ? target.id : null,
        authorId: item.authorId,
        byFlags: why === "flagged",
      });
    }
  });
}

/** Tell live pages, caches and the notifier what changed (never the words of a hidden post), in the action's transaction. */
async function announce(tx: Prisma.TransactionClient, item: Item, change: "gone" | "back" | "first") {
  const { target } = item;
  if (target.type === "reply") {
    const type = change === "gone" ? "reply.deleted" : change === "first" ? "reply.created" : "reply.edited";
    await recordEvent(tx, { type, threadId: item.threadId!, replyId: target.id, isPrivate: item.isPrivate });
  } else if (target.type === "thread") {
    await recordEvent(tx, change === "first" ? { type: "thread.created", threadId: target.id } : { type: "thread.edited", threadId: target.id });
  } else {
    await recordEvent(tx, { type: "resource.changed", resourceId: target.id });
  }
  await recordEvent(tx, { type: "moderation.changed" });
}

export const POST_ACTIONS = ["dismiss", "hide", "restore", "delete"] as const;
export type PostAction = (typeof POST_ACTIONS)[number];

/**
 * A moderator's decision on a post or resource:
 * - dismiss: the flags were wrong (a post hidden by them comes back);
 * - hide: out of sight for all but its author and moderators (a resource is archived);
 * - restore: back for everyone; for a held first post, its approval;
 * - delete: a reply is removed, a thread hidden for good (moderators still see it).
 */
export type PostOutcome = "hidden" | "approved" | "restored" | "deleted" | "dismissed";

export async function moderatePost(actor: Actor, target: Target, action: PostAction, reasonInput = ""): Promise<PostOutcome> {
  await requireStaff(actor);
  const item = await loadItem(actor, target);
  const reason = action === "dismiss" || action === "restore" ? clip(reasonInput.trim(), REASON_MAX) : requiredReason(reasonInput);
  if (action === "hide") {
    if (item.hiddenReason !== null && target.type !== "resource") throw new ConflictError("That is already hidden.");
    await hide(actor, item, "moderator", reason);
    return "hidden";
  }
  if (action === "delete") {
    if (target.type === "resource") throw new ConflictError("Archive or reject a resource instead.");
    if (target.type === "reply") {
      // Removing someone else's reply records moderation.changed with it.
      await deleteReply(actor, target.id, reason);
      return "deleted";
    }
    await hide(actor, item, "deleted", reason);
    return "deleted";
  }
  // dismiss / restore
  const wasHeld = item.hiddenReason === "held";
  const comesBack =
    action === "restore" || item.hiddenReason === "flagged" || (target.type === "resource" && item.hiddenReason === "pending" && action === "dismiss");
  if (action === "restore" && item.hiddenReason === null) throw new ConflictError("That is not hidden.");
  if (target.type === "resource" && action === "restore") throw new ConflictError("Approve the resource in the clearinghouse queue instead.");
  const openFlags = await db.flag.count({ where: { target: targetKey(target), resolvedAt: null } });
  if (action === "dismiss" && !openFlags) throw new ConflictError("There are no open flags on that.");
  await db.$transaction(async (tx) => {
    await resolveFlags(tx, target, actor, "dismissed");
    if (comesBack && item.hiddenReason !== null) {
      if (target.type === "thread") await tx.thread.update({ where: { id: target.id }, data: { hiddenAt: null, hiddenReason: "" } });
      if (target.type === "reply") {
        await tx.reply.update({ where: { id: target.id }, data: { hiddenAt: null, hiddenReason: "" } });
        await recountReplies(tx, item.threadId!);
      }
      if (target.type === "resource") {
        await tx.resource.update({ where: { id: target.id }, data: { status: "approved" } });
        await tx.resourceCuration.create({ data: { resourceId: target.id, actorId: actor.id, action: "restored", detail: reason } });
      }
    }
    const logged = action === "dismiss" ? "flags.dismissed" : wasHeld ? `${target.type}.approved` : `${target.type}.restored`;
    await logModeration(actor, { action: logged, subjectId: item.authorId, targetType: target.type, targetId: target.id, reason }, tx);
    if (comesBack && item.hiddenReason !== null) await announce(tx, item, wasHeld ? "first" : "back");
    else await recordEvent(tx, { type: "moderation.changed" });
  });
  return action === "dismiss" ? "dismissed" : wasHeld ? "approved" : "restored";
}

async function loadThread(actor: Actor, threadId: number) {
  await requireStaff(actor);
  const t = await db.thread.findUnique({
    where: { id: threadId },
    select: { id: true, authorId: true, lockedAt: true, pinnedAt: true, duplicateOfId: true, hiddenAt: true },
  });
  if (!t) throw new NotFoundError("That thread does not exist.");
  return t;
}

async function threadChange(
  actor: Actor,
  thread: { id: number; authorId: number },
  data: Prisma.ThreadUpdateInput,
  action: string,
  reason: string,
  detail = "",
) {
  await db.$transaction(async (tx) => {
    await tx.thread.update({ where: { id: thread.id }, data });
    await logModeration(actor, { action, subjectId: thread.authorId, targetType: "thread", targetId: thread.id, reason, detail }, tx);
    await recordEvent(tx, { type: "thread.edited", threadId: thread.id });
    await recordEvent(tx, { type: "moderation.changed" });
  });
}

/** Lock (no new replies but from moderators) or unlock; unlocking reopens a thread closed as a duplicate. */
export async function setThreadLocked(actor: Actor, threadId: number, locked: boolean, reason: string) {
  const t = await loadThread(actor, threadId);
  if (locked === (t.lockedAt !== null)) throw new ConflictError(locked ? "That thread is already locked." : "That thread is not locked.");
  const why = locked ? requiredReason(reason) : clip(reason.trim(), REASON_MAX);
  await threadChange(actor, t, locked ? { lockedAt: new Date() } : { lockedAt: null, duplicateOfId: null }, locked ? "thread.locked" : "thread.unlocked", why);
}

export async function setThreadPinned(actor: Actor, threadId: number, pinned: boolean, reason: string) {
  const t = await loadThread(actor, threadId);
  if (pinned === (t.pinnedAt !== null)) throw new ConflictError(pinned ? "That thread is already pinned." : "That thread is not pinned.");
  await threadChange(actor, t, { pinnedAt: pinned ? new Date() : null }, pinned ? "thread.pinned" : "thread.unpinned", clip(reason.trim(), REASON_MAX));
}

/** Close a thread as a duplicate of another: locked, with a link to where the answer is. */
export async function closeAsDuplicate(actor: Actor, threadId: number, duplicateOfId: number | null, reason: string) {
  const t = await loadThread(actor, threadId);
  if (duplicateOfId === null) throw new ValidationError({ duplicateOf: "Give the address or number of the thread this one repeats." });
  if (duplicateOfId === threadId) throw new ValidationError({ duplicateOf: "A thread cannot duplicate itself." });
  const original = await db.thread.findFirst({ where: { id: duplicateOfId, ...publicThreadWhere() }, select: { id: true } });
  if (!original) throw new ValidationError({ duplicateOf: "There is no such thread." });
  await threadChange(
    actor,
    t,
    { lockedAt: new Date(), duplicateOfId },
    "thread.closed_duplicate",
    clip(reason.trim(), REASON_MAX),
    `duplicate of #${duplicateOfId}`,
  );
}

/** Replace a thread's tags (moderators), with the reason in the log. */
export async function retagThread(actor: Actor, threadId: number, tagIds: number[], reason: string) {
  const t = await loadThread(actor, threadId);
  const unique = [...new Set(tagIds)];
  if (!unique.length) throw new ValidationError({ tagIds: "Choose at least one tag." });
  if (unique.length > 5) throw new ValidationError({ tagIds: "Choose at most five tags." });
  const tags = await db.tag.findMany({ where: { id: { in: unique } }, select: { id: true, slug: true } });
  if (tags.length !== unique.length) throw new ValidationError({ tagIds: "Choose tags from the list." });
  await db.$transaction(async (tx) => {
    await lockRows(tx, "Thread", [threadId]);
    await tx.threadTag.deleteMany({ where: { threadId } });
    await tx.threadTag.createMany({ data: unique.map((tagId) => ({ threadId, tagId })) });
    await logModeration(
      actor,
      {
        action: "thread.retagged",
        subjectId: t.authorId,
        targetType: "thread",
        targetId: threadId,
        reason: clip(reason.trim(), REASON_MAX),
        detail: tags.map((x) => x.slug).join(", "),
      },
      tx,
    );
    await recordEvent(tx, { type: "thread.edited", threadId });
    await recordEvent(tx, { type: "moderation.changed" });
  });
}

/**
 * Move a reply to the thread it belongs in. Private TARGET replies stay where
 * they are: moving one would change who may read it.
 */
export async function moveReply(actor: Actor, replyId: number, toThreadId: number | null, reason: string) {
  await requireStaff(actor);
  const why = requiredReason(reason);
  const reply = await db.reply.findUnique({
    where: { id: replyId },
    select: { id: true, threadId: true, authorId: true, isPrivate: true, deletedAt: true, thread: { select: { acceptedReplyId: true } } },
  });
  if (!reply) throw new NotFoundError("That reply does not exist.");
  if (reply.isPrivate) throw new ConflictError("A private TARGET reply cannot be moved: that would change who may read it.");
  if (reply.deletedAt) throw new ConflictError("That reply was removed.");
  if (toThreadId === null) throw new ValidationError({ toThread: "Give the address or number of the thread to move it to." });
  if (toThreadId === reply.threadId) throw new ValidationError({ toThread: "The reply is already in that thread." });
  const to = await db.thread.findUnique({ where: { id: toThreadId }, select: { id: true, kind: true } });
  if (!to) throw new ValidationError({ toThread: "There is no such thread." });
  if (to.kind === "target") throw new ValidationError({ toThread: "Public replies cannot be moved into a TARGET, where replies are private." });
  await db.$transaction(async (tx) => {
    if (reply.thread.acceptedReplyId === replyId) await tx.thread.update({ where: { id: reply.threadId }, data: { acceptedReplyId: null } });
    await tx.reply.update({ where: { id: replyId }, data: { threadId: toThreadId } });
    await recountReplies(tx, reply.threadId);
    await recountReplies(tx, toThreadId);
    await logModeration(
      actor,
      {
        action: "reply.moved",
        subjectId: reply.authorId,
        targetType: "reply",
        targetId: replyId,
        reason: why,
        detail: `from #${reply.threadId} to #${toThreadId}`,
      },
      tx,
    );
    await recordEvent(tx, { type: "reply.deleted", threadId: reply.threadId, replyId, isPrivate: false });
    await recordEvent(tx, { type: "reply.edited", threadId: toThreadId, replyId, isPrivate: false });
    await recordEvent(tx, { type: "moderation.changed" });
  });
  return { threadId: toThreadId };
}

/**
 * Suspend a member until a date, with a reason they are shown. Moderators
 * suspend members; admins also moderators. Nobody suspends an admin or themselves.
 */
export async function suspendMember(actor: Actor, userId: number, input: { until: Date | null; reason: string }) {
  await requireStaff(actor);
  const member = await db.user.findUnique({ where: { id: userId }, select: { id: true, role: true } });
  if (!member) throw new NotFoundError("That member does not exist.");
  if (member.id === actor.id) throw new ConflictError("You cannot suspend yourself.");
  if (member.role === "admin" || (member.role === "moderator" && actor.role !== "admin")) {
    throw new ForbiddenError(member.role === "admin" ? "Admins cannot be suspended." : "Only an admin can suspend a moderator.");
  }
  const reason = requiredReason(input.reason, "Say why: the member is shown this reason.");
  if (!input.until || input.until.getTime() <= Date.now()) throw new ValidationError({ until: "Choose a date in the future." });
  if (input.until.getTime() > Date.now() + 10 * 365 * 24 * 60 * 60_000) throw new ValidationError({ until: "Choose a date within ten years." });
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { suspendedUntil: input.until, suspensionReason: reason } });
    await logModeration(
      actor,
      {
        action: "member.suspended",
        subjectId: userId,
        targetType: "member",
        targetId: userId,
        reason,
        detail: `until ${input.until!.toISOString().slice(0, 10)}`,
      },
      tx,
    );
    await recordEvent(tx, { type: "member.updated", userId });
  });
}

export async function liftSuspension(actor: Actor, userId: number, reason: string) {
  await requireStaff(actor);
  const member = await db.user.findUnique({ where: { id: userId }, select: { id: true, role: true, suspendedUntil: true } });
  if (!member) throw new NotFoundError("That member does not exist.");
  // The same rule as suspending: a moderator's suspension is an admin's to lift.
  if (member.role !== "member" && actor.role !== "admin") throw new ForbiddenError("Only an admin can lift a moderator's suspension.");
  if (!member.suspendedUntil || member.suspendedUntil.getTime() <= Date.now()) throw new ConflictError("That member is not suspended.");
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { suspendedUntil: null, suspensionReason: "" } });
    await logModeration(
      actor,
      { action: "member.unsuspended", subjectId: userId, targetType: "member", targetId: userId, reason: clip(reason.trim(), REASON_MAX) },
      tx,
    );
    await recordEvent(tx, { type: "member.updated", userId });
  });
}
