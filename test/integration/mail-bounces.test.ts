// Bounces, revocable unsubscribe links and address changes (issue 17), over
// real SMTP: every message's envelope sender is a signed bounce (VERP)
// address; a delivery status report sent there raises the member's bounce
// score, is answered 250 and posts nothing; at the threshold list and
// notification mail stops (another member in the same position still gets
// it) and the member's settings page says why; confirming the address again
// resumes delivery; a forged bounce address changes nothing; admins see the
// address. An unsubscribe link stops working once the member saves their
// settings; an address change is confirmed from the new address and told to
// the old one, and an address in use is refused beside the field.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf, Visitor } from "../helpers/client";
import { eventually } from "../helpers/live";
import { inboundPortOf, sendToParaNet, startMailSink, type MailSink, type Received } from "../helpers/mail";
import { emailSettings, linkIn, mailCommunity, person, postQuestion, replyIn as reply, to } from "../helpers/mail-community";
import { startServer, type RunningServer } from "../helpers/server";

let sink: MailSink;
let server: RunningServer;
const { sql, mailSettled, joinAndConfirm } = mailCommunity(() => ({ server, sink }));
let inboundPort: number;
let admin: Visitor, asker: Visitor, dead: Visitor, alive: Visitor, replier: Visitor, mover: Visitor;
let tagId: string;

const PASSWORD = "correct horse battery";
const SECRET = "inbound-webhook-secret-for-bounce-tests";
const BOUNCE = /^bounce\+(\d+)-(\d+)-[0-9a-f]{20}@paranet\.test$/;
const post = (visitor: Visitor, title: string) => postQuestion(visitor, tagId, { title });
const userId = async (handle: string) => Number((await sql<{ id: number }[]>(`SELECT "id" FROM "User" WHERE "handle" = ?`, handle))[0].id);
const bounceState = async (handle: string) =>
  (await sql<{ bounceScore: number; mailStoppedAt: unknown }[]>(`SELECT "bounceScore", "mailStoppedAt" FROM "User" WHERE "handle" = ?`, handle)).map((r) => ({
    score: Number(r.bounceScore),
    stopped: r.mailStoppedAt !== null,
  }))[0];
const inboundRecord = async (messageId: string) =>
  (await sql<{ status: string; code: string }[]>(`SELECT "status", "code" FROM "InboundMail" WHERE "messageId" = ?`, messageId))[0];
const replyCount = async () => Number((await sql<{ n: number }[]>(`SELECT COUNT(*) AS "n" FROM "Reply"`))[0].n);

/** A delivery status notification, as a receiving server's MTA writes it, about `original`. */
function dsn(bounceTo: string, messageId: string, recipient: string, status = "5.1.1") {
  return [
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>",
    `To: ${bounceTo}`,
    "Subject: Undelivered Mail Returned to Sender",
    `Message-ID: ${messageId}`,
    "Auto-Submitted: auto-replied",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-boundary"',
    "",
    "--dsn-boundary",
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "This is the mail system at host mx.example.org. Your message could not be delivered.",
    "--dsn-boundary",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.example.org",
    "",
    `Final-Recipient: rfc822; ${recipient}`,
    "Action: failed",
    `Status: ${status}`,
    `Diagnostic-Code: smtp; 550 ${status} <${recipient}>: Recipient address rejected: User unknown`,
    "--dsn-boundary",
    "Content-Type: text/rfc822-headers",
    "",
    "From: ParaNet <paranet@paranet.test>",
    `To: ${recipient}`,
    "Subject: [ParaNet] a message",
    "--dsn-boundary--",
    "",
  ].join("\r\n");
}
let dsnCount = 0;
async function bounce(bounceTo: string, recipient: string, status = "5.1.1") {
  const messageId = `<dsn-${++dsnCount}-${Math.random().toString(36).slice(2)}@mx.example.org>`;
  const answer = await sendToParaNet(inboundPort, { envelope: { from: "", to: [bounceTo] }, raw: dsn(bounceTo, messageId, recipient, status) });
  return { answer, messageId };
}

beforeAll(async () => {
  sink = await startMailSink();
  server = await startServer({ env: { SMTP_URL: sink.url, INBOUND_SMTP_PORT: "0", MAIL_DOMAIN: "paranet.test", INBOUND_MAIL_SECRET: SECRET } });
  inboundPort = inboundPortOf(server.output());
  admin = new Visitor(server.url);
  await admin.post(`/setup?token=${server.setupToken}`, person("admin"));
  [asker, dead, alive, replier, mover] = [
    await joinAndConfirm("asker"),
    await joinAndConfirm("dead"),
    await joinAndConfirm("alive"),
    await joinAndConfirm("replier"),
    await joinAndConfirm("mover"),
  ];
  tagId = String((await sql<{ id: number }[]>(`SELECT "id" FROM "Tag" WHERE "slug" = 'collection-management'`))[0].id);
  for (const v of [dead, alive, mover]) {
    expect((await emailSettings(v, { mode: "every" })).status).toBe(200);
    await v.post("/tags/collection-management", { intent: "follow" });
  }
});
afterAll(async () => {
  await server?.stop();
  await sink?.close();
});

describe("bounces", () => {
  let firstMail: Received;

  it("sends every message with a signed bounce address naming the member and the mail job as envelope sender; From stays", async () => {
    await post(asker, "Overdue notices by text message?");
    firstMail = await sink.waitFor((m) => to("dead@example.org")(m) && m.subject === "[ParaNet] Overdue notices by text message?");
    const m = BOUNCE.exec(firstMail.envelopeFrom)!;
    expect(m).not.toBeNull();
    expect(Number(m[2])).toBe(await userId("dead"));
    const [job] = await sql<{ toAddress: string }[]>(`SELECT "toAddress" FROM "MailJob" WHERE "id" = ?`, Number(m[1]));
    expect(job.toAddress).toBe("dead@example.org");
    expect(firstMail.from?.text).toContain("paranet@paranet.test");
    // Account mail too.
    const verify = sink.messages.find((x) => to("alive@example.org")(x) && x.subject === "[ParaNet] Confirm your email address")!;
    expect(Number(BOUNCE.exec(verify.envelopeFrom)![2])).toBe(await userId("alive"));
  });

  it("takes a DSN for a dead address at the bounce address: answered 250, scored, nothing posted or sent", async () => {
    await mailSettled();
    const before = { replies: await replyCount(), mail: sink.messages.length };
    const { answer, messageId } = await bounce(firstMail.envelopeFrom, "dead@example.org");
    expect(answer).toMatch(/^250\b/);
    expect(await inboundRecord(messageId)).toEqual({ status: "bounce", code: "bounce_hard" });
    expect(await bounceState("dead")).toEqual({ score: 2, stopped: false });
    // The same report delivered again counts once.
    await sendToParaNet(inboundPort, { envelope: { from: "", to: [firstMail.envelopeFrom] }, raw: dsn(firstMail.envelopeFrom, messageId, "dead@example.org") });
    expect(await bounceState("dead")).toEqual({ score: 2, stopped: false });
    await mailSettled();
    expect(await replyCount()).toBe(before.replies);
    expect(sink.messages.length).toBe(before.mail);
  });

  it("drops a report to a forged bounce address without effect", async () => {
    const id = await userId("alive");
    const forged = firstMail.envelopeFrom.replace(/-\d+-([0-9a-f]{20})@/, `-${id}-$1@`);
    const { answer, messageId } = await bounce(forged, "alive@example.org");
    expect(answer).toMatch(/^250\b/);
    expect(await inboundRecord(messageId)).toEqual({ status: "dropped", code: "bounce" });
    const made = await bounce(`bounce+1-${id}-00000000000000000000@paranet.test`, "alive@example.org");
    expect(made.answer).toMatch(/^250\b/);
    expect(await bounceState("alive")).toEqual({ score: 0, stopped: false });
  });

  it("takes a bounce through the webhook too: a soft one (4.x.x) counts 1", async () => {
    const verify = sink.messages.find((m) => to("replier@example.org")(m) && m.subject === "[ParaNet] Confirm your email address")!;
    const raw = dsn(verify.envelopeFrom, "<webhook-dsn-1@mx.example.org>", "replier@example.org", "4.2.2");
    const res = await fetch(`${server.url}/api/v1/inbound-mail`, {
      method: "POST",
      headers: { Authorization: `Bearer ${SECRET}`, "Content-Type": "message/rfc822" },
      body: raw,
    });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { bounce: { code: string } }).bounce.code).toBe("bounce_soft");
    expect(await bounceState("replier")).toEqual({ score: 1, stopped: false });
    expect(textOf((await replier.get("/me/settings/email")).body)).toContain("Some mail to this address bounced lately");
  });

  it("counts a DSN a server sent to the member's reply address (not the envelope sender) when it names their address", async () => {
    const mail = sink.messages.find((m) => to("mover@example.org")(m) && m.subject === "[ParaNet] Overdue notices by text message?")!;
    const replyTo = mail.replyTo!.value[0].address!;
    expect(replyTo).toMatch(/^reply\+/);
    // A report about someone else's address, sent to this member's reply address, counts nothing.
    const other = await bounce(replyTo, "alive@example.org");
    expect(other.answer).toMatch(/^250\b/);
    expect(await inboundRecord(other.messageId)).toEqual({ status: "dropped", code: "bounce" });
    expect(await bounceState("mover")).toEqual({ score: 0, stopped: false });
    const own = await bounce(replyTo, "mover@example.org");
    expect(own.answer).toMatch(/^250\b/);
    expect(await inboundRecord(own.messageId)).toEqual({ status: "bounce", code: "bounce_hard" });
    expect(await bounceState("mover")).toEqual({ score: 2, stopped: false });
    expect(await bounceState("alive")).toEqual({ score: 0, stopped: false });
  });

  it("stops list and notification mail past the threshold, while another member in the same position still gets it", async () => {
    const second = await bounce(firstMail.envelopeFrom, "dead@example.org");
    expect(await inboundRecord(second.messageId)).toEqual({ status: "bounce", code: "bounce_hard" });
    expect(await bounceState("dead")).toEqual({ score: 4, stopped: true });
    await mailSettled();
    const [{ last }] = await sql<{ last: number }[]>(`SELECT COALESCE(MAX("id"), 0) AS "last" FROM "MailJob"`);
    // Both ask a question (replies to it are their notifications) and follow the same tag (list mail).
    const deadsOwn = await post(dead, "Dead's question: label printers?");
    const alivesOwn = await post(alive, "Alive's question: label printers?");
    const other = await post(asker, "Weeding the 600s?");
    await reply(replier, deadsOwn.path, "We use Dymo.");
    await reply(replier, alivesOwn.path, "We use Brother.");
    await reply(replier, other.path, "Anything older than ten years.");
    await sink.waitFor((m) => to("alive@example.org")(m) && m.subject === "Re: [ParaNet] Weeding the 600s?");
    await sink.waitFor((m) => to("alive@example.org")(m) && m.subject === "Re: [ParaNet] Alive's question: label printers?");
    await mailSettled();
    const jobsFor = async (handle: string) =>
      (await sql<{ kind: string }[]>(`SELECT "kind" FROM "MailJob" WHERE "id" > ? AND "userId" = ?`, Number(last), await userId(handle))).map((j) => j.kind);
    expect(await jobsFor("dead")).toEqual([]);
    expect((await jobsFor("alive")).length).toBeGreaterThanOrEqual(3);
  });

  it("tells the member why on their settings page, and in a banner on their pages", async () => {
    const page = textOf((await dead.get("/me/settings/email")).body);
    expect(page).toContain("Mail to dead@example.org bounced, so ParaNet has stopped sending to it.");
    expect(page).toContain("confirm it");
    expect(page).toContain("change your address");
    expect(textOf((await dead.get("/")).body)).toContain("Mail to your address bounced, so ParaNet has stopped sending you mail.");
    expect(textOf((await alive.get("/")).body)).not.toContain("Mail to your address bounced");
  });

  it("shows admins the bouncing address", async () => {
    const page = await admin.get("/admin/outbox");
    const section = /<section[^>]*aria-labelledby="bouncing-heading"[\s\S]*?<\/section>/.exec(page.body)![0];
    const row = textOf(/<tr>(?:(?!<\/tr>)[\s\S])*dead@example\.org[\s\S]*?<\/tr>/.exec(section)![0]);
    expect(row).toContain("dead@example.org");
    expect(row).toMatch(/\b4\b/);
    expect(row).toContain("Stopped");
    expect(textOf(section)).not.toContain("alive@example.org");
    expect((await alive.get("/admin/outbox")).status).not.toBe(200);
  });

  it("resumes delivery once the member confirms the address again", async () => {
    const confirmation = (m: Received) => to("dead@example.org")(m) && m.subject === "[ParaNet] Confirm your email address";
    const sent = sink.messages.filter(confirmation).length;
    const res = await dead.post("/me/settings/email", { intent: "resend" });
    expect(textOf(res.body)).toContain("A new confirmation link is on its way");
    // Account mail still goes to a stopped address.
    await eventually(() => expect(sink.messages.filter(confirmation).length).toBe(sent + 1), 8000);
    const link = linkIn(sink.messages.filter(confirmation)[sent], "/email/verify?token=");
    expect(textOf((await dead.get(link.pathname + link.search)).body)).toContain("your address is confirmed");
    expect(await bounceState("dead")).toEqual({ score: 0, stopped: false });
    expect(textOf((await dead.get("/me/settings/email")).body)).not.toContain("bounced");
    await post(asker, "Weeding the 700s?");
    await sink.waitFor((m) => to("dead@example.org")(m) && m.subject === "[ParaNet] Weeding the 700s?");
  });
});

describe("unsubscribe links that can be revoked", () => {
  it("stop working after the member saves their email settings", async () => {
    await post(asker, "Book fair alternatives?");
    const mail = await sink.waitFor((m) => to("alive@example.org")(m) && m.subject === "[ParaNet] Book fair alternatives?");
    const link = linkIn(mail, "/email/unsubscribe?token=");
    expect((await alive.get(link.pathname + link.search)).status).toBe(200);
    expect((await emailSettings(alive, { mode: "every" })).status).toBe(200);
    const stale = await alive.get(link.pathname + link.search);
    expect(stale.status).toBe(400);
    expect(textOf(stale.body)).toContain("This unsubscribe link is no longer valid");
    expect(stale.body).toContain('href="/me/settings/email"');
    const posted = await alive.post(link.pathname + link.search, {});
    expect(posted.status).toBe(400);
    // The mailto half is revoked too.
    const mailto = /<mailto:([^?>]+)/.exec(mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " "))?.[1] ?? "";
    expect(mailto).toMatch(/^unsubscribe\+/);
    await expect(sendToParaNet(inboundPort, { from: "alive@example.org", to: mailto, subject: "unsubscribe", text: "unsubscribe" })).rejects.toThrow(
      /no longer valid/,
    );
    expect((await sql<{ emailMode: string }[]>(`SELECT "emailMode" FROM "User" WHERE "handle" = 'alive'`))[0].emailMode).toBe("every");
    // A message made after the save carries a link that works.
    await post(asker, "Book fair alternatives, part two?");
    const fresh = await sink.waitFor((m) => to("alive@example.org")(m) && m.subject === "[ParaNet] Book fair alternatives, part two?");
    const freshLink = linkIn(fresh, "/email/unsubscribe?token=");
    expect((await alive.get(freshLink.pathname + freshLink.search)).status).toBe(200);
  });
});

describe("changing one's address", () => {
  it("refuses an address another member uses, beside the field, keeping what was typed; and a wrong password", async () => {
    const res = await mover.post("/me/settings/email", { intent: "change-email", newEmail: "Alive@example.org", password: PASSWORD });
    expect(res.status).toBe(400);
    const field = /<div class="field field--invalid">[\s\S]*?<\/div>/.exec(res.body)![0];
    expect(field).toContain('name="newEmail"');
    expect(field).toContain('value="Alive@example.org"');
    expect(textOf(field)).toContain("This address is already used by another ParaNet member.");
    const wrong = await mover.post("/me/settings/email", { intent: "change-email", newEmail: "mover-new@example.org", password: "not my password" });
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.body)).toContain("That is not your password.");
    expect(wrong.body).toContain('value="mover-new@example.org"');
  });

  it("mails the link to the new address, changes it only when followed, and tells the old address", async () => {
    const moverId = await userId("mover");
    await post(asker, "Shelf labels in Spanish?");
    const before = await sink.waitFor((m) => to("mover@example.org")(m) && m.subject === "[ParaNet] Shelf labels in Spanish?");
    const oldUnsubscribe = linkIn(before, "/email/unsubscribe?token=");
    const res = await mover.post("/me/settings/email", { intent: "change-email", newEmail: "mover-new@example.org", password: PASSWORD });
    expect(res.status).toBe(200);
    expect(textOf(res.body)).toContain("A confirmation link is on its way to mover-new@example.org");
    const mail = await sink.waitFor((m) => to("mover-new@example.org")(m) && m.subject === "[ParaNet] Confirm your new email address");
    expect(mail.envelopeTo).toEqual(["mover-new@example.org"]);
    // Nothing changes until the link is followed.
    expect((await sql<{ email: string }[]>(`SELECT "email" FROM "User" WHERE "id" = ?`, moverId))[0].email).toBe("mover@example.org");
    expect(textOf((await mover.get("/me/settings/email")).body)).toContain("A change to mover-new@example.org is waiting");
    const link = linkIn(mail, "/email/verify?token=");
    expect(textOf((await mover.get(link.pathname + link.search)).body)).toContain("your ParaNet address is now mover-new@example.org");
    expect((await sql<{ email: string }[]>(`SELECT "email" FROM "User" WHERE "id" = ?`, moverId))[0].email).toBe("mover-new@example.org");
    // The old address is told, with no link that would undo it.
    const notice = await sink.waitFor((m) => to("mover@example.org")(m) && m.subject === "[ParaNet] Your email address was changed");
    expect(notice.text).toContain("changed from mover@example.org to mover-new@example.org");
    expect(notice.text).toContain("contact an administrator");
    expect(notice.text).not.toMatch(/\/email\/|token=/);
    // The link works once; unsubscribe links mailed to the old address are revoked.
    expect((await mover.get(link.pathname + link.search)).status).toBe(400);
    expect((await mover.get(oldUnsubscribe.pathname + oldUnsubscribe.search)).status).toBe(400);
    // Mail now goes to the new address.
    await post(asker, "Shelf labels in Hmong?");
    await sink.waitFor((m) => to("mover-new@example.org")(m) && m.subject === "[ParaNet] Shelf labels in Hmong?");
  });
});
