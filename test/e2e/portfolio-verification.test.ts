// Verification of a portfolio entry in a real browser (issue 19), with
// JavaScript and without: a member asks a supervisor by email from the
// entry's page, the supervisor opens the mailed link in a browser that is not
// logged in and confirms with a note, and the member's entry then says who
// verified it and when. A mistake on the ask form is named beside its field.
// No axe-core violations on the pages involved at 375 and 1280 px, and no
// sideways scrolling on a phone.
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../helpers/axe";
import { launchChromium, SHOTS } from "../helpers/browser";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { queryOne } from "../helpers/db";
import { startMailSink, type MailSink, type Received } from "../helpers/mail";
import { startServer, type RunningServer } from "../helpers/server";

let sink: MailSink;
let server: RunningServer;
let browser: Browser;
const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
const PASSWORD = "correct horse battery";
const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
const today = () => new Date().toISOString().slice(0, 10);
const person = (name: string, displayName: string) => aMember(name, { handle: name, email: `${name}@example.org`, displayName });

/** An entry added through the form over HTTP; its id. */
async function addEntry(v: Visitor, title: string): Promise<number> {
  const res = await v.post("/me/portfolio/new", {
    type: "workshop",
    title,
    provider: "State Library",
    startedOn: ago(20),
    quantity: "3",
    unit: "hours",
    area: "collection-management",
    reflection: "Learned MUSTIE and CREW, and weeded the 600s with our branch manager.",
  });
  expect(res.status, textOf(res.body).slice(0, 300)).toBe(302);
  return Number(/\/me\/portfolio\/entries\/(\d+)/.exec(res.location!)![1]);
}

async function logIn(handle: string, javaScript: boolean): Promise<Page> {
  // bypassCSP: axe-core is injected as a script.
  const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled: javaScript, viewport: PHONE });
  const page = await context.newPage();
  page.on("pageerror", (e) => {
    throw e;
  });
  await page.goto(`${server.url}/login`);
  await page.getByLabel("Email").fill(`${handle}@example.org`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return page;
}
const linkOf = (mail: Received) => new URL(/https?:\/\/\S+\/verify\/[A-Za-z0-9_-]{43}/.exec(mail.text ?? "")![0]);
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

let ada: Visitor;
beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  sink = await startMailSink();
  [server, browser] = await Promise.all([startServer({ env: { SMTP_URL: sink.url, MAIL_DOMAIN: "paranet.test" } }), launchChromium()]);
  const admin = new Visitor(server.url);
  expect((await admin.post(`/setup?token=${server.setupToken}`, aMember("admin", { handle: "admin" }))).status).toBe(302);
  ada = new Visitor(server.url);
  await join(ada, person("ada", "Ada Byron"));
  await join(new Visitor(server.url), person("bea", "Bea Reader"));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.close();
});

describe("verification in the browser", () => {
  for (const javaScript of [true, false]) {
    it(`a supervisor confirms an entry from the mailed link, without an account (${javaScript ? "with" : "without"} JavaScript)`, async () => {
      const title = `Weeding workshop (${javaScript ? "js" : "no js"})`;
      const address = `supervisor-${javaScript ? "js" : "nojs"}@library.example`;
      const entry = await addEntry(ada, title);
      const page = await logIn("ada", javaScript);
      await page.goto(`${server.url}/me/portfolio/entries/${entry}`);

      // A mistake first: an address without a name, named beside the field, the address kept.
      await page.getByLabel("Their email address").fill(address);
      await page.getByRole("button", { name: "Ask to verify" }).click();
      await expect.poll(() => page.getByText("Give their name").count()).toBe(1);
      expect(await page.getByLabel("Their email address").inputValue()).toBe(address);
      expect(await page.getByLabel("Their name").getAttribute("aria-invalid")).toBe("true");

      await page.getByLabel("Their name").fill("Sam Supervisor");
      await page.getByLabel("A message to them (optional)").fill("You ran this workshop with me in March.");
      await page.getByRole("button", { name: "Ask to verify" }).click();
      await page.waitForURL(/\?asked=1/);
      await expect.poll(() => page.getByText(`Waiting for Sam Supervisor (${address})`).count()).toBe(1);
      // The form is empty again: a second press must not send (and replace) the same request.
      expect(await page.getByLabel("Their email address").inputValue()).toBe("");
      expect(await page.getByLabel("Their name").inputValue()).toBe("");
      expect(await sideways(page)).toBeLessThanOrEqual(0);

      // The supervisor's mail, and their browser: not logged in.
      const mail = await sink.waitFor((m) => m.envelopeTo.includes(address));
      const link = linkOf(mail);
      const verifier = await (await browser.newContext({ javaScriptEnabled: javaScript, viewport: PHONE })).newPage();
      verifier.on("pageerror", (e) => {
        throw e;
      });
      await verifier.goto(link.href);
      await expect.poll(() => verifier.getByRole("heading", { name: "Verify an activity", level: 1 }).count()).toBe(1);
      expect(await verifier.getByRole("heading", { name: title }).count()).toBe(1);
      expect(await verifier.getByText("You ran this workshop with me in March.").count()).toBe(1);
      expect(await verifier.getByLabel("Your name").inputValue()).toBe("Sam Supervisor");
      expect(await sideways(verifier)).toBeLessThanOrEqual(0);
      await verifier.screenshot({ path: path.join(SHOTS, `verification-decide-375-${javaScript ? "js" : "nojs"}.png`), fullPage: true });
      await verifier.getByLabel("Your name").fill("Sam Supervisor, Branch Manager");
      await verifier.getByLabel("A note (optional)").fill("She attended the whole day.");
      await verifier.getByRole("button", { name: "Confirm" }).click();
      await expect.poll(() => verifier.getByRole("heading", { name: "Thank you" }).count()).toBe(1);
      expect(await verifier.getByRole("status").innerText()).toContain(`Sam Supervisor, Branch Manager confirmed “${title}” on ${today()}`);
      expect(await verifier.getByRole("button", { name: "Confirm" }).count()).toBe(0);
      await verifier.context().close();

      // The member's entry says who verified it and when.
      await page.goto(`${server.url}/me/portfolio/entries/${entry}`);
      const section = page.locator("section", { has: page.getByRole("heading", { name: "Verification" }) });
      expect(await section.innerText()).toContain(`Verified by Sam Supervisor, Branch Manager (${address}) on ${today()}.`);
      expect(await section.innerText()).toContain("Their note: “She attended the whole day.”");
      await page.screenshot({ path: path.join(SHOTS, `verification-entry-375-${javaScript ? "js" : "nojs"}.png`), fullPage: true });
      // Editing would clear it: said right above the Save button, where the member decides (not only at the top of the form).
      await page.getByRole("link", { name: "Edit this entry" }).click();
      const save = page.getByRole("button", { name: "Save changes" });
      await save.waitFor();
      const warning = page.locator("#edit-clears");
      expect(await warning.innerText()).toContain("Saving changes clears the verification by Sam Supervisor, Branch Manager");
      expect(await save.getAttribute("aria-describedby")).toBe("edit-clears");
      await save.scrollIntoViewIfNeeded();
      expect(await warning.isVisible()).toBe(true);
      const [w, b] = [(await warning.boundingBox())!, (await save.boundingBox())!];
      expect(b.y - (w.y + w.height)).toBeGreaterThanOrEqual(0);
      expect(b.y - (w.y + w.height)).toBeLessThan(40);
      await page.context().close();
    });
  }

  it("has no axe violations at 375 and 1280 px: the entry's section, the open, answered and gone link, a member's requests", async () => {
    // An open link, one answered, one gone (the entry edited), and a request made to Bea's account.
    const openEntry = await addEntry(ada, "Open request");
    await ada.post(`/me/portfolio/entries/${openEntry}`, { intent: "ask-verification", verifierEmail: "open@library.example", verifierName: "Olive Open" });
    const open = linkOf(await sink.waitFor((m) => m.envelopeTo.includes("open@library.example"))).pathname;
    const answered = linkOf(sink.messages.find((m) => m.envelopeTo.includes("supervisor-js@library.example"))!).pathname;
    const goneEntry = await addEntry(ada, "Gone request");
    await ada.post(`/me/portfolio/entries/${goneEntry}`, { intent: "ask-verification", verifierEmail: "gone@library.example", verifierName: "Gil Gone" });
    const gone = linkOf(await sink.waitFor((m) => m.envelopeTo.includes("gone@library.example"))).pathname;
    await ada.post(`/me/portfolio/entries/${goneEntry}`, {
      type: "course",
      title: "Gone request, edited",
      startedOn: ago(5),
      quantity: "1",
      unit: "hours",
      area: "reference",
    });
    const memberEntry = await addEntry(ada, "A request to Bea");
    expect((await ada.post(`/me/portfolio/entries/${memberEntry}`, { intent: "ask-verification", verifierHandle: "bea" })).status).toBe(302);
    const request = (await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "Verification" WHERE "entryId" = ?`, memberEntry)).id;

    const guest = await (await browser.newContext({ bypassCSP: true })).newPage();
    const member = await logIn("ada", true);
    const bea = await logIn("bea", true);
    for (const viewport of [PHONE, DESKTOP]) {
      for (const [page, at] of [
        [member, `/me/portfolio/entries/${openEntry}`],
        [member, `/me/portfolio/entries/${goneEntry}`],
        [guest, open],
        [guest, answered],
        [guest, gone],
        [bea, "/me/verifications"],
        [bea, `/me/verifications/${request}`],
        [bea, "/notifications"],
      ] as [Page, string][]) {
        await page.setViewportSize(viewport);
        await page.goto(`${server.url}${at}`);
        expect(await axeViolations(page), `${at} at ${viewport.width} px`).toEqual([]);
        if (viewport === PHONE) expect(await sideways(page), `${at} scrolls sideways`).toBeLessThanOrEqual(0);
      }
    }
    for (const page of [guest, member, bea]) await page.context().close();
  });
});
