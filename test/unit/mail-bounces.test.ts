// Bounces and revocable unsubscribe tokens (issue 17): signed bounce (VERP)
// addresses, reading delivery status notifications and bounces without
// one, the bounce score on a real database copy, and unsubscribe tokens with
// a per-member version.
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db, prepareDatabase } from "~/db/client.server";
import { deliveryStatusFields, deliveryStatusPart, readBounce } from "~/lib/bounce";
import { bounceAddress, readBounceAddress, readUnsubscribeAddress, readUnsubscribeToken, unsubscribeToken } from "~/lib/mail-tokens.server";
import { getEnv } from "~/lib/env.server";
import { BOUNCE_THRESHOLD, recordBounce } from "~/models/mail-bounce.server";
import { queueDueDigests } from "~/models/mail-delivery.server";
import { ensureCompetencyAreas } from "~/models/tag.server";
import { checkUnsubscribeToken, frame, listHeaders, queueMail, unsubscribeWithToken, updateEmailSettings } from "~/models/mail.server";

const DAY = 24 * 60 * 60_000;

function dsn(status: string, action = "failed", extra = "") {
  return [
    "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>",
    "To: bounce+1-2-0123456789abcdef0123@localhost",
    "Subject: Undelivered Mail Returned to Sender",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    "",
    "--b1",
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "This is the mail system at host mx.example.org.",
    "--b1",
    "Content-Description: Delivery report",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.example.org",
    "Arrival-Date: Mon,  7 Dec 2026 10:00:00 +0000",
    "",
    "Final-Recipient: rfc822; gone@example.org",
    "Original-Recipient: rfc822;gone@example.org",
    `Action: ${action}`,
    `Status: ${status}`,
    "Diagnostic-Code: smtp; 550 5.1.1 <gone@example.org>: Recipient address",
    "    rejected: User unknown in virtual mailbox table",
    extra,
    "--b1",
    "Content-Type: message/rfc822",
    "",
    "From: ParaNet <paranet@localhost>",
    "Subject: [ParaNet] Upgrading to Destiny 5.1.1",
    "",
    "The 550 5.1.1 in this quoted message is not the report.",
    "--b1--",
    "",
  ].join("\r\n");
}
const read = (raw: string, text = "") => readBounce({ deliveryStatus: deliveryStatusPart(raw), text });

describe("bounce addresses", () => {
  it("name the mail job and the member, signed; a changed or foreign one is refused", () => {
    const address = bounceAddress(1234, 56);
    expect(address).toMatch(/^bounce\+1234-56-[0-9a-f]{20}@localhost$/);
    expect(readBounceAddress(address)).toEqual({ ok: true, jobId: 1234, userId: 56 });
    // Mail systems may change the case of a local part.
    expect(readBounceAddress(address.toUpperCase().replace("@LOCALHOST", "@localhost"))).toEqual({ ok: true, jobId: 1234, userId: 56 });
    expect(readBounceAddress(address.replace("-56-", "-57-"))).toEqual({ ok: false, reason: "forged" });
    expect(readBounceAddress("bounce+1234-56-00000000000000000000@localhost")).toEqual({ ok: false, reason: "forged" });
    expect(readBounceAddress("bounce+whatever@localhost")).toEqual({ ok: false, reason: "forged" });
    expect(readBounceAddress(address.replace("@localhost", "@example.org"))).toEqual({ ok: false, reason: "not_bounce_address" });
    expect(readBounceAddress("reply+1-2-3-00000000000000000000@localhost")).toEqual({ ok: false, reason: "not_bounce_address" });
  });
});

describe("unsubscribe tokens with a version", () => {
  it("carry the version in the signed payload; the old format reads as version 0", () => {
    const token = unsubscribeToken(7, "notify", 3);
    expect(token).toMatch(/^7-notify-v3-[0-9a-f]{20}$/);
    expect(readUnsubscribeToken(token)).toEqual({ userId: 7, kind: "notify", version: 3 });
    expect(readUnsubscribeToken(token.replace("-v3-", "-v4-"))).toBeNull();
    expect(readUnsubscribeToken(token.replace("-v3-", "-"))).toBeNull();
    expect(readUnsubscribeAddress(`unsubscribe+${token.toUpperCase()}@localhost`)).toEqual({ userId: 7, kind: "notify", version: 3 });
    // A token of the earlier format (no version), as mailed before versions existed: version 0.
    const key = crypto.createHmac("sha256", getEnv().sessionSecret).update("paranet-mail:unsubscribe").digest();
    const legacy = `7-list-${crypto.createHmac("sha256", key).update("7-list").digest("hex").slice(0, 20)}`;
    expect(readUnsubscribeToken(legacy)).toEqual({ userId: 7, kind: "list", version: 0 });
    // Its signature does not carry over to another format.
    expect(readUnsubscribeToken(legacy.replace("7-list-", "7-list-v0-"))).toBeNull();
  });

  it("stop working once the member saves their email settings", async () => {
    await prepareDatabase();
    const user = await db.user.create({
      data: { email: "versions@example.org", handle: "versions", displayName: "Versions", passwordHash: "x", emailVerifiedAt: new Date(), emailMode: "every" },
    });
    const first = unsubscribeToken(user.id, "list", 0);
    expect(await checkUnsubscribeToken(first)).toEqual({ userId: user.id, kind: "list" });
    await updateEmailSettings({ id: user.id, role: "member" }, { mode: "every", notifications: true, vacationUntil: "" });
    expect(await checkUnsubscribeToken(first)).toBeNull();
    expect(await unsubscribeWithToken(readUnsubscribeToken(first)!)).toBe(false);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailMode).toBe("every");
    // Mail made now carries the member's current version, in the headers and the footer.
    const member = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { id: true, unsubscribeVersion: true } });
    const current = unsubscribeToken(user.id, "list", 1);
    const headers = listHeaders(member, "list");
    const footer = frame({ text: "Hi", html: "<p>Hi</p>" }, { member, kind: "list", why: "A test." });
    for (const made of [headers["List-Unsubscribe"], footer.text, footer.html]) {
      expect(made).toContain(current);
      expect(made).not.toContain(first);
    }
    expect(await unsubscribeWithToken(readUnsubscribeToken(current)!)).toBe(true);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailMode).toBe("none");
  });
});

describe("reading a bounce", () => {
  it("finds the delivery-status part and its per-recipient fields (folded lines unfolded)", () => {
    const part = deliveryStatusPart(dsn("5.1.1"))!;
    const groups = deliveryStatusFields(part);
    expect(groups[0]["reporting-mta"]).toBe("dns; mx.example.org");
    expect(groups[1]).toMatchObject({ action: "failed", status: "5.1.1", "final-recipient": "rfc822; gone@example.org" });
    expect(groups[1]["diagnostic-code"]).toContain("rejected: User unknown");
  });

  it("status 5.x.x is hard, 4.x.x soft, a delay or a relay no failure", () => {
    expect(read(dsn("5.1.1"))).toMatchObject({ severity: "hard", status: "5.1.1", recipient: "gone@example.org" });
    expect(read(dsn("5.2.1"))).toMatchObject({ severity: "hard" });
    expect(read(dsn("4.2.2"))).toMatchObject({ severity: "soft", status: "4.2.2" });
    expect(read(dsn("4.4.7", "delayed"))).toMatchObject({ severity: "none" });
    expect(read(dsn("2.0.0", "relayed"))).toMatchObject({ severity: "none" });
    expect(read(dsn("2.0.0", "delivered"))).toMatchObject({ severity: "none" });
  });

  it("takes the worst of several recipients", () => {
    const two = dsn("4.2.2", "failed", "\r\nFinal-Recipient: rfc822; other@example.org\r\nAction: failed\r\nStatus: 5.1.1");
    expect(read(two)).toMatchObject({ severity: "hard", recipient: "other@example.org" });
  });

  it("stays fast on hostile input (a megabyte of part headers with no body)", () => {
    const hostile = "Content-Type: message/delivery-status\r\n".repeat(25_000) + "x";
    const started = performance.now();
    expect(read(hostile, hostile)).toMatchObject({ severity: "soft" });
    // (Not a timing assertion of the code's speed: a guard against quadratic blow-up, which takes minutes.)
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("reads a global (RFC 6533) delivery-status part too", () => {
    expect(read(dsn("5.1.1").replace("message/delivery-status", "message/global-delivery-status"))).toMatchObject({ severity: "hard" });
  });

  it("without a report: soft, unless a line says plainly that the address does not exist", () => {
    const none = (text: string) => readBounce({ deliveryStatus: null, text });
    expect(none("Your message could not be delivered. The mailbox is full.")).toMatchObject({ severity: "soft" });
    expect(none("Delivery has failed to these recipients.\n\nRemote server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'")).toMatchObject({
      severity: "hard",
      status: "5.1.1",
    });
    expect(none("<gone@example.org>:\nSorry, no mailbox here by that name. (#5.1.1)")).toMatchObject({ severity: "hard" });
    expect(none("gone@example.org\n    host mx.example.org said: 550 No such user here")).toMatchObject({ severity: "hard" });
    // Conservative: the words without a permanent reply, or a version number, are not enough.
    expect(none("The user does not exist in our records? Try again later.")).toMatchObject({ severity: "soft" });
    expect(none("We upgraded to Destiny 5.1.1 last week.")).toMatchObject({ severity: "soft" });
    expect(none("451 4.3.0 Temporary failure: mailbox unavailable")).toMatchObject({ severity: "soft" });
  });

  it("does not read the quoted original message as the report", () => {
    const raw = dsn("4.2.2");
    expect(read(raw, "This is the mail system.\nThe 550 5.1.1 in this quoted message is not the report.")).toMatchObject({ severity: "soft" });
  });
});

describe("the bounce score", () => {
  async function member(n: string) {
    return db.user.create({
      data: { email: `${n}@example.org`, handle: n, displayName: n, passwordHash: "x", emailVerifiedAt: new Date() },
      select: { id: true },
    });
  }
  const hard = { severity: "hard" as const, status: "5.1.1", recipient: "", diagnostic: "" };
  const soft = { severity: "soft" as const, status: "4.2.2", recipient: "", diagnostic: "" };

  beforeAll(async () => {
    await prepareDatabase();
    await ensureCompetencyAreas();
  });

  it("adds 2 for a hard bounce and stops delivery at the threshold", async () => {
    const { id } = await member("hardbounce");
    expect(await recordBounce(id, 999_999, hard)).toMatchObject({ counted: true, score: 2, stopped: false });
    expect(await recordBounce(id, 999_999, hard)).toMatchObject({ counted: true, score: BOUNCE_THRESHOLD, stopped: true });
    expect((await db.user.findUniqueOrThrow({ where: { id } })).mailStoppedAt).not.toBeNull();
  });

  it("counts soft bounces once a day, and forgets a score after a quiet month", async () => {
    const { id } = await member("softbounce");
    const t0 = new Date("2026-12-01T10:00:00Z");
    expect(await recordBounce(id, 999_999, soft, t0)).toMatchObject({ counted: true, score: 1 });
    expect(await recordBounce(id, 999_999, soft, new Date(t0.getTime() + 60_000))).toMatchObject({ counted: false, score: 1 });
    expect(await recordBounce(id, 999_999, soft, new Date(t0.getTime() + DAY + 1))).toMatchObject({ counted: true, score: 2 });
    expect(await recordBounce(id, 999_999, soft, new Date(t0.getTime() + 40 * DAY))).toMatchObject({ counted: true, score: 1 });
  });

  it("ignores a report that is no failure, and one about mail to an earlier address", async () => {
    const { id } = await member("oldaddress");
    expect(await recordBounce(id, 999_999, { ...hard, severity: "none" })).toMatchObject({ counted: false, score: 0 });
    await queueMail({ key: `old:${id}`, kind: "post", userId: id, message: { to: "previous@example.org", subject: "x", text: "x", html: "", headers: {} } });
    const job = await db.mailJob.findUniqueOrThrow({ where: { key: `old:${id}` } });
    expect(await recordBounce(id, job.id, hard)).toMatchObject({ counted: false, score: 0 });
  });

  it("leaves a stopped address out of the digests (another daily member in the same position gets one)", async () => {
    const now = new Date("2026-12-02T09:00:00Z");
    const tag = await db.tag.findFirstOrThrow({ select: { id: true } });
    const author = await member("digestauthor");
    await db.thread.create({
      data: {
        kind: "question",
        title: "Digest probe",
        slug: "digest-probe",
        bodySource: "b",
        bodyHtml: "<p>b</p>",
        rendererVersion: 1,
        authorId: author.id,
        createdAt: new Date("2026-12-01T12:00:00Z"),
        tags: { create: { tagId: tag.id } },
      },
    });
    const stopped = await member("digeststopped");
    const reading = await member("digestreading");
    for (const m of [stopped, reading]) {
      await db.user.update({ where: { id: m.id }, data: { emailMode: "daily" } });
      await db.tagFollow.create({ data: { userId: m.id, tagId: tag.id } });
    }
    await recordBounce(stopped.id, 999_999, hard, now);
    await recordBounce(stopped.id, 999_999, hard, now);
    await queueDueDigests(now, 7);
    const digests = async (id: number) => db.mailJob.count({ where: { userId: id, kind: "digest" } });
    expect(await digests(reading.id)).toBe(1);
    expect(await digests(stopped.id)).toBe(0);
  });

  it("queues no catch-up digest after a vacation hold for a stopped address", async () => {
    const now = new Date("2026-12-03T09:00:00Z");
    const tag = await db.tag.findFirstOrThrow({ select: { id: true } });
    const back = await member("backfromhold");
    await db.user.update({
      where: { id: back.id },
      data: { emailMode: "daily", vacationFrom: new Date("2026-11-20T00:00:00Z"), vacationUntil: new Date("2026-12-02T00:00:00Z") },
    });
    await db.tagFollow.create({ data: { userId: back.id, tagId: tag.id } });
    await recordBounce(back.id, 999_999, hard, now);
    await recordBounce(back.id, 999_999, hard, now);
    const counts = await queueDueDigests(now, 7);
    expect(counts.catchUp).toBe(0);
    expect(await db.mailJob.count({ where: { userId: back.id } })).toBe(0);
  });
});
