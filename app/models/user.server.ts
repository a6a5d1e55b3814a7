// Members: joining, logging in, identification, roles.
// Each function reads in the same order: validate → load → authorize →
// write (one transaction) → return what the caller may see.
import { db } from "~/lib/db.server";
import type { Role } from "~/lib/domain";
import { ConflictError, ForbiddenError, NotFoundError, TooManyRequestsError, ValidationError } from "~/lib/errors";
import { burnVerifyTime, hashPassword, verifyPassword } from "~/lib/password.server";
import { sha256 } from "~/lib/tokens.server";
import type { JoinInput, ProfileInput } from "~/lib/validation";
import { clearHits, recordHit, secondsUntilAllowed, type Window } from "./rate-limit.server";
import { SETUP_TOKEN_SETTING, getCommunitySettings, isSetupTokenValid } from "./setting.server";
import { deleteOtherSessions } from "./session.server";

/** Who is acting: the minimum every authorization check needs. */
export type Actor = { id: number; role: Role };

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
} as const;

export const profileSelect = { ...identificationSelect, about: true, createdAt: true } as const;
export const accountSelect = { ...profileSelect, email: true } as const;

export type Identification = {
  id: number;
  handle: string;
  displayName: string;
  role: string;
  memberKind: string;
  jobTitle: string;
  worksite: string;
  libraryType: string;
  region: string;
  yearsInLibraryWork: number | null;
  hasMlis: boolean;
  hasLssc: boolean;
  stateCertification: string;
  otherCredentials: string;
};

// Log-in throttling: per account (the email typed) and per client address.
export const LOGIN_LIMIT_PER_ACCOUNT: Window = { limit: 10, windowMs: 15 * 60_000 };
export const LOGIN_LIMIT_PER_IP: Window = { limit: 50, windowMs: 15 * 60_000 };

async function checkWorksite(worksite: string) {
  if (!worksite && (await getCommunitySettings()).worksiteRequired) {
    throw new ValidationError({ worksite: "Worksite is required: the library or school where you work." });
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
  if (Object.keys(fields).length) throw new ConflictError("That email or handle is already in use.", fields);
}

function userData(input: JoinInput, passwordHash: string, role: Role) {
  return {
    email: input.email,
    handle: input.handle,
    passwordHash,
    role,
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

export async function createMember(input: JoinInput) {
  await checkWorksite(input.worksite);
  await checkUnique(input.email, input.handle);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.user.create({ data: userData(input, passwordHash, "member"), select: identificationSelect });
  } catch (e) {
    // Two joins racing for the same email or handle: the unique index decides.
    if ((e as { code?: string }).code === "P2002") await checkUnique(input.email, input.handle);
    throw e;
  }
}

/** Create the first admin with the one-time setup token; the token then dies. */
export async function createFirstAdmin(token: string, input: JoinInput) {
  if (!(await isSetupTokenValid(token))) {
    throw new ForbiddenError("This setup link has already been used or has expired. Restart the server for a new one.");
  }
  await checkUnique(input.email, input.handle);
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    // Consume the token inside the transaction: only one request can win.
    const consumed = await tx.setting.deleteMany({ where: { key: SETUP_TOKEN_SETTING, value: sha256(token) } });
    if (consumed.count !== 1 || (await tx.user.count({ where: { role: "admin" } })) > 0) {
      throw new ForbiddenError("This setup link has already been used.");
    }
    const admin = await tx.user.create({ data: userData(input, passwordHash, "admin"), select: identificationSelect });
    await tx.auditEvent.create({ data: { actorId: admin.id, subjectId: admin.id, action: "setup.first_admin" } });
    return admin;
  });
}

/**
 * Check an email and password. Returns the member, or null for any mismatch
 * (one generic answer); throws TooManyRequestsError when throttled.
 */
export async function authenticate(email: string, password: string, clientIp: string) {
  const accountKey = `login:account:${email.toLowerCase()}`;
  const ipKey = `login:ip:${clientIp}`;
  const wait = Math.max(
    await secondsUntilAllowed(accountKey, LOGIN_LIMIT_PER_ACCOUNT),
    await secondsUntilAllowed(ipKey, LOGIN_LIMIT_PER_IP),
  );
  if (wait > 0) {
    throw new TooManyRequestsError(
      `Too many log-in attempts. Please wait ${Math.ceil(wait / 60)} minute(s) and try again, or reset your password with an admin's help.`,
      wait,
    );
  }
  const user = await db.user.findUnique({
    where: { email: email.toLowerCase() },
    select: { id: true, passwordHash: true },
  });
  const ok = user ? await verifyPassword(user.passwordHash, password) : (await burnVerifyTime(password), false);
  if (!ok || !user) {
    await recordHit(accountKey, LOGIN_LIMIT_PER_ACCOUNT);
    await recordHit(ipKey, LOGIN_LIMIT_PER_IP);
    return null;
  }
  await clearHits(accountKey);
  return db.user.findUniqueOrThrow({ where: { id: user.id }, select: identificationSelect });
}

export async function changePassword(
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  keepSessionToken: string,
) {
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { passwordHash: true } });
  if (!user) throw new NotFoundError("Account not found.");
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new ValidationError({ currentPassword: "That is not your current password." });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.user.update({ where: { id: actor.id }, data: { passwordHash, passwordChangedAt: new Date() } });
  // A changed password logs out every other browser.
  await deleteOtherSessions(actor.id, keepSessionToken);
}

export async function updateIdentification(actor: Actor, userId: number, input: ProfileInput) {
  if (actor.id !== userId && actor.role !== "admin") throw new ForbiddenError("You can only edit your own profile.");
  await checkWorksite(input.worksite);
  return db.user.update({
    where: { id: userId },
    data: {
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
      about: input.about,
    },
    select: profileSelect,
  });
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
    ...(q ? { OR: [{ handle: { contains: q } }, { email: { contains: q } }, { displayName: { contains: q } }] } : {}),
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
    if (target.role === "admin" && role !== "admin" && (await tx.user.count({ where: { role: "admin" } })) <= 1) {
      throw new ConflictError("This is the only admin. Make someone else an admin first.");
    }
    const updated = await tx.user.update({ where: { id: userId }, data: { role }, select: { id: true, role: true, handle: true } });
    await tx.auditEvent.create({
      data: { actorId: actor.id, subjectId: userId, action: "member.role_changed", detail: `${target.role} → ${role}` },
    });
    return updated;
  });
}

export function listRoleChanges(actor: Actor, take = 20) {
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
