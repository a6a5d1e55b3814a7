// Reply by email: a member answers a ParaNet message from their mail client.
// The signed reply address says which thread and which member; the sender
// must be that member; only the new text is kept (quoted history and
// signatures go); and the reply is posted through the same model function
// as the web form — same rules, moderation and privacy (a reply to a TARGET
// is private). The same message arriving twice is posted once.
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import { getDomain } from "tldts";
import { db } from "~/db/client.server";
import { automaticKind, type AutomaticKind, type MailFacts } from "~/lib/automatic-mail";
import { getEnv } from "~/lib/env.server";
import { addressOf, loopToken, unsubscribeWithToken } from "./mail.server";
import { recordBounce } from "./mail-bounce.server";
import type { Role } from "~/lib/domain";
import { isDomainError, NotFoundError, TooManyRequestsError } from "~/lib/errors";
import { replyText } from "~/lib/mail-reply";
import { deliveryStatusPart, readBounce, type Bounce } from "~/lib/bounce";
import { readBounceAddress, readReplyAddress, readUnsubscribeAddress, type UnsubscribeKind } from "~/lib/mail-tokens.server";
import { sha256 } from "~/lib/tokens.server";
import { parseInput, ReplySchema } from "~/lib/validation";
import { createReply } from "./reply.server";

/** The largest message accepted (text replies are small; attachments are not wanted). */
export const MAX_INBOUND_BYTES = 1024 * 1024;

export type InboundResult =
  | { status: "posted"; replyId: number; duplicate: boolean; held?: boolean }
  | { status: "refused"; code: "too_large" | "no_reply_address" | "forged" | "expired" | "unknown_sender" | "refused" | "empty" | "throttled"; reason: string }
  // Mail no person wrote: accepted and dropped in silence (an answer is how auto-reply storms start), recorded for admins.
  | { status: "dropped"; code: AutomaticKind; reason: string }
  | { status: "unsubscribed"; kind: UnsubscribeKind }
  // A bounce report to a signed bounce (VERP) address: accepted, never answered, counted against the member (mail-bounce.server.ts).
  | { status: "bounce"; code: BounceCode; reason: string; userId: number };

/** bounce_hard/bounce_soft: counted; bounce_ignored: a report that changes nothing (not a failure, an old address, a soft one the same day). */
export type BounceCode = "bounce_hard" | "bounce_soft" | "bounce_ignored";

const DROPPED: Record<AutomaticKind, string> = {
  auto_reply: "An automatic reply (out of office, vacation, autoresponder): not posted, not answered.",
  bounce: "A bounce (delivery status notification): not posted, not answered.",
  loop: "ParaNet's own mail came back, or the message went round too many servers: not posted, not answered.",
};

/**
 * Keep what the member wrote (app/lib/mail-reply.ts): quoted history and its
 * attribution lines in fourteen languages, Outlook header blocks, signatures
 * and mobile sign-offs go; a bottom post keeps its answer, inline answers keep
 * their questions as quotes. The HTML part is read when the text part is
 * empty or missed a client's quote marker. Only the first 64 KB is read.
 */
export function newText(text: string, html?: string): string {
  return replyText({ text, html });
}

function addresses(obj: AddressObject | AddressObject[] | undefined): string[] {
  if (!obj) return [];
  return (Array.isArray(obj) ? obj : [obj]).flatMap((a) => a.value.flatMap((v) => (v.address ? [v.address] : [])));
}

/**
 * The organizational domain of an address (DMARC's word): the registrable
 * domain by the Public Suffix List, private suffixes included, so
 * a.k12.ca.us and b.k12.ca.us, or two *.github.io sites, are different
 * senders. An address without one (an IP literal, a bare host) is itself.
 */
export function organizationalDomain(address: string): string {
  const host = (address.split("@").pop() ?? "").toLowerCase().replace(/\.$/, "");
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}

/**
 * The sender is who the From header says, as far as SMTP can tell: exactly
 * one From address, and (over SMTP) an envelope sender from the same domain,
 * as DMARC's relaxed alignment asks. A forged From with the attacker's own
 * envelope is refused; a bounce (empty envelope sender) is not a reply.
 * Operators should still run the receiver behind an MX that checks SPF,
 * DKIM and DMARC (README, "Reply by email").
 */
function senderAligned(mail: { from?: AddressObject }, mailFrom: string | undefined): boolean {
  const from = addresses(mail.from);
  if (from.length !== 1) return false;
  if (mailFrom === undefined) return true; // the webhook: the provider authenticated the sender
  return mailFrom !== "" && organizationalDomain(mailFrom) !== "" && organizationalDomain(mailFrom) === organizationalDomain(from[0]);
}

/** What the automatic-mail rules look at, from the parsed message. */
function factsOf(mail: ParsedMail, from: string, mailFrom: string | undefined): MailFacts {
  const env = getEnv();
  return {
    // The raw header lines (mailparser's structured values differ from header to header).
    header: (name) =>
      mail.headerLines
        .filter((h) => h.key === name)
        .map((h) =>
          h.line
            .slice(h.line.indexOf(":") + 1)
            .replace(/\r?\n[ \t]+/g, " ")
            .trim(),
        ),
    contentType: mail.headerLines.find((h) => h.key === "content-type")?.line.replace(/^[^:]*:\s*/, "") ?? "",
    from,
    subject: mail.subject ?? "",
    mailFrom,
    own: { listId: `paranet.${env.mailDomain}`, fromAddress: addressOf(env.mailFrom), loopToken: loopToken() },
  };
}

async function record(messageId: string, from: string, result: InboundResult, userId: number | null = null): Promise<InboundResult> {
  await db.inboundMail
    .upsert({
      where: { messageId },
      create: {
        messageId,
        fromAddress: from.slice(0, 320),
        userId,
        replyId: result.status === "posted" ? result.replyId : null,
        status: result.status,
        code:
          result.status === "refused" || result.status === "dropped" || result.status === "bounce"
            ? result.code
            : result.status === "unsubscribed"
              ? result.kind
              : "",
        reason: result.status === "refused" || result.status === "dropped" || result.status === "bounce" ? result.reason : "",
      },
      update: {},
    })
    // The same message delivered twice at once: the first record stands.
    .catch((err: { code?: string }) => {
      if (err.code !== "P2002") throw err;
    });
  return result;
}

/** Count a bounce report against a member (jobId 0: the message is not known) and record what came of it. */
async function countBounce(messageId: string, from: string, bounce: Bounce, userId: number, jobId: number): Promise<InboundResult> {
  const outcome = await recordBounce(userId, jobId, bounce);
  const said = [bounce.status, bounce.diagnostic].filter(Boolean).join(" ");
  const counted = outcome.counted ? `A ${bounce.severity} bounce: score ${outcome.score}.` : "Not counted.";
  return record(
    messageId,
    from,
    {
      status: "bounce",
      code: outcome.counted ? (bounce.severity === "hard" ? "bounce_hard" : "bounce_soft") : "bounce_ignored",
      reason: `${counted} ${outcome.why}${said ? ` (${said})` : ""}`.slice(0, 500),
      userId,
    },
    userId,
  );
}

/** Receive one raw message (from the SMTP receiver or the webhook) and post it, or say why not. */
export async function receiveReplyMail(raw: Buffer, envelope: { rcptTo?: string[]; mailFrom?: string } = {}): Promise<InboundResult> {
  if (raw.length > MAX_INBOUND_BYTES) return { status: "refused", code: "too_large", reason: "This message is too large: reply with text only (up to 1 MB)." };
  const mail = await simpleParser(raw, { skipHtmlToText: false, skipImageLinks: true });
  const messageId = (mail.messageId ?? `<sha256.${sha256(raw.toString("latin1"))}@inbound>`).slice(0, 300);
  const from = addresses(mail.from)[0]?.toLowerCase() ?? "";

  // The same message again (a retry, a duplicate delivery): posted once, answered the same.
  const seen = await db.inboundMail.findUnique({ where: { messageId } });
  if (seen) {
    if (seen.status === "posted" && seen.replyId) return { status: "posted", replyId: seen.replyId, duplicate: true };
    if (seen.status === "dropped") return { status: "dropped", code: seen.code as AutomaticKind, reason: seen.reason };
    if (seen.status === "unsubscribed") return { status: "unsubscribed", kind: seen.code as UnsubscribeKind };
    if (seen.status === "bounce") return { status: "bounce", code: seen.code as BounceCode, reason: seen.reason, userId: seen.userId ?? 0 };
    return { status: "refused", code: "refused", reason: seen.reason };
  }

  // Over SMTP the envelope says where the message was delivered; the To and Cc
  // headers say only what the sender wrote. (A webhook has no envelope.)
  const candidates = envelope.rcptTo?.length ? envelope.rcptTo : [...addresses(mail.to), ...addresses(mail.cc)];
  const automatic = automaticKind(factsOf(mail, from, envelope.mailFrom));

  // Mail to a bounce (VERP) address: a report about one of our messages, never answered.
  const bounces = candidates.map(readBounceAddress).filter((b) => b.ok || b.reason !== "not_bounce_address");
  if (bounces.length) {
    const good = bounces.find((b) => b.ok);
    if (!good?.ok) {
      return record(messageId, from, { status: "dropped", code: "bounce", reason: "Sent to a bounce address ParaNet did not issue (forged): ignored." });
    }
    // RFC 3834 responders answer the envelope sender: an out-of-office reply is not a bounce.
    if (automatic === "auto_reply" || automatic === "loop")
      return record(messageId, from, { status: "dropped", code: automatic, reason: DROPPED[automatic] }, good.userId);
    return countBounce(
      messageId,
      from,
      readBounce({ deliveryStatus: deliveryStatusPart(raw.toString("utf8")), text: mail.text ?? "" }),
      good.userId,
      good.jobId,
    );
  }

  // A bounce sent to a reply address (some servers answer the From or Reply-To, not the envelope):
  // the signed address names the member, so it counts when the report names their address.
  if (automatic === "bounce") {
    const replyTo = candidates.map((a) => readReplyAddress(a)).find((r) => r.ok);
    const bounce = readBounce({ deliveryStatus: deliveryStatusPart(raw.toString("utf8")), text: mail.text ?? "" });
    const member = replyTo?.ok ? await db.user.findUnique({ where: { id: replyTo.userId }, select: { id: true, email: true } }) : null;
    if (member && bounce.recipient && bounce.recipient.toLowerCase() === member.email.toLowerCase()) return countBounce(messageId, from, bounce, member.id, 0);
  }

  // Before anything that could answer: automatic mail is dropped, whoever it claims to be from.
  if (automatic) return record(messageId, from, { status: "dropped", code: automatic, reason: DROPPED[automatic] });

  // The mailto half of List-Unsubscribe (RFC 2369): the signed token is the proof, as with the link.
  // A revoked token (older than the member's last settings change) unsubscribes nobody.
  const unsubscribing = candidates.map(readUnsubscribeAddress).find((u) => u !== null);
  if (unsubscribing) {
    if (await unsubscribeWithToken(unsubscribing)) return record(messageId, from, { status: "unsubscribed", kind: unsubscribing.kind }, unsubscribing.userId);
    return record(messageId, from, {
      status: "refused",
      code: "refused",
      reason: "This unsubscribe address is no longer valid: change your delivery settings on ParaNet, or use the link in a newer message.",
    });
  }
  const readings = candidates.map((a) => readReplyAddress(a));
  const good = readings.find((r) => r.ok);
  if (!good || !good.ok) {
    const bad = readings.find((r) => !r.ok && r.reason !== "not_reply_address");
    const reason =
      bad && !bad.ok && bad.reason === "expired"
        ? "This reply address has expired: answer on the website, or reply to a newer message."
        : bad
          ? "This reply address is not valid: it was not issued by ParaNet for you."
          : "This message was not sent to a ParaNet reply address.";
    return record(messageId, from, {
      status: "refused",
      code: bad && !bad.ok && bad.reason === "expired" ? "expired" : bad ? "forged" : "no_reply_address",
      reason,
    });
  }

  const member = await db.user.findUnique({ where: { id: good.userId }, select: { id: true, role: true, email: true } });
  if (!member || member.email.toLowerCase() !== from || !senderAligned(mail, envelope.mailFrom)) {
    return record(messageId, from, {
      status: "refused",
      code: "unknown_sender",
      reason: "This reply did not come from the address of the member it was sent to: answer from that address, or on the website.",
    });
  }
  const body = newText(mail.text ?? "", mail.html || undefined);
  if (!body) return record(messageId, from, { status: "refused", code: "empty", reason: "This reply has no new text (only quoted history)." }, member.id);
  const parsed = parseInput(ReplySchema, { body });
  if (!parsed.ok) return record(messageId, from, { status: "refused", code: "refused", reason: Object.values(parsed.fields).join(" ") }, member.id);
  try {
    const reply = await createReply({ id: member.id, role: member.role as Role }, good.threadId, parsed.data);
    return record(messageId, from, { status: "posted", replyId: reply.id, duplicate: false, held: reply.held }, member.id);
  } catch (e) {
    // Too many posts just now: not recorded, so the sending server's retry gets through later.
    if (e instanceof TooManyRequestsError) return { status: "refused", code: "throttled", reason: e.message };
    // Suspended, locked, a thread gone or out of sight: the member is told why.
    if (isDomainError(e)) return record(messageId, from, { status: "refused", code: "refused", reason: e.message }, member.id);
    throw e;
  }
}

/** Mail received and not posted (refused, or dropped as automatic), newest first, for admins. */
export async function listUnpostedInboundMail(actor: { role: string }, take = 30) {
  if (actor.role !== "admin") throw new NotFoundError("Not found.");
  return db.inboundMail.findMany({
    where: { status: { in: ["refused", "dropped"] } },
    orderBy: { receivedAt: "desc" },
    take,
    select: { messageId: true, fromAddress: true, status: true, code: true, reason: true, receivedAt: true },
  });
}
