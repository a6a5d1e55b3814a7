// Verification of portfolio entries (issue 19): a member asks a supervisor or
// mentor to confirm what an entry says, by ParaNet account or by email, and
// the verifier confirms or declines with a note.
//
// - One request per entry is open at a time: asking again marks the pending
//   one "replaced" (its link stops working). A confirmed entry needs no new
//   request until it is edited; editing clears whatever was asked or given
//   (updateEntry in portfolio.server.ts), and the link then answers 410.
// - By email: a link /verify/<token> that needs no account, valid 30 days.
//   The token is random and only its SHA-256 is stored. The request is
//   recorded with an outbox event in one transaction; the mailer (an outbox
//   subscriber) then makes the token and queues the mail in one transaction
//   of its own (mailVerificationRequest), keyed by the request, so a crash
//   anywhere never loses the mail nor sends two links.
// - By account: the member is notified (the notifier, from the same event)
//   and decides at /me/verifications/<id>; nobody else may open it (404).
// - Either way the owner is notified of the decision (event
//   portfolio.verification_decided), by mail too if their settings say so.
// - Asking is rate-limited per member and per recipient, so the form cannot
//   be used to send mail to strangers in bulk; a suspended member may not ask.
import { db } from "~/db/client.server";
import type { Actor } from "~/lib/domain";
import { ConflictError, NotFoundError, ValidationError } from "~/lib/errors";
import { escapeHtml } from "~/lib/html";
import { activityTypeLabel, describeAmount, format } from "~/lib/program";
import { randomToken, sha256 } from "~/lib/tokens.server";
import type { VerificationDecisionInput, VerificationRequestInput } from "~/lib/verification-input.server";
import { recordEvent } from "./event-outbox.server";
import { automatedHeaders, queueMail, siteUrl } from "./mail.server";
import { entryWordsSelect, getEntry } from "./portfolio.server";
import { countAttempt, type Window } from "./rate-limit.server";
import { requireParticipant, waitMessage } from "./user.server";

const DAY_MS = 24 * 60 * 60_000;
/** How long a request (and its link) stays open. */
export const VERIFICATION_TTL_DAYS = 30;

/** Per member: a few requests an hour and a day's worth; per recipient (across members): a supervisor asked by a whole team. */
const ASK_LIMITS = {
  hour: { limit: 10, windowMs: 60 * 60_000 },
  day: { limit: 30, windowMs: DAY_MS },
  recipient: { limit: 20, windowMs: DAY_MS },
} satisfies Record<string, Window>;

const day = (d: Date) => d.toISOString().slice(0, 10);
/** A link's token: 32 random bytes, base64url (randomToken). Anything else is not worth a database look. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

// --- What the owner sees ------------------------------------------------------------

export type VerificationState =
  | { status: "none" }
  | { status: "pending"; by: string; viaEmail: boolean; since: string; expiresOn: string; expired: boolean }
  | { status: "confirmed" | "declined"; by: string; on: string; note: string }
  /** The entry was edited after asking (`decided`: after the verifier had answered). */
  | { status: "cleared"; by: string; decided: boolean };

const verifierSelect = {
  id: true,
  status: true,
  verifierId: true,
  verifierEmail: true,
  verifierName: true,
  expiresAt: true,
  note: true,
  decidedAt: true,
  createdAt: true,
  verifier: { select: { displayName: true, handle: true } },
} as const;

/** Who was asked, as the owner reads it: a member by name and handle, an address with the name they gave. */
function verifierLabel(v: { verifierEmail: string; verifierName: string; verifier: { displayName: string; handle: string } | null }): string {
  if (v.verifier) return `${v.verifier.displayName} (@${v.verifier.handle})`;
  return v.verifierName ? `${v.verifierName} (${v.verifierEmail})` : v.verifierEmail;
}

/** The entry's verification, for its owner (anyone else: not found). The newest request decides it. */
export async function verificationFor(actor: Actor, entryId: number, now = new Date()): Promise<VerificationState> {
  await getEntry(actor, entryId);
  const v = await db.verification.findFirst({ where: { entryId }, orderBy: { id: "desc" }, select: verifierSelect });
  if (!v || v.status === "replaced") return { status: "none" };
  const by = verifierLabel(v);
  if (v.status === "pending") {
    return { status: "pending", by, viaEmail: !v.verifierId, since: day(v.createdAt), expiresOn: day(v.expiresAt), expired: v.expiresAt <= now };
  }
  if (v.status === "confirmed" || v.status === "declined") return { status: v.status, by, on: day(v.decidedAt ?? v.createdAt), note: v.note };
  return { status: "cleared", by, decided: v.decidedAt !== null };
}

// --- Asking ---------------------------------------------------------------------------

/**
 * Ask someone to verify one of the actor's entries. Replaces a pending
 * request; refused while the entry stands confirmed. Returns the new state.
 */
export async function askVerification(actor: Actor, entryId: number, input: VerificationRequestInput, now = new Date()): Promise<VerificationState> {
  await requireParticipant(actor);
  const current = await verificationFor(actor, entryId, now);
  if (current.status === "confirmed") {
    throw new ConflictError(`${current.by} already verified this entry. Editing the entry clears the verification; then you can ask again.`);
  }
  let verifier: { verifierId: number | null; verifierEmail: string; verifierName: string; recipient: string };
  if ("handle" in input.verifier) {
    const member = await db.user.findUnique({ where: { handle: input.verifier.handle }, select: { id: true } });
    if (!member) throw new ValidationError({ verifierHandle: `No ParaNet member has the handle @${input.verifier.handle}.` });
    if (member.id === actor.id) throw new ValidationError({ verifierHandle: "You cannot verify your own entry: ask a supervisor or a mentor." });
    verifier = { verifierId: member.id, verifierEmail: "", verifierName: "", recipient: `member:${member.id}` };
  } else {
    const own = await db.user.findUnique({ where: { id: actor.id }, select: { email: true } });
    if (own?.email === input.verifier.email) {
      throw new ValidationError({ verifierEmail: "This is your own address: ask a supervisor or a mentor to verify your entry." });
    }
    verifier = { verifierId: null, verifierEmail: input.verifier.email, verifierName: input.verifier.name, recipient: input.verifier.email };
  }
  await countAttempt(
    [
      [`verification-ask:hour:${actor.id}`, ASK_LIMITS.hour],
      [`verification-ask:day:${actor.id}`, ASK_LIMITS.day],
      [`verification-ask:to:${verifier.recipient}`, ASK_LIMITS.recipient],
    ],
    waitMessage("verification requests"),
  );
  const { recipient: _recipient, ...who } = verifier;
  await db.$transaction(async (tx) => {
    await tx.verification.updateMany({ where: { entryId, status: "pending" }, data: { status: "replaced" } });
    const created = await tx.verification.create({
      // The token is made when the mail is (mailVerificationRequest); until then the hash names no token anyone holds.
      data: { entryId, ...who, message: input.message, tokenHash: sha256(randomToken()), expiresAt: new Date(now.getTime() + VERIFICATION_TTL_DAYS * DAY_MS) },
      select: { id: true },
    });
    await recordEvent(tx, { type: "portfolio.verification_requested", verificationId: created.id });
  });
  return verificationFor(actor, entryId, now);
}

// --- The request as the verifier sees it ------------------------------------------------

const requestSelect = {
  ...verifierSelect,
  tokenHash: true,
  message: true,
  // What the entry says, as the owner's portfolio reads it, and who asks.
  entry: { select: { ...entryWordsSelect, owner: { select: { id: true, displayName: true, jobTitle: true, worksite: true } } } },
} as const;
type RequestRow = NonNullable<Awaited<ReturnType<typeof loadRequest>>>;
function loadRequest(where: { id: number } | { tokenHash: string }) {
  return db.verification.findUnique({ where, select: requestSelect });
}

/** An open request: who asks, the entry in its own words (no evidence), their message. */
export type VerificationRequestView = {
  id: number;
  viaEmail: boolean;
  asker: { displayName: string; jobTitle: string; worksite: string };
  /** The entry's title, and what it says as label and text pairs (the page and the mail show the same). */
  entry: { title: string; lines: [string, string][] };
  message: string;
  /** The name to prefill (a member's is their account's). */
  verifierName: string;
  expiresOn: string;
};

export type VerificationPage =
  | { state: "open"; request: VerificationRequestView }
  | { state: "decided"; title: string; decision: "confirmed" | "declined"; by: string; on: string; note: string }
  /** No longer usable; why, and never what the entry says. */
  | { state: "gone"; reason: "expired" | "replaced" | "cleared"; on: string };

/** The entry as the page and the mail show it: the member's own words, line by line (no evidence). */
function entryLines(e: RequestRow["entry"]): [string, string][] {
  const areas = [...e.areas]
    .sort((a, b) => a.tag.position - b.tag.position)
    .map((a) => (e.unit === "items" ? a.tag.name : `${a.tag.name} (${format(a.hours)} hours)`));
  const lines: [string, string][] = [["Activity", `${activityTypeLabel(e.type)}: ${e.title}`]];
  if (e.provider) lines.push(["Provider", e.provider]);
  lines.push(["Dates", e.startedOn === e.endedOn ? e.startedOn : `${e.startedOn} to ${e.endedOn}`], ["Amount", describeAmount(e.quantity, e.unit)]);
  if (areas.length) lines.push(["Competency areas", areas.join(", ")]);
  if (e.reflection) lines.push(["What they wrote about it", e.reflection]);
  return lines;
}

function requestView(v: RequestRow): VerificationRequestView {
  const e = v.entry;
  return {
    id: v.id,
    viaEmail: !v.verifierId,
    asker: { displayName: e.owner.displayName, jobTitle: e.owner.jobTitle, worksite: e.owner.worksite },
    entry: { title: e.title, lines: entryLines(e) },
    message: v.message,
    verifierName: v.verifier?.displayName ?? v.verifierName,
    expiresOn: day(v.expiresAt),
  };
}

function pageOf(v: RequestRow, now: Date): VerificationPage {
  if (v.status === "confirmed" || v.status === "declined") {
    return {
      state: "decided",
      title: v.entry.title,
      decision: v.status,
      by: v.verifier?.displayName ?? v.verifierName,
      on: day(v.decidedAt ?? now),
      note: v.note,
    };
  }
  if (v.status === "replaced" || v.status === "cleared") return { state: "gone", reason: v.status, on: day(v.expiresAt) };
  if (v.expiresAt <= now) return { state: "gone", reason: "expired", on: day(v.expiresAt) };
  return { state: "open", request: requestView(v) };
}

const UNKNOWN_LINK = "This verification link is not known. Check that the whole link was copied from the mail.";

/**
 * The request a link names. An account's request opens only for that member,
 * logged in: for anyone else (and for a token nobody was given) it is not found.
 */
async function rowByToken(token: string, actor: Actor | null): Promise<RequestRow> {
  const v = TOKEN_SHAPE.test(token) ? await loadRequest({ tokenHash: sha256(token) }) : null;
  if (!v || (v.verifierId !== null && v.verifierId !== actor?.id)) throw new NotFoundError(UNKNOWN_LINK);
  return v;
}

/** A request addressed to the actor's account; anyone else's is not found. */
async function rowForMember(actor: Actor, id: number): Promise<RequestRow> {
  const v = await loadRequest({ id });
  if (!v || v.verifierId !== actor.id) throw new NotFoundError("There is no such request to verify an entry.");
  return v;
}

export async function verificationPageByToken(token: string, actor: Actor | null, now = new Date()): Promise<VerificationPage> {
  return pageOf(await rowByToken(token, actor), now);
}

export async function verificationPageForMember(actor: Actor, id: number, now = new Date()): Promise<VerificationPage> {
  return pageOf(await rowForMember(actor, id), now);
}

/** Requests addressed to the actor's account (open ones first), for /me/verifications. */
export async function requestsForMember(actor: Actor, now = new Date()) {
  const rows = await db.verification.findMany({
    where: { verifierId: actor.id, status: { in: ["pending", "confirmed", "declined"] } },
    orderBy: { id: "desc" },
    take: 100,
    select: {
      id: true,
      status: true,
      createdAt: true,
      decidedAt: true,
      expiresAt: true,
      entry: { select: { title: true, owner: { select: { displayName: true } } } },
    },
  });
  const list = rows.map((r) => ({
    id: r.id,
    title: r.entry.title,
    asker: r.entry.owner.displayName,
    since: day(r.createdAt),
    status: r.status === "pending" && r.expiresAt <= now ? ("expired" as const) : (r.status as "pending" | "confirmed" | "declined"),
    decidedOn: r.decidedAt ? day(r.decidedAt) : null,
  }));
  return { open: list.filter((r) => r.status === "pending"), answered: list.filter((r) => r.status === "confirmed" || r.status === "declined") };
}

// --- Deciding -------------------------------------------------------------------------------

/**
 * Confirm or decline an open request: once (a conditional update, so two
 * clicks or two verifiers cannot both decide), with the owner told through
 * the outbox. A request no longer open returns its page unchanged.
 */
async function decide(v: RequestRow, input: VerificationDecisionInput, now: Date): Promise<VerificationPage> {
  const page = pageOf(v, now);
  if (page.state !== "open") return page;
  await db.$transaction(async (tx) => {
    const { count } = await tx.verification.updateMany({
      where: { id: v.id, status: "pending", expiresAt: { gt: now } },
      data: { status: input.decision, note: input.note, decidedAt: now, ...(v.verifierId === null ? { verifierName: input.name } : {}) },
    });
    if (count) await recordEvent(tx, { type: "portfolio.verification_decided", verificationId: v.id, decision: input.decision });
  });
  // Decided now, or (count 0) by someone a moment before, or the entry was edited meanwhile: the page shows what stands.
  return pageOf((await loadRequest({ id: v.id }))!, now);
}

export async function decideByToken(token: string, actor: Actor | null, input: VerificationDecisionInput, now = new Date()): Promise<VerificationPage> {
  return decide(await rowByToken(token, actor), input, now);
}

export async function decideAsMember(actor: Actor, id: number, input: VerificationDecisionInput, now = new Date()): Promise<VerificationPage> {
  return decide(await rowForMember(actor, id), input, now);
}

// --- The mail to an address --------------------------------------------------------------------

/**
 * Mail a request's link to the address it names (the mailer calls this for
 * each portfolio.verification_requested event). The token is made here and
 * its hash stored in the same transaction as the queued mail, whose key names
 * the request: delivered again, the event finds the mail queued and changes
 * nothing, so the link in it keeps working. A request replaced, cleared or
 * expired before the mailer got to it is not mailed. Returns whether a mail was queued.
 */
export async function mailVerificationRequest(verificationId: number, now = new Date()): Promise<boolean> {
  const v = await loadRequest({ id: verificationId });
  if (!v || v.verifierId !== null || !v.verifierEmail || v.status !== "pending" || v.expiresAt <= now) return false;
  const token = randomToken();
  const link = `${siteUrl()}/verify/${token}`;
  const message = requestMail(requestView(v), v.verifierEmail, link);
  return db.$transaction(async (tx) => {
    const queued = await queueMail({ key: `verification:${v.id}`, kind: "verification", userId: null, message }, tx);
    if (queued) await tx.verification.update({ where: { id: v.id }, data: { tokenHash: sha256(token) } });
    return queued;
  });
}

function requestMail(r: VerificationRequestView, to: string, link: string) {
  const asker = [r.asker.displayName, r.asker.jobTitle, r.asker.worksite].filter(Boolean).join(", ");
  const name = r.asker.displayName;
  const lines = r.entry.lines;
  const text = [
    `Hello ${r.verifierName},`,
    "",
    `${asker} keeps a record of their professional development on ParaNet, a community for library support staff, and asks you to confirm this activity:`,
    "",
    ...lines.map(([k, v]) => `${k}: ${v}`),
    ...(r.message ? ["", `${name}'s message to you:`, r.message] : []),
    "",
    "Confirm or decline it here (no account needed), with a note if you like:",
    link,
    "",
    `The link works until ${r.expiresOn}. If you do not know ${name}, or this is not for you, ignore this message: nothing happens unless you follow the link.`,
    "",
    `Replies to this message are not read. To answer ${name}, add a note when you confirm or decline.`,
    "",
  ].join("\n");
  const html =
    `<p>Hello ${escapeHtml(r.verifierName)},</p>` +
    `<p>${escapeHtml(asker)} keeps a record of their professional development on ParaNet, a community for library support staff, and asks you to confirm this activity:</p>` +
    `<dl>${lines.map(([k, v]) => `<dt><strong>${escapeHtml(k)}</strong></dt><dd style="white-space:pre-wrap">${escapeHtml(v)}</dd>`).join("")}</dl>` +
    (r.message ? `<p>${escapeHtml(name)}'s message to you:</p><blockquote style="white-space:pre-wrap">${escapeHtml(r.message)}</blockquote>` : "") +
    `<p><a href="${escapeHtml(link)}">Confirm or decline it</a> (no account needed), with a note if you like.</p>` +
    `<p>The link works until ${escapeHtml(r.expiresOn)}. If you do not know ${escapeHtml(name)}, or this is not for you, ignore this message: nothing happens unless you follow the link.</p>` +
    `<p>Replies to this message are not read. To answer ${escapeHtml(name)}, add a note when you confirm or decline.</p>`;
  return {
    to,
    subject: `[ParaNet] ${name} asks you to verify an activity`,
    text,
    html: `<!doctype html><html><body style="font-family:system-ui,Arial,sans-serif;line-height:1.5;color:#1c2630;max-width:40rem">${html}</body></html>`,
    // Personal, automated mail (responders stay quiet). No Reply-To: the
    // member's address is theirs to give, and the verifier may be someone
    // they have not mailed before; the note on the page is the way back.
    headers: automatedHeaders("personal"),
  };
}
