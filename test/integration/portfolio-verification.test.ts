// Verification of portfolio entries (issue 19), over real SMTP: a member asks
// a supervisor by email, the mail leaves through the outbox with the entry in
// its own words (escaped; no evidence, no member's address), its link opens
// without an account and confirms with a note, and the entry then says who
// verified it and when; declining; an edit clears a verification (and the
// link then answers 410 without the entry); expired, replaced and unknown
// links; asking a member by handle, who is notified and alone may decide;
// the owner told of each decision; the per-member limit; every bad input
// named beside its field with what was typed kept.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf, Visitor, type Page } from "../helpers/client";
import { eventually } from "../helpers/live";
import { startMailSink, type MailSink, type Received } from "../helpers/mail";
import { headerBlock, linkIn, mailCommunity, person, to } from "../helpers/mail-community";
import { eventsDelivered, startServer, type RunningServer } from "../helpers/server";

let sink: MailSink;
let server: RunningServer;
const { sql, joinAndConfirm } = mailCommunity(() => ({ server, sink }));
let ada: Visitor, bea: Visitor, cal: Visitor, guest: Visitor;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const today = () => new Date().toISOString().slice(0, 10);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const TITLE = `Weeding <b>the 600s</b> & "CREW"`;
const REFLECTION = "Learned MUSTIE <script>alert(1)</script> and how to explain weeding to patrons.";

let made = 0;
/** An entry in the visitor's portfolio, added through the form; its id. */
/** An entry's form fields: a three-hour workshop a month ago. */
const entryFields = (title: string, extra: Record<string, string> = {}) => ({
  type: "workshop",
  title,
  provider: "State Library",
  startedOn: day(-30),
  endedOn: day(-29),
  quantity: "3",
  unit: "hours",
  area: "collection-management",
  reflection: REFLECTION,
  ...extra,
});
async function addEntry(v: Visitor, title = `${TITLE} ${++made}`) {
  const res = await v.post("/me/portfolio/new", entryFields(title));
  expect(res.status, textOf(res.body).slice(0, 400)).toBe(302);
  return Number(/\/me\/portfolio\/entries\/(\d+)/.exec(res.location!)![1]);
}
const entryPath = (id: number) => `/me/portfolio/entries/${id}`;
const ask = (v: Visitor, id: number, fields: Record<string, string>) =>
  v.post(entryPath(id), { intent: "ask-verification", verifierHandle: "", verifierEmail: "", verifierName: "", message: "", ...fields });
/** The Verification section of an entry's page, as text. */
async function verificationText(v: Visitor, id: number) {
  const page = await v.get(entryPath(id));
  expect(page.status).toBe(200);
  const m = /<section aria-labelledby="verification-heading"[\s\S]*?<\/section>/.exec(page.body);
  return textOf(m?.[0] ?? "");
}
/** The error shown beside a field, with the value the form kept. */
function fieldOf(body: string, name: string) {
  const m = new RegExp(`<div class="field field--invalid">(?:(?!<div class="field)[\\s\\S])*?name="${name}"[\\s\\S]*?</div>`).exec(body);
  return m ? textOf(m[0]) + m[0] : "";
}
/** The mailed request for an address, once it has arrived; its link's path. */
async function mailedLink(address: string, after = 0): Promise<{ mail: Received; path: string; token: string }> {
  const mail = await sink.waitFor((m) => to(address)(m) && sink.messages.indexOf(m) >= after);
  const link = linkIn(mail, "/verify/");
  return { mail, path: link.pathname, token: link.pathname.split("/").pop()! };
}
const decide = (v: Visitor, path: string, fields: Record<string, string>) => v.post(path, { name: "", note: "", ...fields });
const gone = (page: Page) => textOf(page.body);
/** A page's text with its markup characters as a reader sees them. */
const plain = (html: string) => textOf(html).replace(/&lt;/g, "<").replace(/&gt;/g, ">");
const nameOf = async (handle: string) => (await sql<{ d: string }[]>(`SELECT "displayName" AS "d" FROM "User" WHERE "handle" = ?`, handle))[0].d;

beforeAll(async () => {
  sink = await startMailSink();
  server = await startServer({ env: { SMTP_URL: sink.url, MAIL_DOMAIN: "paranet.test" } });
  const admin = new Visitor(server.url);
  expect((await admin.post(`/setup?token=${server.setupToken}`, person("admin"))).status).toBe(302);
  [ada, bea, cal] = [await joinAndConfirm("ada"), await joinAndConfirm("bea"), await joinAndConfirm("cal")];
  guest = new Visitor(server.url);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await sink?.close();
});

describe("asking by email", () => {
  let entry = 0;
  let link = { path: "", token: "" };

  it("mails the request from the outbox: who asks, the entry in its own words (escaped), the link; no evidence, no member's address, no Reply-To", async () => {
    entry = await addEntry(ada, TITLE);
    const res = await ask(ada, entry, {
      verifierEmail: "Sam.Supervisor@Library.example",
      verifierName: "Sam Supervisor",
      message: "Thanks for <em>coming</em> with me!",
    });
    expect(res.status, textOf(res.body).slice(0, 300)).toBe(302);
    expect(res.location).toBe(`${entryPath(entry)}?asked=1#verification-heading`);
    expect(await verificationText(ada, entry)).toContain("Waiting for Sam Supervisor (sam.supervisor@library.example) to verify this entry since");

    const { mail, path, token } = await mailedLink("sam.supervisor@library.example");
    link = { path, token };
    expect(mail.subject).toBe(`[ParaNet] ${await nameOf("ada")} asks you to verify an activity`);
    const text = mail.text ?? "";
    for (const words of [
      TITLE,
      "State Library",
      `${day(-30)} to ${day(-29)}`,
      "3 hours",
      "Collection Management (3 hours)",
      REFLECTION,
      "Thanks for <em>coming</em> with me!",
    ])
      expect(text).toContain(words);
    expect(text).toContain("Hello Sam Supervisor,");
    const html = String(mail.html);
    expect(html).toContain("Weeding &lt;b&gt;the 600s&lt;/b&gt; &amp; &quot;CREW&quot;");
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>the 600s");
    expect(html).not.toContain("<em>coming");
    // Personal automated mail, nothing to reply to, and the member's own address nowhere.
    const headers = headerBlock(mail);
    expect(headers).toMatch(/^Auto-Submitted: auto-generated$/im);
    expect(headers).not.toMatch(/^Reply-To:/im);
    expect(mail.raw).not.toContain("ada@example.org");
    expect(mail.raw).not.toMatch(/evidence/i);
    // Only the token's hash is stored with the request, and the event carried no token.
    const [row] = await sql<{ tokenHash: string; status: string }[]>(`SELECT "tokenHash", "status" FROM "Verification" WHERE "entryId" = ?`, entry);
    expect(row).toEqual({ tokenHash: sha256(token), status: "pending" });
    const events = await sql<{ payload: string }[]>(`SELECT "payload" FROM "OutboxEvent" WHERE "type" = 'portfolio.verification_requested'`);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e.payload).not.toContain(token);
    // Mailed once, keyed by the request.
    const [job] = await sql<{ n: number }[]>(`SELECT COUNT(*) AS "n" FROM "MailJob" WHERE "toAddress" = 'sam.supervisor@library.example'`);
    expect(Number(job.n)).toBe(1);
  });

  it("opens without an account: the entry, the message, the name prefilled; never cached", async () => {
    const page = await guest.get(link.path);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    // The last policy a browser knows wins: the token in the path is never sent on.
    expect(page.headers.get("referrer-policy")).toMatch(/(^|, )no-referrer$/);
    const text = plain(page.body);
    // The same words as the page's title and the member's list ("Activities to verify").
    expect(page.body).toMatch(/<h1[^>]*>Verify an activity<\/h1>/);
    expect(text).toContain(TITLE);
    expect(text).toContain(REFLECTION);
    expect(text).toContain("Thanks for <em>coming</em> with me!");
    expect(page.body).not.toContain("<script>alert(1)");
    expect(page.body).toMatch(/name="name"[^>]*value="Sam Supervisor"|value="Sam Supervisor"[^>]*name="name"/);
    expect(page.body).not.toContain("ada@example.org");
  });

  it("refuses a decision without a name, or with a note too long, beside the field with the text kept", async () => {
    const noName = await decide(guest, link.path, { intent: "confirm", note: "Kept note" });
    expect(noName.status).toBe(400);
    expect(fieldOf(noName.body, "name")).toContain("Give your name");
    expect(noName.body).toContain("Kept note");
    const long = await decide(guest, link.path, { intent: "confirm", name: "Sam", note: "n".repeat(1001) });
    expect(long.status).toBe(400);
    expect(fieldOf(long.body, "note")).toContain("at most 1,000 characters");
    const noIntent = await decide(guest, link.path, { name: "Sam" });
    expect(noIntent.status).toBe(400);
    expect(textOf(noIntent.body)).toContain("Choose Confirm or Decline.");
    expect((await sql<{ status: string }[]>(`SELECT "status" FROM "Verification" WHERE "entryId" = ?`, entry))[0].status).toBe("pending");
  });

  it("confirms with a note: the entry shows who verified it and when; the owner is notified and mailed", async () => {
    const res = await decide(guest, link.path, { intent: "confirm", name: "Sam Supervisor, Branch Manager", note: "She attended with me & took notes." });
    expect(res.status).toBe(302);
    expect(res.location).toBe(link.path);
    const after = await guest.get(link.path);
    expect(after.status).toBe(200);
    expect(plain(after.body)).toContain(`Sam Supervisor, Branch Manager confirmed “${TITLE}” on ${today()}`);
    expect(after.body).not.toContain('name="intent"');

    const state = await verificationText(ada, entry);
    expect(state).toContain(`Verified by Sam Supervisor, Branch Manager (sam.supervisor@library.example) on ${today()}.`);
    expect(state).toContain("Their note: “She attended with me & took notes.”");
    // No form to ask again while it stands.
    expect(state).not.toContain("Ask to verify");

    await eventsDelivered(server);
    const notes = plain((await ada.get("/notifications")).body);
    expect(notes).toContain(`Sam Supervisor, Branch Manager verified “${TITLE}” in your portfolio`);
    const mail = await sink.waitFor((m) => to("ada@example.org")(m) && m.subject === `[ParaNet] Your portfolio entry: ${TITLE}`);
    expect(mail.text).toContain("Sam Supervisor, Branch Manager verified an activity in your portfolio.");
    expect(mail.text).toContain("Their note: She attended with me & took notes.");
    expect(linkIn(mail, "/me/portfolio/entries/").pathname).toBe(entryPath(entry));
  });

  it("the link cannot be used again: a second decision changes nothing (409)", async () => {
    const again = await decide(guest, link.path, { intent: "decline", name: "Someone Else", note: "Changed my mind" });
    expect(again.status).toBe(409);
    expect(textOf(again.body)).toContain("confirmed");
    const [row] = await sql<{ status: string; verifierName: string; note: string }[]>(
      `SELECT "status", "verifierName", "note" FROM "Verification" WHERE "entryId" = ?`,
      entry,
    );
    expect(row).toEqual({ status: "confirmed", verifierName: "Sam Supervisor, Branch Manager", note: "She attended with me & took notes." });
  });

  it("refuses to ask again while the entry stands verified (409, said above the form)", async () => {
    const res = await ask(ada, entry, { verifierEmail: "other@library.example", verifierName: "Other" });
    expect(res.status).toBe(409);
    expect(textOf(res.body)).toContain("already verified this entry");
  });

  it("says right above the edit form's Save button that saving clears the verification", async () => {
    const page = await ada.get(entryPath(entry));
    const form = /<form[^>]*>[\s\S]*?<\/form>/.exec(page.body.slice(page.body.indexOf('<details id="edit"')))?.[0] ?? "";
    // The last thing before the button, and the button is described by it.
    expect(form).toMatch(
      /<p class="notice notice--warning entry-edit__clears" id="edit-clears">Saving changes clears the verification by Sam Supervisor, Branch Manager \(sam\.supervisor@library\.example\)[^<]*<\/p><div class="actions"><button type="submit" class="button" aria-describedby="edit-clears">Save changes<\/button>/,
    );
  });

  it("editing the entry clears the verification; the link then answers 410 and shows nothing of the entry", async () => {
    const res = await ada.post(entryPath(entry), entryFields("Weeding, edited", { quantity: "4", reflection: "Changed." }));
    expect(res.status).toBe(302);
    expect(await verificationText(ada, entry)).toContain(
      "The verification by Sam Supervisor, Branch Manager (sam.supervisor@library.example) was cleared when you edited the entry",
    );
    const page = await guest.get(link.path);
    expect(page.status).toBe(410);
    expect(gone(page)).toContain("The member changed the entry after asking");
    expect(page.body).not.toContain("Weeding");
    expect(page.body).not.toContain("MUSTIE");
    expect((await decide(guest, link.path, { intent: "confirm", name: "Sam" })).status).toBe(410);
  });
});

describe("declining, replacing, expiring, unknown links", () => {
  it("declines with a note: the entry says so, and the member may ask again", async () => {
    const entry = await addEntry(ada);
    expect((await ask(ada, entry, { verifierEmail: "dee@library.example", verifierName: "Dee" })).status).toBe(302);
    const { path } = await mailedLink("dee@library.example");
    expect((await decide(guest, path, { intent: "decline", name: "Dee Director", note: "I was not there that day." })).status).toBe(302);
    expect(textOf((await guest.get(path)).body)).toContain("Dee Director declined to verify");
    const state = await verificationText(ada, entry);
    expect(state).toContain(`Dee Director (dee@library.example) declined to verify this entry on ${today()}.`);
    expect(state).toContain("Their note: “I was not there that day.”");
    expect(state).toContain("Ask to verify");
    await eventsDelivered(server);
    expect(textOf((await ada.get("/notifications")).body)).toContain("Dee Director declined to verify");
  });

  it("asking again replaces the pending request: the first link answers 410, the second works", async () => {
    const entry = await addEntry(ada);
    expect((await ask(ada, entry, { verifierEmail: "first@library.example", verifierName: "First" })).status).toBe(302);
    const first = await mailedLink("first@library.example");
    const page = await ada.get(entryPath(entry));
    expect(textOf(page.body)).toContain("Asking again replaces your request to First (first@library.example)");
    expect((await ask(ada, entry, { verifierEmail: "second@library.example", verifierName: "Second" })).status).toBe(302);
    const second = await mailedLink("second@library.example");
    const old = await guest.get(first.path);
    expect(old.status).toBe(410);
    expect(gone(old)).toContain("The member asked again since");
    expect(old.body).not.toContain(TITLE.slice(0, 7));
    expect((await guest.get(second.path)).status).toBe(200);
    expect(await verificationText(ada, entry)).toContain("Waiting for Second (second@library.example)");
  });

  it("an edit withdraws a pending request: its link answers 410", async () => {
    const entry = await addEntry(ada);
    expect((await ask(ada, entry, { verifierEmail: "pending@library.example", verifierName: "Pat" })).status).toBe(302);
    const { path } = await mailedLink("pending@library.example");
    const edit = await ada.post(entryPath(entry), {
      type: "course",
      title: "Now a course",
      startedOn: day(-10),
      quantity: "2",
      unit: "hours",
      area: "reference",
    });
    expect(edit.status).toBe(302);
    expect(await verificationText(ada, entry)).toContain("Your request to Pat (pending@library.example) was withdrawn when you edited the entry");
    expect((await guest.get(path)).status).toBe(410);
  });

  it("an expired link answers 410 and says so, without the entry; the owner sees it expired", async () => {
    const entry = await addEntry(ada);
    expect((await ask(ada, entry, { verifierEmail: "late@library.example", verifierName: "Lee" })).status).toBe(302);
    const { path } = await mailedLink("late@library.example");
    await sql(`UPDATE "Verification" SET "expiresAt" = ? WHERE "entryId" = ?`, new Date(Date.now() - 60_000).toISOString(), entry);
    const page = await guest.get(path);
    expect(page.status).toBe(410);
    expect(gone(page)).toContain("This request expired on");
    expect(page.body).not.toContain("MUSTIE");
    expect((await decide(guest, path, { intent: "confirm", name: "Lee" })).status).toBe(410);
    expect(await verificationText(ada, entry)).toContain("expired on");
  });

  it("an unknown or malformed token answers 404 and names nothing", async () => {
    for (const token of [randomBytes(32).toString("base64url"), "abc", "x".repeat(500)]) {
      const page = await guest.get(`/verify/${token}`);
      expect(page.status, token).toBe(404);
      expect(textOf(page.body)).toContain("This verification link is not known");
      expect((await decide(guest, `/verify/${token}`, { intent: "confirm", name: "X" })).status).toBe(404);
    }
  });
});

describe("asking a member by handle", () => {
  let entry = 0;
  let requestPath = "";

  it("notifies the member, whose notification opens the request; by mail too, per their settings", async () => {
    entry = await addEntry(ada);
    expect((await ask(ada, entry, { verifierHandle: "@Bea", message: "Could you confirm this?" })).status).toBe(302);
    expect(await verificationText(ada, entry)).toMatch(/Waiting for .* \(@bea\) to verify this entry since/);
    await eventsDelivered(server);
    const notes = await bea.get("/notifications");
    expect(plain(notes.body)).toContain(`${await nameOf("ada")} asks you to verify “${TITLE} ${made}” in their portfolio`);
    const id = /href="\/notifications\/(\d+)"[^>]*>[^<]*asks you to verify/.exec(notes.body)?.[1];
    expect(id, textOf(notes.body)).toBeTruthy();
    const open = await bea.get(`/notifications/${id}`);
    expect(open.status).toBe(302);
    requestPath = open.location!;
    expect(requestPath).toMatch(/^\/me\/verifications\/\d+$/);
    const mail = await sink.waitFor((m) => to("bea@example.org")(m) && (m.subject ?? "").startsWith("[ParaNet] Please verify: "));
    expect(linkIn(mail, "/me/verifications/").pathname).toBe(requestPath);
    // No link to an address: nothing was mailed but the notification.
    expect(sink.messages.some((m) => to("bea@example.org")(m) && /\/verify\//.test(m.text ?? ""))).toBe(false);
  });

  it("only that member may open or answer it: another member and a guest get nothing", async () => {
    expect((await cal.get(requestPath)).status).toBe(404);
    expect((await decide(cal, requestPath, { intent: "confirm" })).status).toBe(404);
    expect((await ada.get(requestPath)).status).toBe(404);
    const anon = await guest.get(requestPath);
    expect(anon.status).toBe(302);
    expect(anon.location).toMatch(/^\/login/);
    const page = await bea.get(requestPath);
    expect(page.status).toBe(200);
    expect(textOf(page.body)).toContain("Could you confirm this?");
    expect(page.body).not.toContain('name="name"');
    expect(page.body).toMatch(/<h1[^>]*>Verify an activity<\/h1>/);
    expect(page.body).toContain("← Activities to verify");
    const list = await bea.get("/me/verifications");
    expect(list.body).toMatch(/<h1[^>]*>Activities to verify<\/h1>/);
    expect(textOf(list.body)).toContain("Waiting for your answer");
  });

  it("the member confirms: the entry shows them as its verifier; the owner is notified", async () => {
    const res = await decide(bea, requestPath, { intent: "confirm", note: "Confirmed from the sign-in sheet." });
    expect(res.status).toBe(302);
    const displayName = await nameOf("bea");
    expect(await verificationText(ada, entry)).toContain(`Verified by ${displayName} (@bea) on ${today()}.`);
    expect(textOf((await bea.get(requestPath)).body)).toContain("confirmed");
    expect(textOf((await bea.get("/me/verifications")).body)).toContain("you confirmed it on");
    await eventsDelivered(server);
    expect(textOf((await ada.get("/notifications")).body)).toContain(`${displayName} verified “`);
  });
});

describe("what the ask form refuses", () => {
  let entry = 0;
  beforeAll(async () => {
    entry = await addEntry(cal);
  });

  const cases: [string, Record<string, string>, Record<string, string>][] = [
    ["no such handle", { verifierHandle: "@nobody-here" }, { verifierHandle: "No ParaNet member has the handle @nobody-here." }],
    ["a malformed handle", { verifierHandle: "bad handle!" }, { verifierHandle: "Use letters, digits" }],
    ["one's own handle", { verifierHandle: "cal" }, { verifierHandle: "You cannot verify your own entry" }],
    ["a bad address", { verifierEmail: "not-an-address", verifierName: "Nia" }, { verifierEmail: "Enter an email address like name@example.org." }],
    ["one's own address", { verifierEmail: "cal@example.org", verifierName: "Me" }, { verifierEmail: "This is your own address" }],
    ["an address without a name", { verifierEmail: "nia@library.example" }, { verifierName: "Give their name" }],
    [
      "both a handle and an address",
      { verifierHandle: "bea", verifierEmail: "nia@library.example", verifierName: "Nia" },
      { verifierHandle: "not both", verifierEmail: "not both" },
    ],
    ["neither", { message: "Kept message" }, { verifierHandle: "Give the handle", verifierEmail: "Or give the email address" }],
    ["a message too long", { verifierEmail: "nia@library.example", verifierName: "Nia", message: "m".repeat(1001) }, { message: "at most 1,000 characters" }],
  ];
  for (const [what, fields, errors] of cases) {
    it(`${what}: 400, beside the field, with what was typed kept`, async () => {
      const res = await ask(cal, entry, fields);
      expect(res.status, textOf(res.body).slice(0, 300)).toBe(400);
      for (const [field, message] of Object.entries(errors)) expect(fieldOf(res.body, field), field).toContain(message);
      for (const value of Object.values(fields)) if (value.length < 100) expect(res.body).toContain(value.replace(/&/g, "&amp;"));
      // The edit form is left as it was (its fields show no error).
      expect(fieldOf(res.body, "title")).toBe("");
    });
  }

  it("asks nothing of anyone for those", async () => {
    expect(Number((await sql<{ n: number }[]>(`SELECT COUNT(*) AS "n" FROM "Verification" WHERE "entryId" = ?`, entry))[0].n)).toBe(0);
  });

  it("another member's entry is not found (404), whatever is asked", async () => {
    expect((await ask(bea, entry, { verifierEmail: "x@library.example", verifierName: "X" })).status).toBe(404);
    expect((await ask(bea, entry, { verifierHandle: "" })).status).toBe(404);
  });

  it("limits requests per member: the eleventh in an hour is refused (429) with the wait, and nothing is sent", async () => {
    const other = await addEntry(cal);
    for (let i = 1; i <= 10; i++) {
      const res = await ask(cal, other, { verifierEmail: `spam${i}@library.example`, verifierName: `Target ${i}` });
      expect(res.status, `request ${i}: ${textOf(res.body).slice(0, 200)}`).toBe(302);
    }
    const refused = await ask(cal, other, { verifierEmail: "spam11@library.example", verifierName: "Target 11" });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(textOf(refused.body)).toContain("Too many verification requests. Please wait");
    expect(refused.body).toContain("spam11@library.example");
    await eventsDelivered(server);
    await eventually(async () => {
      const [{ n }] = await sql<{ n: number }[]>(`SELECT COUNT(*) AS "n" FROM "MailJob" WHERE "toAddress" LIKE 'spam%'`);
      // Each request replaced the one before; only those still pending when the mailer came were mailed, and never the refused one.
      expect(Number(n)).toBeGreaterThanOrEqual(1);
    });
    expect(Number((await sql<{ n: number }[]>(`SELECT COUNT(*) AS "n" FROM "MailJob" WHERE "toAddress" = 'spam11@library.example'`))[0].n)).toBe(0);
    expect(Number((await sql<{ n: number }[]>(`SELECT COUNT(*) AS "n" FROM "Verification" WHERE "verifierEmail" = 'spam11@library.example'`))[0].n)).toBe(0);
  });
});
