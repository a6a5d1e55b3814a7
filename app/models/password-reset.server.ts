// Password reset by a one-time link that an admin issues and passes on to the
// member (until email delivery exists). Validate → authorize → write.
import { db } from "~/db/client.server";
import { ForbiddenError, NotFoundError } from "~/lib/errors";
import { hashPassword } from "~/lib/password.server";
import { randomToken, sha256 } from "~/lib/tokens.server";
import type { Actor } from "~/lib/domain";
import { recordEvent } from "./event-outbox.server";

export const RESET_TTL_MS = 24 * 60 * 60_000;

/** A new link for the member (earlier ones stop working). Returns the token. */
export async function issuePasswordReset(actor: Actor, userId: number): Promise<{ token: string; handle: string }> {
  if (actor.role !== "admin") throw new ForbiddenError("Only admins can issue password reset links.");
  const token = randomToken();
  return db.$transaction(async (tx) => {
    const member = await tx.user.findUnique({ where: { id: userId }, select: { id: true, handle: true } });
    if (!member) throw new NotFoundError("No such member.");
    await tx.passwordReset.deleteMany({ where: { userId } });
    await tx.passwordReset.create({ data: { id: sha256(token), userId, expiresAt: new Date(Date.now() + RESET_TTL_MS) } });
    await tx.auditEvent.create({ data: { actorId: actor.id, subjectId: userId, action: "member.password_reset_issued" } });
    return { token, handle: member.handle };
  });
}

/** Whose reset link this is, if it is still valid. */
export async function findPasswordReset(token: string | null | undefined) {
  if (!token) return null;
  const reset = await db.passwordReset.findUnique({
    where: { id: sha256(token) },
    select: { expiresAt: true, user: { select: { id: true, handle: true, displayName: true } } },
  });
  return reset && reset.expiresAt.getTime() > Date.now() ? reset.user : null;
}

/**
 * Use the link: set the new password, end every session and revoke every API token of the member, and
 * consume the link (only one request can). Returns the member's id.
 */
export async function completePasswordReset(token: string, newPassword: string): Promise<number> {
  const passwordHash = await hashPassword(newPassword);
  return db.$transaction(async (tx) => {
    const reset = await tx.passwordReset.findUnique({ where: { id: sha256(token) }, select: { userId: true, expiresAt: true } });
    const consumed = await tx.passwordReset.deleteMany({ where: { id: sha256(token) } });
    if (!reset || consumed.count !== 1 || reset.expiresAt.getTime() <= Date.now()) {
      throw new ForbiddenError("This reset link has expired or was already used. Ask an admin for a new one.");
    }
    await tx.user.update({ where: { id: reset.userId }, data: { passwordHash, passwordChangedAt: new Date() } });
    await tx.session.deleteMany({ where: { userId: reset.userId } });
    // Whoever made the reset needed (an account taken over, a lost laptop) may hold a token too.
    await tx.apiToken.deleteMany({ where: { userId: reset.userId } });
    await tx.auditEvent.create({ data: { actorId: reset.userId, subjectId: reset.userId, action: "member.password_reset_used" } });
    // Live connections opened with the old sessions end too.
    await recordEvent(tx, { type: "member.access_changed", userId: reset.userId });
    return reset.userId;
  });
}
