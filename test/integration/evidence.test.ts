// Evidence for portfolio entries over HTTP (issue 19): real PDF and PNG files
// uploaded as a browser's form sends them and downloaded back byte for byte
// as attachments; files told by their content, never their name; the 10 MB
// limit enforced while the file streams (nothing left on disk) and the
// member's quota; links; files removed with their evidence and their entry;
// another member's evidence out of reach; multipart refused everywhere else.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor, type Page } from "../helpers/client";
import { execute, queryAll, queryOne } from "../helpers/db";
import { fillQuota, tinyPdf, tinyPng, uploadEvidence } from "../helpers/evidence";
import { startServer, type RunningServer } from "../helpers/server";
import { testTempDir } from "../setup/databases";

const MB = 1024 * 1024;
let server: RunningServer;
let ada: Visitor, bea: Visitor, admin: Visitor, guest: Visitor;
let adaId = 0;
let beaId = 0;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
async function addEntry(visitor: Visitor, title: string): Promise<number> {
  const res = await visitor.post("/me/portfolio/new", { type: "workshop", title, startedOn: day(-20), quantity: "3", unit: "hours", area: "technology" });
  expect(res.status, textOf(res.body).slice(0, 300)).toBe(302);
  return Number(/\/me\/portfolio\/entries\/(\d+)/.exec(res.location!)![1]);
}
const evidencePath = (entryId: number) => `/me/portfolio/entries/${entryId}/evidence`;
/** The files in a member's evidence folder (and in incoming/, where uploads arrive). */
const filesOf = (who: number | "incoming") => {
  try {
    return fs.readdirSync(path.join(server.dataDir, "evidence", String(who))).sort();
  } catch {
    return [];
  }
};
type Row = { id: number; kind: string; url: string; storedName: string; originalName: string; mediaType: string; bytes: number };
const rowsOf = (entryId: number) =>
  queryAll<Row>(
    server.database,
    `SELECT "id", "kind", "url", "storedName", "originalName", "mediaType", "bytes" FROM "Evidence" WHERE "entryId" = ? ORDER BY "id"`,
    entryId,
  );
/** The message beside a field of the evidence forms. */
const errorBeside = (body: string, id: string) =>
  textOf(new RegExp(`<p class="field__error" id="${id}-error"[^>]*>([\\s\\S]*?)</p>`).exec(body)?.[1] ?? "").trim();
/** A download, as bytes. */
async function download(visitor: Visitor, id: number) {
  const res = await fetch(`${server.url}/me/portfolio/evidence/${id}`, { headers: { Cookie: visitor.cookieHeader() }, redirect: "manual" });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}
/** A multipart body written by hand, for what FormData will not send (no file chosen, a raw file name). */
function rawUpload(visitor: Visitor, entryId: number, parts: string, headers: Record<string, string> = {}): Promise<Page> {
  return visitor.request(evidencePath(entryId), {
    method: "POST",
    body: `${parts}--b0undary--\r\n`,
    headers: { "Content-Type": "multipart/form-data; boundary=b0undary", Origin: server.url, ...headers },
  });
}
const filePart = (filename: string, content: string, type = "application/octet-stream") =>
  `--b0undary\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n${content}\r\n`;

beforeAll(async () => {
  server = await startServer();
  [ada, bea, admin, guest] = [new Visitor(server.url), new Visitor(server.url), new Visitor(server.url), new Visitor(server.url)];
  expect((await admin.post(`/setup?token=${server.setupToken}`, aMember("admin"))).status).toBe(302);
  await join(ada, aMember("ada"));
  await join(bea, aMember("bea"));
  const id = async (handle: string) => (await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "User" WHERE "handle" = ?`, handle)).id;
  [adaId, beaId] = [await id("memberada"), await id("memberbea")];
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe("uploading and downloading", () => {
  it("stores a real PDF and PNG, lists them, and gives them back byte for byte as attachments", async () => {
    const entry = await addEntry(ada, "Weeding workshop");
    const pdf = tinyPdf("Certificate of completion: weeding the collection");
    const png = tinyPng(40, 30);
    const added = await uploadEvidence(ada, entry, pdf, "Certificate of completion.pdf", "application/pdf");
    expect(added.status, textOf(added.body).slice(0, 300)).toBe(302);
    expect(added.location).toBe(`/me/portfolio/entries/${entry}?evidence=added#evidence`);
    expect((await uploadEvidence(ada, entry, png, "Zertifikat Prüfung.png", "image/png")).status).toBe(302);

    const page = await ada.get(added.location!);
    const text = textOf(page.body);
    expect(text).toContain("Evidence added.");
    expect(text).toContain(`Certificate of completion.pdf (download) PDF, ${pdf.length} bytes`);
    expect(text).toContain(`Zertifikat Prüfung.png (download) PNG image, ${png.length} bytes`);
    expect(text).toContain(`Your evidence files use ${pdf.length + png.length} bytes of your 200 MB.`);
    expect(page.body).toMatch(/<form method="post" action="\/me\/portfolio\/entries\/\d+\/evidence" encType="multipart\/form-data"/);

    const [pdfRow, pngRow] = await rowsOf(entry);
    expect(pdfRow).toMatchObject({ kind: "file", originalName: "Certificate of completion.pdf", mediaType: "application/pdf", bytes: pdf.length });
    expect(pngRow).toMatchObject({ kind: "file", originalName: "Zertifikat Prüfung.png", mediaType: "image/png", bytes: png.length });
    // Under DATA_DIR/evidence/<member>/, by a random name, and nothing left where uploads arrive.
    expect(pdfRow.storedName).toMatch(/^[0-9a-f]{32}\.pdf$/);
    expect(fs.readFileSync(path.join(server.dataDir, "evidence", String(adaId), pdfRow.storedName)).equals(pdf)).toBe(true);
    expect(filesOf(adaId)).toEqual([pdfRow.storedName, pngRow.storedName].sort());
    expect(filesOf("incoming")).toEqual([]);

    const got = await download(ada, pdfRow.id);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(pdf)).toBe(true);
    expect(got.headers.get("content-type")).toBe("application/pdf");
    expect(got.headers.get("content-disposition")).toBe(
      `attachment; filename="Certificate of completion.pdf"; filename*=UTF-8''Certificate%20of%20completion.pdf`,
    );
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    expect(got.headers.get("cache-control")).toBe("private, no-store");
    expect(got.headers.get("content-encoding")).toBeNull();
    const image = await download(ada, pngRow.id);
    expect(image.bytes.equals(png)).toBe(true);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(image.headers.get("content-disposition")).toBe(`attachment; filename="Zertifikat Pr_fung.png"; filename*=UTF-8''Zertifikat%20Pr%C3%BCfung.png`);
  });

  it("tells a file by its content, never its name or declared type", async () => {
    const entry = await addEntry(ada, "Cataloging course");
    // A PNG named .pdf is stored, served and named as the PNG it is.
    expect((await uploadEvidence(ada, entry, tinyPng(), "scan.pdf", "application/pdf")).status).toBe(302);
    const [row] = await rowsOf(entry);
    expect(row).toMatchObject({ mediaType: "image/png", originalName: "scan.pdf" });
    expect(row.storedName).toMatch(/\.png$/);
    const got = await download(ada, row.id);
    expect(got.headers.get("content-type")).toBe("image/png");
    expect(got.headers.get("content-disposition")).toContain(`filename*=UTF-8''scan.pdf.png`);
    expect(textOf((await ada.get(`/me/portfolio/entries/${entry}`)).body)).toContain("scan.pdf (download) PNG image");

    // Anything else is refused beside the file field, whatever it is called: the page is the entry's, with the message.
    const refused: [Uint8Array, string, string][] = [
      [Buffer.from("<!doctype html><script>alert(1)</script>"), "photo.png", "image/png"],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'), "badge.png", "image/png"],
      [Buffer.from("PK\u0003\u0004 a zip archive"), "certificate.pdf", "application/pdf"],
      [Buffer.from("%PD"), "cut-short.pdf", "application/pdf"],
    ];
    for (const [bytes, name, type] of refused) {
      const res = await uploadEvidence(ada, entry, bytes, name, type);
      expect(res.status, name).toBe(400);
      expect(errorBeside(res.body, "evidence-file"), name).toContain("Only PDF, PNG or JPEG files");
      expect(textOf(res.body), name).toContain("Cataloging course"); // the entry page, not a bare message
      expect(textOf(res.body)).toContain("The file was not added.");
    }
    const empty = await uploadEvidence(ada, entry, new Uint8Array(0), "empty.pdf", "application/pdf");
    expect(empty.status).toBe(400);
    expect(errorBeside(empty.body, "evidence-file")).toContain("This file is empty");
    // No file chosen: browsers send an empty part with an empty name.
    const none = await rawUpload(ada, entry, filePart("", ""));
    expect(none.status).toBe(400);
    expect(errorBeside(none.body, "evidence-file")).toContain("Choose a file to upload");
    const garbled = await rawUpload(
      ada,
      entry,
      '--b0undary\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 and the form never ends',
    );
    expect(garbled.status).toBe(400);
    expect(errorBeside(garbled.body, "evidence-file")).toContain("could not be read");
    expect(await rowsOf(entry)).toHaveLength(1);
    expect(filesOf("incoming")).toEqual([]);
  });

  it("keeps a hostile file name as text: cleaned, shown escaped, sent back as a well-formed header", async () => {
    const entry = await addEntry(ada, "Hostile names");
    const name = `C:\\Users\\ada\\Tom & Jerry's <img src=x onerror=alert(1)>\u202Efdp.exe`;
    expect((await rawUpload(ada, entry, filePart(name, "%PDF-1.4\n%%EOF\n"))).status).toBe(302);
    const [row] = await rowsOf(entry);
    // The folder, the characters no file name may hold and the direction override are dropped.
    expect(row.originalName).toBe("Tom & Jerry's img src=x onerror=alert(1)fdp.exe");
    const page = await ada.get(`/me/portfolio/entries/${entry}`);
    expect(page.body).not.toContain("<img src=x");
    expect(page.body).toContain("Tom &amp; Jerry&#x27;s img src=x onerror=alert(1)fdp.exe");
    const got = await download(ada, row.id);
    expect(got.headers.get("content-disposition")).toBe(
      `attachment; filename="Tom & Jerry's img src=x onerror=alert(1)fdp.exe.pdf"; filename*=UTF-8''Tom%20%26%20Jerry%27s%20img%20src%3Dx%20onerror%3Dalert%281%29fdp.exe.pdf`,
    );
  });
});

describe("exports", () => {
  it("an uploaded file goes into the member's export zip as it was", async () => {
    const entry = await addEntry(bea, "Exported workshop");
    const pdf = tinyPdf("A certificate for the reviewers");
    expect((await uploadEvidence(bea, entry, pdf, "For the reviewers.pdf")).status).toBe(302);
    expect((await bea.post("/me/portfolio", { program: "lssc" })).status).toBe(302);
    const res = await fetch(`${server.url}/me/portfolio/programs/lssc/export.zip`, { headers: { Cookie: bea.cookieHeader() } });
    expect(res.status).toBe(200);
    // The zip stores evidence as it is (no recompression): the file's bytes and its name are in it whole.
    const zip = Buffer.from(await res.arrayBuffer());
    expect(zip.includes(pdf)).toBe(true);
    expect(zip.includes(Buffer.from(`evidence/${entry}-For-the-reviewers.pdf`))).toBe(true);
  });
});

describe("limits", () => {
  it("refuses a file of 10 MB and 1 byte while it streams, leaving nothing on disk", async () => {
    const entry = await addEntry(ada, "Conference day");
    const before = filesOf(adaId);
    const big = Buffer.alloc(10 * MB + 1, 0x20);
    big.write("%PDF-1.7\n");
    const res = await uploadEvidence(ada, entry, big, "proceedings.pdf", "application/pdf");
    expect(res.status).toBe(413);
    expect(errorBeside(res.body, "evidence-file")).toBe("This file is 10.1 MB: the limit is 10 MB.");
    expect(textOf(res.body)).toContain("Conference day");
    expect(await rowsOf(entry)).toEqual([]);
    expect(filesOf(adaId)).toEqual(before);
    expect(filesOf("incoming")).toEqual([]);
    // Exactly 10 MB is allowed.
    const fits = await uploadEvidence(ada, entry, big.subarray(0, 10 * MB), "proceedings.pdf", "application/pdf");
    expect(fits.status).toBe(302);
    expect((await rowsOf(entry))[0].bytes).toBe(10 * MB);
  });

  it("answers a 50 MB upload from its declared size, without reading it; and stops reading one that does not say its size", async () => {
    const entry = await addEntry(ada, "Big scans");
    const started = Date.now();
    const res = await uploadEvidence(ada, entry, Buffer.alloc(50 * MB, 0x25), "scan.pdf", "application/pdf");
    expect(res.status).toBe(413);
    expect(errorBeside(res.body, "evidence-file")).toBe("This file is 50 MB: the limit is 10 MB.");
    expect(Date.now() - started).toBeLessThan(15_000);
    // Sent in chunks without a Content-Length: parsing stops at the limit.
    const chunks = 11;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(
          new TextEncoder().encode(
            '--b0undary\r\nContent-Disposition: form-data; name="file"; filename="long.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n',
          ),
        );
        for (let i = 0; i < chunks; i++) controller.enqueue(new Uint8Array(MB).fill(0x20));
        controller.enqueue(new TextEncoder().encode("\r\n--b0undary--\r\n"));
        controller.close();
      },
    });
    const chunked = await fetch(`${server.url}${evidencePath(entry)}`, {
      method: "POST",
      body,
      duplex: "half",
      headers: { "Content-Type": "multipart/form-data; boundary=b0undary", Origin: server.url, Cookie: ada.cookieHeader() },
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(errorBeside(await chunked.text(), "evidence-file")).toBe("This file is more than 10 MB: the limit is 10 MB.");
    expect(await rowsOf(entry)).toEqual([]);
    expect(filesOf("incoming")).toEqual([]);
    // The server is fine, and the next upload goes through.
    expect((await uploadEvidence(ada, entry, tinyPdf(), "scan.pdf")).status).toBe(302);
  });

  it("keeps each member's files within their quota (200 MB)", async () => {
    const entry = await addEntry(bea, "Quota");
    await fillQuota(server.database, entry, beaId);
    const before = filesOf(beaId);
    const pdf = Buffer.concat([tinyPdf(), Buffer.alloc(30 * 1024, 0x25)]);
    const res = await uploadEvidence(bea, entry, pdf, "minutes.pdf", "application/pdf");
    expect(res.status).toBe(400);
    expect(errorBeside(res.body, "evidence-file")).toContain("Your evidence would use 200.1 MB of your 200 MB.");
    expect(textOf(res.body)).toContain("Your evidence files use 200 MB of your 200 MB.");
    expect(filesOf(beaId)).toEqual(before);
    expect(filesOf("incoming")).toEqual([]);
    // What still fits is taken.
    expect((await uploadEvidence(bea, entry, tinyPdf(), "minutes.pdf")).status).toBe(302);
    await execute(server.database, `DELETE FROM "Evidence" WHERE "ownerId" = ? AND "bytes" > ?`, beaId, MB);
  });
});

describe("links", () => {
  it("adds an http(s) address with or without a label; a bad one is refused beside the field with what was typed kept", async () => {
    const entry = await addEntry(ada, "Article");
    for (const [url, message] of [
      ["javascript:alert(1)", "Enter a full web address starting with https://"],
      ["ftp://files.example.org/cert.pdf", "Enter a full web address starting with https://"],
      ["", "Address is required"],
      [`https://example.org/${"x".repeat(2100)}`, "at most 2,000 characters"],
    ]) {
      const res = await ada.post(evidencePath(entry), { url, label: "My <b>certificate</b>" });
      expect(res.status, url).toBe(400);
      expect(errorBeside(res.body, "evidence-url"), url).toContain(message);
      expect(res.body).toContain('value="My &lt;b&gt;certificate&lt;/b&gt;"');
      if (url.length < 100) expect(res.body).toContain(`value="${url}"`);
      expect(textOf(res.body)).toContain("The link was not added.");
    }
    const long = await ada.post(evidencePath(entry), { url: "https://example.org/a", label: "x".repeat(201) });
    expect(errorBeside(long.body, "evidence-label")).toContain("at most 200 characters");

    expect((await ada.post(evidencePath(entry), { url: "ala.org/pla", label: "" })).location).toBe(`/me/portfolio/entries/${entry}?evidence=added#evidence`);
    expect((await ada.post(evidencePath(entry), { url: "https://example.org/programme", label: "Conference programme" })).status).toBe(302);
    expect((await rowsOf(entry)).map((r) => [r.kind, r.url, r.originalName])).toEqual([
      ["link", "https://ala.org/pla", ""],
      ["link", "https://example.org/programme", "Conference programme"],
    ]);
    const page = await ada.get(`/me/portfolio/entries/${entry}`);
    expect(page.body).toMatch(/<a href="https:\/\/ala.org\/pla" rel="nofollow noopener noreferrer"[^>]*>https:\/\/ala.org\/pla<\/a>/);
    expect(textOf(page.body)).toContain("Conference programme Link: https://example.org/programme");
    // A link is not a file to download.
    expect((await download(ada, (await rowsOf(entry))[0].id)).status).toBe(404);
  });
});

describe("deleting", () => {
  it("removes a file with its evidence, and an entry's files with the entry", async () => {
    const entry = await addEntry(ada, "To delete");
    for (const name of ["one.pdf", "two.pdf"]) expect((await uploadEvidence(ada, entry, tinyPdf(name), name)).status).toBe(302);
    expect((await ada.post(evidencePath(entry), { url: "https://example.org/three", label: "" })).status).toBe(302);
    const [one, two, three] = await rowsOf(entry);
    const other = await addEntry(ada, "Another entry");
    // Evidence is deleted through its own entry's page only.
    expect((await ada.post(evidencePath(other), { intent: "delete", evidenceId: String(one.id) })).status).toBe(404);
    const res = await ada.post(evidencePath(entry), { intent: "delete", evidenceId: String(one.id) });
    expect(res.location).toBe(`/me/portfolio/entries/${entry}?evidence=deleted#evidence`);
    expect(textOf((await ada.get(res.location!)).body)).toContain("Evidence deleted.");
    expect(filesOf(adaId)).not.toContain(one.storedName);
    expect(filesOf(adaId)).toContain(two.storedName);
    expect((await download(ada, one.id)).status).toBe(404);
    expect((await ada.post(evidencePath(entry), { intent: "delete", evidenceId: "nonsense" })).status).toBe(400);

    expect((await ada.post(`/me/portfolio/entries/${entry}`, { intent: "delete" })).status).toBe(302);
    expect(filesOf(adaId)).not.toContain(two.storedName);
    expect(await rowsOf(entry)).toEqual([]);
    expect(three.kind).toBe("link");
  });
});

describe("the owner's only", () => {
  it("answers 404 to another member and sends a guest to log in, storing nothing", async () => {
    const entry = await addEntry(ada, "Private certificate");
    expect((await uploadEvidence(ada, entry, tinyPdf("Ada's private certificate"), "private.pdf")).status).toBe(302);
    const [row] = await rowsOf(entry);
    // Another member, an admin (the download is a page of its own: the matrix covers forms), a made-up id: not found.
    for (const who of [bea, admin]) {
      const stranger = await download(who, row.id);
      expect(stranger.status).toBe(404);
      expect(stranger.bytes.toString()).not.toContain("private certificate");
    }
    expect((await download(bea, 999_999)).status).toBe(404);
    expect((await bea.get("/me/portfolio/evidence/x")).status).toBe(404);

    const beaFiles = filesOf(beaId);
    for (const res of [
      await uploadEvidence(bea, entry, tinyPdf(), "mine now.pdf"),
      await bea.post(evidencePath(entry), { url: "https://example.org/mine", label: "" }),
      await bea.post(evidencePath(entry), { intent: "delete", evidenceId: String(row.id) }),
      await bea.post(evidencePath(await addEntry(bea, "Bea's own")), { intent: "delete", evidenceId: String(row.id) }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).not.toContain("private.pdf");
    }
    expect(await rowsOf(entry)).toHaveLength(1);
    expect(filesOf(beaId)).toEqual(beaFiles);
    expect(filesOf("incoming")).toEqual([]);

    const asGuest = await download(guest, row.id);
    expect(asGuest.status).toBe(302);
    expect(asGuest.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(`/me/portfolio/evidence/${row.id}`)}`);
    for (const res of [
      await uploadEvidence(guest, entry, tinyPdf(), "x.pdf"),
      await guest.post(evidencePath(entry), { url: "https://example.org/x", label: "" }),
    ]) {
      expect(res.status).toBe(302);
      expect(res.location).toMatch(/^\/login\?redirectTo=/);
    }
    expect(await rowsOf(entry)).toHaveLength(1);
  });
});

describe("the only upload", () => {
  it("refuses multipart bodies on every other form route with 415", async () => {
    const entry = await addEntry(ada, "Multipart elsewhere");
    const form = new FormData();
    form.append("title", "Sent as multipart");
    form.append("file", new Blob([new Uint8Array(tinyPdf())]), "certificate.pdf");
    for (const target of [`/me/portfolio/entries/${entry}`, "/me/portfolio/new", "/me/settings", `/me/portfolio/entries/${entry}/evidence/more`]) {
      const res = await ada.request(target, { method: "POST", body: form, headers: { Origin: server.url } });
      expect(res.status, target).toBe(415);
      expect(res.body).toContain("does not accept uploads");
    }
    // The evidence route's other forms keep the 1 MiB limit of every form.
    const huge = await ada.post(evidencePath(entry), { url: "https://example.org/a", label: "x".repeat(1_100_000) });
    expect(huge.status).toBe(413);
    expect(filesOf("incoming")).toEqual([]);
  });
});

describe("backups", () => {
  it("npm run db:backup copies the evidence files beside the database, without uploads still arriving", async () => {
    const entry = await addEntry(bea, "Backed up");
    const pdf = tinyPdf("A certificate worth keeping");
    expect((await uploadEvidence(bea, entry, pdf, "kept.pdf")).status).toBe(302);
    const [row] = await rowsOf(entry);
    fs.mkdirSync(path.join(server.dataDir, "evidence", "incoming"), { recursive: true });
    fs.writeFileSync(path.join(server.dataDir, "evidence", "incoming", "half-sent.part"), "%PDF-");
    const dir = testTempDir("paranet-evidence-backup-");
    const target = path.join(dir, server.database.engine === "postgres" ? "paranet.dump" : "paranet.db");
    const { stdout } = await promisify(execFile)(process.execPath, ["scripts/backup.mjs", target], {
      cwd: path.resolve(import.meta.dirname, "..", ".."),
      env: { PATH: process.env.PATH, DATA_DIR: server.dataDir, DATABASE_URL: server.database.url, LOG_LEVEL: "silent" } as unknown as NodeJS.ProcessEnv,
    });
    expect(stdout).toMatch(/Backed up \d+ evidence files? \([\d.]+ MB\) to .*paranet-evidence/);
    expect(fs.readFileSync(path.join(dir, "paranet-evidence", String(beaId), row.storedName)).equals(pdf)).toBe(true);
    expect(fs.readdirSync(path.join(dir, "paranet-evidence"))).not.toContain("incoming");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(server.dataDir, "evidence", "incoming", "half-sent.part"));
  });
});
