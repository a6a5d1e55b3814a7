// Replies by email as real clients send them, over real SMTP to the server's
// receiver: a bottom post, inline answers, German and French replies with
// quoted history, and an HTML-only Outlook.com reply are posted as written,
// their quoted history gone (issue 17; the rules: app/lib/mail-reply.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { queryAll } from "../helpers/db";
import { inboundPortOf, sendToParaNet, startMailSink, type MailSink, type Received } from "../helpers/mail";
import { startServer, type RunningServer } from "../helpers/server";

let sink: MailSink;
let server: RunningServer;
let inboundPort: number;
let received: Received;
let thread: { id: number; path: string };

const person = (name: string) => aMember(name, { handle: name, email: `${name}@example.org` });
const to = (address: string) => (m: Received) => m.envelopeTo.includes(address);

async function joinAndConfirm(name: string): Promise<Visitor> {
  const v = new Visitor(server.url);
  await join(v, person(name));
  const mail = await sink.waitFor((m) => to(`${name}@example.org`)(m) && m.subject === "[ParaNet] Confirm your email address");
  const link = new URL(/https?:\/\/[^\s"<>]+\/email\/verify\?token=[^\s"<>]*/.exec(mail.text ?? "")![0]);
  await v.get(link.pathname + link.search);
  return v;
}

/** Sends a reply by email as listy and returns the Markdown ParaNet stored for it. */
async function replyByEmail(messageId: string, content: { text?: string; html?: string }): Promise<string> {
  const response = await sendToParaNet(inboundPort, {
    from: "Listy <listy@example.org>",
    to: received.replyTo!.value[0].address,
    subject: `Re: ${received.subject}`,
    messageId,
    inReplyTo: received.messageId,
    ...content,
  });
  expect(response).toContain("Posted");
  const rows = await queryAll(
    server.database,
    `SELECT r."bodySource" AS "body" FROM "Reply" r JOIN "InboundMail" m ON m."replyId" = r."id" WHERE m."messageId" = ?`,
    messageId,
  );
  return (rows as { body: string }[])[0].body;
}

beforeAll(async () => {
  sink = await startMailSink();
  server = await startServer({ env: { SMTP_URL: sink.url, INBOUND_SMTP_PORT: "0", MAIL_DOMAIN: "paranet.test" } });
  inboundPort = inboundPortOf(server.output());
  await new Visitor(server.url).post(`/setup?token=${server.setupToken}`, person("admin"));
  const asker = await joinAndConfirm("asker");
  const listy = await joinAndConfirm("listy");
  // Mailing-list mode: every reply in a followed thread, with a signed reply address.
  expect((await listy.post("/me/settings/email", { notifications: "on", vacationUntil: "", mode: "every" })).status).toBe(200);
  const tagId = String(((await queryAll(server.database, `SELECT "id" FROM "Tag" WHERE "slug" = 'collection-management'`)) as { id: number }[])[0].id);
  const res = await asker.post("/threads/new", { kind: "question", tagIds: tagId, title: "When do you weed fiction?", body: "And which guide do you follow?" });
  thread = { id: Number(res.location!.split("/")[2]), path: res.location! };
  await listy.post(thread.path, { intent: "follow" });
  await asker.post(thread.path, { intent: "reply", body: "Every answer helps." });
  received = await sink.waitFor((m) => to("listy@example.org")(m) && m.subject === "Re: [ParaNet] When do you weed fiction?");
});
afterAll(async () => {
  await server?.stop();
  await sink?.close();
});

describe("replies by email from real mail clients", () => {
  it("posts a bottom post's answer, without the quote above it", async () => {
    const body = await replyByEmail("<bottom@example.org>", {
      text: "On Mon, Nov 23, 2026 at 9:00 AM ParaNet <paranet@paranet.test> wrote:\n\n> Every answer helps.\n> QUOTEDHISTORY\n\nWe weed fiction every June, with CREW.\n\nListy",
    });
    expect(body).toBe("We weed fiction every June, with CREW.\n\nListy");
  });

  it("posts inline answers with the questions they answer, the trailing history gone", async () => {
    const body = await replyByEmail("<inline@example.org>", {
      text: "On 11/23/2026 9:00 AM, Asker wrote:\n> When do you weed?\n\nIn June.\n\n> Which guide?\n\nCREW.\n\n> Every answer helps.\n> QUOTEDHISTORY\n",
    });
    expect(body).toBe("> When do you weed?\n\nIn June.\n\n> Which guide?\n\nCREW.");
    const page = textOf((await new Visitor(server.url).get(thread.path)).body);
    expect(page).toContain("In June.");
    expect(page).not.toContain("QUOTEDHISTORY");
  });

  it("posts a German reply without its quoted history and sign-off", async () => {
    const body = await replyByEmail("<german@example.org>", {
      text: "Wir jäten im Sommer, nach dem Schuljahr.\n\nVon meinem iPhone gesendet\n\n> Am 23.11.2026 um 09:00 schrieb ParaNet <paranet@paranet.test>:\n>\n> QUOTEDHISTORY",
    });
    expect(body).toBe("Wir jäten im Sommer, nach dem Schuljahr.");
  });

  it("posts a French Outlook reply without its header block and history", async () => {
    const body = await replyByEmail("<french@example.org>", {
      text: "Nous désherbons au printemps.\n\nCordialement,\nClaire Dubois\n\nDe : ParaNet <paranet@paranet.test>\nEnvoyé : lundi 23 novembre 2026 09:00\nÀ : Claire <listy@example.org>\nObjet : Re: [ParaNet] Désherbage\n\nQUOTEDHISTORY",
    });
    expect(body).toBe("Nous désherbons au printemps.");
  });

  it("posts an HTML-only Outlook.com reply, cut at its reply header", async () => {
    const body = await replyByEmail("<outlook-html@example.org>", {
      html: '<html><body dir="ltr"><div style="font-family: Aptos, sans-serif; font-size: 12pt;">We weed in <b>June</b>, using the <a href="https://www.tsl.texas.gov/ld/pubs/crew">CREW manual</a>.</div><div><br></div><div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt"><b>From:</b> ParaNet &lt;paranet@paranet.test&gt;<br><b>Sent:</b> Monday, November 23, 2026 9:00 AM<br><b>To:</b> Listy &lt;listy@example.org&gt;<br><b>Subject:</b> Re: [ParaNet] When do you weed fiction?</font><div>&nbsp;</div></div><div>Every answer helps. QUOTEDHISTORY</div></body></html>',
    });
    expect(body).toBe("We weed in June, using the [CREW manual](https://www.tsl.texas.gov/ld/pubs/crew).");
  });
});
