// Sharing a portfolio with a reviewer, and program badges (issue 19, item 7),
// over HTTP on a real server: a link shows one program's portfolio to anyone
// holding it (the entries that count there, nothing else of the member's)
// until it expires or is revoked; nobody but its owner lists or revokes it;
// no cache keeps it. A badge the member sets shows on their identification
// card on thread pages (guests and members alike), the API and the profile,
// and leaves when cleared or when the member stops following the program.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor, type Page } from "../helpers/client";
import { execute, isoOf, queryOne } from "../helpers/db";
import { eventsDelivered, startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let ada: Visitor, bea: Visitor, guest: Visitor;
const ids = { counted: 0, split: 0, uncounted: 0, old: 0 };

const person = (name: string, extra: Record<string, string> = {}) =>
  aMember(name, { handle: name, displayName: `${name[0].toUpperCase()}${name.slice(1)} Example`, ...extra });
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

function postForm(visitor: Visitor, path: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return visitor.request(path, { method: "POST", body: body.toString(), headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url } });
}
async function addEntry(visitor: Visitor, fields: Record<string, string | string[]>) {
  const res = await postForm(visitor, "/me/portfolio/new", { provider: "", endedOn: "", unit: "hours", ...fields });
  expect(res.status, textOf(res.body).slice(0, 400)).toBe(302);
  return Number(/\/me\/portfolio\/entries\/(\d+)/.exec(res.location!)![1]);
}
/** Create a link on a program's page; the path it opens (shown this once). */
async function share(visitor: Visitor, label: string, program = "lssc", days = "30"): Promise<string> {
  const res = await visitor.post(`/me/portfolio/programs/${program}`, { intent: "share", label, days });
  expect(res.status, textOf(res.body).slice(0, 400)).toBe(200);
  const link = /value="(https?:\/\/[^"]+\/portfolio\/shared\/[A-Za-z0-9_-]{43})"/.exec(res.body)?.[1];
  expect(link, "the new link is shown once").toBeTruthy();
  return new URL(link!).pathname;
}
const tokenOf = (path: string) => path.split("/").pop()!;
const shareRow = (path: string) =>
  queryOne<{ id: number; lastOpenedAt: unknown; revokedAt: unknown; label: string } | undefined>(
    server.database,
    `SELECT "id", "lastOpenedAt", "revokedAt", "label" FROM "PortfolioShare" WHERE "tokenHash" = ?`,
    sha256(tokenOf(path)),
  );
/** Nothing of Ada's portfolio (or of her) on a page that must show none of it. */
function showsNothing(page: Page) {
  const text = textOf(page.body);
  for (const secret of ["Ada Example", "Counted workshop", "COUNTED-REFLECTION", "Certificate of completion", "Technology:", "In words"])
    expect(text, secret).not.toContain(secret);
}

beforeAll(async () => {
  server = await startServer();
  const admin = new Visitor(server.url);
  [ada, bea, guest] = [new Visitor(server.url), new Visitor(server.url), new Visitor(server.url)];
  expect((await admin.post(`/setup?token=${server.setupToken}`, person("admin"))).status).toBe(302);
  await join(ada, person("ada", { jobTitle: "Circulation Assistant", worksite: "Maple Public Library" }));
  await join(bea, person("bea"));
  expect((await ada.post("/me/portfolio", { program: "lssc" })).status).toBe(302);
  expect((await bea.post("/me/portfolio", { program: "lssc" })).status).toBe(302);

  // Counts in LSSC (Technology), with evidence and a verification by email.
  ids.counted = await addEntry(ada, {
    type: "workshop",
    title: "Counted workshop on library apps",
    startedOn: day(-30),
    quantity: "3",
    area: "technology",
    reflection: "COUNTED-REFLECTION: taught patrons the library app.",
  });
  // Counts in two LSSC sets: written out once, pointed to from the second.
  ids.split = await addEntry(ada, {
    type: "presentation",
    title: "Split presentation on e-readers",
    startedOn: day(-20),
    quantity: "10",
    area: ["technology", "reference"],
    "hours-technology": "6",
    "hours-reference": "4",
    reflection: "SPLIT-REFLECTION",
  });
  // Counts in PARA (a presentation, no competency area) but in no LSSC set.
  ids.uncounted = await addEntry(ada, {
    type: "presentation",
    title: "Uncounted talk at the state conference",
    startedOn: day(-10),
    quantity: "1",
    reflection: "UNCOUNTED-PRIVATE-REFLECTION",
  });
  // Outside LSSC's four-year window.
  ids.old = await addEntry(ada, {
    type: "course",
    title: "Old cataloging course",
    startedOn: day(-6 * 365),
    quantity: "15",
    area: "cataloging-classification",
    reflection: "OLD-PRIVATE-REFLECTION",
  });
  const now = new Date();
  const evidence = `INSERT INTO "Evidence" ("entryId", "ownerId", "kind", "url", "storedName", "originalName", "mediaType", "bytes", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  const adaId = (await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "User" WHERE "handle" = 'ada'`)).id;
  await execute(server.database, evidence, ids.counted, adaId, "link", "https://example.org/certificate", "", "Certificate of completion", "", 0, now);
  await execute(server.database, evidence, ids.counted, adaId, "file", "", "f0a1b2c3d4.pdf", "attendance-sheet.pdf", "application/pdf", 1234, now);
  await execute(server.database, evidence, ids.uncounted, adaId, "file", "", "e9f8.pdf", "SECRET-EVIDENCE.pdf", "application/pdf", 99, now);
  await execute(
    server.database,
    `INSERT INTO "Verification" ("entryId", "verifierEmail", "verifierName", "tokenHash", "expiresAt", "status", "note", "decidedAt", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ids.counted,
    "boss@maple.example.org",
    "",
    sha256("a verification token"),
    new Date(Date.now() + 86_400_000),
    "confirmed",
    "PRIVATE-VERIFIER-NOTE",
    now,
    now,
  );
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe("a reviewer's link", () => {
  let link = "";

  it("is made on the program's page and shown once; only its hash is stored", async () => {
    link = await share(ada, "Regional review panel");
    const row = await shareRow(link);
    expect(row?.label).toBe("Regional review panel");
    expect((await queryOne<{ n: number }>(server.database, `SELECT COUNT(*) AS "n" FROM "PortfolioShare" WHERE "tokenHash" = ?`, tokenOf(link))).n).toBe(0);
    const page = await ada.get("/me/portfolio/programs/lssc");
    expect(page.body).not.toContain(tokenOf(link));
    const text = textOf(page.body);
    expect(text).toContain("Share with a reviewer");
    expect(text).toContain("Regional review panel");
    expect(text).toContain("never opened");
    expect(text).toContain(`expires ${day(30)}`);
  });

  it("names bad input beside its field and keeps what was typed", async () => {
    const blank = await ada.post("/me/portfolio/programs/lssc", { intent: "share", label: "  ", days: "30" });
    expect(blank.status).toBe(400);
    expect(textOf(blank.body)).toContain("Say whom the link is for");
    const days = await ada.post("/me/portfolio/programs/lssc", { intent: "share", label: "Mentor Jo", days: "45" });
    expect(days.status).toBe(400);
    expect(textOf(days.body)).toContain("Choose 7, 30 or 90 days.");
    expect(days.body).toMatch(/name="label"[^>]*value="Mentor Jo"/);
    const long = await ada.post("/me/portfolio/programs/lssc", { intent: "share", label: "x".repeat(81), days: "7" });
    expect(long.status).toBe(400);
    expect(textOf(long.body)).toContain("At most 80 characters.");
    // A program the member does not follow.
    const notFollowed = await ada.post("/me/portfolio/programs/nyslaa", { intent: "share", label: "Someone", days: "7" });
    expect(notFollowed.status).toBe(400);
    expect(textOf(notFollowed.body)).toContain("Follow this program first");
    const unknown = await ada.post("/me/portfolio/programs/no-such-program", { intent: "share", label: "Someone", days: "7" });
    expect(unknown.status).toBe(404);
  });

  it("opens logged out: identification, progress, and only the entries that count, each in full", async () => {
    const page = await guest.get(link);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("private, no-store");
    expect(page.headers.get("x-robots-tag")).toContain("noindex");
    // The security middleware's policy first, then this page's: the last valid one applies.
    expect(page.headers.get("referrer-policy")?.split(",").pop()?.trim()).toBe("no-referrer");
    expect(page.body).toContain('<meta name="referrer" content="no-referrer"');
    expect(page.body).toContain('<meta name="robots" content="noindex, nofollow"');
    const text = textOf(page.body);
    expect(text).toContain("Ada Example");
    expect(text).toContain("Circulation Assistant · Maple Public Library");
    expect(text).toContain("Library Support Staff Certification (LSSC)");
    expect(text).toContain("Technology (required)");
    expect(text).toContain("9 of 15 hours — 6 to go");
    expect(text).toContain("0 of 3 required categories met; 0 of 3 electives met.");
    // The counted entries, in full.
    expect(text).toContain("Counted workshop on library apps");
    expect(text).toContain("COUNTED-REFLECTION: taught patrons the library app.");
    expect(text).toContain("Certificate of completion");
    expect(page.body).toContain('href="https://example.org/certificate"');
    expect(text).toContain("attendance-sheet.pdf (file, downloads)");
    expect(text).toContain("Verified by someone at maple.example.org");
    expect(text).toContain("SPLIT-REFLECTION");
    // Once in full (Technology), pointed to from Reference.
    expect(text.split("SPLIT-REFLECTION").length - 1).toBe(1);
    expect(text).toContain("Also counted here: Split presentation on e-readers (above).");
    // Each area's part with its unit.
    expect(text).toContain("Technology 6 hours, Reference 4 hours");
    // The page speaks to the reviewer of the member, by name: never "your" (the program's own caveat included).
    expect(text).toContain("It shows Ada Example’s progress in this program");
    expect(text).not.toMatch(/\byour\b/i);
    // Nothing else of hers.
    for (const secret of [
      "Uncounted talk",
      "UNCOUNTED-PRIVATE-REFLECTION",
      "SECRET-EVIDENCE",
      "Old cataloging course",
      "OLD-PRIVATE-REFLECTION",
      "boss@",
      "PRIVATE-VERIFIER-NOTE",
      "memberada@example.org",
      "Regional review panel",
    ])
      expect(page.body, secret).not.toContain(secret);
    expect(page.body).not.toContain(`/me/portfolio/entries/`);
    expect(isoOf((await shareRow(link))?.lastOpenedAt)).not.toBeNull();
    const listed = textOf((await ada.get("/me/portfolio/programs/lssc")).body);
    expect(listed).toContain(`last opened ${day(0)}`);
  });

  it("is not counted as opened when its owner looks", async () => {
    const path = await share(ada, "Looked at by its owner only", "lssc", "7");
    expect((await ada.get(path)).status).toBe(200);
    expect((await shareRow(path))?.lastOpenedAt ?? null).toBeNull();
  });

  it("is neither listed nor revocable by another member: 404, and it still opens", async () => {
    const beaPage = await bea.get("/me/portfolio/programs/lssc");
    expect(textOf(beaPage.body)).not.toContain("Regional review panel");
    const id = String((await shareRow(link))!.id);
    for (const program of ["lssc", "para-ma"]) {
      const res = await bea.post(`/me/portfolio/programs/${program}`, { intent: "revoke-share", shareId: id });
      expect(res.status).toBe(404);
    }
    expect((await guest.get(link)).status).toBe(200);
    // A made-up id, and one that is no id.
    expect((await ada.post("/me/portfolio/programs/lssc", { intent: "revoke-share", shareId: "2147483000" })).status).toBe(404);
    expect((await ada.post("/me/portfolio/programs/lssc", { intent: "revoke-share", shareId: "abc" })).status).toBe(400);
  });

  it("is kept by no cache: a guest who opened it twice gets 410 the moment it is revoked", async () => {
    const path = await share(ada, "Library director");
    const first = await guest.get(path);
    const second = await guest.get(path);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.headers.get("x-cache")).not.toBe("hit");
    const id = String((await shareRow(path))!.id);
    const revoked = await ada.post("/me/portfolio/programs/lssc", { intent: "revoke-share", shareId: id });
    expect(revoked.status).toBe(302);
    expect(isoOf((await shareRow(path))?.revokedAt)).not.toBeNull();
    const gone = await guest.get(path);
    expect(gone.status).toBe(410);
    expect(gone.headers.get("cache-control")).toBe("private, no-store");
    expect(textOf(gone.body)).toContain("This link no longer works");
    showsNothing(gone);
    // Revoking again changes nothing; the list says it was revoked, with no button.
    expect((await ada.post("/me/portfolio/programs/lssc", { intent: "revoke-share", shareId: id })).status).toBe(302);
    const listed = textOf((await ada.get("/me/portfolio/programs/lssc")).body);
    expect(listed).toMatch(/Library director[^]*Revoked \d{4}-\d{2}-\d{2}/);
    expect(listed).not.toContain("Revoke the link for Library director");
  });

  it("lets the reviewer download the files of the entries it shows, while it works, and no others", async () => {
    // A real certificate, uploaded by Ada to the counted entry through the evidence form.
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(pdf)], { type: "application/pdf" }), "certificate-of-attendance.pdf");
    const uploaded = await ada.request(`/me/portfolio/entries/${ids.counted}/evidence`, { method: "POST", body: form, headers: { Origin: server.url } });
    expect(uploaded.status, textOf(uploaded.body).slice(0, 300)).toBe(302);
    const path = await share(ada, "Certification committee");
    const page = await guest.get(path);
    const href = new RegExp(`href="(${path}/evidence/(\\d+))" download=""[^>]*>certificate-of-attendance.pdf<`).exec(page.body);
    expect(href, "the file is a download link on the shared page").not.toBeNull();
    const file = await fetch(`${server.url}${href![1]}`);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(pdf)).toBe(true);
    expect(file.headers.get("content-type")).toBe("application/pdf");
    expect(file.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(file.headers.get("cache-control")).toBe("private, no-store");
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    // The file of an entry that does not count in this program, and ids that were never files here: not found.
    const uncounted = await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "Evidence" WHERE "entryId" = ? AND "kind" = 'file'`, ids.uncounted);
    for (const id of [uncounted.id, 2147483000]) expect((await guest.get(`${path}/evidence/${id}`)).status).toBe(404);
    expect((await guest.get(`/portfolio/shared/${"x".repeat(43)}/evidence/${href![2]}`)).status).toBe(404);
    // Revoked: the file is gone with the page.
    const id = String((await shareRow(path))!.id);
    expect((await ada.post("/me/portfolio/programs/lssc", { intent: "revoke-share", shareId: id })).status).toBe(302);
    expect((await guest.get(href![1])).status).toBe(404);
  });

  it("answers 410 once expired, and 404 for a link that never was", async () => {
    const path = await share(ada, "Expiring soon", "lssc", "7");
    await execute(server.database, `UPDATE "PortfolioShare" SET "expiresAt" = ? WHERE "tokenHash" = ?`, new Date(Date.now() - 1000), sha256(tokenOf(path)));
    const expired = await guest.get(path);
    expect(expired.status).toBe(410);
    showsNothing(expired);
    expect(textOf((await ada.get("/me/portfolio/programs/lssc")).body)).toMatch(/Expiring soon[^]*Expired/);

    const unknown = await guest.get(`/portfolio/shared/${"A".repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(textOf(unknown.body)).toContain("No portfolio at this link");
    showsNothing(unknown);
    expect((await guest.get("/portfolio/shared/short")).status).toBe(404);
    expect((await guest.get(`/portfolio/shared/${tokenOf(link)}x`)).status).toBe(404);
    // The loader's data too (a client-side navigation).
    expect((await guest.get(`${path}?_data=routes/portfolio.shared.$token`)).status).toBe(410);
  });

  it("stays listed and revocable after the member stops following the program", async () => {
    await ada.post("/me/portfolio", { program: "para-ma" });
    const path = await share(ada, "PARA reviewer", "para-ma", "90");
    const page = await guest.get(path);
    expect(textOf(page.body)).toContain("Uncounted talk at the state conference");
    expect((await ada.post("/me/portfolio/programs/para-ma", { intent: "unfollow" })).status).toBe(302);
    const programPage = await ada.get("/me/portfolio/programs/para-ma");
    expect(textOf(programPage.body)).toContain("PARA reviewer");
    expect(programPage.body).not.toContain('name="label"');
    const id = String((await shareRow(path))!.id);
    expect((await ada.post("/me/portfolio/programs/para-ma", { intent: "revoke-share", shareId: id })).status).toBe(302);
    expect((await guest.get(path)).status).toBe(410);
  });
});

describe("badges on the identification card", () => {
  let threadPath = "";
  let threadId = 0;

  beforeAll(async () => {
    const tag = (await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "Tag" WHERE "slug" = 'reference'`)).id;
    const res = await ada.post("/threads/new", {
      title: "How do you label graphic novels?",
      body: "Spine labels or stickers?",
      kind: "question",
      tagIds: String(tag),
    });
    expect(res.status).toBe(302);
    threadPath = res.location!;
    threadId = Number(threadPath.split("/")[2]);
    await eventsDelivered(server);
  });

  const cardOf = (page: Page) => /data-testid="identification-card"[\s\S]*?<\/div><\/div>/.exec(page.body)?.[0] ?? "";

  it("shows the badge a member sets, to guests and members, on the thread page, the API and the profile", async () => {
    // Seen (and cached for guests) before the badge.
    expect(textOf((await guest.get(threadPath)).body)).not.toContain("LSSC candidate");
    expect((await guest.get(threadPath)).headers.get("x-cache")).toBe("hit");
    const set = await ada.post("/me/portfolio/programs/lssc", { intent: "badge", badge: "  LSSC\u0007   candidate " });
    expect(set.status).toBe(302);
    await eventsDelivered(server);
    const row = await queryOne<{ badges: string }>(server.database, `SELECT "badges" FROM "User" WHERE "handle" = 'ada'`);
    expect(JSON.parse(row.badges)).toEqual(["LSSC candidate"]);
    for (const [who, visitor] of [
      ["guest", guest],
      ["member", bea],
      ["the author", ada],
    ] as const) {
      const page = await visitor.get(threadPath);
      expect(textOf(cardOf(page)), who).toContain("LSSC candidate");
      expect(page.body, who).toContain('aria-label="Program badges"');
    }
    const api = (await (await fetch(`${server.url}/api/v1/threads/${threadId}`)).json()) as { thread: { author: { badges: string[] } } };
    expect(api.thread.author.badges).toEqual(["LSSC candidate"]);
    expect(textOf((await guest.get("/u/ada")).body)).toContain("LSSC candidate");
    // Bea set none: her card has no badges.
    expect((await guest.get("/u/bea")).body).not.toContain("Program badges");
  });

  it("shows markup in a badge as text", async () => {
    expect((await ada.post("/me/portfolio/programs/lssc", { intent: "badge", badge: "<b>PARA</b> & <i>LSSC</i>" })).status).toBe(302);
    const page = await guest.get("/u/ada");
    expect(page.body).toContain("&lt;b&gt;PARA&lt;/b&gt; &amp; &lt;i&gt;LSSC&lt;/i&gt;");
    expect(page.body).not.toContain("<b>PARA</b>");
    const long = await ada.post("/me/portfolio/programs/lssc", { intent: "badge", badge: "x".repeat(41) });
    expect(long.status).toBe(400);
    expect(textOf(long.body)).toContain("A badge is at most 40 characters");
  });

  it("shows several programs' badges, and leaves when cleared or when the member stops following", async () => {
    await ada.post("/me/portfolio", { program: "para-ma" });
    expect((await ada.post("/me/portfolio/programs/lssc", { intent: "badge", badge: "LSSC candidate" })).status).toBe(302);
    expect((await ada.post("/me/portfolio/programs/para-ma", { intent: "badge", badge: "PARA level 2" })).status).toBe(302);
    await eventsDelivered(server);
    let card = textOf(cardOf(await guest.get(threadPath)));
    expect(card).toContain("LSSC candidate");
    expect(card).toContain("PARA level 2");

    expect((await ada.post("/me/portfolio/programs/lssc", { intent: "badge", badge: "" })).status).toBe(302);
    await eventsDelivered(server);
    card = textOf(cardOf(await guest.get(threadPath)));
    expect(card).not.toContain("LSSC candidate");
    expect(card).toContain("PARA level 2");

    expect((await ada.post("/me/portfolio/programs/para-ma", { intent: "unfollow" })).status).toBe(302);
    await eventsDelivered(server);
    for (const visitor of [guest, bea]) {
      const page = await visitor.get(threadPath);
      expect(page.body).not.toContain("PARA level 2");
      expect(page.body).not.toContain("Program badges");
    }
    expect((await guest.get("/u/ada")).body).not.toContain("PARA level 2");
    expect((await queryOne<{ badges: string }>(server.database, `SELECT "badges" FROM "User" WHERE "handle" = 'ada'`)).badges).toBe("");
  });
});
