// Members: joining, logging in, identification, roles.
// Each function reads in the same order: validate → load → authorize →
// write (one transaction) → return what the caller may see.
import type { Actor } from "~/lib/domain";
import { db, readQuery } from "~/db/client.server";
import { containsText, lockRole } from "~/db/dialect.server";
import { badgesOf, isStaff, type Identification, type Role } from "~/lib/domain";
import { Prisma } from "~/generated/prisma/client";
import { ConflictError, ForbiddenError, NotFoundError, SuspendedError, ValidationError } from "~/lib/errors";
import { oncePerRequest, requestClientIp } from "~/lib/request-scope.server";
import { suspensionMessage } from "~/lib/suspension";
import { burnVerifyTime, hashPassword, verifyPassword } from "~/lib/password.server";
import { WORKSITE_REQUIRED, type JoinInput, type ProfileInput } from "~/lib/validation";
import { recordEvent } from "./event-outbox.server";
import { clearHits, countAttempt, refundHit, type Window } from "./rate-limit.server";
import { ALL_SETUP_TOKENS, getCommunitySettings, isSetupTokenValid, setupTokenRow } from "./setting.server";
import { deleteOtherSessions } from "./session.server";

/** Who is acting: the minimum every authorization check needs. */

/** The identification card: what every post shows about its author. */
export const identificationSelect = {
  id: true,
  handle: true,
  displayName: true,
  role: true,
  memberKind: true,
  jobTitle: true,
  worksite: true,
  libraryType: true,
  region: true,
  yearsInLibraryWork: true,
  hasMlis: true,
  hasLssc: true,
  stateCertification: true,
  otherCredentials: true,
  badges: true,
} as const;

/**
 * The identification card's columns for a raw query that joins "User" as u
 * (the hot paths that skip the Prisma client), and the card from such a row.
 */
export const identificationColumns = Prisma.sql`u."handle", u."displayName", u."role", u."memberKind", u."jobTitle", u."worksite", u."libraryType", u."region",
      u."yearsInLibraryWork", u."hasMlis", u."hasLssc", u."stateCertification", u."otherCredentials", u."badges"`;

export function identificationFromRow(id: unknown, r: Record<string, unknown>): Identification & { id: number } {
  return {
    id: Number(id),
    handle: String(r.handle),
    displayName: String(r.displayName),
    role: String(r.role),
    memberKind: String(r.memberKind),
    jobTitle: String(r.jobTitle),
    worksite: String(r.worksite),
    libraryType: String(r.libraryType),
    region: String(r.region),
    yearsInLibraryWork: r.yearsInLibraryWork === null ? null : Number(r.yearsInLibraryWork),
    hasMlis: Boolean(r.hasMlis),
    hasLssc: Boolean(r.hasLssc),
    stateCertification: String(r.stateCertification),
    otherCredentials: String(r.otherCredentials),
    badges: badgesOf(typeof r.badges === "string" ? r.badges : ""),
  };
}

export const profileSelect = { ...identificationSelect, about: true, createdAt: true } as const;
export const accountSelect = { ...profileSelect, email: true } as const;

export type { Identification } from "~/lib/domain";

// Log-in throttling. Per account *and* address, so one address hammering an
// account is stopped without locking the member out from their own address;
// per address, against spraying many accounts; and a high ceiling per
// account, against a guessing attack spread over many addresses.
const FIFTEEN_MINUTES = 15 * 60_000;
export const LOGIN_LIMIT_PER_ACCOUNT_AND_IP: Window = { limit: 10, windowMs: FIFTEEN_MINUTES };
export const LOGIN_LIMIT_PER_IP: Window = { limit: 50, windowMs: FIFTEEN_MINUTES };
export const LOGIN_LIMIT_PER_ACCOUNT: Window = { limit: 100, windowMs: FIFTEEN_MINUTES };
export const JOIN_LIMIT_PER_IP: Window = { limit: 30, windowMs: 60 * 60_000 };
export const PASSWORD_CHANGE_LIMIT: Window = { limit: 10, windowMs: FIFTEEN_MINUTES };

export const waitMessage = (what: string) => (minutes: number) => `Too many ${what}. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`;

/** The suspension in force for a member, if any. */
export async function activeSuspension(userId: number): Promise<{ until: Date; reason: string } | null> {
  const { suspension } = await memberStanding(userId);
  return suspension ? { until: new Date(suspension.until), reason: suspension.reason } : null;
}

/** What the layout tells a member about their standing: a suspension, guidelines not yet acknowledged, mail stopped by bounces. */
export function memberStanding(
  userId: number,
): Promise<{ suspension: { until: string; reason: string } | null; guidelinesAccepted: boolean; mailStopped: boolean }> {
  // Every member page asks (the layout, and the thread page for its reply form): once per page view.
  return oncePerRequest(`standing:${userId}`, () => readStanding(userId));
}

async function readStanding(userId: number) {
  // One raw row, not a compiled Prisma call.
  const rows = await readQuery<{
    suspendedUntil: string | Date | null;
    suspensionReason: string;
    guidelinesAcceptedAt: string | Date | null;
    mailStoppedAt: string | Date | null;
  }>(Prisma.sql`SELECT "suspendedUntil", "suspensionReason", "guidelinesAcceptedAt", "mailStoppedAt" FROM "User" WHERE "id" = ${userId}`);
  const row = rows[0];
  if (!row) return { suspension: null, guidelinesAccepted: true, mailStopped: false };
  const until = row.suspendedUntil ? new Date(row.suspendedUntil) : null;
  return {
    suspension: until && until.getTime() > Date.now() ? { until: until.toISOString(), reason: row.suspensionReason } : null,
    guidelinesAccepted: row.guidelinesAcceptedAt !== null,
    mailStopped: row.mailStoppedAt !== null,
  };
}

export async function acknowledgeGuidelines(actor: Actor): Promise<void> {
  await db.user.updateMany({ where: { id: actor.id, guidelinesAcceptedAt: null }, data: { guidelinesAcceptedAt: new Date() } });
}

/**
 * Moderators and admins acting as such: a suspended one has no powers until
 * the suspension ends (or another admin lifts it).
 */
export async function requireActiveStaff(actor: Actor, message: string): Promise<void> {
  if (!isStaff(actor.role)) throw new ForbiddenError(message);
  await requireParticipant(actor);
}

/** Every write a member makes (posting, voting, flagging, the API) passes here first. */
export async function requireParticipant(actor: Actor): Promise<void> {
  const suspension = await activeSuspension(actor.id);
  if (suspension) throw new SuspendedError(suspensionMessage(suspension.until, suspension.reason));
}

/** Posting (threads, replies, resources): per member and per address, as the community settings say. */
export async function countPost(actor: Actor): Promise<void> {
  if (isStaff(actor.role)) return;
  const { postLimit } = await getCommunitySettings();
  const window = 10 * 60_000;
  const keys: [string, Window][] = [[`post:user:${actor.id}`, { limit: postLimit, windowMs: window }]];
  // Replies by email come from no client address of their own (the receiver, a
  // provider's webhook): only the member's own limit applies to them.
  const ip = requestClientIp();
  if (ip !== "unknown") keys.push([`post:ip:${ip}`, { limit: postLimit * 3, windowMs: window }]);
  await countAttempt(keys, waitMessage("posts in a short time"));
}

async function checkWorksite(worksite: string) {
  if (!worksite && (await getCommunitySettings()).worksiteRequired) {
    throw new ValidationError({ worksite: WORKSITE_REQUIRED });
  }
}

async function checkUnique(email: string, handle: string) {
  const taken = await db.user.findMany({
    where: { OR: [{ email }, { handle }] },
    select: { email: true, handle: true },
  });
  const fields: Record<string, string> = {};
  if (taken.some((u) => u.email === email)) fields.email = "An account with this email already exists. Try logging in.";
  if (taken.some((u) => u.handle === handle)) fields.handle = "That handle is taken. Try another.";
  // The fields say what is taken; the form's banner only points at them (one message per problem).
  if (Object.keys(fields).length) throw new ConflictError("Please correct the highlighted fields.", fields);
}

/** The identification columns, taken from validated input (never extra keys). */
function identificationData(input: JoinInput | ProfileInput) {
  return {
    displayName: input.displayName,
    memberKind: input.memberKind,
    jobTitle: input.jobTitle,
    worksite: input.worksite,
    libraryType: input.libraryType,
    region: input.region,
    yearsInLibraryWork: input.yearsInLibraryWork,
    hasMlis: input.hasMlis,
    hasLssc: input.hasLssc,
    stateCertification: input.stateCertification,
    otherCredentials: input.otherCredentials,
  };
}

/**
 * Two sign-ups racing for the same email or handle both pass checkUnique; the
 * unique index stops the second. Report that on the field, like the first check.
 */
async function reportDuplicate(e: unknown, input: { email: string; handle: string }): Promise<never> {
  if ((e as { code?: string }).code === "P2002") await checkUnique(input.email, input.handle);
  throw e;
}

function userData(input: JoinInput, passwordHash: string, role: Role) {
  // Joining (and setting up) means acknowledging the community guidelines.
  return { email: input.email, handle: input.handle, passwordHash, role, guidelinesAcceptedAt: new Date(), ...identificationData(input) };
}

export async function createMember(input: JoinInput, clientIp: string) {
  await checkWorksite(input.worksite);
  await countAttempt([[`join:ip:${clientIp}`, JOIN_LIMIT_PER_IP]], waitMessage("new accounts from your network"));
  await checkUnique(input.email, input.handle);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const member = await tx.user.create({ data: userData(input, passwordHash, "member"), select: identificationSelect });
      await recordEvent(tx, { type: "member.updated", userId: member.id });
      return member;
    });
  } catch (e) {
    return reportDuplicate(e, input);
  }
}

/** Create the first admin with the one-time setup token; the token then dies. */
export async function createFirstAdmin(token: string, input: JoinInput) {
  if (!(await isSetupTokenValid(token))) {
    throw new ForbiddenError("This setup link has already been used or has expired. Restart the server for a new one.");
  }
  await checkUnique(input.email, input.handle);
  const passwordHash = await hashPassword(input.password);
  return db
    .$transaction(async (tx) => {
      // Consume this link, then every other one, inside the transaction: only
      // one request can win, even with two links used at once (the second
      // waits on the rows the first deletes, then finds its own gone).
      const consumed = await tx.setting.deleteMany({ where: setupTokenRow(token) });
      await tx.setting.deleteMany({ where: ALL_SETUP_TOKENS });
      if (consumed.count !== 1 || (await tx.user.count({ where: { role: "admin" } })) > 0) {
        throw new ForbiddenError("This setup link has already been used.");
      }
      const admin = await tx.user.create({ data: userData(input, passwordHash, "admin"), select: identificationSelect });
      await tx.auditEvent.create({ data: { actorId: admin.id, subjectId: admin.id, action: "setup.first_admin" } });
      return admin;
    })
    .catch((e) => reportDuplicate(e, input));
}

/**
 * Check an email and password. Returns the member, or null for any mismatch
 * (one generic answer); throws TooManyRequestsError when throttled.
 */
export async function authenticate(email: string, password: string, clientIp: string) {
  const account = email.toLowerCase();
  const keys: [string, Window][] = [
    [`login:account-ip:${account}:${clientIp}`, LOGIN_LIMIT_PER_ACCOUNT_AND_IP],
    [`login:ip:${clientIp}`, LOGIN_LIMIT_PER_IP],
    [`login:account:${account}`, LOGIN_LIMIT_PER_ACCOUNT],
  ];
  await countAttempt(keys, waitMessage("log-in attempts"));
  const user = await db.user.findUnique({ where: { email: account }, select: { id: true, passwordHash: true } });
  const ok = user ? await verifyPassword(user.passwordHash, password) : (await burnVerifyTime(password), false);
  if (!ok || !user) return null;
  // A correct password was not an attack: give the attempt back.
  await Promise.all([clearHits(keys[0][0]), refundHit(keys[1][0]), refundHit(keys[2][0])]);
  return db.user.findUniqueOrThrow({ where: { id: user.id }, select: identificationSelect });
}

/** Change one's own password: other sessions end, and the API tokens too when `revokeApiTokens` is set. */
export async function changePassword(
  actor: Actor,
  input: { currentPassword: string; newPassword: string; revokeApiTokens?: boolean },
  keepSessionToken: string,
): Promise<{ revokedApiTokens: number }> {
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { passwordHash: true } });
  if (!user) throw new NotFoundError("Account not found.");
  // Throttled, so a borrowed session cannot guess the current password.
  const key = `password-change:user:${actor.id}`;
  await countAttempt([[key, PASSWORD_CHANGE_LIMIT]], waitMessage("password attempts"));
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new ValidationError({ currentPassword: "That is not your current password." });
  }
  await clearHits(key);
  const passwordHash = await hashPassword(input.newPassword);
  const revokedApiTokens = await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.id }, data: { passwordHash, passwordChangedAt: new Date() } });
    // A reset link mailed earlier must not outlive the password it was for.
    await tx.passwordReset.deleteMany({ where: { userId: actor.id } });
    // Someone who learned the old password may have made a token with it.
    return input.revokeApiTokens ? (await tx.apiToken.deleteMany({ where: { userId: actor.id } })).count : 0;
  });
  // A changed password logs out every other browser.
  await deleteOtherSessions(actor.id, keepSessionToken);
  return { revokedApiTokens };
}

export async function updateIdentification(actor: Actor, userId: number, input: ProfileInput) {
  if (actor.id !== userId && actor.role !== "admin") throw new ForbiddenError("You can only edit your own profile.");
  // What shows beside every post is content too: a suspended member cannot rewrite it.
  await requireParticipant(actor);
  await checkWorksite(input.worksite);
  const [updated] = await db.$transaction([
    db.user.update({
      where: { id: userId },
      data: { ...identificationData(input), about: input.about },
      select: profileSelect,
    }),
    recordEvent(db, { type: "member.updated", userId }),
  ]);
  return updated;
}

export function getProfileByHandle(handle: string) {
  return db.user.findUnique({ where: { handle: handle.toLowerCase() }, select: profileSelect });
}

export function getAccount(userId: number) {
  return db.user.findUnique({ where: { id: userId }, select: accountSelect });
}

export function listNewestMembers(take = 6) {
  return db.user.findMany({ orderBy: { createdAt: "desc" }, take, select: identificationSelect });
}

export function countMembers() {
  return db.user.count();
}

const MEMBERS_PAGE_SIZE = 50;

export async function listMembersForAdmin(actor: Actor, opts: { query?: string; role?: string; page?: number }) {
  if (actor.role !== "admin") throw new ForbiddenError("Only admins can manage members.");
  const q = opts.query?.trim().toLowerCase();
  const where = {
    ...(q ? { OR: [{ handle: { contains: q } }, { email: { contains: q } }, { displayName: containsText(q) }] } : {}),
    ...(opts.role && ["member", "moderator", "admin"].includes(opts.role) ? { role: opts.role } : {}),
  };
  const page = Math.max(1, opts.page ?? 1);
  const [members, total] = await db.$transaction([
    db.user.findMany({
      where,
      orderBy: [{ role: "asc" }, { createdAt: "desc" }],
      skip: (page - 1) * MEMBERS_PAGE_SIZE,
      take: MEMBERS_PAGE_SIZE,
      select: { ...identificationSelect, email: true, createdAt: true },
    }),
    db.user.count({ where }),
  ]);
  return { members, total, page, pageCount: Math.max(1, Math.ceil(total / MEMBERS_PAGE_SIZE)) };
}

export async function setMemberRole(actor: Actor, userId: number, role: Role) {
  if (actor.role !== "admin") throw new ForbiddenError("Only admins can change roles.");
  return db.$transaction(async (tx) => {
    const target = await tx.user.findUnique({ where: { id: userId }, select: { id: true, role: true, handle: true } });
    if (!target) throw new NotFoundError("No such member.");
    if (target.role === role) return target;
    // Two admins demoting each other at once must not leave none (PostgreSQL; SQLite is serial).
    if (target.role === "admin") await lockRole(tx, "admin");
    if (target.role === "admin" && role !== "admin" && (await tx.user.count({ where: { role: "admin" } })) <= 1) {
      throw new ConflictError("This is the only admin. Make someone else an admin first.");
    }
    const updated = await tx.user.update({ where: { id: userId }, data: { role }, select: { id: true, role: true, handle: true } });
    await tx.auditEvent.create({
      data: { actorId: actor.id, subjectId: userId, action: "member.role_changed", detail: `${target.role} → ${role}` },
    });
    await recordEvent(tx, { type: "member.updated", userId });
    // A moderator's live connection must stop receiving private replies at once.
    await recordEvent(tx, { type: "member.access_changed", userId });
    return updated;
  });
}

export async function listRoleChanges(actor: Actor, take = 20) {
  if (actor.role !== "admin") throw new ForbiddenError("Only admins can see the audit log.");
  return db.auditEvent.findMany({
    where: { action: "member.role_changed" },
    orderBy: { id: "desc" },
    take,
    select: {
      id: true,
      detail: true,
      createdAt: true,
      actor: { select: { handle: true, displayName: true } },
      subject: { select: { handle: true, displayName: true } },
    },
  });
}
