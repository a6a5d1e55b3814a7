// Mail's rules on a real database copy (SQLite or PostgreSQL): signed reply addresses and unsubscribe
// tokens, stripping quoted history, the durable queue (idempotent keys,
// crash recovery with the same Message-ID, retries with backoff), and
// digests (contents, one per period, vacation holds and their catch-up).
import { beforeAll, describe, expect, it } from "vitest";
import { db, prepareDatabase } from "~/db/client.server";
import { readReplyAddress, readUnsubscribeToken, replyAddress, unsubscribeToken } from "~/lib/mail-tokens.server";
import { parseInput, ThreadSchema } from "~/lib/validation";
import { newText, organizationalDomain, receiveReplyMail } from "~/models/inbound-mail.server";
import { createThread } from "~/models/thread.server";
import { periodEnd, queueDueDigests } from "~/models/mail-delivery.server";
import { claimDueMail, mailFailed, mailSent, MAX_MAIL_ATTEMPTS, queueMail, subjectFor } from "~/models/mail.server";
import { ensureCompetencyAreas } from "~/models/tag.server";

const DAY = 24 * 60 * 60_000;
const message = (to: string) => ({ to, subject: "Hello", text: "text", html: "<p>html</p>", headers: {} });
let member = 0;
async function aMember(extra: Record<string, unknown> = {}) {
  member++;
  return db.user.create({
    data: {
      email: `mail${member}@example.org`,
      handle: `mail${member}`,
      displayName: `Mail ${member}`,
      passwordHash: "x",
      emailVerifiedAt: new Date(),
      ...extra,
    },
    select: { id: true, email: true },
  });
}

beforeAll(async () => {
  await prepareDatabase();
  await ensureCompetencyAreas();
});

describe("signed addresses", () => {
  it("reads back a reply address; refuses a changed, foreign or expired one", () => {
    const address = replyAddress(12, 34);
    expect(address).toMatch(/^reply\+12-34-\d+-[0-9a-f]{20}@localhost$/);
    expect(readReplyAddress(address)).toEqual({ ok: true, threadId: 12, userId: 34 });
    expect(readReplyAddress(address.toUpperCase().replace("@LOCALHOST", "@localhost"))).toEqual({ ok: true, threadId: 12, userId: 34 });
    expect(readReplyAddress(address.replace("reply+12-34", "reply+13-34"))).toEqual({ ok: false, reason: "forged" });
    expect(readReplyAddress(address.replace("reply+12-34", "reply+12-35"))).toEqual({ ok: false, reason: "forged" });
    expect(readReplyAddress(address.replace("@localhost", "@example.org"))).toEqual({ ok: false, reason: "not_reply_address" });
    expect(readReplyAddress("someone@localhost")).toEqual({ ok: false, reason: "not_reply_address" });
    expect(readReplyAddress(address, Date.now() + 91 * DAY)).toEqual({ ok: false, reason: "expired" });
  });

  it("unsubscribe tokens name their member and kind, and cannot be altered", () => {
    const token = unsubscribeToken(7, "list");
    expect(readUnsubscribeToken(token)).toEqual({ userId: 7, kind: "list", version: 0 });
    expect(readUnsubscribeToken(token.replace("7-list", "8-list"))).toBeNull();
    expect(readUnsubscribeToken(token.replace("-list-", "-notify-"))).toBeNull();
    expect(readUnsubscribeToken("garbage")).toBeNull();
  });
});

describe("subjects", () => {
  it("carry the thread kind the way LM_NET subjects did", () => {
    expect(subjectFor({ kind: "target", title: "TARGET: fine policies" })).toBe("[ParaNet] TARGET-> fine policies");
    expect(subjectFor({ kind: "hit", title: "Fine policies" }, true)).toBe("Re: [ParaNet] HIT-> Fine policies");
    expect(subjectFor({ kind: "job", title: "Library aide" })).toBe("[ParaNet] JOBS-> Library aide");
    expect(subjectFor({ kind: "question", title: "Weeding?" })).toBe("[ParaNet] Weeding?");
  });
});

describe("keeping only the new text of a reply", () => {
  it.each([
    ["Thanks, we do the same.\n\nOn Mon, Nov 23, 2026 at 9:00 AM Rosa <rosa@example.org> wrote:\n> Do you weed in spring?\n> Rosa", "Thanks, we do the same."],
    ["Yes.\n\nOn Mon, Nov 23, 2026 at 9:00 AM Rosa Martínez via ParaNet <\nreply+1-2-3-abc@x.org> wrote:\n> quoted", "Yes."],
    ["Short answer.\n-- \nLinda Kim\nHospital Library", "Short answer."],
    ["Try CREW.\n\nSent from my iPhone", "Try CREW."],
    ["Agreed.\n\n-----Original Message-----\nFrom: ParaNet\nSubject: Weeding", "Agreed."],
    ["Here you go.\n\n________________________________\nFrom: ParaNet <paranet@x.org>\nSent: Monday", "Here you go."],
    ["> question one?\nAnswer one.\n> question two?\nAnswer two.", "> question one?\n\nAnswer one.\n\n> question two?\n\nAnswer two."],
    ["> only quoted text", ""],
    // German, French and a signature after a blank line, which the hand-written rules missed or cut wrongly.
    ["Wir machen das auch so.\n\nAm 23.11.2026 um 09:00 schrieb Rosa Martínez <rosa@example.org>:\n> Jätet ihr im Frühling?", "Wir machen das auch so."],
    ["Nous aussi.\n\nLe lun. 23 nov. 2026 à 09:00, Rosa Martínez <rosa@example.org> a écrit :\n> Vous désherbez au printemps ?", "Nous aussi."],
    ["Two lines,\nkept together.\n\n-- \nRosa Martínez\nLincoln Elementary\n555-0100", "Two lines,\nkept together."],
    ["Answer on top.\r\n\r\nOn Tue, Nov 24, 2026 at 10:15 AM Linda Kim <linda@example.org> wrote:\r\n> CRLF history", "Answer on top."],
  ])("%#", (input, expected) => {
    expect(newText(input)).toBe(expected);
  });
});

describe("reading only the first 64 KB of a reply", () => {
  it("keeps the new text above a huge quoted history, and a megabyte of hostile lines does not hang", () => {
    expect(newText(`Short answer.\n\nOn Mon, Nov 23, 2026 at 9:00 AM Rosa <rosa@example.org> wrote:\n${"> old line\n".repeat(50_000)}`)).toBe("Short answer.");
    expect(newText("On a b wrote\n".repeat(80_000)).length).toBeLessThanOrEqual(64 * 1024);
  });
});

describe("envelope senders from the member's organization", () => {
  it("compares registrable domains by the Public Suffix List", () => {
    expect(organizationalDomain("rosa@mail.lincoln.k12.ca.us")).toBe("lincoln.k12.ca.us");
    expect(organizationalDomain("x@a.k12.ca.us")).not.toBe(organizationalDomain("y@b.k12.ca.us"));
    expect(organizationalDomain("bounces@mx.Example.ORG")).toBe("example.org");
    expect(organizationalDomain("a@library.co.uk")).toBe("library.co.uk");
    expect(organizationalDomain("a@alice.github.io")).not.toBe(organizationalDomain("b@bob.github.io"));
  });

  it("refuses a reply whose envelope comes from another district under the same suffix (a.k12.ca.us vs b.k12.ca.us)", async () => {
    const member = await aMember({ email: "clerk@a.k12.ca.us", handle: "k12clerk" });
    const tag = await db.tag.findFirstOrThrow({ where: { kind: "competency" }, select: { id: true } });
    const input = parseInput(ThreadSchema, { title: "Which barcode scanners do you use?", body: "Tell me", tagIds: [String(tag.id)] });
    if (!input.ok) throw new Error(JSON.stringify(input.fields));
    const thread = await createThread({ id: member.id, role: "member" }, input.data);
    const address = replyAddress(thread.id, member.id);
    const raw = (id: string, text: string) =>
      Buffer.from(`From: Clerk <clerk@a.k12.ca.us>\r\nTo: ${address}\r\nSubject: Re: scanners\r\nMessage-ID: <${id}@a.k12.ca.us>\r\n\r\n${text}\r\n`);
    const forged = await receiveReplyMail(raw("k12-forged", "Posing as the clerk"), { rcptTo: [address], mailFrom: "attacker@b.k12.ca.us" });
    expect(forged).toMatchObject({ status: "refused", code: "unknown_sender" });
    const genuine = await receiveReplyMail(raw("k12-genuine", "Zebra, corded."), { rcptTo: [address], mailFrom: "bounces@mail.a.k12.ca.us" });
    expect(genuine).toMatchObject({ status: "posted", duplicate: false });
  });
});

describe("the mail queue", () => {
  it("queues a key once", async () => {
    expect(await queueMail({ key: "unit:once", kind: "post", message: message("a@example.org") })).toBe(true);
    expect(await queueMail({ key: "unit:once", kind: "post", message: message("a@example.org") })).toBe(false);
    expect(await db.mailJob.count({ where: { key: "unit:once" } })).toBe(1);
  });

  it("after a crash mid-send, sends the same message again (same Message-ID) once its claim expires; never after it was sent", async () => {
    await db.mailJob.updateMany({ data: { status: "sent" } });
    await queueMail({ key: "unit:crash", kind: "post", message: message("b@example.org") });
    const now = new Date();
    const [first] = await claimDueMail(now);
    expect(first.toAddress).toBe("b@example.org");
    // The sender dies here. Nobody else may take it while the claim holds…
    expect(await claimDueMail(new Date(now.getTime() + 60_000))).toEqual([]);
    // …and once it has expired, the same message goes out again.
    const [again] = await claimDueMail(new Date(now.getTime() + 6 * 60_000));
    expect(again.id).toBe(first.id);
    expect(again.messageId).toBe(first.messageId);
    expect(again.attempts).toBe(2);
    await mailSent(again.id);
    expect(await claimDueMail(new Date(now.getTime() + 60 * 60_000))).toEqual([]);
  });

  it("retries a failure later and later, then gives up as failed", async () => {
    await queueMail({ key: "unit:retry", kind: "post", message: message("c@example.org") });
    let when = new Date();
    let job = (await claimDueMail(when))[0];
    const delays: number[] = [];
    for (;;) {
      const gaveUp = await mailFailed(job, "connection refused");
      const row = await db.mailJob.findUniqueOrThrow({ where: { id: job.id } });
      if (gaveUp) {
        expect(row.status).toBe("failed");
        expect(row.lastError).toBe("connection refused");
        break;
      }
      delays.push(row.nextAttemptAt.getTime() - Date.now());
      expect(await claimDueMail(new Date(row.nextAttemptAt.getTime() - 1000))).toEqual([]);
      when = new Date(row.nextAttemptAt.getTime() + 1);
      job = (await claimDueMail(when))[0];
    }
    expect(job.attempts).toBe(MAX_MAIL_ATTEMPTS);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1]);
  });
});

describe("digests", () => {
  it("end their periods at the digest hour, weekly ones on Mondays", () => {
    expect(periodEnd(new Date("2026-11-25T09:30:00Z"), 7, false).toISOString()).toBe("2026-11-25T07:00:00.000Z");
    expect(periodEnd(new Date("2026-11-25T06:30:00Z"), 7, false).toISOString()).toBe("2026-11-24T07:00:00.000Z");
    expect(periodEnd(new Date("2026-11-25T09:30:00Z"), 7, true).toISOString()).toBe("2026-11-23T07:00:00.000Z");
  });

  it("tell each member what is new in their tags, new HITs, helpful answers and new resources; once per period", async () => {
    await db.mailJob.updateMany({ data: { status: "sent" } });
    const tag = await db.tag.findFirstOrThrow({ where: { slug: "collection-management" }, select: { id: true } });
    const other = await db.tag.findFirstOrThrow({ where: { slug: "technology" }, select: { id: true } });
    const reader = await aMember({ emailMode: "daily" });
    const unconfirmed = await aMember({ emailMode: "daily", emailVerifiedAt: null });
    const weekly = await aMember({ emailMode: "weekly" });
    const author = await aMember({ emailMode: "none" });
    await db.tagFollow.create({ data: { userId: reader.id, tagId: tag.id } });
    const at = new Date("2026-12-01T12:00:00Z");
    const thread = (title: string, kind: string, tagId: number, extra: object = {}) =>
      db.thread.create({
        data: {
          kind,
          title,
          slug: "t",
          bodySource: "b",
          bodyHtml: "<p>b</p>",
          rendererVersion: 1,
          authorId: author.id,
          createdAt: at,
          tags: { create: { tagId } },
          ...extra,
        },
      });
    await thread("Weeding the 599s", "question", tag.id);
    await thread("Chromebook carts", "question", other.id);
    await thread("Held first post about weeding", "question", tag.id, { hiddenAt: at, hiddenReason: "held" });
    const hit = await thread("HIT: fine-free results", "hit", other.id);
    await db.reply.create({
      data: {
        threadId: hit.id,
        authorId: author.id,
        bodySource: "Returns went up by a third.",
        bodyHtml: "<p>Returns went up by a third.</p>",
        rendererVersion: 1,
        helpfulCount: 4,
        createdAt: at,
      },
    });
    await db.resource.create({
      data: {
        title: "CREW manual",
        url: "https://example.org/crew",
        normalizedUrl: "example.org/crew",
        abstractSource: "x",
        abstractHtml: "x",
        type: "toolkit",
        submitterId: author.id,
        status: "approved",
        approvedAt: at,
      },
    });

    const now = new Date("2026-12-02T08:00:00Z");
    const first = await queueDueDigests(now, 7);
    expect(first.daily).toBeGreaterThanOrEqual(1);
    const job = await db.mailJob.findUniqueOrThrow({ where: { key: `digest:daily:2026-12-02:${reader.id}` } });
    const body = JSON.parse(job.message) as { text: string; html: string; headers: Record<string, string> };
    expect(job.subject).toBe("[ParaNet] Daily digest, 2026-12-02");
    expect(body.text).toContain("Weeding the 599s");
    expect(body.text).not.toContain("Chromebook carts"); // not a tag they follow
    expect(body.text).not.toContain("Held first post"); // waiting for a moderator
    expect(body.text).toContain("fine-free results");
    expect(body.text).toContain("Returns went up by a third.");
    expect(body.text).toContain("CREW manual");
    expect(body.html).toContain("Weeding the 599s");
    expect(body.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(await db.mailJob.count({ where: { key: { startsWith: "digest:" }, userId: unconfirmed.id } })).toBe(0);
    expect(await db.mailJob.count({ where: { key: { startsWith: "digest:daily" }, userId: weekly.id } })).toBe(0);

    // Run again (a restart mid-run, a second process): nobody gets a second digest.
    const jobs = await db.mailJob.count();
    const again = await queueDueDigests(now, 7);
    expect(again.daily).toBe(0);
    expect(await db.mailJob.count()).toBe(jobs);
    const lastDigestAt = await db.user.findUniqueOrThrow({ where: { id: reader.id }, select: { lastDigestAt: true } });
    expect(lastDigestAt.lastDigestAt?.toISOString()).toBe("2026-12-02T07:00:00.000Z");
  });

  it("hold nothing back silently: a member back from vacation gets one catch-up digest, then delivery resumes", async () => {
    const tag = await db.tag.findFirstOrThrow({ where: { slug: "reference" }, select: { id: true } });
    const away = await aMember({ emailMode: "every", vacationFrom: new Date("2026-12-10T00:00:00Z"), vacationUntil: new Date("2026-12-20T00:00:00Z") });
    const author = await aMember({ emailMode: "none" });
    await db.tagFollow.create({ data: { userId: away.id, tagId: tag.id } });
    await db.thread.create({
      data: {
        kind: "question",
        title: "Reference interview tips while I was away",
        slug: "t",
        bodySource: "b",
        bodyHtml: "b",
        rendererVersion: 1,
        authorId: author.id,
        createdAt: new Date("2026-12-15T10:00:00Z"),
        tags: { create: { tagId: tag.id } },
      },
    });
    // Still away: nothing.
    await queueDueDigests(new Date("2026-12-18T08:00:00Z"), 7);
    expect(await db.mailJob.count({ where: { userId: away.id } })).toBe(0);
    // Back: one catch-up digest of the whole hold, and the hold is gone.
    const back = await queueDueDigests(new Date("2026-12-20T08:00:00Z"), 7);
    expect(back.catchUp).toBe(1);
    const job = await db.mailJob.findFirstOrThrow({ where: { userId: away.id } });
    expect(job.subject).toContain("catch-up digest: what you missed since 2026-12-10");
    expect(JSON.parse(job.message).text).toContain("Reference interview tips while I was away");
    const user = await db.user.findUniqueOrThrow({ where: { id: away.id }, select: { vacationUntil: true, vacationFrom: true } });
    expect(user).toEqual({ vacationUntil: null, vacationFrom: null });
    await queueDueDigests(new Date("2026-12-20T09:00:00Z"), 7);
    expect(await db.mailJob.count({ where: { userId: away.id } })).toBe(1);
  });
});
