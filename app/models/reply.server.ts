// Replies: answering, editing, removing, voting helpful, accepting.
// validate → load → authorize → write (one transaction) → return.
import { db } from "~/db/client.server";
import { lockRows } from "~/db/dialect.server";
import { isStaff } from "~/lib/domain";
import { quoteMarkdown } from "~/lib/markdown.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { recordEvent } from "./event-outbox.server";
import { recordCitations } from "./resource.server";
import { renderPost } from "./post-rendering.server";
import type { Actor } from "~/lib/domain";
import { logModeration, moderatorEditReason, mustWaitForApproval, recountReplies } from "./moderation-rules.server";
import { countPost, requireParticipant } from "./user.server";
import { canModify, canSeeReply, canSeeThread } from "./visibility.server";

/** Load a reply with what its rules need; NotFound for replies the actor may not see. */
async function loadReply(actor: Actor, replyId: number) {
  const reply = await db.reply.findUnique({
    where: { id: replyId },
    select: {
      id: true,
      authorId: true,
      isPrivate: true,
      bodySource: true,
      deletedAt: true,
      helpfulCount: true,
      threadId: true,
      hiddenAt: true,
      hiddenReason: true,
      thread: { select: { authorId: true, acceptedReplyId: true, hiddenAt: true, hiddenReason: true } },
    },
  });
  // A reply the actor cannot see (private, hidden, in a hidden thread) does not exist, as far as they can tell.
  if (!reply || !canSeeReply(actor, reply, reply.thread)) throw new NotFoundError("That reply does not exist.");
  return reply;
}

export async function createReply(actor: Actor, threadId: number, input: { body: string }) {
  await requireParticipant(actor);
  const thread = await db.thread.findUnique({
    where: { id: threadId },
    select: { id: true, kind: true, authorId: true, hiddenAt: true, hiddenReason: true, lockedAt: true, duplicateOfId: true },
  });
  if (!thread || !canSeeThread(actor, thread)) throw new NotFoundError("That thread does not exist.");
  if (thread.hiddenAt && thread.hiddenReason === "deleted") throw new ConflictError("This thread was deleted: it takes no replies.");
  if (thread.lockedAt && !isStaff(actor.role)) {
    throw new ConflictError(
      thread.duplicateOfId
        ? "This thread was closed as a duplicate: please answer in the thread it links to."
        : "This thread is locked: it takes no new replies.",
    );
  }
  await countPost(actor);
  const isPrivate = thread.kind === "target";
  const held = await mustWaitForApproval(actor);
  const rendered = await renderPost(input.body);
  const now = new Date();
  const created = await db.$transaction(async (tx) => {
    // Replies to one thread are written one at a time (PostgreSQL; SQLite is serial): the recount sees them all.
    await lockRows(tx, "Thread", [threadId]);
    const reply = await tx.reply.create({
      data: {
        threadId,
        authorId: actor.id,
        bodySource: input.body,
        bodyHtml: rendered.html,
        rendererVersion: rendered.rendererVersion,
        isPrivate,
        createdAt: now,
        ...(held ? { hiddenAt: now, hiddenReason: "held" } : {}),
      },
      select: { id: true, isPrivate: true, hiddenAt: true },
    });
    // The public "last activity" must not reveal when a private or held reply came in.
    if (!isPrivate && !held) await tx.thread.update({ where: { id: threadId }, data: { lastActivityAt: now } });
    await recountReplies(tx, threadId);
    // Replying follows the thread.
    await tx.$executeRaw`INSERT INTO "ThreadFollow" ("userId", "threadId", "createdAt") VALUES (${actor.id}, ${threadId}, ${now}) ON CONFLICT DO NOTHING`;
    await recordEvent(tx, { type: "reply.created", threadId, replyId: reply.id, isPrivate: reply.isPrivate });
    return reply;
  });
  // A private reply's links are its own business: only public posts cite.
  if (!created.isPrivate && !held) await recordCitations(threadId, rendered.resourceIds);
  return { ...created, held };
}

export async function editReply(actor: Actor, replyId: number, input: { body: string; reason?: string }) {
  await requireParticipant(actor);
  const reply = await loadReply(actor, replyId);
  if (reply.deletedAt) throw new NotFoundError("That reply was removed.");
  if (!canModify(actor, reply.authorId)) throw new ForbiddenError("You can only edit your own replies.");
  const reason = moderatorEditReason(actor, reply.authorId, input.reason);
  if (reply.bodySource === input.body) return;
  const rendered = await renderPost(input.body);
  await db.$transaction([
    db.revision.create({ data: { replyId, editorId: actor.id, bodySource: reply.bodySource } }),
    db.reply.update({
      where: { id: replyId },
      data: { bodySource: input.body, bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion, editedAt: new Date() },
    }),
    ...(reason === null ? [] : [logModeration(actor, { action: "reply.edited", subjectId: reply.authorId, targetType: "reply", targetId: replyId, reason })]),
    recordEvent(db, { type: "reply.edited", threadId: reply.threadId, replyId, isPrivate: reply.isPrivate }),
  ]);
  if (!reply.isPrivate) await recordCitations(reply.threadId, rendered.resourceIds);
}

/** Soft delete: the reply keeps its place as "reply removed"; moderators keep its text. */
export async function deleteReply(actor: Actor, replyId: number, reason = "") {
  const reply = await loadReply(actor, replyId);
  if (reply.deletedAt) return;
  if (!canModify(actor, reply.authorId)) throw new ForbiddenError("You can only remove your own replies.");
  await requireParticipant(actor);
  // A moderator removing someone else's reply says why, for the log.
  if (actor.id !== reply.authorId && !reason.trim())
    throw new ValidationError({ reason: "Say why you are deleting someone else's reply: it goes in the moderation log." });
  await db.$transaction(async (tx) => {
    await tx.reply.update({ where: { id: replyId }, data: { deletedAt: new Date() } });
    if (reply.thread.acceptedReplyId === replyId) await tx.thread.update({ where: { id: reply.threadId }, data: { acceptedReplyId: null } });
    await recountReplies(tx, reply.threadId);
    if (actor.id !== reply.authorId) {
      await tx.flag.updateMany({
        where: { target: `reply:${replyId}`, resolvedAt: null },
        data: { resolvedAt: new Date(), resolvedById: actor.id, resolution: "upheld" },
      });
      await logModeration(actor, { action: "reply.deleted", subjectId: reply.authorId, targetType: "reply", targetId: replyId, reason }, tx);
      await recordEvent(tx, { type: "moderation.changed" });
    }
    await recordEvent(tx, { type: "reply.deleted", threadId: reply.threadId, replyId, isPrivate: reply.isPrivate });
  });
}

/** Mark (or unmark) a reply helpful: once per member, never one's own. Returns the new count. */
export async function setHelpful(actor: Actor, replyId: number, helpful: boolean): Promise<number> {
  await requireParticipant(actor);
  const reply = await loadReply(actor, replyId);
  if (reply.deletedAt) throw new NotFoundError("That reply was removed.");
  if (reply.authorId === actor.id) throw new ForbiddenError("You can't vote for your own reply.");
  const helpfulCount = await db.$transaction(async (tx) => {
    // Two votes at once would both count before either wrote (PostgreSQL; SQLite is serial).
    await lockRows(tx, "Reply", [replyId]);
    const key = { replyId_userId: { replyId, userId: actor.id } };
    const existing = await tx.helpfulVote.findUnique({ where: key, select: { replyId: true } });
    const delta = helpful && !existing ? 1 : !helpful && existing ? -1 : 0;
    if (delta === 1) await tx.helpfulVote.create({ data: { replyId, userId: actor.id } });
    if (delta === -1) await tx.helpfulVote.delete({ where: key });
    const count = await tx.helpfulVote.count({ where: { replyId } });
    await tx.reply.update({ where: { id: replyId }, data: { helpfulCount: count } });
    // Only public replies count towards a thread's "most helpful" rank: a
    // private reply's votes must not show through a public number.
    if (delta !== 0 && !reply.isPrivate) {
      await tx.thread.update({ where: { id: reply.threadId }, data: { helpfulTotal: { increment: delta } } });
    }
    await recordEvent(tx, { type: "vote.changed", threadId: reply.threadId, replyId, helpfulCount: count, isPrivate: reply.isPrivate });
    return count;
  });
  return helpfulCount;
}

/** The asker (or a moderator) marks the reply that answered the question; null clears it. */
export async function setAcceptedReply(actor: Actor, threadId: number, replyId: number | null) {
  await requireParticipant(actor);
  const thread = await db.thread.findUnique({ where: { id: threadId }, select: { authorId: true, acceptedReplyId: true, hiddenAt: true, hiddenReason: true } });
  if (!thread || !canSeeThread(actor, thread)) throw new NotFoundError("That thread does not exist.");
  if (thread.authorId !== actor.id && !isStaff(actor.role)) {
    throw new ForbiddenError("Only the person who asked (or a moderator) can accept an answer.");
  }
  if (replyId !== null) {
    const reply = await loadReply(actor, replyId);
    if (reply.threadId !== threadId) throw new NotFoundError("That reply is not in this thread.");
    if (reply.deletedAt) throw new ConflictError("A removed reply cannot be accepted.");
    if (reply.hiddenAt) throw new ConflictError("A hidden reply cannot be accepted.");
  }
  await db.$transaction([
    db.thread.update({ where: { id: threadId }, data: { acceptedReplyId: replyId } }),
    // A moderator choosing the answer for someone else's question is a moderation action.
    ...(actor.id === thread.authorId
      ? []
      : [
          logModeration(actor, {
            action: replyId === null ? "thread.answer_cleared" : "thread.answer_accepted",
            subjectId: thread.authorId,
            targetType: "thread",
            targetId: threadId,
            detail: replyId ? `reply #${replyId}` : "",
          }),
        ]),
    recordEvent(db, { type: "reply.accepted", threadId, replyId, previousReplyId: thread.acceptedReplyId }),
  ]);
}

/** Earlier versions of a post: for its author and moderators only. */
export async function listRevisions(actor: Actor, target: { threadId: number; replyId?: number } | { replyId: number }) {
  let authorId: number | undefined;
  if (target.replyId !== undefined) {
    const reply = await loadReply(actor, target.replyId);
    if ("threadId" in target && reply.threadId !== target.threadId) throw new NotFoundError("That reply is not in this thread.");
    authorId = reply.authorId;
  } else if ("threadId" in target) {
    authorId = (await db.thread.findUnique({ where: { id: target.threadId }, select: { authorId: true } }))?.authorId;
  }
  if (authorId === undefined) throw new NotFoundError("That post does not exist.");
  if (!canModify(actor, authorId)) throw new ForbiddenError("Only the author and moderators can see earlier versions.");
  return db.revision.findMany({
    where: target.replyId !== undefined ? { replyId: target.replyId } : { threadId: (target as { threadId: number }).threadId, replyId: null },
    orderBy: { id: "desc" },
    select: { id: true, title: true, bodySource: true, createdAt: true, editor: { select: { handle: true, displayName: true } } },
  });
}

/**
 * A reply as a Markdown quote with attribution, for "quote into your answer".
 * Only for a viewer who can see it: a private reply never leaks by quoting.
 */
export async function quoteReply(actor: Actor, replyId: number, intoThreadId: number): Promise<string | null> {
  const reply = await db.reply.findUnique({
    where: { id: replyId },
    select: {
      bodySource: true,
      isPrivate: true,
      authorId: true,
      deletedAt: true,
      threadId: true,
      hiddenAt: true,
      hiddenReason: true,
      thread: { select: { authorId: true, hiddenAt: true, hiddenReason: true } },
      author: { select: { handle: true } },
    },
  });
  // Only into the reply's own thread: a private reply can then only be quoted
  // into another private reply of the same TARGET, never into a public thread.
  if (!reply || reply.deletedAt || reply.threadId !== intoThreadId || !canSeeReply(actor, reply, reply.thread)) return null;
  return `${quoteMarkdown(reply.bodySource)}\n>\n> — @${reply.author.handle}\n\n`;
}
