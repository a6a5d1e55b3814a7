// Signed addresses and links in outgoing mail. A reply address names the
// thread and the member it was sent to, with an expiry, signed with a key
// derived from SESSION_SECRET: nobody can forge one for another member or
// thread, and an old one stops working. The same goes for unsubscribe links
// (revoked by a per-member version) and bounce (VERP) envelope senders.
import crypto from "node:crypto";
import { getEnv } from "./env.server";

const DAY_MS = 24 * 60 * 60_000;
/** How long a reply address keeps working after the mail that carried it. */
export const REPLY_ADDRESS_DAYS = 90;

function signature(purpose: string, payload: string): string {
  const key = crypto.createHmac("sha256", getEnv().sessionSecret).update(`paranet-mail:${purpose}`).digest();
  // 80 bits, lower-case hex: mail systems may change the case of a local part.
  return crypto.createHmac("sha256", key).update(payload).digest("hex").slice(0, 20);
}

function sameSignature(a: string, b: string): boolean {
  return a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** reply+<thread>-<member>-<expiry day>-<signature>@<MAIL_DOMAIN> */
export function replyAddress(threadId: number, userId: number, now = Date.now()): string {
  const expires = Math.floor(now / DAY_MS) + REPLY_ADDRESS_DAYS;
  const payload = `${threadId}-${userId}-${expires}`;
  return `reply+${payload}-${signature("reply", payload)}@${getEnv().mailDomain}`;
}

export type ReplyAddress = { ok: true; threadId: number; userId: number } | { ok: false; reason: "not_reply_address" | "forged" | "expired" };

/** Read a reply address back; anything not signed by us, or past its day, is refused. */
export function readReplyAddress(address: string, now = Date.now()): ReplyAddress {
  const m = /^reply\+(\d{1,10})-(\d{1,10})-(\d{1,6})-([0-9a-f]{20})@(.+)$/i.exec(address.trim());
  if (!m || m[5].toLowerCase() !== getEnv().mailDomain) return { ok: false, reason: "not_reply_address" };
  const payload = `${m[1]}-${m[2]}-${m[3]}`;
  if (!sameSignature(signature("reply", payload), m[4].toLowerCase())) return { ok: false, reason: "forged" };
  if (Number(m[3]) < Math.floor(now / DAY_MS)) return { ok: false, reason: "expired" };
  return { ok: true, threadId: Number(m[1]), userId: Number(m[2]) };
}

/**
 * bounce+<mail job>-<member>-<signature>@<MAIL_DOMAIN>: the envelope sender
 * (VERP) of every message, so a bounce names the member and the message it
 * is about. No expiry: bounces may come days later, and one forged or replayed
 * tells us nothing we would act on beyond what the member's own mail did.
 */
export function bounceAddress(jobId: number, userId: number): string {
  const payload = `${jobId}-${userId}`;
  return `bounce+${payload}-${signature("bounce", payload)}@${getEnv().mailDomain}`;
}

export type BounceAddress = { ok: true; jobId: number; userId: number } | { ok: false; reason: "not_bounce_address" | "forged" };

/** Read a bounce address back; one not signed by us is "forged". */
export function readBounceAddress(address: string): BounceAddress {
  const m = /^bounce\+([^@]*)@(.+)$/i.exec(address.trim());
  if (!m || m[2].toLowerCase() !== getEnv().mailDomain) return { ok: false, reason: "not_bounce_address" };
  const parts = /^(\d{1,10})-(\d{1,10})-([0-9a-f]{20})$/.exec(m[1].toLowerCase());
  if (!parts || !sameSignature(signature("bounce", `${parts[1]}-${parts[2]}`), parts[3])) return { ok: false, reason: "forged" };
  return { ok: true, jobId: Number(parts[1]), userId: Number(parts[2]) };
}

/** What an unsubscribe link stops: list mail (posts, digests) or notification mail. */
export type UnsubscribeKind = "list" | "notify";
/** Who, what, and the member's unsubscribe token version it was made with (to compare with User.unsubscribeVersion). */
export type UnsubscribeRequest = { userId: number; kind: UnsubscribeKind; version: number };

/**
 * <member>-<kind>-v<version>-<signature>. The version is the member's
 * User.unsubscribeVersion when the mail was made: raising it (saving the
 * email settings, changing address) revokes every older link.
 */
export function unsubscribeToken(userId: number, kind: UnsubscribeKind, version = 0): string {
  const payload = `${userId}-${kind}-v${version}`;
  return `${payload}-${signature("unsubscribe", payload)}`;
}

/**
 * Read a token back (signature only: the caller compares the version with the
 * member's). Tokens of the earlier format, without a version, read as
 * version 0, so links mailed before versions existed work until the first rotation.
 */
export function readUnsubscribeToken(token: string): UnsubscribeRequest | null {
  const m = /^(\d{1,10})-(list|notify)(?:-v(\d{1,9}))?-([0-9a-f]{20})$/.exec(token);
  if (!m) return null;
  const payload = m[3] === undefined ? `${m[1]}-${m[2]}` : `${m[1]}-${m[2]}-v${m[3]}`;
  if (!sameSignature(signature("unsubscribe", payload), m[4])) return null;
  return { userId: Number(m[1]), kind: m[2] as UnsubscribeKind, version: Number(m[3] ?? 0) };
}

/** unsubscribe+<token>@<MAIL_DOMAIN>, the mailto half of List-Unsubscribe: who and what, or null. */
export function readUnsubscribeAddress(address: string): UnsubscribeRequest | null {
  const m = /^unsubscribe\+([^@]+)@(.+)$/i.exec(address.trim());
  if (!m || m[2].toLowerCase() !== getEnv().mailDomain) return null;
  // Mail systems may change the case of a local part; tokens are lower-case.
  return readUnsubscribeToken(m[1].toLowerCase());
}
