// The listserv heritage over real SMTP: ParaNet sends to an SMTP server in
// this process, and members answer by sending real SMTP to ParaNet's
// receiver. Verification at join, mailing-list mode with list headers and
// signed reply addresses, one-click unsubscribe, TARGET privacy, reply by
// email (quoted history stripped, duplicates, forgeries, strangers), the
// webhook, digests and vacation holds, password reset, and the outbox used
// when no mail server is configured.
import fs from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join, textOf, Visitor } from "../helpers/client";
import { connectLive, eventually, subscribed } from "../helpers/live";
import { inboundPortOf, sendToParaNet, startMailSink, type MailSink, type Received } from "../helpers/mail";
import { emailSettings, headerBlock, linkIn, mailCommunity, person, postQuestion, replyIn as reply, to } from "../helpers/mail-community";
import { startServer, type RunningServer } from "../helpers/server";

const SECRET = "inbound-webhook-secret-for-tests-0123";
let sink: MailSink;
let server: RunningServer;
const { sql, mailSettled, joinAndConfirm, runDigests } = mailCommunity(() => ({ server, sink }));
let inboundPort: number;
let admin: Visitor, asker: Visitor, listy: Visitor, helper: Visitor, bystander: Visitor;
let tagId: string;

const listMailFor = (replyId: number) =>
  sql<{ toAddress: string }[]>(`SELECT "toAddress" FROM "MailJob" WHERE "key" LIKE ? ORDER BY "toAddress"`, `post:reply:${replyId}:%`);

const post = (visitor: Visitor, fields: Record<string, string>) => postQuestion(visitor, tagId, fields);

beforeAll(async () => {
  sink = await startMailSink();
  server = await startServer({ env: { SMTP_URL: sink.url, INBOUND_SMTP_PORT: "0", MAIL_DOMAIN: "paranet.test", INBOUND_MAIL_SECRET: SECRET } });
  inboundPort = inboundPortOf(server.output());
  admin = new Visitor(server.url);
  await admin.post(`/setup?token=${server.setupToken}`, person("admin"));
  [asker, listy, helper, bystander] = [
    await joinAndConfirm("asker"),
    await joinAndConfirm("listy"),
    await joinAndConfirm("helper"),
    await joinAndConfirm("bystander"),
  ];
  tagId = String((await sql<{ id: number }[]>(`SELECT "id" FROM "Tag" WHERE "slug" = 'collection-management'`))[0].id);
});
afterAll(async () => {
  await server?.stop();
  await sink?.close();
});

describe("account mail", () => {
  it("asks a new member to confirm their address, in plain text and HTML, by a link that works once", async () => {
    const v = new Visitor(server.url);
    await join(v, person("newbie"));
    const mail = await sink.waitFor(to("newbie@example.org"));
    expect(mail.subject).toBe("[ParaNet] Confirm your email address");
    expect(mail.from?.text).toContain("paranet@paranet.test");
    expect(mail.text).toContain("/email/verify?token=");
    expect(mail.html).toContain("Confirm my address");
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/);
    const settings = textOf((await v.get("/me/settings/email")).body);
    expect(settings).toContain("Please confirm newbie@example.org");
    const link = linkIn(mail, "/email/verify?token=");
    expect(textOf((await v.get(link.pathname + link.search)).body)).toContain("your address is confirmed");
    const again = await v.get(link.pathname + link.search);
    expect(again.status).toBe(400);
    expect(textOf(again.body)).toContain("not valid");
  });

  it("resets a forgotten password by a one-time link, without telling strangers who is a member", async () => {
    const unknown = await new Visitor(server.url).post("/forgot-password", { email: "nobody@example.org" });
    await joinAndConfirm("forgetful");
    const known = await new Visitor(server.url).post("/forgot-password", { email: "forgetful@example.org" });
    expect(textOf(unknown.body)).toContain("If nobody@example.org belongs to a ParaNet member");
    expect(textOf(known.body)).toContain("If forgetful@example.org belongs to a ParaNet member");
    const mail = await sink.waitFor((m) => to("forgetful@example.org")(m) && m.subject === "[ParaNet] Choose a new password");
    const link = linkIn(mail, "/reset-password?token=");
    const v = new Visitor(server.url);
    const done = await v.post(link.pathname + link.search, { newPassword: "a brand new passphrase", confirmPassword: "a brand new passphrase" });
    expect(done.status).toBe(302);
    expect((await new Visitor(server.url).post("/login", { email: "forgetful@example.org", password: "a brand new passphrase" })).status).toBe(302);
    expect((await new Visitor(server.url).get(link.pathname + link.search)).status).toBe(403);
    expect(sink.messages.some((m) => to("nobody@example.org")(m))).toBe(false);
  });
});

describe("mailing-list mode", () => {
  let thread: { id: number; path: string };
  it("mails each reply in a followed thread, LM_NET-style, with list headers, tags and a signed reply address", async () => {
    expect((await emailSettings(listy, { mode: "every" })).status).toBe(200);
    // An unconfirmed member in the same mode gets nothing.
    const unconfirmed = new Visitor(server.url);
    await join(unconfirmed, person("unconfirmed"));
    await emailSettings(unconfirmed, { mode: "every" });
    thread = await post(asker, { title: "How do you weed a 1990s biography section?" });
    await listy.post(thread.path, { intent: "follow" });
    await unconfirmed.post(thread.path, { intent: "follow" });
    const replyId = await reply(helper, thread.path, "We use **CREW**: anything over 10 years that nobody checked out goes.");
    const mail = await sink.waitFor((m) => to("listy@example.org")(m) && (m.subject ?? "").startsWith("Re: [ParaNet] How do you weed"));
    expect(mail.subject).toBe("Re: [ParaNet] How do you weed a 1990s biography section?");
    expect(mail.text).toContain("Member helper, Library Media Assistant, Lincoln Elementary School wrote in reply:");
    expect(mail.text).toContain("We use **CREW**");
    expect(mail.html).toContain("<strong>CREW</strong>");
    expect(mail.text).toContain(`/t/${thread.id}/`);
    expect(mail.text).toContain(`#reply-${replyId}`);
    const headers = headerBlock(mail);
    expect(headers).toMatch(/^List-Id: ParaNet <paranet\.paranet\.test>$/im);
    expect(headers).toMatch(/^List-Unsubscribe: <http:\/\/127\.0\.0\.1:\d+\/email\/unsubscribe\?token=\d+-list-v\d+-[0-9a-f]{20}>, <mailto:unsubscribe\+/im);
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/im);
    expect(headers).toMatch(/^X-ParaNet-Tags: collection-management$/im);
    expect(mail.replyTo?.value[0].address).toMatch(new RegExp(`^reply\\+${thread.id}-\\d+-\\d+-[0-9a-f]{20}@paranet\\.test$`));
    // Listy's copy proves the reply's list mail was queued: it went to listy alone.
    await mailSettled();
    expect(await listMailFor(replyId)).toEqual([{ toAddress: "listy@example.org" }]);
    expect(sink.messages.some((m) => to("unconfirmed@example.org")(m) && m.subject !== "[ParaNet] Confirm your email address")).toBe(false);
    // The author of the reply gets no copy of their own post.
    expect(sink.messages.some((m) => to("helper@example.org")(m) && (m.subject ?? "").includes("How do you weed"))).toBe(false);
  });

  it("unsubscribes in one click (RFC 8058), from the mail client, without a session", async () => {
    const mail = await sink.waitFor((m) => to("listy@example.org")(m) && (m.subject ?? "").startsWith("Re: [ParaNet] How do you weed"));
    const link = new URL(/<(https?:[^>]+)>/.exec(headerBlock(mail).match(/^List-Unsubscribe: (.*)$/im)![1])![1]);
    // A link scanner's GET changes nothing.
    expect((await fetch(link)).status).toBe(200);
    expect((await sql<{ emailMode: string }[]>(`SELECT "emailMode" FROM "User" WHERE "handle" = 'listy'`))[0].emailMode).toBe("every");
    const res = await fetch(link, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(res.status).toBe(200);
    expect((await sql<{ emailMode: string }[]>(`SELECT "emailMode" FROM "User" WHERE "handle" = 'listy'`))[0].emailMode).toBe("none");
    const before = sink.messages.length;
    const unmailed = await reply(bystander, thread.path, "Another answer listy will not be mailed.");
    // The asker's notification of it proves the reply was handled.
    await sink.waitFor((m) => to("asker@example.org")(m) && (m.text ?? "").includes("Another answer listy will not be mailed."));
    await mailSettled();
    expect(await listMailFor(unmailed)).toEqual([]);
    expect(sink.messages.slice(before).some(to("listy@example.org"))).toBe(false);
    const forged = await fetch(link.href.replace(/token=\d+/, "token=1"), {
      method: "POST",
      body: "List-Unsubscribe=One-Click",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(forged.status).toBe(400);
    await emailSettings(listy, { mode: "every" });
  });
});

describe("TARGETs by mail", () => {
  let target: { id: number; path: string };
  it("mails the TARGET itself to the list, never its private replies; the asker's notification carries them", async () => {
    await listy.post(`/tags/collection-management`, { intent: "follow" });
    target = await post(asker, {
      kind: "target",
      title: "TARGET: overdue fine policies in middle schools",
      body: "Please reply privately: do you charge fines?",
    });
    const announced = await sink.waitFor((m) => to("listy@example.org")(m) && m.subject === "[ParaNet] TARGET-> overdue fine policies in middle schools");
    expect(announced.text).toContain("Please reply privately");
    await reply(helper, target.path, "We went fine-free: SECRETANSWER.");
    const note = await sink.waitFor((m) => to("asker@example.org")(m) && m.subject === "Re: [ParaNet] TARGET-> overdue fine policies in middle schools");
    expect(note.text).toContain("SECRETANSWER");
    await mailSettled();
    expect(sink.messages.filter((m) => (m.text ?? "").includes("SECRETANSWER")).map((m) => m.envelopeTo)).toEqual([["asker@example.org"]]);
  });

  it("keeps a reply by email to a TARGET private", async () => {
    const announced = await sink.waitFor((m) => to("listy@example.org")(m) && m.subject === "[ParaNet] TARGET-> overdue fine policies in middle schools");
    const response = await sendToParaNet(inboundPort, {
      from: "listy@example.org",
      to: announced.replyTo!.value[0].address,
      subject: `Re: ${announced.subject}`,
      text: "We still charge ten cents a day: PRIVATEBYMAIL.",
    });
    expect(response).toContain("Posted");
    expect(textOf((await asker.get(target.path)).body)).toContain("PRIVATEBYMAIL");
    expect(textOf((await bystander.get(target.path)).body)).not.toContain("PRIVATEBYMAIL");
    expect(textOf((await new Visitor(server.url).get(target.path)).body)).not.toContain("PRIVATEBYMAIL");
  });
});

describe("reply by email", () => {
  let thread: { id: number; path: string };
  let received: Received;
  beforeAll(async () => {
    thread = await post(asker, { title: "Barcode scanners that work with Destiny?" });
    await listy.post(thread.path, { intent: "follow" });
    await reply(helper, thread.path, "We like the wireless ones.");
    received = await sink.waitFor((m) => to("listy@example.org")(m) && m.subject === "Re: [ParaNet] Barcode scanners that work with Destiny?");
  });

  it("posts the new text only, as the member, and it appears in the thread live", async () => {
    const watcher = await connectLive(server.url);
    try {
      await subscribed(watcher, () => watcher.watchThread(thread.id));
      const response = await sendToParaNet(inboundPort, {
        from: "Listy <listy@example.org>",
        to: received.replyTo!.value[0].address,
        subject: `Re: ${received.subject}`,
        messageId: "<answer-1@mail.example.org>",
        inReplyTo: received.messageId,
        text: "Ours are corded Zebras, and they never need charging.\n\nListy\n-- \nListy, Riverside Library\n\nOn Mon, Nov 23, 2026 at 9:00 AM ParaNet <paranet@paranet.test> wrote:\n> We like the wireless ones.\n> QUOTEDHISTORY",
      });
      expect(response).toContain("Posted");
      const event = await eventually(() => {
        const e = watcher.events.find((x) => x.type === "reply.created" && x.reply.bodyHtml.includes("corded Zebras"));
        expect(e).toBeTruthy();
        return e!;
      });
      expect(event.type === "reply.created" && event.reply.author.handle).toBe("listy");
      const page = textOf((await new Visitor(server.url).get(thread.path)).body);
      expect(page).toContain("Ours are corded Zebras, and they never need charging.");
      expect(page).not.toContain("QUOTEDHISTORY");
      expect(page).not.toContain("Riverside Library");
    } finally {
      watcher.close();
    }
  });

  it("posts the same message once, however often it arrives", async () => {
    const count = async () => (await sql<{ n: number }[]>(`SELECT COUNT(*) AS "n" FROM "Reply" WHERE "threadId" = ?`, thread.id))[0].n;
    const before = await count();
    const response = await sendToParaNet(inboundPort, {
      from: "listy@example.org",
      to: received.replyTo!.value[0].address,
      subject: "Re: again",
      messageId: "<answer-1@mail.example.org>",
      text: "Ours are corded Zebras, and they never need charging.",
    });
    expect(response).toContain("Already posted");
    expect(await count()).toBe(before);
  });

  it("cleans the text like a form does: no control characters, NFC", async () => {
    const response = await sendToParaNet(inboundPort, {
      from: "listy@example.org",
      to: received.replyTo!.value[0].address,
      subject: "Re: bells",
      messageId: "<answer-bell@mail.example.org>",
      text: "Ring the bell\u0007 at the cafe\u0301 desk, then back\b\bspace.",
    });
    expect(response).toContain("Posted");
    const [row] = await sql<{ body: string }[]>(
      `SELECT r."bodySource" AS "body" FROM "Reply" r JOIN "InboundMail" m ON m."replyId" = r."id" WHERE m."messageId" = ?`,
      "<answer-bell@mail.example.org>",
    );
    expect(row.body).toBe("Ring the bell at the caf\u00e9 desk, then backspace.");
  });

  it("refuses forged addresses, strangers and empty replies with a reason the sender's server bounces", async () => {
    const address = received.replyTo!.value[0].address!;
    const forged = address.replace(/-([0-9a-f]{20})@/, (_m, sig: string) => `-${sig.slice(0, 19)}${sig.endsWith("0") ? "1" : "0"}@`);
    await expect(sendToParaNet(inboundPort, { from: "listy@example.org", to: forged, subject: "x", text: "Forged!" })).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining("not valid"),
    });
    const someoneElses = address.replace(/^reply\+(\d+)-(\d+)-/, (_m, t: string, u: string) => `reply+${t}-${Number(u) + 1}-`);
    await expect(sendToParaNet(inboundPort, { from: "listy@example.org", to: someoneElses, subject: "x", text: "Pretending" })).rejects.toMatchObject({
      responseCode: 550,
    });
    await expect(sendToParaNet(inboundPort, { from: "intruder@example.org", to: address, subject: "x", text: "Let me in" })).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining("did not come from the address"),
    });
    await expect(sendToParaNet(inboundPort, { from: "listy@example.org", to: address, subject: "x", text: "> only what they said" })).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining("no new text"),
    });
    await expect(sendToParaNet(inboundPort, { from: "listy@example.org", to: "someone@paranet.test", subject: "x", text: "hi" })).rejects.toMatchObject({
      responseCode: 550,
    });
    await expect(
      sendToParaNet(inboundPort, { from: "listy@example.org", to: address, subject: "x", text: "A very long reply. ".repeat(60_000) }),
    ).rejects.toMatchObject({
      responseCode: 552,
    });
    const page = textOf((await new Visitor(server.url).get(thread.path)).body);
    expect(page).not.toContain("Forged!");
    expect(page).not.toContain("Let me in");
  });

  it("refuses a forged From: another envelope sender's domain, or two From addresses", async () => {
    const address = received.replyTo!.value[0].address!;
    const transport = (await import("nodemailer")).default.createTransport({ host: "127.0.0.1", port: inboundPort, secure: false, ignoreTLS: true });
    try {
      await expect(
        transport.sendMail({
          envelope: { from: "attacker@evil.example", to: address },
          from: "listy@example.org",
          to: address,
          subject: "x",
          text: "Posing as listy",
        }),
      ).rejects.toMatchObject({ responseCode: 550 });
      await expect(
        transport.sendMail({
          envelope: { from: "listy@example.org", to: address },
          from: "listy@example.org, attacker@evil.example",
          to: address,
          subject: "x",
          text: "Two senders",
        }),
      ).rejects.toMatchObject({ responseCode: 550 });
      // The envelope decides where it was delivered: a header To naming the reply address is not enough.
      await expect(
        transport.sendMail({
          envelope: { from: "listy@example.org", to: "reply+1-1-1-00000000000000000000@paranet.test" },
          from: "listy@example.org",
          to: address,
          subject: "x",
          text: "Header only",
        }),
      ).rejects.toMatchObject({ responseCode: 550 });
    } finally {
      transport.close();
    }
    const page = textOf((await new Visitor(server.url).get(thread.path)).body);
    expect(page).not.toContain("Posing as listy");
    expect(page).not.toContain("Two senders");
    expect(page).not.toContain("Header only");
  });

  it("refuses a suspended member's reply, saying why", async () => {
    const mod = admin;
    const until = new Date(Date.now() + 3 * 24 * 60 * 60_000).toISOString().slice(0, 10);
    await mod.post("/u/listy", { intent: "suspend", until, reason: "Cooling off" });
    await expect(
      sendToParaNet(inboundPort, { from: "listy@example.org", to: received.replyTo!.value[0].address, subject: "x", text: "Suspended words" }),
    ).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining("Cooling off"),
    });
    await mod.post("/u/listy", { intent: "lift", reason: "" });
  });

  it("accepts a raw message at the webhook, with the secret only", async () => {
    const raw = [
      "From: listy@example.org",
      `To: ${received.replyTo!.value[0].address}`,
      "Subject: Re: scanners",
      "Message-ID: <webhook-1@mail.example.org>",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Posted through the provider's webhook: WEBHOOKWORDS.",
      "",
    ].join("\r\n");
    const refused = await fetch(`${server.url}/api/v1/inbound-mail`, {
      method: "POST",
      headers: { Authorization: "Bearer wrong", "Content-Type": "message/rfc822" },
      body: raw,
    });
    expect(refused.status).toBe(401);
    const res = await fetch(`${server.url}/api/v1/inbound-mail`, {
      method: "POST",
      headers: { Authorization: `Bearer ${SECRET}`, "Content-Type": "message/rfc822" },
      body: raw,
    });
    expect(res.status).toBe(201);
    expect(textOf((await new Visitor(server.url).get(thread.path)).body)).toContain("WEBHOOKWORDS");
    const again = await fetch(`${server.url}/api/v1/inbound-mail`, {
      method: "POST",
      headers: { Authorization: `Bearer ${SECRET}`, "Content-Type": "message/rfc822" },
      body: raw,
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { reply: { duplicate: boolean } }).reply.duplicate).toBe(true);
  });
});

describe("digests and vacation holds", () => {
  it("sends a daily digest of what is new in the member's tags, once per period", async () => {
    const start = new Date();
    const reader = await joinAndConfirm("reader");
    await emailSettings(reader, { mode: "daily" });
    await reader.post("/tags/technology", { intent: "follow" });
    const technology = String((await sql<{ id: number }[]>(`SELECT "id" FROM "Tag" WHERE "slug" = 'technology'`))[0].id);
    await post(asker, { title: "Chromebook carts that charge overnight", tagIds: technology });
    const now = new Date(start.getTime() + 24 * 60 * 60_000);
    expect(await runDigests(now, start.getUTCHours())).toMatch(/Digests queued: [1-9]\d* daily/);
    const digest = await sink.waitFor((m) => to("reader@example.org")(m) && (m.subject ?? "").startsWith("[ParaNet] Daily digest"));
    expect(digest.text).toContain("NEW THREADS IN TAGS YOU FOLLOW");
    expect(digest.text).toContain("Chromebook carts that charge overnight");
    expect(digest.html).toContain("Chromebook carts that charge overnight");
    expect(headerBlock(digest)).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/im);
    // A second run (a restart, cron twice) sends nobody a second one.
    // It runs to its end before returning: whatever it queued is in MailJob now.
    await runDigests(now, start.getUTCHours());
    await mailSettled();
    expect(sink.messages.filter((m) => to("reader@example.org")(m) && (m.subject ?? "").startsWith("[ParaNet] Daily digest"))).toHaveLength(1);
  });

  it("holds list mail during a vacation, then resumes with one catch-up digest", async () => {
    const away = await joinAndConfirm("away");
    await emailSettings(away, { mode: "every" });
    await away.post("/tags/reference", { intent: "follow" });
    // Someone who is not away, following the same tag: their copy proves the list mail went out.
    const present = await joinAndConfirm("present");
    await emailSettings(present, { mode: "every" });
    await present.post("/tags/reference", { intent: "follow" });
    const tomorrow = new Date(Date.now() + 24 * 60 * 60_000).toISOString().slice(0, 10);
    const held = await emailSettings(away, { mode: "every", vacationUntil: tomorrow });
    expect(textOf(held.body)).toContain("Your email settings are saved.");
    const reference = String((await sql<{ id: number }[]>(`SELECT "id" FROM "Tag" WHERE "slug" = 'reference'`))[0].id);
    const missed = await post(asker, { title: "Reference interview tips for new clerks", tagIds: reference });
    await sink.waitFor((m) => to("present@example.org")(m) && m.subject === "[ParaNet] Reference interview tips for new clerks");
    await mailSettled();
    expect(await sql(`SELECT "toAddress" FROM "MailJob" WHERE "key" LIKE ?`, `post:thread:${missed.id}:%`)).toEqual([{ toAddress: "present@example.org" }]);
    expect(sink.messages.some((m) => to("away@example.org")(m) && m.subject !== "[ParaNet] Confirm your email address")).toBe(false);
    // Time passes: the hold ends.
    await sql(`UPDATE "User" SET "vacationUntil" = ? WHERE "handle" = 'away'`, new Date(Date.now() - 60_000));
    expect(await runDigests(new Date(), 7)).toMatch(/1 catch-up/);
    const catchUp = await sink.waitFor((m) => to("away@example.org")(m) && (m.subject ?? "").includes("catch-up digest"));
    expect(catchUp.text).toContain("Reference interview tips for new clerks");
    // Delivery has resumed by itself.
    await reply(helper, missed.path, "Ask open questions first.");
    await away.post(missed.path, { intent: "follow" });
    await reply(bystander, missed.path, "And repeat back what you heard.");
    await sink.waitFor((m) => to("away@example.org")(m) && m.subject === "Re: [ParaNet] Reference interview tips for new clerks");
  });
});

describe("without a mail server", () => {
  it("writes every message to data/outbox (with its text beside it, links whole) and lists it for admins at /admin/outbox", async () => {
    const plain = await startServer();
    try {
      const owner = new Visitor(plain.url);
      await owner.post(`/setup?token=${plain.setupToken}`, person("owner"));
      const member = new Visitor(plain.url);
      await join(member, person("rosa"));
      const outbox = path.join(plain.dataDir, "outbox");
      await eventually(() => expect(fs.existsSync(outbox) && fs.readdirSync(outbox).filter((f) => f.endsWith(".eml")).length).toBe(2));
      // Beside each message its plain text, with the link whole (the .eml's quoted-printable writes "=" as "=3D"): it works.
      const rosas = fs
        .readdirSync(outbox)
        .filter((f) => f.endsWith(".eml"))
        .map((f) => ({ eml: fs.readFileSync(path.join(outbox, f), "utf8"), txt: fs.readFileSync(path.join(outbox, f.replace(/\.eml$/, ".txt")), "utf8") }))
        .filter((m) => m.txt.includes("To: rosa@example.org"));
      expect(rosas).toHaveLength(1);
      const [rosa] = rosas;
      expect(rosa.txt).toMatch(/^From: ParaNet <paranet@[^>]+>\nTo: rosa@example.org\nSubject: \[ParaNet\] Confirm your email address\n\n/);
      const link = new URL(/https?:\/\/\S+\/email\/verify\?token=\S+/.exec(rosa.txt)![0]);
      expect(rosa.eml).toContain("/email/verify?token=3D");
      expect(rosa.eml).not.toContain(link.href);
      expect((await simpleParser(rosa.eml)).text).toContain(link.href);
      expect(textOf((await member.get(link.pathname + link.search)).body)).toContain("your address is confirmed");

      const page = await owner.get("/admin/outbox");
      expect(textOf(page.body)).toContain("rosa@example.org");
      expect(textOf(page.body)).toContain("[ParaNet] Confirm your email address");
      const name = /href="\/admin\/outbox\/([0-9-]+\.eml)"/.exec(page.body)![1];
      const raw = await owner.get(`/admin/outbox/${name}`);
      expect(raw.headers.get("Content-Type")).toContain("text/plain");
      expect(raw.body).toMatch(/^Subject: \[ParaNet\] Confirm your email address$/m);
      // Encoded words in any charset, folded over lines, read as the mail client would show them.
      fs.writeFileSync(
        path.join(outbox, "29991231235959-0000001.eml"),
        "To: =?ISO-8859-1?Q?J=FCrgen_Stra=DFe?= <juergen@example.org>\r\nSubject: =?UTF-8?Q?Caf=C3=A9_?=\r\n =?UTF-8?B?cmVhZGluZyDwn5Oa?=\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\nBody\r\n",
      );
      const listed = textOf((await owner.get("/admin/outbox")).body);
      expect(listed).toContain("Café reading 📚");
      expect(listed).toContain("Jürgen Straße");
      expect((await member.get("/admin/outbox")).status).toBe(403);
      expect((await owner.get("/admin/outbox/..%2F..%2Fpackage.json")).status).toBe(404);
    } finally {
      await plain.stop();
    }
  });

  it("retries when the mail server does not answer, and shows admins the failure", async () => {
    const broken = await startServer({ env: { SMTP_URL: "smtp://127.0.0.1:9" } });
    try {
      const owner = new Visitor(broken.url);
      await owner.post(`/setup?token=${broken.setupToken}`, person("owner"));
      await eventually(async () => {
        const page = textOf((await owner.get("/admin/outbox")).body);
        expect(page).toContain("retrying (attempt 1)");
        expect(page).toMatch(/ECONNREFUSED|connect/i);
      }, 8000);
    } finally {
      await broken.stop();
    }
  });
});
