// Installation settings that admins change at /admin/settings, and the
// one-time setup token that creates the first admin.
import { db } from "~/db/client.server";
import { ForbiddenError, ValidationError } from "~/lib/errors";
import { randomToken, sha256 } from "~/lib/tokens.server";
import { DEFAULT_GUIDELINES } from "~/lib/guidelines";
import { renderMarkdown } from "~/lib/markdown.server";
import type { Actor } from "~/lib/domain";
import { recordEvent } from "./event-outbox.server";

export type CommunitySettings = {
  /** LM_NET required worksite on every post; some installations prefer it optional. */
  worksiteRequired: boolean;
  /** A new member's first posts wait for a moderator's approval (0: none do). */
  holdFirstPosts: number;
  /** Flags from established members that hide a post until a moderator looks (0: never automatically). */
  flagsToHide: number;
  /** Posts (threads, replies, resources) a member may make in 10 minutes; an address gets three times as many. */
  postLimit: number;
};

const DEFAULTS: CommunitySettings = { worksiteRequired: true, holdFirstPosts: 2, flagsToHide: 3, postLimit: 20 };
const COUNT_RANGES = { holdFirstPosts: [0, 50], flagsToHide: [0, 50], postLimit: [1, 1000] } as const;
const KEYS = Object.keys(DEFAULTS) as (keyof CommunitySettings)[];

export async function getCommunitySettings(): Promise<CommunitySettings> {
  const rows = await db.setting.findMany({ where: { key: { in: KEYS } } });
  const map = new Map(rows.map((r) => [r.key, r.value]));
  const count = (key: keyof typeof COUNT_RANGES) => {
    const n = Number(map.get(key));
    return map.has(key) && Number.isSafeInteger(n) && n >= COUNT_RANGES[key][0] ? n : DEFAULTS[key];
  };
  return {
    worksiteRequired: map.has("worksiteRequired") ? map.get("worksiteRequired") === "true" : DEFAULTS.worksiteRequired,
    holdFirstPosts: count("holdFirstPosts"),
    flagsToHide: count("flagsToHide"),
    postLimit: count("postLimit"),
  };
}

export async function updateCommunitySettings(actor: Actor, changes: Partial<CommunitySettings>): Promise<void> {
  if (actor.role !== "admin") throw new ForbiddenError("Only admins can change community settings.");
  const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  const settings: CommunitySettings = { ...(await getCommunitySettings()), ...given };
  for (const key of Object.keys(COUNT_RANGES) as (keyof typeof COUNT_RANGES)[]) {
    const [min, max] = COUNT_RANGES[key];
    if (!Number.isSafeInteger(settings[key]) || settings[key] < min || settings[key] > max) {
      throw new ValidationError({ [key]: `Enter a whole number from ${min} to ${max}.` });
    }
  }
  await db.$transaction([
    ...KEYS.map((key) => db.setting.upsert({ where: { key }, create: { key, value: String(settings[key]) }, update: { value: String(settings[key]) } })),
    db.auditEvent.create({
      data: { actorId: actor.id, action: "settings.updated", targetType: "setting", detail: JSON.stringify(settings) },
    }),
    recordEvent(db, { type: "settings.changed" }),
  ]);
}

const GUIDELINES_KEY = "guidelines";

/** The community guidelines: Markdown (the built-in text unless an admin rewrote it) and its safe HTML. */
export async function getGuidelines(): Promise<{ source: string; html: string; custom: boolean }> {
  const custom = (await db.setting.findUnique({ where: { key: GUIDELINES_KEY } }))?.value ?? null;
  const source = custom ?? DEFAULT_GUIDELINES;
  return { source, html: renderMarkdown(source).html, custom: custom !== null };
}

/** Admins rewrite the guidelines (empty: back to the built-in text). */
export async function updateGuidelines(actor: Actor, source: string, reason: string): Promise<void> {
  if (actor.role !== "admin") throw new ForbiddenError("Only admins can edit the community guidelines.");
  if (source.length > 20_000) throw new ValidationError({ source: "Keep the guidelines under 20,000 characters." });
  await db.$transaction([
    source.trim()
      ? db.setting.upsert({ where: { key: GUIDELINES_KEY }, create: { key: GUIDELINES_KEY, value: source }, update: { value: source } })
      : db.setting.deleteMany({ where: { key: GUIDELINES_KEY } }),
    db.auditEvent.create({ data: { actorId: actor.id, action: "guidelines.updated", targetType: "setting", reason } }),
    recordEvent(db, { type: "settings.changed" }),
  ]);
}

// One row per setup link issued, keyed by the link's hash: with several
// processes starting at once, every link any of them printed works (none
// overwrites another's) until the first admin exists.
const SETUP_KEY = "setupTokenHash";
const setupKey = (token: string) => `${SETUP_KEY}:${sha256(token)}`;
/** Every setup link's row (and the single row of earlier versions). */
export const ALL_SETUP_TOKENS = { key: { startsWith: SETUP_KEY } };

export async function adminExists(): Promise<boolean> {
  return (await db.user.count({ where: { role: "admin" } })) > 0;
}

/**
 * When no admin exists, issue a fresh one-time setup token (only its hash is
 * stored) and return it; otherwise return null.
 */
export async function issueSetupTokenIfNeeded(): Promise<string | null> {
  if (await adminExists()) {
    await db.setting.deleteMany({ where: ALL_SETUP_TOKENS });
    return null;
  }
  const token = randomToken();
  await db.setting.create({ data: { key: setupKey(token), value: new Date().toISOString() } });
  return token;
}

export async function isSetupTokenValid(token: string | null | undefined): Promise<boolean> {
  if (!token) return false;
  const row = await db.setting.findUnique({ where: { key: setupKey(token) } });
  return !!row && !(await adminExists());
}

/** The setting row of this setup link (createFirstAdmin consumes it). */
export const setupTokenRow = (token: string) => ({ key: setupKey(token) });
