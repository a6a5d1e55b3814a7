// Personal API tokens: a member creates one (shown once), sees and revokes
// their own. The API accepts `Authorization: Bearer <token>`.
import { db } from "~/db/client.server";
import { isStaff, type Role } from "~/lib/domain";
import { NotFoundError, ValidationError } from "~/lib/errors";
import { randomToken, sha256 } from "~/lib/tokens.server";
import type { Actor } from "~/lib/domain";

const TOKEN_PREFIX = "pnt_";
const MAX_TOKENS = 10;
const TOUCH_INTERVAL_MS = 60 * 60_000;

export async function createApiToken(actor: Actor, name: string): Promise<{ token: string }> {
  const label = name.trim();
  if (!label) throw new ValidationError({ name: "Give the token a name, e.g. “my newsletter script”." });
  if (label.length > 60) throw new ValidationError({ name: "The name must be at most 60 characters." });
  if ((await db.apiToken.count({ where: { userId: actor.id } })) >= MAX_TOKENS) {
    throw new ValidationError({ name: `You can have at most ${MAX_TOKENS} tokens. Revoke one first.` });
  }
  const token = `${TOKEN_PREFIX}${randomToken()}`;
  await db.apiToken.create({ data: { id: sha256(token), userId: actor.id, name: label, prefix: token.slice(0, 10) } });
  return { token };
}

export function listApiTokens(actor: Actor) {
  return db.apiToken.findMany({
    where: { userId: actor.id },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true },
  });
}

/** Revoke one of the actor's own tokens (by its stored id). */
export async function revokeApiToken(actor: Actor, tokenId: string) {
  const deleted = await db.apiToken.deleteMany({ where: { id: tokenId, userId: actor.id } });
  if (deleted.count === 0) throw new NotFoundError("No such token.");
}

/** The member a bearer token belongs to, or null. */
export async function findApiTokenUser(token: string): Promise<{ id: number; handle: string; displayName: string; role: Role } | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.apiToken.findUnique({
    where: { id: sha256(token) },
    select: { id: true, lastUsedAt: true, user: { select: { id: true, handle: true, displayName: true, role: true } } },
  });
  if (!row) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.apiToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  const role = row.user.role as Role;
  return { ...row.user, role: isStaff(role) || role === "member" ? role : "member" };
}
