// The portfolio for reviewers and over the API (issue 19, items 6 and 8),
// against a real server: the PDF notebook read back with pdf.js (selectable
// text, "Page 1 of N", the contents, every section and entry, the outline,
// a name in any script), the CSV points sheet (one row per entry and
// category, formulas defused), the zip (read back with yauzl: the notebook,
// the sheet and the evidence files, byte for byte), who may export (the
// owner only; guests log in), and the JSON API's create, read, update and
// delete with its errors (bad bodies named by field, another member's entry
// 404, no token 401).
import fs from "node:fs";
import path from "node:path";
import Papa from "papaparse";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { execute, queryOne } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let ada: Visitor, bea: Visitor, guest: Visitor;
let adaToken = "",
  beaToken = "";
let adaId = 0;

const person = (name: string, extra: Record<string, string> = {}) =>
  aMember(name, { handle: name, displayName: `${name[0].toUpperCase()}${name.slice(1)} Example`, ...extra });
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function createToken(visitor: Visitor): Promise<string> {
  const res = await visitor.post("/me/settings", { intent: "create-token", name: "export test" });
  const token = /value="(pnt_[A-Za-z0-9_-]+)"/.exec(res.body)?.[1];
  if (!token) throw new Error(`no token: ${textOf(res.body).slice(0, 300)}`);
  return token;
}

type Answer = { status: number; body: Record<string, unknown>; headers: Headers };
async function call(method: string, url: string, opts: { token?: string; body?: unknown; raw?: string; type?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined || opts.raw !== undefined) headers["Content-Type"] = opts.type ?? "application/json";
  const res = await fetch(`${server.url}${url}`, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
const errorOf = (a: Answer) => a.body.error as { code: string; message: string; fields: Record<string, string> };

async function download(visitor: Visitor, url: string) {
  const res = await fetch(`${server.url}${url}`, { headers: { Cookie: visitor.cookieHeader() }, redirect: "manual" });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Every page's text (pdf.js, as a reader selecting it would get it), and the outline's titles. */
async function readPdf(bytes: Buffer) {
  const pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: 0, useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(
      content.items
        .map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : " ") : ""))
        .join("")
        .replace(/[ \t]+/g, " "),
    );
  }
  type Node = { title: string; items: Node[] };
  const flat = (nodes: Node[] | null): string[] => (nodes ?? []).flatMap((n) => [n.title, ...flat(n.items)]);
  const outline = (await pdf.getOutline()) as Node[] | null;
  return { pages, outline, titles: flat(outline), info: (await pdf.getMetadata()).info as Record<string, unknown> };
}

/** The zip's entries: name → bytes. */
function readZip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error("no zip"));
      const files = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error("no stream"));
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(files));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

// A 1×1 PNG and a one-page PDF: real files, as the evidence upload keeps them.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

const ids = { workshop: 0, talk: 0, old: 0, formula: 0 };

async function addEvidence(
  entryId: number,
  kind: "file" | "link",
  f: { storedName?: string; originalName?: string; mediaType?: string; bytes?: Buffer; url?: string },
) {
  if (f.bytes && f.storedName) {
    const dir = path.join(server.dataDir, "evidence", String(adaId));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, f.storedName), f.bytes);
  }
  await execute(
    server.database,
    `INSERT INTO "Evidence" ("entryId", "ownerId", "kind", "url", "storedName", "originalName", "mediaType", "bytes") VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    entryId,
    adaId,
    kind,
    f.url ?? "",
    f.storedName ?? "",
    f.originalName ?? "",
    f.mediaType ?? "",
    f.bytes?.length ?? 12345,
  );
}

beforeAll(async () => {
  server = await startServer();
  [ada, bea, guest] = Array.from({ length: 3 }, () => new Visitor(server.url));
  // Ada's name and worksite are in scripts the PDF's standard fonts could not print.
  await join(ada, person("ada", { displayName: "Ada Łódź-Ωμέγα ✓ 李小龍", worksite: "Biblioteka Miejska — Łódź", jobTitle: "Library Assistant" }));
  await join(bea, person("bea"));
  adaId = (await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "User" WHERE "handle" = 'ada'`)).id;
  [adaToken, beaToken] = [await createToken(ada), await createToken(bea)];
  expect((await ada.post("/me/portfolio", { program: "lssc" })).status).toBe(302);
  expect((await bea.post("/me/portfolio", { program: "lssc" })).status).toBe(302);

  const add = async (body: Record<string, unknown>) => {
    const res = await call("POST", "/api/v1/portfolio/entries", { token: adaToken, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return (res.body.entry as { id: number }).id;
  };
  ids.workshop = await add({
    type: "workshop",
    title: "Weeding the 600s — a Łódź webinar ✓",
    provider: "State Library",
    startedOn: day(-40),
    quantity: 3,
    unit: "hours",
    reflection: "Learned MUSTIE and CREW.",
    areas: [{ area: "technology", hours: 3 }],
  });
  ids.talk = await add({
    type: "presentation",
    title: "Our makerspace, a talk at the regional meeting",
    provider: "Regional library system",
    startedOn: day(-20),
    quantity: 4,
    unit: "hours",
    areas: [
      { area: "technology", hours: 1 },
      { area: "communication-teamwork", hours: 3 },
    ],
  });
  ids.formula = await add({
    type: "course",
    title: '=HYPERLINK("http://evil.example","click")',
    provider: "@provider",
    startedOn: day(-10),
    quantity: 1,
    unit: "semester_credits",
    areas: [{ area: "foundations" }],
  });
  // Ended five years ago: outside LSSC's four-year window, so not in the export.
  ids.old = await add({
    type: "course",
    title: "A course from long ago",
    startedOn: day(-5 * 366),
    quantity: 2,
    unit: "hours",
    areas: [{ area: "reference" }],
  });

  await addEvidence(ids.workshop, "file", { storedName: "a1b2c3d4e5f6.png", originalName: "my certificate (final).PNG", mediaType: "image/png", bytes: PNG });
  await addEvidence(ids.workshop, "file", { storedName: "f6e5d4c3b2a1.pdf", originalName: "../../etc/passwd.pdf", mediaType: "application/pdf", bytes: PDF });
  await addEvidence(ids.workshop, "link", { url: "https://example.org/certificates/123" });
  // A row whose file is gone: listed in the notebook, left out of the zip.
  await addEvidence(ids.talk, "file", { storedName: "gone0000.png", originalName: "slides.png", mediaType: "image/png" });
  await execute(
    server.database,
    `INSERT INTO "Verification" ("entryId", "verifierName", "verifierEmail", "tokenHash", "expiresAt", "status", "note", "decidedAt") VALUES (?, ?, ?, ?, ?, 'confirmed', ?, ?)`,
    ids.talk,
    "Sam Supervisor",
    "sam@example.org",
    "hash-of-a-spent-token",
    new Date(Date.now() + 86_400_000).toISOString(),
    "She gave it; I was there.",
    new Date().toISOString(),
  );
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe("exports", () => {
  it("are offered on the program's page to a member who follows it", async () => {
    const page = await ada.get("/me/portfolio/programs/lssc");
    for (const kind of ["pdf", "csv", "zip"]) expect(page.body).toContain(`href="/me/portfolio/programs/lssc/export.${kind}"`);
    expect((await ada.get("/me/portfolio/programs/montana")).body).not.toContain("export.pdf");
  });

  it("the PDF notebook: selectable text, a cover, page numbers, contents, sections, entries and an outline", async () => {
    const started = Date.now();
    const res = await download(ada, "/me/portfolio/programs/lssc/export.pdf");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="paranet-portfolio-lssc-\d{4}-\d{2}-\d{2}\.pdf"$/);
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(res.bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(Date.now() - started).toBeLessThan(10_000);

    const { pages, titles, info } = await readPdf(res.bytes);
    const n = pages.length;
    expect(n).toBeGreaterThanOrEqual(5);
    pages.forEach((text, i) => expect(text, `page ${i + 1}`).toContain(`Page ${i + 1} of ${n}`));
    const all = pages.join("\n");

    // The cover: who, for what, when, and the program's caveat; the name in any script (a CJK name shows �, and says why).
    expect(pages[0]).toContain("Library Support Staff Certification");
    expect(pages[0]).toContain("Ada Łódź-Ωμέγα ✓");
    expect(pages[0]).toContain("Biblioteka Miejska — Łódź");
    expect(pages[0]).toContain("Library Assistant");
    expect(pages[0]).toContain("Check the current rules with the program.");
    expect(pages[0].replace(/\s+/g, " ")).toContain("ParaNet shows a set as met once the entries logged for it reach the set's minimum shown here");
    expect(pages[0]).toContain(`Prepared on ${day(0)}`);
    expect(pages[0]).toContain("\uFFFD");
    expect(pages[0]).toMatch(/shown as \uFFFD/);
    expect(info.Author).toBe("Ada Łódź-Ωμέγα ✓ 李小龍");
    // A reviewer reads it: the member is named, never "you" (the program's own caveat included).
    // (The line may break after the name's hyphen.)
    expect(pages[0].replace(/\s+/g, " ")).toMatch(/from Ada Łódź- ?Ωμέγα ✓ \uFFFD+’s own log/);
    expect(pages.join("\n")).not.toMatch(/\byour?\b/i);

    // The contents page lists the summary and each section with its page.
    expect(pages[1]).toContain("Contents");
    for (const title of ["Summary", "Required competency sets", "Elective competency sets", "Technology", "Communication and Teamwork"]) {
      expect(pages[1]).toContain(title);
    }
    const contentsLine = /Required competency sets (\d+)/.exec(pages[1]);
    expect(contentsLine).not.toBeNull();
    expect(pages[Number(contentsLine![1]) - 1]).toMatch(/^Required competency sets|\nRequired competency sets/);

    // The summary table, then each entry under the categories it counts in, with its evidence and verification.
    expect(all).toContain("Summary");
    expect(all).toMatch(/Technology\s+Required\s+[\d,.]+ hours\s+4 hours/);
    expect(all).toContain("Weeding the 600s — a Łódź webinar ✓");
    expect(all).toContain("Our makerspace, a talk at the regional meeting");
    expect(all).toContain("1 semester credit = 15 hours");
    expect(all).toContain("counts 1 hour here");
    // Each area's part with its unit.
    expect(all.replace(/\s+/g, " ")).toContain("Areas: Technology 1 hour, Communication and Teamwork 3 hours.");
    expect(all).toContain("Verified: confirmed by Sam Supervisor");
    expect(all).toContain("https://example.org/certificates/123");
    expect(all).toContain(`evidence/${ids.workshop}-my-certificate-final.png in the zip`);
    expect(all).toContain("slides.png (PNG, 12 KB)");
    expect(all).not.toContain("A course from long ago");

    // The outline (bookmarks): the contents, the summary, each section and its categories.
    expect(titles).toEqual(
      expect.arrayContaining(["Contents", "Summary", "Required competency sets", "Elective competency sets", "Technology", "Foundations of Library Services"]),
    );
  });

  it("the CSV points sheet: a row per entry and category it counts in, formulas defused", async () => {
    const res = await download(ada, "/me/portfolio/programs/lssc/export.csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toContain(".csv");
    const text = res.bytes.toString("utf8");
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true }).data;
    expect(Object.keys(rows[0])).toEqual(["Entry", "Date", "Title", "Kind", "Provider", "Amount", "Unit", "Hours", "Category", "Counted (hours)"]);
    const talk = rows.filter((r) => r.Entry === String(ids.talk));
    expect(talk.map((r) => [r.Category, r["Counted (hours)"]]).sort()).toEqual([
      ["Communication and Teamwork", "3"],
      ["Technology", "1"],
    ]);
    expect(rows.find((r) => r.Entry === String(ids.workshop))).toMatchObject({
      Title: "Weeding the 600s — a Łódź webinar ✓",
      Kind: "Workshop or webinar",
      Hours: "3",
    });
    const formula = rows.find((r) => r.Entry === String(ids.formula))!;
    expect(formula.Title).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(formula.Provider).toBe("'@provider");
    expect(formula).toMatchObject({ Amount: "1", Unit: "semester credits", Hours: "15", Category: "Foundations of Library Services", "Counted (hours)": "15" });
    expect(rows.some((r) => r.Entry === String(ids.old))).toBe(false);

    // The sheet adds up to the figures the API (and the progress page) show.
    const programs = await call("GET", "/api/v1/portfolio/programs", { token: adaToken });
    const lssc = (programs.body.programs as { slug: string; progress: { categories: { name: string; amount: number }[] } }[]).find((p) => p.slug === "lssc")!;
    for (const c of lssc.progress.categories) {
      const sum = rows.filter((r) => r.Category === c.name).reduce((s, r) => s + Number(r["Counted (hours)"]), 0);
      expect(sum, c.name).toBeCloseTo(c.amount, 2);
    }
  });

  it("the zip: the notebook, the points sheet and the evidence files on disk, byte for byte", async () => {
    const res = await download(ada, "/me/portfolio/programs/lssc/export.zip");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const files = await readZip(res.bytes);
    const date = day(0);
    expect([...files.keys()].sort()).toEqual(
      [
        `paranet-portfolio-lssc-${date}.pdf`,
        `paranet-portfolio-lssc-${date}.csv`,
        `evidence/${ids.workshop}-my-certificate-final.png`,
        `evidence/${ids.workshop}-etc-passwd.pdf`,
      ].sort(),
    );
    expect(files.get(`evidence/${ids.workshop}-my-certificate-final.png`)!.equals(PNG)).toBe(true);
    expect(files.get(`evidence/${ids.workshop}-etc-passwd.pdf`)!.equals(PDF)).toBe(true);
    const { pages } = await readPdf(files.get(`paranet-portfolio-lssc-${date}.pdf`)!);
    expect(pages.join("\n")).toContain("Weeding the 600s");
    expect(files.get(`paranet-portfolio-lssc-${date}.csv`)!.toString("utf8")).toContain("Our makerspace");
  });

  it("are the member's own: another member exports theirs, a program not followed is 404, a guest logs in", async () => {
    const theirs = await download(bea, "/me/portfolio/programs/lssc/export.csv");
    expect(theirs.status).toBe(200);
    expect(theirs.bytes.toString("utf8")).not.toContain("Weeding");
    const pdf = await readPdf((await download(bea, "/me/portfolio/programs/lssc/export.pdf")).bytes);
    expect(pdf.pages.join("\n")).not.toContain("Weeding");
    expect(pdf.pages.join("\n")).toContain("Nothing counted here yet.");
    const zip = await readZip((await download(bea, "/me/portfolio/programs/lssc/export.zip")).bytes);
    expect([...zip.keys()].some((k) => k.startsWith("evidence/"))).toBe(false);

    for (const kind of ["pdf", "csv", "zip"]) {
      const notFollowed = await download(ada, `/me/portfolio/programs/montana/export.${kind}`);
      expect(notFollowed.status).toBe(404);
      expect(notFollowed.bytes.toString()).toContain("You do not follow this program");
      expect((await download(ada, `/me/portfolio/programs/no-such-program/export.${kind}`)).status).toBe(404);
      const g = await download(guest, `/me/portfolio/programs/lssc/export.${kind}`);
      expect(g.status).toBe(302);
      expect(g.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(`/me/portfolio/programs/lssc/export.${kind}`)}`);
    }
  });
});

describe("the portfolio API", () => {
  it("needs a token or a session: 401 without", async () => {
    for (const [method, url] of [
      ["GET", "/api/v1/portfolio/entries"],
      ["POST", "/api/v1/portfolio/entries"],
      ["GET", `/api/v1/portfolio/entries/${ids.workshop}`],
      ["PATCH", `/api/v1/portfolio/entries/${ids.workshop}`],
      ["DELETE", `/api/v1/portfolio/entries/${ids.workshop}`],
      ["GET", "/api/v1/portfolio/programs"],
    ]) {
      const res = await call(method, url, method === "POST" || method === "PATCH" ? { body: { title: "x" } } : {});
      expect(res.status, `${method} ${url}`).toBe(401);
      expect(errorOf(res).code).toBe("unauthenticated");
    }
    expect((await call("GET", "/api/v1/portfolio/entries", { token: "pnt_not-a-token" })).status).toBe(401);
  });

  it("creates, reads, updates and deletes the caller's own entries", async () => {
    const created = await call("POST", "/api/v1/portfolio/entries", {
      token: adaToken,
      body: {
        type: "conference",
        title: "State conference",
        startedOn: day(-3),
        endedOn: day(-2),
        quantity: 2,
        unit: "days",
        areas: [{ area: "reference" }, { area: "youth-services" }],
      },
    });
    expect(created.status).toBe(201);
    const entry = created.body.entry as { id: number; hours: number; areas: { area: string; hours: number }[]; url: string };
    expect(created.headers.get("location")).toBe(`/api/v1/portfolio/entries/${entry.id}`);
    expect(created.headers.get("cache-control")).toContain("no-store");
    expect(entry.hours).toBe(12);
    expect(entry.areas).toEqual([
      { area: "reference", name: "Reference", hours: 6 },
      { area: "youth-services", name: "Youth Services", hours: 6 },
    ]);

    const list = await call("GET", "/api/v1/portfolio/entries", { token: adaToken });
    expect((list.body.entries as { id: number }[]).map((e) => e.id)).toContain(entry.id);
    expect((await call("GET", `/api/v1/portfolio/entries/${entry.id}`, { token: adaToken })).body.entry).toMatchObject({
      title: "State conference",
      unit: "days",
    });

    // A PATCH changes what it sends; the rest stays.
    const renamed = await call("PATCH", `/api/v1/portfolio/entries/${entry.id}`, {
      token: adaToken,
      body: { title: "State library conference", reflection: "Two good days." },
    });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.entry).toMatchObject({
      title: "State library conference",
      reflection: "Two good days.",
      quantity: 2,
      unit: "days",
      startedOn: day(-3),
    });
    // One day instead of two: the split no longer adds up, and says so.
    const short = await call("PATCH", `/api/v1/portfolio/entries/${entry.id}`, { token: adaToken, body: { quantity: 1 } });
    expect(short.status).toBe(400);
    expect(errorOf(short).fields.areas).toMatch(/add up to 12, not the entry's 6/);
    const resplit = await call("PATCH", `/api/v1/portfolio/entries/${entry.id}`, {
      token: adaToken,
      body: { quantity: 1, areas: [{ area: "reference", hours: 6 }] },
    });
    expect(resplit.status).toBe(200);
    expect((resplit.body.entry as { areas: unknown[] }).areas).toEqual([{ area: "reference", name: "Reference", hours: 6 }]);

    const gone = await call("DELETE", `/api/v1/portfolio/entries/${entry.id}`, { token: adaToken });
    expect(gone.status).toBe(200);
    expect(gone.body).toEqual({ deleted: { id: entry.id } });
    expect((await call("GET", `/api/v1/portfolio/entries/${entry.id}`, { token: adaToken })).status).toBe(404);
    expect((await call("DELETE", `/api/v1/portfolio/entries/${entry.id}`, { token: adaToken })).status).toBe(404);
  });

  it("names each bad field, and never answers 500 to a bad body", async () => {
    const bad = await call("POST", "/api/v1/portfolio/entries", {
      token: adaToken,
      body: { type: "nap", title: 5, startedOn: "yesterday", quantity: "lots", unit: "hours", areas: "technology" },
    });
    expect(bad.status).toBe(400);
    expect(errorOf(bad).code).toBe("invalid_input");
    expect(Object.keys(errorOf(bad).fields).sort()).toEqual(["areas", "quantity", "startedOn", "title", "type"]);
    const future = await call("POST", "/api/v1/portfolio/entries", {
      token: adaToken,
      body: { type: "workshop", title: "Tomorrow", startedOn: day(5), quantity: 30, unit: "hours", areas: [{ area: "technology" }] },
    });
    expect(future.status).toBe(400);
    expect(errorOf(future).fields).toMatchObject({ startedOn: expect.stringMatching(/future/) });
    const nowhere = await call("POST", "/api/v1/portfolio/entries", {
      token: adaToken,
      body: { type: "workshop", title: "Somewhere", startedOn: day(-1), quantity: 3, unit: "hours", areas: [{ area: "nowhere" }] },
    });
    expect(errorOf(nowhere).fields).toEqual({ areas: "Choose competency areas from the list." });
    for (const [raw, type, status] of [
      ["{not json", "application/json", 400],
      ["[1, 2]", "application/json", 400],
      ["null", "application/json", 400],
      ['"a string"', "application/json", 400],
      ["title=x", "application/x-www-form-urlencoded", 415],
    ] as const) {
      for (const [method, url] of [
        ["POST", "/api/v1/portfolio/entries"],
        ["PATCH", `/api/v1/portfolio/entries/${ids.workshop}`],
      ]) {
        const res = await call(method, url, { token: adaToken, raw, type });
        expect(res.status, `${method} ${raw}`).toBe(status);
        expect(errorOf(res).message).toBeTruthy();
      }
    }
    const wrongTypes = await call("PATCH", `/api/v1/portfolio/entries/${ids.workshop}`, {
      token: adaToken,
      body: { areas: [{ area: "technology", hours: "three" }], endedOn: 7 },
    });
    expect(wrongTypes.status).toBe(400);
    expect(errorOf(wrongTypes).fields.areas).toBeTruthy();
    expect((await call("PUT", "/api/v1/portfolio/entries", { token: adaToken, body: {} })).status).toBe(405);
    expect((await call("POST", "/api/v1/portfolio/programs", { token: adaToken, body: {} })).status).toBe(405);
    expect((await call("GET", "/api/v1/portfolio/entries/not-a-number", { token: adaToken })).status).toBe(404);
  });

  it("another member's entry is not found, whatever the method, and stays as it was", async () => {
    for (const method of ["GET", "PATCH", "DELETE"]) {
      const res = await call(method, `/api/v1/portfolio/entries/${ids.workshop}`, {
        token: beaToken,
        body: method === "PATCH" ? { title: "Mine now" } : undefined,
      });
      expect(res.status, method).toBe(404);
      expect(errorOf(res).code).toBe("not_found");
    }
    expect((await call("GET", "/api/v1/portfolio/entries", { token: beaToken })).body.entries).toEqual([]);
    const still = await call("GET", `/api/v1/portfolio/entries/${ids.workshop}`, { token: adaToken });
    expect(still.body.entry).toMatchObject({ title: "Weeding the 600s — a Łódź webinar ✓", evidenceCount: 3 });
  });

  it("lists the programs followed, with progress as the page computes it", async () => {
    const res = await call("GET", "/api/v1/portfolio/programs", { token: adaToken });
    expect(res.status).toBe(200);
    const [lssc] = res.body.programs as {
      slug: string;
      progress: { categories: { key: string; amount: number; entryIds: number[] }[] };
      exports: Record<string, string>;
    }[];
    expect(lssc.slug).toBe("lssc");
    const technology = lssc.progress.categories.find((c) => c.key === "technology")!;
    expect(technology.amount).toBe(4);
    expect(technology.entryIds.sort()).toEqual([ids.workshop, ids.talk].sort());
    expect(lssc.exports.pdf).toBe("/me/portfolio/programs/lssc/export.pdf");
    expect((await call("GET", "/api/v1/portfolio/programs", { token: beaToken })).body.programs).toMatchObject([{ slug: "lssc" }]);
  });
});
