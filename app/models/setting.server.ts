// Installation settings that admins change at /admin/settings, and the
// one-time setup token that creates the first admin.
import { db } from "~/lib/db.server";
import { publish } from "~/lib/events.server";
import { ForbiddenError } from "~/lib/errors";
import { randomToken, sameDigest, sha256 } from "~/lib/tokens.server";
import type { Actor } from "./user.server";

export type CommunitySettings = {
  /** LM_NET required worksite on every post; some installations prefer it optional. */
  worksiteRequired: boolean;
};

const DEFAULTS: CommunitySettings = { worksiteRequired: true };

export async function getCommunitySettings(): Promise<CommunitySettings> {
  const rows = await db.setting.findMany({ where: { key: { in: ["worksiteRequired"] } } });
  const map = new Map(rows.map((r) => [r.key, r.value]));
  return {
    worksiteRequired: map.has("worksiteRequired") ? map.get("worksiteRequired") === "true" : DEFAULTS.worksiteRequired,
  };
}

export async function updateCommunitySettings(actor: Actor, settings: CommunitySettings): Promise<void> {
  if (actor.role !== "admin") throw new ForbiddenError("Only admins can change community settings.");
  await db.$transaction([
    db.setting.upsert({
      where: { key: "worksiteRequired" },
      create: { key: "worksiteRequired", value: String(settings.worksiteRequired) },
      update: { value: String(settings.worksiteRequired) },
    }),
    db.auditEvent.create({
      data: { actorId: actor.id, action: "settings.updated", detail: JSON.stringify(settings) },
    }),
  ]);
  publish({ type: "settings.changed" });
}

const SETUP_KEY = "setupTokenHash";

export async function adminExists(): Promise<boolean> {
  return (await db.user.count({ where: { role: "admin" } })) > 0;
}

/**
 * When no admin exists, issue a fresh one-time setup token (only its hash is
 * stored) and return it; otherwise return null.
 */
export async function issueSetupTokenIfNeeded(): Promise<string | null> {
  if (await adminExists()) {
    await db.setting.deleteMany({ where: { key: SETUP_KEY } });
    return null;
  }
  const token = randomToken();
  await db.setting.upsert({
    where: { key: SETUP_KEY },
    create: { key: SETUP_KEY, value: sha256(token) },
    update: { value: sha256(token) },
  });
  return token;
}

export async function isSetupTokenValid(token: string | null | undefined): Promise<boolean> {
  if (!token) return false;
  const row = await db.setting.findUnique({ where: { key: SETUP_KEY } });
  return !!row && sameDigest(row.value, sha256(token)) && !(await adminExists());
}

export { SETUP_KEY as SETUP_TOKEN_SETTING };
