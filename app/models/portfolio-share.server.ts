// Read-only links for a reviewer (issue 19): a member shares one program's
// portfolio — their identification, their progress and the entries that
// count in that program — with someone who needs no account, until the link
// expires (7, 30 or 90 days) or the member revokes it.
//
// The link is `/portfolio/shared/<token>`: 32 random bytes, shown to the
// member once; only its SHA-256 is stored (PortfolioShare.tokenHash), as with
// API tokens and password resets, so the table alone opens nothing.
// Authorization is here, not in the routes: only the owner creates, lists and
// revokes their links, and another member's link is "not found" (a guessed id
// tells nothing). What the link shows is chosen here too: entries that do not
// count in the program, and everything of the member's that is not the
// program's portfolio, never leave this module.
import { db } from "~/db/client.server";
import { activityTypeLabel, describeAmount } from "~/lib/program";
import type { Actor } from "~/lib/domain";
import { NotFoundError, ValidationError } from "~/lib/errors";
import { cleanText } from "~/lib/input";
import { SHARE_DAYS, SHARE_LABEL_MAX } from "~/lib/portfolio-share";
import { randomToken, sha256 } from "~/lib/tokens.server";
import { openStoredEvidence, type EvidenceDownload } from "./evidence.server";
import { programPortfolio, programProgressOf, todayUtc } from "./portfolio.server";
import { getProgramById } from "./program.server";
import { identificationSelect } from "./user.server";

/** Links in use (neither expired nor revoked) a member may have at once, all programs together. */
export const MAX_LIVE_SHARES = 20;
/** Links listed on a program's page, newest first. */
const LISTED = 50;
/** "Last opened" is written at most this often (a write on every view would empty every read cache each time). */
const TOUCH_INTERVAL_MS = 5 * 60_000;
/** randomToken(32): 43 characters of base64url. Anything else is not a link of ours, and costs no query. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const DAY_MS = 86_400_000;

export type ShareState = "active" | "expired" | "revoked";
export type ShareView = {
  id: number;
  label: string;
  createdAt: string;
  expiresAt: string;
  lastOpenedAt: string | null;
  revokedAt: string | null;
  state: ShareState;
};

const stateOf = (s: { expiresAt: Date; revokedAt: Date | null }, now: Date): ShareState =>
  s.revokedAt ? "revoked" : s.expiresAt.getTime() <= now.getTime() ? "expired" : "active";

async function programBySlug(slug: string): Promise<{ id: number }> {
  const program = await db.program.findUnique({ where: { slug }, select: { id: true } });
  if (!program) throw new NotFoundError("There is no such program.");
  return program;
}

/**
 * A new link to the actor's portfolio in the program `slug` (one they follow). Returns the token: the only time it
 * exists outside the reviewer's address bar.
 */
export async function createShare(
  actor: Actor,
  slug: string,
  input: { label: string; days: string },
  now = new Date(),
): Promise<{ token: string; share: ShareView }> {
  const label = cleanText(input.label).replace(/\s+/g, " ").trim();
  const fields: Record<string, string> = {};
  if (!label) fields.label = "Say whom the link is for, e.g. “PARA review committee” (only you see this).";
  else if (label.length > SHARE_LABEL_MAX) fields.label = `At most ${SHARE_LABEL_MAX} characters.`;
  if (!(SHARE_DAYS as readonly string[]).includes(input.days)) fields.days = "Choose 7, 30 or 90 days.";
  if (Object.keys(fields).length) throw new ValidationError(fields);

  const program = await programBySlug(slug);
  const follows = await db.programFollow.findUnique({ where: { userId_programId: { userId: actor.id, programId: program.id } }, select: { userId: true } });
  if (!follows) throw new ValidationError({}, "Follow this program first: a link shares your portfolio in a program you follow.");
  const live = await db.portfolioShare.count({ where: { ownerId: actor.id, revokedAt: null, expiresAt: { gt: now } } });
  if (live >= MAX_LIVE_SHARES) throw new ValidationError({ label: `You have ${MAX_LIVE_SHARES} links in use. Revoke one you no longer need first.` });

  const token = randomToken();
  const row = await db.portfolioShare.create({
    data: { ownerId: actor.id, programId: program.id, tokenHash: sha256(token), label, expiresAt: new Date(now.getTime() + Number(input.days) * DAY_MS) },
    select: shareSelect,
  });
  return { token, share: shareView(row, now) };
}

const shareSelect = { id: true, label: true, createdAt: true, expiresAt: true, lastOpenedAt: true, revokedAt: true } as const;

function shareView(
  row: { id: number; label: string; createdAt: Date; expiresAt: Date; lastOpenedAt: Date | null; revokedAt: Date | null },
  now: Date,
): ShareView {
  return {
    id: row.id,
    label: row.label,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    lastOpenedAt: row.lastOpenedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    state: stateOf(row, now),
  };
}

/** The actor's own links for the program `slug` (followed or no longer), newest first. */
export async function listShares(actor: Actor, slug: string, now = new Date()): Promise<ShareView[]> {
  const program = await programBySlug(slug);
  const rows = await db.portfolioShare.findMany({
    where: { ownerId: actor.id, programId: program.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: LISTED,
    select: shareSelect,
  });
  return rows.map((r) => shareView(r, now));
}

/** Stop one of the actor's links from opening. Anyone else's (or no such link) is not found; revoking twice is done once. */
export async function revokeShare(actor: Actor, id: number, now = new Date()): Promise<void> {
  const share = await db.portfolioShare.findFirst({ where: { id, ownerId: actor.id }, select: { id: true } });
  if (!share) throw new NotFoundError("There is no such link among yours.");
  await db.portfolioShare.updateMany({ where: { id: share.id, revokedAt: null }, data: { revokedAt: now } });
}

// --- What the reviewer sees ------------------------------------------------------------

export type SharedEntry = {
  /** Its anchor on the page (#entry-1…), in the order entries first appear: not the database id. */
  anchor: string;
  title: string;
  kind: string;
  provider: string;
  startedOn: string;
  endedOn: string;
  amount: string;
  /** The unit the amount is in: the areas' parts are hours, or shares for items. */
  unit: string;
  areas: { name: string; hours: number }[];
  reflection: string;
  verification: { state: "confirmed" | "pending" | "declined" | "none"; by: string; on: string | null };
  evidence: { kind: "link" | "file"; name: string; url: string | null }[];
};

export type SharedPortfolio = Awaited<ReturnType<typeof readShared>>;
export type OpenedShare = { state: "open"; portfolio: SharedPortfolio } | { state: "gone" };

/**
 * What a share link opens, for anyone holding it: "gone" once it expired or was revoked (the page then shows
 * nothing of the portfolio), not found when no link has this token. `viewerId` is whoever is logged in, if anyone:
 * the owner looking at their own link is not "opened" by a reviewer.
 */
export async function openShare(token: string, options: { viewerId?: number | null; now?: Date } = {}): Promise<OpenedShare> {
  const now = options.now ?? new Date();
  if (!TOKEN.test(token)) throw new NotFoundError("There is no such link.");
  const share = await db.portfolioShare.findUnique({
    where: { tokenHash: sha256(token) },
    select: { id: true, ownerId: true, programId: true, label: true, expiresAt: true, revokedAt: true, lastOpenedAt: true },
  });
  if (!share) throw new NotFoundError("There is no such link.");
  if (stateOf(share, now) !== "active") return { state: "gone" };
  if (options.viewerId !== share.ownerId && (!share.lastOpenedAt || now.getTime() - share.lastOpenedAt.getTime() >= TOUCH_INTERVAL_MS)) {
    await db.portfolioShare.updateMany({ where: { id: share.id }, data: { lastOpenedAt: now } });
  }
  return { state: "open", portfolio: await readShared(share, now, token) };
}

/**
 * An evidence file through a reviewer's link: only while the link is live,
 * and only a file of an entry that counts in the shared program (what the
 * shared page lists). Anything else is not found, whatever the ids.
 */
export async function openSharedEvidence(token: string, evidenceId: number, now = new Date()): Promise<EvidenceDownload> {
  const gone = new NotFoundError("There is no such file here.");
  if (!TOKEN.test(token)) throw gone;
  const share = await db.portfolioShare.findUnique({
    where: { tokenHash: sha256(token) },
    select: { ownerId: true, programId: true, expiresAt: true, revokedAt: true },
  });
  if (!share || stateOf(share, now) !== "active") throw gone;
  const progress = await programProgressOf(share.ownerId, (await getProgramById(share.programId)).definition, todayUtc(now));
  return openStoredEvidence({ id: evidenceId, ownerId: share.ownerId, entryIds: progress.categories.flatMap((c) => c.entryIds) });
}

/** The owner's identification, their progress in the program, and the entries that count there, in the program's section order. */
async function readShared(share: { ownerId: number; programId: number; expiresAt: Date }, now: Date, token: string) {
  const [owner, program] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: share.ownerId }, select: identificationSelect }),
    getProgramById(share.programId),
  ]);
  const d = program.definition;
  const { entries, progress, summary } = await programPortfolio(share.ownerId, d, todayUtc(now));
  const byCategory = new Map(progress.categories.map((c) => [c.key, c]));

  // The program's sections (or one for all its categories), and any category no section names, so nothing counted is left out.
  const sections = d.sections.length ? d.sections.map((s) => ({ ...s })) : [{ title: "Categories", categories: d.categories.map((c) => c.key) }];
  const placed = new Set(sections.flatMap((s) => s.categories));
  const unplaced = d.categories.filter((c) => !placed.has(c.key)).map((c) => c.key);
  if (unplaced.length) sections.push({ title: "Other categories", categories: unplaced });

  const countedIds = new Set(progress.categories.flatMap((c) => c.entryIds));
  const counted = entries.filter((e) => countedIds.has(e.id));
  const [evidence, verifications] = await Promise.all([
    counted.length
      ? db.evidence.findMany({
          where: { entryId: { in: counted.map((e) => e.id) }, ownerId: share.ownerId },
          orderBy: { id: "asc" },
          select: { id: true, entryId: true, kind: true, url: true, originalName: true },
        })
      : [],
    counted.length
      ? db.verification.findMany({
          where: { entryId: { in: counted.map((e) => e.id) }, status: { in: ["pending", "confirmed", "declined"] } },
          orderBy: { id: "desc" },
          select: { entryId: true, status: true, verifierName: true, verifierEmail: true, decidedAt: true, verifier: { select: { displayName: true } } },
        })
      : [],
  ]);

  // Anchors in the order a reader meets the entries: by section, then category, then the program page's order. An
  // entry serving several categories is written out where it first appears and pointed to after that.
  const anchors = new Map<number, string>();
  const shownSections = sections.map((s) => ({
    title: s.title,
    categories: s.categories
      .map((key) => byCategory.get(key))
      .filter((c) => c !== undefined)
      .map((c) => ({
        key: c.key,
        name: c.name,
        amount: c.amount,
        minimum: c.minimum,
        entries: c.entryIds.map((id) => {
          const first = !anchors.has(id);
          if (first) anchors.set(id, `entry-${anchors.size + 1}`);
          return { anchor: anchors.get(id)!, first };
        }),
      })),
  }));

  const shared: Record<string, SharedEntry> = {};
  for (const e of counted) {
    const v = verifications.find((x) => x.entryId === e.id);
    shared[anchors.get(e.id)!] = {
      anchor: anchors.get(e.id)!,
      title: e.title,
      kind: activityTypeLabel(e.type),
      provider: e.provider,
      startedOn: e.startedOn,
      endedOn: e.endedOn,
      amount: describeAmount(e.quantity, e.unit),
      unit: e.unit,
      areas: e.areas.map((a) => ({ name: a.name, hours: a.hours })),
      reflection: e.reflection,
      verification: v
        ? {
            state: v.status as "confirmed" | "pending" | "declined",
            // A verifier asked by email is named by the name the member gave, else by their address's domain: a third
            // party's address is not published on a page anyone with the link can read.
            by: v.verifier?.displayName || v.verifierName || (v.verifierEmail ? `someone at ${v.verifierEmail.split("@").pop()}` : ""),
            on: v.decidedAt?.toISOString().slice(0, 10) ?? null,
          }
        : { state: "none", by: "", on: null },
      evidence: evidence
        .filter((x) => x.entryId === e.id)
        .map((x) =>
          x.kind === "link"
            ? { kind: "link" as const, name: x.originalName || x.url, url: /^https?:\/\//i.test(x.url) ? x.url : null }
            : { kind: "file" as const, name: x.originalName || "A file", url: `/portfolio/shared/${token}/evidence/${x.id}` },
        ),
    };
  }

  return {
    owner,
    program: { name: program.name, body: d.body, url: d.url, checkWithProgram: d.checkWithProgram, windowYears: d.windowYears, levels: d.levels },
    progress,
    summary,
    sections: shownSections,
    entries: shared,
    expiresAt: share.expiresAt.toISOString(),
  };
}
