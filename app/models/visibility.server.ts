// Who may read what. Every page, API call, feed, search and socket that shows
// replies goes through these, so the TARGET privacy rule and the moderation
// rule (hidden posts) are written once.
import { isStaff, type Role } from "~/lib/domain";
import { Prisma } from "~/generated/prisma/client";

/** The reader: a member, or null for a guest. */
export type Viewer = { id: number; role: Role } | null;

/** A post as moderation sees it: hidden (held, flagged, hidden or deleted by a moderator) or not. */
export type Moderated = { authorId: number; hiddenAt: Date | string | null; hiddenReason: string };

/**
 * A hidden post is seen by moderators and by its author (who is told why),
 * except one a moderator deleted: that is for moderators only.
 */
export function canSeePost(viewer: Viewer, post: Moderated): boolean {
  if (!post.hiddenAt) return true;
  if (!viewer) return false;
  return isStaff(viewer.role) || (viewer.id === post.authorId && post.hiddenReason !== "deleted");
}

/**
 * Replies of a thread the viewer may read: public replies, plus private
 * (TARGET) replies for the asker, the reply's author and moderators; hidden
 * replies only for their authors and moderators.
 * As an SQL condition on a reply aliased `r` (the thread page reads replies
 * with one raw join for speed); canSeeReply below is the same rule for one reply.
 */
export function visibleRepliesSql(viewer: Viewer, thread: { authorId: number }): Prisma.Sql {
  if (viewer && isStaff(viewer.role)) return Prisma.empty;
  if (!viewer) return Prisma.sql`AND r."isPrivate" = 0 AND r."hiddenAt" IS NULL`;
  const hidden = Prisma.sql`AND (r."hiddenAt" IS NULL OR (r."authorId" = ${viewer.id} AND r."hiddenReason" <> 'deleted'))`;
  if (viewer.id === thread.authorId) return hidden;
  return Prisma.sql`AND (r."isPrivate" = 0 OR r."authorId" = ${viewer.id}) ${hidden}`;
}

export function canSeeReply(viewer: Viewer, reply: Moderated & { isPrivate: boolean }, thread: { authorId: number }): boolean {
  if (!canSeePost(viewer, reply)) return false;
  if (!reply.isPrivate) return true;
  return !!viewer && (isStaff(viewer.role) || viewer.id === thread.authorId || viewer.id === reply.authorId);
}

/** Authors edit their own posts; moderators and admins edit any. */
export function canModify(viewer: Viewer, authorId: number): boolean {
  return !!viewer && (viewer.id === authorId || isStaff(viewer.role));
}
