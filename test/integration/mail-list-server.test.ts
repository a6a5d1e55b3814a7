// Mail that behaves like a list server (issue 17), over real SMTP: a member
// on a vacation hold gets no mail of any kind; auto-replies, bounces and
// ParaNet's own mail coming back are dropped in silence (never posted, never
// answered) and shown to admins; outgoing mail carries the headers that keep
// responders quiet and tell clients how to unsubscribe and post; text parts
// are flowed; and the messages of one thread form one conversation in a mail
// client's threading (JWZ).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromFlowed } from "~/lib/flowed";
import { textOf, Visitor } from "../helpers/client";
import { threadRoots } from "../helpers/jwz";
import { eventually } from "../helpers/live";
import { inboundPortOf, sendToParaNet, startMailSink, type MailSink, type Received } from "../helpers/mail";
import { emailSettings, headerBlock, mailCommunity, person, postQuestion, replyIn as reply, to } from "../helpers/mail-community";
import { startServer, type RunningServer } from "../helpers/server";

let sink: MailSink;
let server: RunningServer;
const { sql, mailSettled, joinAndConfirm, runDigests } = mailCommunity(() => ({ server, sink }));
let inboundPort: number;
let admin: Visitor, asker: Visitor, present: Visitor, away: Visitor, replier: Visitor;
let tagId: string;

const header = (m: Received, name: string) => new RegExp(`^${name}: (.*)$`, "im").exec(headerBlock(m))?.[1];
const post = (visitor: Visitor, title: string) => postQuestion(visitor, tagId, { title });
const replyCount = async (threadId: number) => Number((await sql<{ n: number }[]>(`SELECT COUNT(*) AS "n" FROM "Reply" WHERE "threadId" = ?`, threadId))[0].n);
const inboundRecord = async (messageId: string) =>
  (await sql<{ status: string; code: string }[]>(`SELECT "status", "code" FROM "InboundMail" WHERE "messageId" = ?`, messageId))[0];

beforeAll(async () => {
  sink = await startMailSink();
  server = await startServer({ env: { SMTP_URL: sink.url, INBOUND_SMTP_PORT: "0", MAIL_DOMAIN: "paranet.test" } });
  inboundPort = inboundPortOf(server.output());
  admin = new Visitor(server.url);
  await admin.post(`/setup?token=${server.setupToken}`, person("admin"));
  [asker, present, away, replier] = [
    await joinAndConfirm("asker"),
    await joinAndConfirm("present"),
    await joinAndConfirm("away"),
    await joinAndConfirm("replier"),
  ];
  tagId = String((await sql<{ id: number }[]>(`SELECT "id" FROM "Tag" WHERE "slug" = 'collection-management'`))[0].id);
  for (const v of [present, away]) {
    expect((await emailSettings(v, { mode: "every" })).status).toBe(200);
    await v.post("/tags/collection-management", { intent: "follow" });
  }
});
afterAll(async () => {
  await server?.stop();
  await sink?.close();
});

describe("a vacation hold (LM_NET's NOMAIL)", () => {
  it("stops every kind of mail: new threads, replies in followed threads and tags, notifications, digests", async () => {
    const tomorrow = new Date(Date.now() + 24 * 60 * 60_000).toISOString().slice(0, 10);
    // Away asks a question first (so replies to it would be notifications), then goes on hold.
    const own = await post(away, "Shelf-reading schedules for one-person libraries?");
    expect(textOf((await emailSettings(away, { mode: "every", vacationUntil: tomorrow })).body)).toContain("Your email settings are saved.");
    const before = sink.messages.filter(to("away@example.org")).length;
    // A new thread in a followed tag, a reply in a followed thread and tag, a reply in their own thread (a notification).
    const thread = await post(asker, "Weeding the 500s: what goes first?");
    await away.post(thread.path, { intent: "follow" });
    await reply(replier, thread.path, "Anything with outdated science.");
    await reply(replier, own.path, "Every Friday afternoon, one range at a time.");
    // Present (not on hold, same follows) gets the list mail: proof it went out.
    await sink.waitFor((m) => to("present@example.org")(m) && m.subject === "Re: [ParaNet] Weeding the 500s: what goes first?");
    await eventually(async () =>
      expect(
        (await sql<{ n: number }[]>(`SELECT COUNT(*) AS "n" FROM "Notification" n JOIN "User" u ON u."id" = n."userId" WHERE u."handle" = 'away'`))[0].n,
      ).toBeGreaterThan(0),
    );
    // A digest run for the day (away's mode is every: a daily member on hold is checked in the digest test of mail.test.ts).
    await sql(`UPDATE "User" SET "emailMode" = 'daily' WHERE "handle" = 'away'`);
    // (Today's period, which ends this hour: the hold lasts until tomorrow.)
    expect(await runDigests(new Date(), new Date().getUTCHours())).toMatch(/0 daily/);
    await sql(`UPDATE "User" SET "emailMode" = 'every' WHERE "handle" = 'away'`);
    await mailSettled();
    expect(
      sink.messages
        .filter(to("away@example.org"))
        .slice(before)
        .map((m) => `${m.subject}: ${m.text?.slice(0, 80)}`),
    ).toEqual([]);
    await emailSettings(away, { mode: "every" });
  });
});

describe("automatic mail", () => {
  let thread: { id: number; path: string };
  let listMail: Received;
  beforeAll(async () => {
    thread = await post(asker, "Barcode scanners that work with Destiny?");
    await present.post(thread.path, { intent: "follow" });
    await reply(replier, thread.path, "We like the wireless ones.");
    listMail = await sink.waitFor((m) => to("present@example.org")(m) && m.subject === "Re: [ParaNet] Barcode scanners that work with Destiny?");
  });
  const replyAddress = () => listMail.replyTo!.value[0].address!;

  it.each([
    ["RFC 3834 Auto-Submitted", { "Auto-Submitted": "auto-replied" }, "Re: [ParaNet] Barcode scanners"],
    ["Precedence: bulk", { Precedence: "bulk" }, "Re: [ParaNet] Barcode scanners"],
    ["Precedence: auto_reply", { Precedence: "auto_reply" }, "Re: [ParaNet] Barcode scanners"],
    ["X-Autoreply", { "X-Autoreply": "yes" }, "Re: [ParaNet] Barcode scanners"],
    ["X-Autorespond", { "X-Autorespond": "Out of office" }, "Re: [ParaNet] Barcode scanners"],
    ["Exchange's X-Auto-Response-Suppress", { "X-Auto-Response-Suppress": "All" }, "Re: [ParaNet] Barcode scanners"],
    ["a responder with no header, by its subject", {}, "Automatic reply: [ParaNet] Barcode scanners"],
    ["a German responder, by its subject", {}, "Abwesenheitsnotiz: [ParaNet] Barcode scanners"],
  ])("an out-of-office reply (%s) is dropped: not posted, not answered, shown to admins", async (_name, headers, subject) => {
    await mailSettled();
    const before = { replies: await replyCount(thread.id), mail: sink.messages.length };
    const messageId = `<ooo-${Math.random().toString(36).slice(2)}@mail.example.org>`;
    const answer = await sendToParaNet(inboundPort, {
      from: "Present <present@example.org>",
      to: replyAddress(),
      subject,
      messageId,
      headers,
      text: "I am out of the office until Monday with limited access to email.",
    });
    expect(answer).toContain("Accepted");
    expect(await inboundRecord(messageId)).toEqual({ status: "dropped", code: "auto_reply" });
    await mailSettled();
    expect(await replyCount(thread.id)).toBe(before.replies);
    expect(sink.messages.length).toBe(before.mail);
  });

  it("drops a bounce (a delivery status report from the member's own address, an empty envelope sender)", async () => {
    const messageId = `<dsn-${Math.random().toString(36).slice(2)}@mail.example.org>`;
    const raw = [
      "From: Mail Delivery Subsystem <present@example.org>",
      `To: ${replyAddress()}`,
      "Subject: Delivery Status Notification (Failure)",
      `Message-ID: ${messageId}`,
      "MIME-Version: 1.0",
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain",
      "",
      "Your message could not be delivered.",
      "--b1",
      "Content-Type: message/delivery-status",
      "",
      "Reporting-MTA: dns; mx.example.org",
      "",
      "Final-Recipient: rfc822; gone@example.org",
      "Action: failed",
      "Status: 5.1.1",
      "--b1--",
      "",
    ].join("\r\n");
    const before = await replyCount(thread.id);
    const answer = await sendToParaNet(inboundPort, { envelope: { from: "", to: [replyAddress()] }, raw });
    expect(answer).toContain("Accepted");
    expect(await inboundRecord(messageId)).toEqual({ status: "dropped", code: "bounce" });
    expect(await replyCount(thread.id)).toBe(before);
  });

  it("drops ParaNet's own list mail sent back to a reply address, and mail that went round too many servers", async () => {
    // A forwarding rule sends the list mail straight back: its List-Id and X-Loop are ParaNet's.
    const resent = listMail.raw
      .replace(/^Message-ID: .*$/im, "Message-ID: <looped-1@mail.example.org>")
      .replace(/^From: .*$/im, "From: Present <present@example.org>");
    const before = await replyCount(thread.id);
    expect(await sendToParaNet(inboundPort, { envelope: { from: "present@example.org", to: [replyAddress()] }, raw: resent })).toContain("Accepted");
    expect(await inboundRecord("<looped-1@mail.example.org>")).toEqual({ status: "dropped", code: "loop" });
    const hops = Array.from({ length: 30 }, (_, i) => `Received: from relay${i}.example.org by relay${i + 1}.example.org; Mon, 7 Dec 2026 10:00:00 +0000`).join(
      "\r\n",
    );
    const raw = `${hops}\r\nFrom: present@example.org\r\nTo: ${replyAddress()}\r\nSubject: Re: scanners\r\nMessage-ID: <hops-1@mail.example.org>\r\n\r\nA real answer, but it went round.\r\n`;
    expect(await sendToParaNet(inboundPort, { envelope: { from: "present@example.org", to: [replyAddress()] }, raw })).toContain("Accepted");
    expect(await inboundRecord("<hops-1@mail.example.org>")).toEqual({ status: "dropped", code: "loop" });
    expect(await replyCount(thread.id)).toBe(before);
    // Admins see what was dropped, and why.
    const page = textOf((await admin.get("/admin/outbox")).body);
    expect(page).toContain("Mail received and not posted");
    expect(page).toContain("Dropped (loop)");
    expect(page).toContain("Dropped (auto_reply)");
    expect(page).toContain("Dropped (bounce)");
  });

  it("still posts a person's reply that mentions being away", async () => {
    const answer = await sendToParaNet(inboundPort, {
      from: "Present <present@example.org>",
      to: replyAddress(),
      subject: "Re: [ParaNet] Barcode scanners that work with Destiny?",
      messageId: "<human-1@mail.example.org>",
      text: "I was out of the office last week, sorry: ours are corded Zebras and never need charging.",
    });
    expect(answer).toContain("Posted");
  });
});

describe("outgoing mail", () => {
  it("carries list headers on list mail, Auto-Submitted on personal mail, and flowed text", async () => {
    const thread = await post(asker, "Summer reading logs: paper or app?");
    await present.post(thread.path, { intent: "follow" });
    const long = `We tried the app for two summers and went back to paper logs because ${"families without phones were left out and ".repeat(4)}that mattered more to us.`;
    await reply(replier, thread.path, long);
    const list = await sink.waitFor((m) => to("present@example.org")(m) && m.subject === "Re: [ParaNet] Summer reading logs: paper or app?");
    expect(header(list, "Precedence")).toBe("list");
    expect(header(list, "X-Auto-Response-Suppress")).toBe("OOF, AutoReply");
    expect(header(list, "X-Loop")).toBe("paranet.paranet.test");
    expect(header(list, "Auto-Submitted")).toBeUndefined();
    expect(header(list, "List-Post")).toBe(`<mailto:${list.replyTo!.value[0].address}>`);
    expect(header(list, "List-Help")).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/me\/settings\/email>$/);
    expect(header(list, "List-Unsubscribe")).toMatch(
      /^<http:\/\/127\.0\.0\.1:\d+\/email\/unsubscribe\?token=\d+-list-v\d+-[0-9a-f]{20}>, <mailto:unsubscribe\+\d+-list-v\d+-[0-9a-f]{20}@paranet\.test\?subject=unsubscribe>$/,
    );
    // The text part: format=flowed, no line over 78 characters, and it reads back as written.
    expect(list.raw).toMatch(/Content-Type: text\/plain; charset=utf-8; format=flowed/i);
    const textPart = /Content-Type: text\/plain; charset=utf-8; format=flowed\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\s\S]*?)\r?\n--/i.exec(list.raw)![1];
    const decoded = textPart.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    for (const line of decoded.split(/\r?\n/)) expect(line.length, line).toBeLessThanOrEqual(79);
    expect(fromFlowed(decoded.replace(/\r\n/g, "\n"))).toContain(long);
    // Personal mail: the asker's notification of the reply, and account mail.
    const note = await sink.waitFor((m) => to("asker@example.org")(m) && m.subject === "Re: [ParaNet] Summer reading logs: paper or app?");
    expect(header(note, "Auto-Submitted")).toBe("auto-generated");
    expect(header(note, "Precedence")).toBeUndefined();
    const verify = sink.messages.find((m) => to("replier@example.org")(m) && m.subject === "[ParaNet] Confirm your email address")!;
    expect(header(verify, "Auto-Submitted")).toBe("auto-generated");
    expect(header(verify, "X-Auto-Response-Suppress")).toBe("OOF, AutoReply");
  });

  it("unsubscribes by mail to the List-Unsubscribe mailto address", async () => {
    const list = sink.messages.find((m) => to("present@example.org")(m) && header(m, "List-Unsubscribe")?.includes("mailto:"))!;
    const address = /<mailto:([^?>]+)/.exec(header(list, "List-Unsubscribe")!)![1];
    const answer = await sendToParaNet(inboundPort, { from: "present@example.org", to: address, subject: "unsubscribe", text: "unsubscribe" });
    expect(answer).toContain("Unsubscribed");
    expect((await sql<{ emailMode: string }[]>(`SELECT "emailMode" FROM "User" WHERE "handle" = 'present'`))[0].emailMode).toBe("none");
    // A made-up token unsubscribes nobody.
    await expect(
      sendToParaNet(inboundPort, { from: "x@example.org", to: "unsubscribe+1-list-00000000000000000000@paranet.test", text: "x" }),
    ).rejects.toThrow();
    await emailSettings(present, { mode: "every" });
  });
});

describe("digests", () => {
  it("show answers as the site does (no Markdown marks), name a few new resources and count the rest, and link where the server does", async () => {
    const daily = await joinAndConfirm("daily");
    await emailSettings(daily, { mode: "daily" });
    await daily.post("/tags/collection-management", { intent: "follow" });
    const thread = await post(asker, "When is a book MUSTIE?");
    const answer = await reply(
      replier,
      thread.path,
      "When it is **MUSTIE**: _misleading_, ugly, superseded, trivial, irrelevant or elsewhere. See [CREW](https://example.org/crew).",
    );
    expect((await asker.post(thread.path, { intent: "helpful", replyId: String(answer) })).status).toBe(302);
    const submitter = (await sql<{ id: number }[]>(`SELECT "id" FROM "User" WHERE "handle" = 'admin'`))[0].id;
    for (let i = 1; i <= 8; i++) {
      await sql(
        `INSERT INTO "Resource" ("title", "url", "normalizedUrl", "abstractSource", "abstractHtml", "type", "submitterId", "status", "createdAt", "updatedAt", "approvedAt")
         VALUES (?, ?, ?, 'An abstract.', '<p>An abstract.</p>', 'article', ?, 'approved', ?, ?, ?)`,
        `Imported resource ${i}`,
        `https://example.org/r${i}`,
        `example.org/r${i}`,
        submitter,
        new Date(),
        new Date(),
        new Date(Date.now() - i * 1000),
      );
    }
    // Run as cron would: without the server's PUBLIC_URL (it has none here), links still point at the server.
    await runDigests(new Date(Date.now() + 24 * 60 * 60_000), new Date().getUTCHours());
    const digest = await sink.waitFor((m) => to("daily@example.org")(m) && (m.subject ?? "").startsWith("[ParaNet] Daily digest"));
    const text = fromFlowed(digest.text ?? "");
    expect(text).toContain("When it is MUSTIE: misleading, ugly, superseded");
    expect(text).not.toContain("**MUSTIE**");
    expect(text).toContain("Imported resource 1");
    expect(text).toContain("Imported resource 5");
    expect(text).not.toContain("Imported resource 6");
    expect(text).toContain("and 3 more");
    expect(text).toContain(`${server.url}/t/${thread.id}/`);
    expect(text).not.toContain("localhost:3000");
  });
});

describe("threading", () => {
  it("makes one conversation of a thread's mail in a mail client (JWZ): the first mail, the replies and the notifications", async () => {
    const thread = await post(asker, "Genrefying a middle school fiction section");
    await present.post(thread.path, { intent: "follow" });
    const first = await reply(replier, thread.path, "We did it over one summer with student helpers.");
    await reply(asker, thread.path, "How did you label the spines?");
    const presentsOwn = await reply(present, thread.path, "Color-coded spine labels from Demco.");
    expect((await asker.post(thread.path, { intent: "accept", replyId: String(presentsOwn) })).status).toBe(302);
    // Present gets the first mail (following the tag), the others' replies (list mail) and the accepted-answer notification.
    await sink.waitFor((m) => to("present@example.org")(m) && (m.text ?? "").includes("accepted your answer"));
    await mailSettled();
    const theirs = sink.messages.filter((m) => to("present@example.org")(m) && (m.subject ?? "").includes("Genrefying a middle school fiction section"));
    expect(theirs.length).toBeGreaterThanOrEqual(4);
    const roots = new Set(threadRoots(theirs));
    expect([...roots]).toEqual([`<thread.${thread.id}@paranet.test>`]);
    // Every copy of a reply carries the same Message-ID; the first mail is the thread's.
    expect(theirs.find((m) => m.subject === "[ParaNet] Genrefying a middle school fiction section")?.messageId).toBe(`<thread.${thread.id}@paranet.test>`);
    expect(theirs.some((m) => m.messageId === `<reply.${first}@paranet.test>`)).toBe(true);
    const askerCopy = sink.messages.find((m) => to("asker@example.org")(m) && (m.text ?? "").includes("We did it over one summer"));
    if (askerCopy) expect(threadRoots([askerCopy])).toEqual([`<thread.${thread.id}@paranet.test>`]);
  });
});
