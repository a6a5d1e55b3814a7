// The listserv heritage in a real browser: a member in mailing-list mode gets
// a reply by email, answers it from their "mail client" (raw SMTP to
// ParaNet's receiver), and a colleague reading the thread in Chromium sees
// the answer arrive live. And without a mail server, an admin finds a new
// member's confirmation mail at /admin/outbox.
import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, SHOTS } from "../helpers/browser";
import { aMember, join, Visitor } from "../helpers/client";
import { inboundPortOf, sendToParaNet, startMailSink, type MailSink } from "../helpers/mail";
import { startServer, type RunningServer } from "../helpers/server";

let sink: MailSink;
let server: RunningServer;
let browser: Browser;
const person = (name: string) => aMember(name, { handle: name, email: `${name}@example.org`, displayName: `${name[0].toUpperCase()}${name.slice(1)} Reader` });

async function confirmed(name: string): Promise<Visitor> {
  const v = new Visitor(server.url);
  await join(v, person(name));
  const mail = await sink.waitFor((m) => m.envelopeTo.includes(`${name}@example.org`));
  const link = new URL(/https?:\/\/\S+\/email\/verify\?token=\S+/.exec(mail.text ?? "")![0]);
  await v.get(link.pathname + link.search);
  return v;
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  sink = await startMailSink();
  [server, browser] = await Promise.all([startServer({ env: { SMTP_URL: sink.url, INBOUND_SMTP_PORT: "0", MAIL_DOMAIN: "paranet.test" } }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.close();
});

describe("email in the browser", () => {
  it("a reply by email appears live in the thread a colleague is reading", async () => {
    const asker = await confirmed("asker");
    const listy = await confirmed("listy");
    await listy.post("/me/settings/email", { mode: "every", notifications: "on", vacationUntil: "" });
    const form = await asker.get("/threads/new");
    const tagId = /name="tagIds" value="(\d+)"/.exec(form.body)![1];
    const created = await asker.post("/threads/new", {
      kind: "question",
      title: "Which barcode scanners work with Destiny?",
      body: "Ours keep dropping the connection.",
      tagIds: tagId,
    });
    const threadPath = created.location!;
    await listy.post(threadPath, { intent: "follow" });
    await asker.post(threadPath, { intent: "reply", body: "Update: it happens mostly in the afternoon." });
    const mail = await sink.waitFor(
      (m) => m.envelopeTo.includes("listy@example.org") && m.subject === "Re: [ParaNet] Which barcode scanners work with Destiny?",
    );

    // The asker reads the thread in Chromium.
    const page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(`${server.url}/login`);
    await page.getByLabel("Email").fill("asker@example.org");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.goto(`${server.url}${threadPath}`);
    // The live connection is up and subscribed once the page's network is quiet.
    await page.waitForLoadState("networkidle");

    // Listy answers from their mail client.
    const response = await sendToParaNet(inboundPortOf(server.output()), {
      from: "Listy Reader <listy@example.org>",
      to: mail.replyTo!.value[0].address,
      subject: `Re: ${mail.subject}`,
      inReplyTo: mail.messageId,
      text: "Check the Bluetooth power saving setting: ours slept after two hours.\n\nOn Mon, Nov 23, 2026, ParaNet wrote:\n> Update: it happens mostly in the afternoon.",
    });
    expect(response).toContain("Posted");
    const answer = page.getByText("Check the Bluetooth power saving setting: ours slept after two hours.");
    await answer.waitFor({ timeout: 5000 });
    expect(await page.getByText("it happens mostly in the afternoon.").count()).toBe(1); // the quote was not posted again
    await page.screenshot({ path: path.join(SHOTS, "reply-by-email-live.png"), fullPage: true });
    expect(errors).toEqual([]);
  });

  it("without a mail server, a new member's confirmation mail waits in /admin/outbox", async () => {
    const plain = await startServer();
    try {
      const owner = new Visitor(plain.url);
      await owner.post(`/setup?token=${plain.setupToken}`, person("owner"));
      await join(new Visitor(plain.url), person("rosa"));
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${plain.url}/login`);
      await page.getByLabel("Email").fill("owner@example.org");
      await page.getByLabel("Password").fill("correct horse battery");
      await page.getByRole("button", { name: "Log in" }).click();
      await page.waitForURL((u) => !u.pathname.startsWith("/login"));
      await page.goto(`${plain.url}/admin/outbox`);
      const row = page.getByRole("row").filter({ hasText: "rosa@example.org" });
      await row.getByRole("link", { name: "[ParaNet] Confirm your email address" }).waitFor();
      await page.screenshot({ path: path.join(SHOTS, "admin-outbox.png"), fullPage: true });
      await row.getByRole("link").click();
      await page.getByText("Subject: [ParaNet] Confirm your email address").waitFor();
    } finally {
      await plain.stop();
    }
  });
});
