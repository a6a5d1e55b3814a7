// Who may read what. Every page, API call, feed, search and socket that shows
// replies goes through these, so the TARGET privacy rule is written once.
import { isStaff, type Role } from "~/lib/domain";
import { Prisma } from "~/generated/prisma/client";

/** The reader: a member, or null for a guest. */
export type Viewer = { id: number; role: Role } | null;

/**
 * Replies of a thread the viewer may read: public replies, plus private
 * (TARGET) replies for the asker, the reply's author and moderators.
 * As an SQL condition on a reply aliased `r` (the thread page reads replies
 * with one raw join for speed); canSeeReply below is the same rule for one reply.
 */
export function visibleRepliesSql(viewer: Viewer, thread: { authorId: number }): Prisma.Sql {
  if (viewer && (isStaff(viewer.role) || viewer.id === thread.authorId)) return Prisma.empty;
  if (viewer) return Prisma.sql`AND (r."isPrivate" = 0 OR r."authorId" = ${viewer.id})`;
  return Prisma.sql`AND r."isPrivate" = 0`;
}

export function canSeeReply(viewer: Viewer, reply: { isPrivate: boolean; authorId: number }, thread: { authorId: number }): boolean {
  if (!reply.isPrivate) return true;
  return !!viewer && (isStaff(viewer.role) || viewer.id === thread.authorId || viewer.id === reply.authorId);
}

/** Authors edit their own posts; moderators and admins edit any. */
export function canModify(viewer: Viewer, authorId: number): boolean {
  return !!viewer && (viewer.id === authorId || isStaff(viewer.role));
}
