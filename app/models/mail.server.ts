// Outgoing mail: the durable queue (MailJob), how every message is dressed
// (multipart, List-Id, one-click List-Unsubscribe, LM_NET-style subjects),
// account mail (address verification, password reset by a one-time link),
// and each member's delivery preferences. Sending happens off the request
// path (server/mailer.ts); what each post or digest says is in
// mail-delivery.server.ts.
import fs from "node:fs";
import path from "node:path";
import { db } from "~/db/client.server";
import type { Prisma } from "~/generated/prisma/client";
import { getEnv } from "~/lib/env.server";
import { ConflictError, NotFoundError, ValidationError } from "~/lib/errors";
import { nudge } from "~/lib/events.server";
import { readUnsubscribeToken, unsubscribeToken, type UnsubscribeKind, type UnsubscribeRequest } from "~/lib/mail-tokens.server";
import { verifyPassword } from "~/lib/password.server";
import { requestClientIp } from "~/lib/request-scope.server";
import { randomToken, sha256 } from "~/lib/tokens.server";
import { countAttempt, type Window } from "./rate-limit.server";
import { RESET_TTL_MS } from "./password-reset.server";
import { waitMessage } from "./user.server";
import type { Actor } from "~/lib/domain";
import { escapeHtml } from "~/lib/html";
import libmime from "libmime";

export const EMAIL_MODES = ["every", "daily", "weekly", "none"] as const;
export type EmailMode = (typeof EMAIL_MODES)[number];
const VERIFY_TTL_MS = 7 * 24 * 60 * 60_000;

export type OutgoingMessage = {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  replyTo?: string;
  /**
   * The Message-ID, when every copy of the message must carry the same one (a
   * post: replies refer to it, so mail clients thread the conversation).
   * Otherwise one is derived from the queue key.
   */
  messageId?: string;
};

// --- Where links in mail point -------------------------------------------------

const origin = globalThis as unknown as { __paranetMailOrigin?: string };
const SITE_URL_KEY = "mail.siteUrl";
/**
 * The server records the address its links use (PUBLIC_URL, or where it
 * listens), in memory and in the database: `npm run mail:digests`, run from
 * cron without the server's environment, links to the same place.
 */
export async function setListeningOrigin(url: string): Promise<void> {
  origin.__paranetMailOrigin = url;
  await db.setting.upsert({ where: { key: SITE_URL_KEY }, create: { key: SITE_URL_KEY, value: url }, update: { value: url } });
}
/** For commands run beside the server: the address the server last recorded, unless PUBLIC_URL says otherwise. Null if none. */
export async function adoptRecordedSiteUrl(): Promise<string | null> {
  if (getEnv().publicUrl) return getEnv().publicUrl!;
  const row = await db.setting.findUnique({ where: { key: SITE_URL_KEY } });
  if (row) origin.__paranetMailOrigin = row.value;
  return row?.value ?? null;
}
export function siteUrl(): string {
  return getEnv().publicUrl ?? origin.__paranetMailOrigin ?? "http://localhost:3000";
}

// --- The queue -----------------------------------------------------------------

/**
 * Queue a message; false if one with this key was queued before (a digest
 * for this period, this post for this member). The Message-ID is derived
 * from the key, so a retry after a crash sends the very same message.
 * `writer`: a transaction the message must stand or fall with (a link whose
 * token is stored in the same transaction).
 */
export async function queueMail(
  job: { key: string; kind: string; userId?: number | null; message: OutgoingMessage },
  writer: Prisma.TransactionClient | typeof db = db,
): Promise<boolean> {
  const message = job.message;
  const messageId = message.messageId ?? `<${job.kind}.${sha256(job.key).slice(0, 24)}@${getEnv().mailDomain}>`;
  const payload = JSON.stringify({ text: message.text, html: message.html, headers: message.headers, replyTo: message.replyTo });
  const inserted = await writer.$executeRaw`
    INSERT INTO "MailJob" ("key", "kind", "userId", "toAddress", "subject", "message", "messageId", "nextAttemptAt", "createdAt")
    VALUES (${job.key}, ${job.kind}, ${job.userId ?? null}, ${message.to}, ${message.subject}, ${payload}, ${messageId}, ${new Date()}, ${new Date()})
    ON CONFLICT ("key") DO NOTHING`;
  if (inserted) nudge({ kind: "mail.queued" });
  return inserted > 0;
}

export type MailJobToSend = {
  id: number;
  userId: number | null;
  toAddress: string;
  subject: string;
  message: string;
  messageId: string;
  attempts: number;
  createdAt: string;
};
const CLAIM_BATCH = 25;
/** A claim expires: a sender that died mid-send leaves its jobs to be sent again. */
const CLAIM_MS = 5 * 60_000;
export const MAX_MAIL_ATTEMPTS = 6;

/** Claim due messages atomically (one UPDATE … RETURNING): across processes each goes to one sender. */
export async function claimDueMail(now: Date): Promise<MailJobToSend[]> {
  const rows = await db.$queryRaw<
    (Omit<MailJobToSend, "id" | "userId" | "attempts" | "createdAt"> & {
      id: number | bigint;
      userId: number | bigint | null;
      attempts: number | bigint;
      createdAt: string | Date;
    })[]
  >`
    UPDATE "MailJob" SET "status" = 'sending', "lockedUntil" = ${new Date(now.getTime() + CLAIM_MS)}, "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT "id" FROM "MailJob"
      WHERE ("status" = 'pending' AND "nextAttemptAt" <= ${now}) OR ("status" = 'sending' AND "lockedUntil" <= ${now})
      ORDER BY "id" LIMIT ${CLAIM_BATCH})
      -- Again here: on PostgreSQL a job another sender claimed meanwhile is
      -- re-checked after its row lock and left out (without this, both send it).
      AND (("status" = 'pending' AND "nextAttemptAt" <= ${now}) OR ("status" = 'sending' AND "lockedUntil" <= ${now}))
    RETURNING "id", "userId", "toAddress", "subject", "message", "messageId", "attempts", "createdAt"`;
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    userId: r.userId === null ? null : Number(r.userId),
    attempts: Number(r.attempts),
    createdAt: new Date(r.createdAt).toISOString(),
  }));
}

export async function mailSent(id: number): Promise<void> {
  await db.mailJob.update({ where: { id }, data: { status: "sent", sentAt: new Date(), lockedUntil: null, lastError: "" } });
}

/** A failed attempt: tried again later (30 s, 1, 2, 4, 8 min), then given up as failed. Returns true when given up. */
export async function mailFailed(job: MailJobToSend, error: string): Promise<boolean> {
  const failed = job.attempts >= MAX_MAIL_ATTEMPTS;
  await db.mailJob.update({
    where: { id: job.id },
    data: {
      status: failed ? "failed" : "pending",
      lockedUntil: null,
      nextAttemptAt: new Date(Date.now() + 30_000 * 2 ** (job.attempts - 1)),
      lastError: error.slice(0, 500),
    },
  });
  return failed;
}

export type QueueStats = { pending: number; sending: number; sent: number; failed: number };

/** Queue depth and the latest failures, for admins. */
export async function mailQueueStatus(actor: Actor) {
  if (actor.role !== "admin") throw new NotFoundError("Not found.");
  const counts = await db.mailJob.groupBy({ by: ["status"], _count: { _all: true } });
  const stats: QueueStats = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const c of counts) if (c.status in stats) stats[c.status as keyof QueueStats] = c._count._all;
  const problems = await db.mailJob.findMany({
    where: { OR: [{ status: "failed" }, { status: "pending", attempts: { gt: 0 } }] },
    orderBy: { id: "desc" },
    take: 20,
    select: { id: true, kind: true, toAddress: true, subject: true, status: true, attempts: true, lastError: true, nextAttemptAt: true },
  });
  const recent = await db.mailJob.findMany({
    orderBy: { id: "desc" },
    take: 50,
    select: { id: true, kind: true, toAddress: true, subject: true, status: true, createdAt: true, sentAt: true },
  });
  return { stats, problems, recent };
}

/** Put failed messages back in the queue (after fixing SMTP_URL, say). */
export async function retryFailedMail(actor: Actor): Promise<number> {
  if (actor.role !== "admin") throw new NotFoundError("Not found.");
  const { count } = await db.mailJob.updateMany({
    where: { status: "failed" },
    data: { status: "pending", attempts: 0, nextAttemptAt: new Date(), lastError: "" },
  });
  if (count) nudge({ kind: "mail.queued" });
  return count;
}

// --- Dressing a message --------------------------------------------------------

/** LM_NET's subject conventions: "[ParaNet] TARGET-> …", "HIT-> …", "JOBS-> …". */
export function subjectFor(thread: { kind: string; title: string }, reply = false): string {
  const prefix = thread.kind === "target" ? "TARGET-> " : thread.kind === "hit" ? "HIT-> " : thread.kind === "job" ? "JOBS-> " : "";
  return `${reply ? "Re: " : ""}[ParaNet] ${prefix}${thread.title.replace(/^(TARGET|HIT|JOBS?)\s*(->|:)\s*/i, "")}`;
}

/** The address in a From value ("ParaNet <paranet@example.org>" → "paranet@example.org"). */
export function addressOf(from: string): string {
  return (/<([^<>]+)>\s*$/.exec(from)?.[1] ?? from).trim().toLowerCase();
}

/** What ParaNet writes in X-Loop, and finds again if its own mail comes back. */
export const loopToken = () => `paranet.${getEnv().mailDomain}`;

/** The Message-ID of a thread's first mail: replies refer to it. */
export const threadMessageId = (threadId: number) => `<thread.${threadId}@${getEnv().mailDomain}>`;
/** The Message-ID of a reply's mail. */
export const replyMessageId = (replyId: number) => `<reply.${replyId}@${getEnv().mailDomain}>`;

/**
 * Headers that keep responders quiet, on every message: Exchange's
 * suppression, our loop mark, and (RFC 3834) Auto-Submitted on what a
 * machine sends one member about themselves (notifications, account mail).
 */
export function automatedHeaders(kind: "list" | "personal"): Record<string, string> {
  return {
    "X-Auto-Response-Suppress": "OOF, AutoReply",
    "X-Loop": loopToken(),
    ...(kind === "list" ? { Precedence: "list" } : { "Auto-Submitted": "auto-generated" }),
  };
}

/**
 * Whom list and notification mail is made for. Its unsubscribe links carry
 * the member's current User.unsubscribeVersion, so they work until the
 * member's next settings change (which revokes them).
 */
export type MailMember = { id: number; unsubscribeVersion: number };

/**
 * List headers every message a member did not ask for one by one carries
 * (RFC 2919, 2369, 8058): the list's id, how to unsubscribe (a one-click
 * https link and a mailto address), where to post (`post`: the message's
 * reply address) or NO, where help and the archive are.
 */
export function listHeaders(member: MailMember, kind: UnsubscribeKind, tags: string[] = [], post?: string): Record<string, string> {
  const domain = getEnv().mailDomain;
  const token = unsubscribeToken(member.id, kind, member.unsubscribeVersion);
  const unsubscribe = `${siteUrl()}/email/unsubscribe?token=${token}`;
  return {
    ...automatedHeaders(kind === "list" ? "list" : "personal"),
    "List-Id": `ParaNet <paranet.${domain}>`,
    "List-Unsubscribe": `<${unsubscribe}>, <mailto:unsubscribe+${token}@${domain}?subject=unsubscribe>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    "List-Post": post ? `<mailto:${post}>` : "NO",
    "List-Help": `<${siteUrl()}/me/settings/email>`,
    "List-Archive": `<${siteUrl()}/>`,
    ...(tags.length ? { "X-ParaNet-Tags": tags.join(", ") } : {}),
  };
}

/** The frame of every message: both parts, with the footer that says why it came and how to stop it. */
export function frame(parts: { html: string; text: string }, footer: { member: MailMember; kind: UnsubscribeKind; why: string }) {
  const settings = `${siteUrl()}/me/settings/email`;
  const unsubscribe = `${siteUrl()}/email/unsubscribe?token=${unsubscribeToken(footer.member.id, footer.kind, footer.member.unsubscribeVersion)}`;
  return {
    text: `${parts.text}\n\n-- \n${footer.why}\nDelivery settings: ${settings}\nUnsubscribe: ${unsubscribe}\n`,
    html:
      `<!doctype html><html><body style="font-family:system-ui,Arial,sans-serif;line-height:1.5;color:#1c2630;max-width:40rem">` +
      `${parts.html}<hr style="border:0;border-top:1px solid #d9d6cc;margin:2rem 0 1rem">` +
      `<p style="color:#4f5b66;font-size:0.85rem">${escapeHtml(footer.why)}<br>` +
      `<a href="${escapeHtml(settings)}">Delivery settings</a> · <a href="${escapeHtml(unsubscribe)}">Unsubscribe</a></p></body></html>`,
  };
}

// --- Account mail --------------------------------------------------------------

const VERIFY_LIMIT: Window = { limit: 5, windowMs: 60 * 60_000 };

/**
 * Send (again) the link that proves a member reads their address: at first,
 * and after mail to it bounced and stopped (following it resumes delivery).
 */
export async function sendVerificationMail(userId: number): Promise<void> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, displayName: true, emailVerifiedAt: true, mailStoppedAt: true } });
  if (!user) throw new NotFoundError("Account not found.");
  if (user.emailVerifiedAt && !user.mailStoppedAt) throw new ConflictError("Your address is already confirmed.");
  await countAttempt([[`verify-mail:user:${userId}`, VERIFY_LIMIT]], waitMessage("confirmation emails"));
  const token = randomToken();
  await db.emailToken.create({ data: { id: sha256(token), userId, email: user.email, expiresAt: new Date(Date.now() + VERIFY_TTL_MS) } });
  const link = `${siteUrl()}/email/verify?token=${token}`;
  await queueMail({
    key: `verify:${sha256(token)}`,
    kind: "verify",
    userId,
    message: {
      to: user.email,
      subject: "[ParaNet] Confirm your email address",
      text: `Hello ${user.displayName},\n\nPlease confirm that this is your address, so ParaNet can send you posts, digests and notifications:\n\n${link}\n\nThe link works for 7 days. If you did not join ParaNet, ignore this message.\n`,
      html: `<p>Hello ${escapeHtml(user.displayName)},</p><p>Please confirm that this is your address, so ParaNet can send you posts, digests and notifications:</p><p><a href="${escapeHtml(link)}">Confirm my address</a></p><p>The link works for 7 days. If you did not join ParaNet, ignore this message.</p>`,
      headers: automatedHeaders("personal"),
    },
  });
}

/**
 * A verification link was followed. A "verify" link confirms the member's
 * current address; a "change" link (requestEmailChange) makes its address the
 * member's, and the old address is told. Either way the address now works:
 * the bounce score is cleared and delivery resumes; a change also revokes the
 * unsubscribe links mailed so far. Returns the member's handle and what happened.
 */
export async function verifyEmail(token: string | null): Promise<{ handle: string; changedTo?: string }> {
  const invalid = new ValidationError({
    token: "This confirmation link is not valid: it may have expired or been used. Ask for a new one in your email settings.",
  });
  if (!token || token.length > 200) throw invalid;
  const row = await db.emailToken.findUnique({
    where: { id: sha256(token) },
    select: {
      id: true,
      userId: true,
      email: true,
      kind: true,
      expiresAt: true,
      usedAt: true,
      user: { select: { email: true, handle: true, displayName: true } },
    },
  });
  if (!row || row.usedAt || row.expiresAt.getTime() < Date.now()) throw invalid;
  const works = { emailVerifiedAt: new Date(), bounceScore: 0, mailStoppedAt: null };
  if (row.kind !== "change") {
    if (row.email !== row.user.email) throw invalid;
    await db.$transaction([
      db.emailToken.update({ where: { id: row.id }, data: { usedAt: new Date() } }),
      db.user.update({ where: { id: row.userId }, data: works }),
    ]);
    return { handle: row.user.handle };
  }
  const oldAddress = row.user.email;
  try {
    await db.$transaction([
      // This link and every other one still open (an older change, a confirmation of the old address) are spent.
      db.emailToken.updateMany({ where: { userId: row.userId, usedAt: null }, data: { usedAt: new Date() } }),
      db.user.update({ where: { id: row.userId }, data: { ...works, email: row.email, unsubscribeVersion: { increment: 1 } } }),
    ]);
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") {
      throw new ValidationError({ token: `${row.email} is now used by another member: choose another address in your email settings.` });
    }
    throw e;
  }
  await queueMail({
    key: `email-changed:${row.id}`,
    kind: "email-changed",
    userId: row.userId,
    message: {
      to: oldAddress,
      subject: "[ParaNet] Your email address was changed",
      text: `Hello ${row.user.displayName},\n\nThe email address of your ParaNet account (@${row.user.handle}) was changed from ${oldAddress} to ${row.email}. ParaNet mail now goes there, and this address gets nothing more.\n\nIf you did not make this change, someone else may be using your account: contact an administrator of ${siteUrl()} at once, and reset your password if you still can.\n`,
      html: `<p>Hello ${escapeHtml(row.user.displayName)},</p><p>The email address of your ParaNet account (@${escapeHtml(row.user.handle)}) was changed from ${escapeHtml(oldAddress)} to ${escapeHtml(row.email)}. ParaNet mail now goes there, and this address gets nothing more.</p><p>If you did not make this change, someone else may be using your account: contact an administrator of ${escapeHtml(siteUrl())} at once, and reset your password if you still can.</p>`,
      headers: automatedHeaders("personal"),
    },
  });
  return { handle: row.user.handle, changedTo: row.email };
}

const CHANGE_LIMIT: Window = { limit: 5, windowMs: 60 * 60_000 };
const EMAIL_SHAPE = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

/**
 * Ask to change one's address (password required): a link goes to the new
 * address, and only following it changes the address (verifyEmail). An
 * address another member uses is refused. Rate-limited like confirmation mail.
 */
export async function requestEmailChange(actor: Actor, input: { email: string; password: string }): Promise<string> {
  const email = input.email.trim().toLowerCase();
  if (!email) throw new ValidationError({ newEmail: "Give the new address." });
  if (email.length > 254 || !EMAIL_SHAPE.test(email)) throw new ValidationError({ newEmail: "That does not look like an email address (name@example.org)." });
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { email: true, displayName: true, passwordHash: true } });
  if (!user) throw new NotFoundError("Account not found.");
  if (email === user.email) throw new ValidationError({ newEmail: "This is already your address." });
  await countAttempt([[`email-change:user:${actor.id}`, CHANGE_LIMIT]], waitMessage("address change requests"));
  if (!(await verifyPassword(user.passwordHash, input.password))) throw new ValidationError({ password: "That is not your password." });
  if (await db.user.findUnique({ where: { email }, select: { id: true } })) {
    throw new ValidationError({ newEmail: "This address is already used by another ParaNet member. Choose another one." });
  }
  const token = randomToken();
  await db.emailToken.create({ data: { id: sha256(token), userId: actor.id, email, kind: "change", expiresAt: new Date(Date.now() + VERIFY_TTL_MS) } });
  const link = `${siteUrl()}/email/verify?token=${token}`;
  await queueMail({
    key: `change:${sha256(token)}`,
    kind: "verify",
    userId: actor.id,
    message: {
      to: email,
      subject: "[ParaNet] Confirm your new email address",
      text: `Hello ${user.displayName},\n\nYou asked to use this address for ParaNet instead of ${user.email}. Follow this link to make the change:\n\n${link}\n\nThe link works for 7 days. Until you follow it, nothing changes. If you did not ask, ignore this message.\n`,
      html: `<p>Hello ${escapeHtml(user.displayName)},</p><p>You asked to use this address for ParaNet instead of ${escapeHtml(user.email)}.</p><p><a href="${escapeHtml(link)}">Use this address</a></p><p>The link works for 7 days. Until you follow it, nothing changes. If you did not ask, ignore this message.</p>`,
      headers: automatedHeaders("personal"),
    },
  });
  return email;
}

const RESET_LIMIT_PER_ADDRESS: Window = { limit: 3, windowMs: 60 * 60_000 };
const RESET_LIMIT_PER_IP: Window = { limit: 20, windowMs: 60 * 60_000 };

/**
 * "Forgot your password?": mail a one-time link (valid 24 hours) if the
 * address belongs to a member. The answer is the same either way, so the
 * form cannot be used to find out who is a member.
 */
export async function requestPasswordReset(email: string): Promise<void> {
  const address = email.trim().toLowerCase();
  await countAttempt(
    [
      // Per address *and* client address: nobody can use up a member's own requests.
      [`reset-mail:email-ip:${address}:${requestClientIp()}`, RESET_LIMIT_PER_ADDRESS],
      [`reset-mail:ip:${requestClientIp()}`, RESET_LIMIT_PER_IP],
    ],
    waitMessage("password reset requests"),
  );
  const user = await db.user.findUnique({ where: { email: address }, select: { id: true, displayName: true, email: true } });
  if (!user) return;
  const token = randomToken();
  await db.$transaction([
    db.passwordReset.deleteMany({ where: { userId: user.id } }),
    db.passwordReset.create({ data: { id: sha256(token), userId: user.id, expiresAt: new Date(Date.now() + RESET_TTL_MS) } }),
  ]);
  const link = `${siteUrl()}/reset-password?token=${token}`;
  await queueMail({
    key: `reset:${sha256(token)}`,
    kind: "reset",
    userId: user.id,
    message: {
      to: user.email,
      subject: "[ParaNet] Choose a new password",
      text: `Hello ${user.displayName},\n\nSomeone (we hope you) asked to reset your ParaNet password. Choose a new one here:\n\n${link}\n\nThe link works once, for 24 hours. If you did not ask, ignore this message: your password stays as it is.\n`,
      html: `<p>Hello ${escapeHtml(user.displayName)},</p><p>Someone (we hope you) asked to reset your ParaNet password.</p><p><a href="${escapeHtml(link)}">Choose a new password</a></p><p>The link works once, for 24 hours. If you did not ask, ignore this message: your password stays as it is.</p>`,
      headers: automatedHeaders("personal"),
    },
  });
}

// --- Delivery preferences ------------------------------------------------------

export type EmailSettings = {
  email: string;
  verified: boolean;
  /** Mail to the address bounced until delivery stopped (mail-bounce.server.ts): since when. */
  stoppedAt: string | null;
  /** Bounces counted lately, short of stopping. */
  bounceScore: number;
  /** An address change asked for and not yet confirmed. */
  pendingEmail: string | null;
  mode: EmailMode;
  notifications: boolean;
  vacationUntil: string | null;
};

export async function getEmailSettings(actor: Actor): Promise<EmailSettings> {
  const u = await db.user.findUniqueOrThrow({
    where: { id: actor.id },
    select: { email: true, emailVerifiedAt: true, emailMode: true, emailNotifications: true, vacationUntil: true, mailStoppedAt: true, bounceScore: true },
  });
  const pending = await db.emailToken.findFirst({
    where: { userId: actor.id, kind: "change", usedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { email: true },
  });
  return {
    email: u.email,
    verified: u.emailVerifiedAt !== null,
    stoppedAt: u.mailStoppedAt ? u.mailStoppedAt.toISOString() : null,
    bounceScore: u.bounceScore,
    pendingEmail: pending?.email ?? null,
    mode: (EMAIL_MODES as readonly string[]).includes(u.emailMode) ? (u.emailMode as EmailMode) : "daily",
    notifications: u.emailNotifications,
    vacationUntil: u.vacationUntil && u.vacationUntil.getTime() > Date.now() ? u.vacationUntil.toISOString().slice(0, 10) : null,
  };
}

/**
 * Save how a member wants mail. A vacation hold (LM_NET's NOMAIL) stops list
 * mail until the date given; delivery then resumes by itself with one
 * catch-up digest of what was missed.
 */
export async function updateEmailSettings(actor: Actor, input: { mode: string; notifications: boolean; vacationUntil: string }) {
  if (!(EMAIL_MODES as readonly string[]).includes(input.mode)) throw new ValidationError({ mode: "Choose how you want to receive posts." });
  let vacationUntil: Date | null = null;
  if (input.vacationUntil.trim()) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.vacationUntil.trim());
    const day = m ? new Date(`${m[0]}T00:00:00.000Z`) : null;
    if (!day || Number.isNaN(day.getTime())) throw new ValidationError({ vacationUntil: "Give the date you are back, e.g. 2027-01-05." });
    if (day.getTime() <= Date.now()) throw new ValidationError({ vacationUntil: "Give a date in the future (or leave it empty)." });
    if (day.getTime() > Date.now() + 366 * 24 * 60 * 60_000) throw new ValidationError({ vacationUntil: "A hold can last up to a year." });
    vacationUntil = day;
  }
  const current = await db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { vacationFrom: true, vacationUntil: true } });
  const onHold = current.vacationUntil !== null && current.vacationUntil.getTime() > Date.now();
  await db.user.update({
    where: { id: actor.id },
    data: {
      emailMode: input.mode,
      emailNotifications: input.notifications,
      vacationUntil,
      // A hold that continues keeps its start: the catch-up digest covers all of it.
      vacationFrom: vacationUntil ? (onHold ? current.vacationFrom : new Date()) : null,
      // Saved settings are the member's word now: unsubscribe links mailed before stop working.
      unsubscribeVersion: { increment: 1 },
    },
  });
}

/**
 * An unsubscribe token that still works: signed by us, and made with the
 * member's current unsubscribe version (saving the settings or changing
 * address revokes older ones). Who and what, or null.
 */
export async function checkUnsubscribeToken(token: string): Promise<{ userId: number; kind: UnsubscribeKind } | null> {
  const read = readUnsubscribeToken(token);
  if (!read) return null;
  const user = await db.user.findUnique({ where: { id: read.userId }, select: { unsubscribeVersion: true } });
  return user && user.unsubscribeVersion === read.version ? { userId: read.userId, kind: read.kind } : null;
}

/** A one-click (or confirmed, or mailto) unsubscribe; false when the token was revoked meanwhile. */
export async function unsubscribeWithToken(request: UnsubscribeRequest): Promise<boolean> {
  const data = request.kind === "list" ? { emailMode: "none" } : { emailNotifications: false };
  // The version in the same statement: a link revoked a moment ago unsubscribes nobody.
  const { count } = await db.user.updateMany({ where: { id: request.userId, unsubscribeVersion: request.version }, data });
  return count > 0;
}

// --- The outbox (no SMTP_URL): every message as an .eml file ------------------

const OUTBOX_NAME = /^\d{14}-\d{7}\.eml$/;

function outboxDir() {
  return path.join(getEnv().dataDir, "outbox");
}

/** The newest messages written to DATA_DIR/outbox, with their To, Subject and date, for admins. */
export async function listOutbox(actor: Actor, limit = 100) {
  if (actor.role !== "admin") throw new NotFoundError("Not found.");
  const dir = outboxDir();
  if (!fs.existsSync(dir)) return [];
  const names = fs
    .readdirSync(dir)
    .filter((n) => OUTBOX_NAME.test(n))
    .sort()
    .reverse()
    .slice(0, limit);
  return names.map((name) => {
    const fd = fs.openSync(path.join(dir, name), "r");
    const buffer = Buffer.alloc(8192);
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    fs.closeSync(fd);
    // Folded lines and RFC 2047 encoded words (any charset) are libmime's job.
    const headers = libmime.decodeHeaders(
      buffer
        .subarray(0, read)
        .toString("utf8")
        .split(/\r?\n\r?\n/)[0],
    );
    const header = (h: string) => libmime.decodeWords(headers[h]?.[0] ?? "");
    return { name, to: header("to"), subject: header("subject"), date: header("date") };
  });
}

/** One outbox message as it was written (admins). */
export async function readOutboxMessage(actor: Actor, name: string): Promise<string> {
  if (actor.role !== "admin") throw new NotFoundError("Not found.");
  if (!OUTBOX_NAME.test(name)) throw new NotFoundError("No such message.");
  const file = path.join(outboxDir(), name);
  if (!fs.existsSync(file)) throw new NotFoundError("No such message.");
  return fs.readFileSync(file, "utf8");
}

/** Housekeeping: sent messages are kept 30 days (for the outbox page), the record of inbound mail 90. */
export async function pruneMail(now = Date.now()): Promise<void> {
  await db.mailJob.deleteMany({ where: { status: "sent", sentAt: { lt: new Date(now - 30 * 24 * 60 * 60_000) } } });
  await db.inboundMail.deleteMany({ where: { receivedAt: { lt: new Date(now - 90 * 24 * 60 * 60_000) } } });
}
