// Bounces: every message goes out with a signed VERP envelope sender
// (bounce+<job>-<member>-<signature>@MAIL_DOMAIN, app/lib/mail-tokens.server.ts),
// so a bounce names the member and the message. Each member has a bounce
// score, as Discourse keeps one:
//   - a hard bounce (status 5.x.x: the address does not work) adds 2, a soft
//     one (4.x.x, or a bounce without a report) adds 1, and soft bounces
//     count at most once a day (a full mailbox over a weekend is one bounce,
//     not one per message);
//   - a score with no bounce for 30 days starts again from 0;
//   - at 4 the address is stopped (User.mailStoppedAt): no list mail, digests
//     or notification mail (mail-delivery.server.ts `reachable()`); account
//     mail (confirmation links, password resets) still goes, so the member
//     can fix it. Only confirming the address again or changing it clears
//     the score and resumes delivery (mail.server.ts `verifyEmail`).
// A bounce about a message sent to an earlier address of the member counts nothing.
import { db } from "~/db/client.server";
import type { Bounce } from "~/lib/bounce";
import { NotFoundError } from "~/lib/errors";

export const BOUNCE_THRESHOLD = 4;
export const BOUNCE_POINTS = { hard: 2, soft: 1 } as const;
const DAY_MS = 24 * 60 * 60_000;
/** A score with no bounce for this long starts again from 0. */
export const BOUNCE_RESET_DAYS = 30;

export type BounceOutcome = { counted: boolean; score: number; stopped: boolean; why: string };

/** Count one bounce report against a member (named by a signed bounce address). */
export async function recordBounce(userId: number, jobId: number, bounce: Bounce, now = new Date()): Promise<BounceOutcome> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, bounceScore: true, lastBounceAt: true, mailStoppedAt: true } });
  if (!user) return { counted: false, score: 0, stopped: false, why: "No such member (any more)." };
  const unchanged = { counted: false, score: user.bounceScore, stopped: user.mailStoppedAt !== null };
  const job = await db.mailJob.findUnique({ where: { id: jobId }, select: { toAddress: true } });
  if (job && job.toAddress.toLowerCase() !== user.email.toLowerCase()) return { ...unchanged, why: "About a message to an earlier address of the member." };
  if (bounce.severity === "none") return { ...unchanged, why: "A delivery report that is not a failure (delayed, relayed or delivered)." };
  if (bounce.severity === "soft" && user.lastBounceAt && now.getTime() - user.lastBounceAt.getTime() < DAY_MS) {
    return { ...unchanged, why: "A soft bounce within a day of the last bounce: counted once a day." };
  }
  // A quiet month forgets the old score (unless delivery has stopped: then only the member resumes it).
  await db.user.updateMany({
    where: { id: userId, mailStoppedAt: null, lastBounceAt: { lt: new Date(now.getTime() - BOUNCE_RESET_DAYS * DAY_MS) } },
    data: { bounceScore: 0 },
  });
  // Increments, so two reports at once both count.
  const { bounceScore } = await db.user.update({
    where: { id: userId },
    data: { bounceScore: { increment: BOUNCE_POINTS[bounce.severity] }, lastBounceAt: now },
    select: { bounceScore: true },
  });
  if (bounceScore >= BOUNCE_THRESHOLD) await db.user.updateMany({ where: { id: userId, mailStoppedAt: null }, data: { mailStoppedAt: now } });
  const stopped = bounceScore >= BOUNCE_THRESHOLD || user.mailStoppedAt !== null;
  return { counted: true, score: bounceScore, stopped, why: stopped ? "Delivery to this address has stopped." : "Counted." };
}

/** Addresses that bounced (a score above 0, or stopped), most recent first, for admins. */
export async function listBouncingAddresses(actor: { role: string }, take = 50) {
  if (actor.role !== "admin") throw new NotFoundError("Not found.");
  const rows = await db.user.findMany({
    where: { OR: [{ bounceScore: { gt: 0 } }, { mailStoppedAt: { not: null } }] },
    orderBy: [{ lastBounceAt: "desc" }, { id: "asc" }],
    take,
    select: { id: true, handle: true, displayName: true, email: true, bounceScore: true, lastBounceAt: true, mailStoppedAt: true },
  });
  return rows.map((r) => ({ ...r, stopped: r.mailStoppedAt !== null }));
}
