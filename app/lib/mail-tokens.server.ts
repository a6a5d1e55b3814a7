// Signed addresses and links in outgoing mail. A reply address names the
// thread and the member it was sent to, with an expiry, signed with a key
// derived from SESSION_SECRET: nobody can forge one for another member or
// thread, and an old one stops working. The same goes for unsubscribe links.
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

/** What an unsubscribe link stops: list mail (posts, digests) or notification mail. */
export type UnsubscribeKind = "list" | "notify";

export function unsubscribeToken(userId: number, kind: UnsubscribeKind): string {
  const payload = `${userId}-${kind}`;
  return `${payload}-${signature("unsubscribe", payload)}`;
}

export function readUnsubscribeToken(token: string): { userId: number; kind: UnsubscribeKind } | null {
  const m = /^(\d{1,10})-(list|notify)-([0-9a-f]{20})$/.exec(token);
  if (!m || !sameSignature(signature("unsubscribe", `${m[1]}-${m[2]}`), m[3])) return null;
  return { userId: Number(m[1]), kind: m[2] as UnsubscribeKind };
}

/** unsubscribe+<token>@<MAIL_DOMAIN>, the mailto half of List-Unsubscribe: who and what, or null. */
export function readUnsubscribeAddress(address: string): { userId: number; kind: UnsubscribeKind } | null {
  const m = /^unsubscribe\+([^@]+)@(.+)$/i.exec(address.trim());
  if (!m || m[2].toLowerCase() !== getEnv().mailDomain) return null;
  // Mail systems may change the case of a local part; tokens are lower-case.
  return readUnsubscribeToken(m[1].toLowerCase());
}
