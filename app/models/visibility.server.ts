// Who may read what. Every page, API call, feed, search and socket that shows
// replies goes through these, so the TARGET privacy rule is written once.
import { isStaff, type Role } from "~/lib/domain";
import type { Prisma } from "~/generated/prisma/client";

/** The reader: a member, or null for a guest. */
export type Viewer = { id: number; role: Role } | null;

/**
 * Replies of a thread the viewer may read: public replies, plus private
 * (TARGET) replies for the asker, the reply's author and moderators.
 */
export function visibleRepliesWhere(viewer: Viewer, thread: { authorId: number }): Prisma.ReplyWhereInput {
  if (viewer && (isStaff(viewer.role) || viewer.id === thread.authorId)) return {};
  if (viewer) return { OR: [{ isPrivate: false }, { authorId: viewer.id }] };
  return { isPrivate: false };
}

export function canSeeReply(viewer: Viewer, reply: { isPrivate: boolean; authorId: number }, thread: { authorId: number }): boolean {
  if (!reply.isPrivate) return true;
  return !!viewer && (isStaff(viewer.role) || viewer.id === thread.authorId || viewer.id === reply.authorId);
}

/** Authors edit their own posts; moderators and admins edit any. */
export function canModify(viewer: Viewer, authorId: number): boolean {
  return !!viewer && (viewer.id === authorId || isStaff(viewer.role));
}
