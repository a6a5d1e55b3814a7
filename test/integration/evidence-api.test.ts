// Evidence through the JSON API (issue 19), against a real server: links as
// JSON; PDF, PNG and JPEG files sent as the request's whole body, named by
// ?name= or Content-Disposition, stored by the same code as the entry page's
// upload (told by their content, 10 MB while they stream, the member's quota)
// and downloaded back byte for byte with the site download's headers; another
// member's entry or evidence is 404 and stores nothing; no token is 401; a
// multipart body is refused with 415 in the API's error shape.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { execute, queryAll, queryOne } from "../helpers/db";
import { fillQuota, tinyJpeg, tinyPdf, tinyPng } from "../helpers/evidence";
import { startServer, type RunningServer } from "../helpers/server";

const MB = 1024 * 1024;
let server: RunningServer;
let ada: Visitor, bea: Visitor;
let adaToken = "";
let beaToken = "";
let adaId = 0;
let beaId = 0;

type Evidence = {
  id: number;
  entryId: number;
  kind: "link" | "file";
  title: string;
  url: string | null;
  file: { name: string; mediaType: string; bytes: number } | null;
  download: string | null;
  createdAt: string;
};
type Answer = { status: number; headers: Headers; json: Record<string, unknown>; bytes: Buffer };

/** A call as an API client makes it: a bearer token (or none), and a JSON body or raw bytes with their Content-Type. */
async function call(
  method: string,
  url: string,
  opts: { token?: string; json?: unknown; raw?: Uint8Array | string | ReadableStream<Uint8Array>; type?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  let body: RequestInit["body"];
  if (opts.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.json);
  } else if (opts.raw !== undefined) {
    if (opts.type) headers["Content-Type"] = opts.type;
    body = typeof opts.raw === "string" || opts.raw instanceof ReadableStream ? opts.raw : new Uint8Array(opts.raw);
  }
  const res = await fetch(`${server.url}${url}`, { method, headers, body, redirect: "manual", duplex: "half" } as RequestInit);
  const bytes = Buffer.from(await res.arrayBuffer());
  let json: Record<string, unknown> = {};
  if ((res.headers.get("content-type") ?? "").includes("application/json")) json = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
  return { status: res.status, headers: res.headers, json, bytes };
}
const errorOf = (a: Answer) => a.json.error as { code: string; message: string; fields: Record<string, string> };
const evidenceOf = (a: Answer) => a.json.evidence as Evidence;

const listPath = (entryId: number) => `/api/v1/portfolio/entries/${entryId}/evidence`;
/** Send a file as the API takes it: the bytes as the body, with a Content-Type and (optionally) ?name=. */
const sendFile = (token: string, entryId: number, bytes: Uint8Array | string, type: string, name?: string, headers: Record<string, string> = {}) =>
  call("POST", `${listPath(entryId)}${name === undefined ? "" : `?name=${encodeURIComponent(name)}`}`, { token, raw: bytes, type, headers });

async function createToken(visitor: Visitor): Promise<string> {
  const res = await visitor.post("/me/settings", { intent: "create-token", name: "evidence API test" });
  const token = /value="(pnt_[A-Za-z0-9_-]+)"/.exec(res.body)?.[1];
  if (!token) throw new Error(`no token: ${textOf(res.body).slice(0, 300)}`);
  return token;
}
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
async function addEntry(token: string, title: string): Promise<number> {
  const res = await call("POST", "/api/v1/portfolio/entries", {
    token,
    json: { type: "workshop", title, startedOn: day(-20), quantity: 3, unit: "hours", areas: [{ area: "technology" }] },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return (res.json.entry as { id: number }).id;
}

/** The files in a member's evidence folder (and in incoming/, where uploads arrive). */
const filesOf = (who: number | "incoming") => {
  try {
    return fs.readdirSync(path.join(server.dataDir, "evidence", String(who))).sort();
  } catch {
    return [];
  }
};
type Row = { id: number; kind: string; storedName: string; originalName: string; mediaType: string; bytes: number };
const rowsOf = (entryId: number) =>
  queryAll<Row>(
    server.database,
    `SELECT "id", "kind", "storedName", "originalName", "mediaType", "bytes" FROM "Evidence" WHERE "entryId" = ? ORDER BY "id"`,
    entryId,
  );

beforeAll(async () => {
  server = await startServer();
  const admin = new Visitor(server.url);
  expect((await admin.post(`/setup?token=${server.setupToken}`, aMember("admin"))).status).toBe(302);
  [ada, bea] = [new Visitor(server.url), new Visitor(server.url)];
  await join(ada, aMember("ada"));
  await join(bea, aMember("bea"));
  [adaToken, beaToken] = [await createToken(ada), await createToken(bea)];
  const id = async (handle: string) => (await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "User" WHERE "handle" = ?`, handle)).id;
  [adaId, beaId] = [await id("memberada"), await id("memberbea")];
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe("links", () => {
  it("adds a link (201, its JSON and where it lives), lists it, reads it and deletes it", async () => {
    const entry = await addEntry(adaToken, "Readers' advisory webinar");
    expect((await call("GET", listPath(entry), { token: adaToken })).json).toEqual({ evidence: [] });

    const added = await call("POST", listPath(entry), { token: adaToken, json: { url: "ala.org/pla", title: "  Course record  " } });
    expect(added.status, JSON.stringify(added.json)).toBe(201);
    const link = evidenceOf(added);
    expect(link).toMatchObject({ entryId: entry, kind: "link", title: "Course record", url: "https://ala.org/pla", file: null, download: null });
    expect(new Date(link.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(added.headers.get("location")).toBe(`/api/v1/portfolio/evidence/${link.id}`);
    expect(added.headers.get("cache-control")).toBe("private, no-store");
    // A title is optional.
    const bare = await call("POST", listPath(entry), { token: adaToken, json: { url: "https://example.org/programme" } });
    expect(evidenceOf(bare)).toMatchObject({ title: "", url: "https://example.org/programme" });

    const listed = await call("GET", listPath(entry), { token: adaToken });
    expect((listed.json.evidence as Evidence[]).map((e) => e.id)).toEqual([link.id, evidenceOf(bare).id]);
    expect(evidenceOf(await call("GET", `/api/v1/portfolio/evidence/${link.id}`, { token: adaToken }))).toEqual(link);
    // The entry counts it, and its page shows it: the same evidence as the site's.
    expect((await call("GET", `/api/v1/portfolio/entries/${entry}`, { token: adaToken })).json.entry).toMatchObject({ evidenceCount: 2 });
    expect(textOf((await ada.get(`/me/portfolio/entries/${entry}`)).body)).toContain("Course record Link: https://ala.org/pla");

    const deleted = await call("DELETE", `/api/v1/portfolio/evidence/${link.id}`, { token: adaToken });
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ deleted: { id: link.id } });
    expect((await call("GET", `/api/v1/portfolio/evidence/${link.id}`, { token: adaToken })).status).toBe(404);
    expect((await call("DELETE", `/api/v1/portfolio/evidence/${link.id}`, { token: adaToken })).status).toBe(404);
    expect((await rowsOf(entry)).map((r) => r.id)).toEqual([evidenceOf(bare).id]);
  });

  it("refuses a bad link naming each field, with nothing stored", async () => {
    const entry = await addEntry(adaToken, "Bad links");
    for (const [body, fields] of [
      [
        { url: "javascript:alert(1)", title: "x".repeat(201) },
        { url: "Enter a full web address starting with https://", title: "at most 200 characters" },
      ],
      [{ title: "No address" }, { url: "Address is required" }],
      [
        { url: ["https://example.org"], title: 7 },
        { url: "", title: "" },
      ],
    ] as [Record<string, unknown>, Record<string, string>][]) {
      const res = await call("POST", listPath(entry), { token: adaToken, json: body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).code).toBe("invalid_input");
      expect(Object.keys(errorOf(res).fields).sort(), JSON.stringify(body)).toEqual(Object.keys(fields).sort());
      for (const [field, message] of Object.entries(fields)) expect(errorOf(res).fields[field]).toContain(message);
    }
    const notJson = await call("POST", listPath(entry), { token: adaToken, raw: "{not json", type: "application/json" });
    expect(notJson.status).toBe(400);
    expect(errorOf(notJson).code).toBe("invalid_json");
    expect(await rowsOf(entry)).toEqual([]);
  });
});

describe("files", () => {
  it("adds a PDF, a PNG and a JPEG sent as the body, named by ?name= or Content-Disposition, and gives them back byte for byte", async () => {
    const entry = await addEntry(adaToken, "Cataloging workshop");
    const pdf = tinyPdf("Certificate of completion: cataloging");
    const png = tinyPng(40, 30);
    const jpeg = tinyJpeg();
    const sent: [Buffer, string, Record<string, string>, string | undefined, string][] = [
      [pdf, "application/pdf", {}, "certificate.pdf", "certificate.pdf"],
      [
        png,
        "image/png",
        { "Content-Disposition": `attachment; filename="Zertifikat.png"; filename*=UTF-8''Zertifikat%20Pr%C3%BCfung.png` },
        undefined,
        "Zertifikat Prüfung.png",
      ],
      [jpeg, "image/jpeg; charset=binary", { "Content-Disposition": 'inline; filename="badge photo.jpg"' }, undefined, "badge photo.jpg"],
      // ?name= wins over Content-Disposition; a folder in a name is dropped.
      [pdf, "application/pdf", { "Content-Disposition": 'attachment; filename="ignored.pdf"' }, "C:\\scans\\minutes.pdf", "minutes.pdf"],
      // No name at all: "file", as the form's upload names a nameless one.
      [pdf, "application/pdf", {}, undefined, "file"],
    ];
    const added: Evidence[] = [];
    for (const [bytes, type, headers, name, stored] of sent) {
      const res = await sendFile(adaToken, entry, bytes, type, name, headers);
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      const e = evidenceOf(res);
      const mediaType = type.split(";")[0];
      expect(e).toMatchObject({ entryId: entry, kind: "file", title: stored, url: null, file: { name: stored, mediaType, bytes: bytes.length } });
      expect(e.download).toBe(`/api/v1/portfolio/evidence/${e.id}/file`);
      expect(res.headers.get("location")).toBe(`/api/v1/portfolio/evidence/${e.id}`);
      added.push(e);
    }
    // Stored as the entry page's uploads are: under DATA_DIR/evidence/<member>/ by a random name, nothing left where uploads arrive.
    const rows = await rowsOf(entry);
    expect(rows.map((r) => [r.originalName, r.mediaType])).toEqual(sent.map(([, type, , , stored]) => [stored, type.split(";")[0]]));
    expect(rows[2].storedName).toMatch(/^[0-9a-f]{32}\.jpg$/);
    expect(fs.readFileSync(path.join(server.dataDir, "evidence", String(adaId), rows[1].storedName)).equals(png)).toBe(true);
    expect(filesOf("incoming")).toEqual([]);
    expect(textOf((await ada.get(`/me/portfolio/entries/${entry}`)).body)).toContain(`badge photo.jpg (download) JPEG image, ${jpeg.length} bytes`);

    for (const [i, bytes] of [pdf, png, jpeg].entries()) {
      const got = await call("GET", added[i].download!, { token: adaToken });
      expect(got.status).toBe(200);
      expect(got.bytes.equals(bytes)).toBe(true);
      expect(got.headers.get("content-type")).toBe(added[i].file!.mediaType);
      expect(got.headers.get("content-length")).toBe(String(bytes.length));
      expect(got.headers.get("x-content-type-options")).toBe("nosniff");
      // The same headers as the site's download of the same file.
      const site = await fetch(`${server.url}/me/portfolio/evidence/${added[i].id}`, { headers: { Cookie: ada.cookieHeader() } });
      expect(Buffer.from(await site.arrayBuffer()).equals(bytes)).toBe(true);
      for (const h of ["content-type", "content-disposition", "cache-control", "x-content-type-options"])
        expect(got.headers.get(h), h).toBe(site.headers.get(h));
      expect(got.headers.get("content-security-policy")).toContain("default-src 'none'; sandbox");
    }
    const [, pngDownload, , , nameless] = await Promise.all(added.map((e) => call("GET", e.download!, { token: adaToken })));
    expect(pngDownload.headers.get("content-disposition")).toBe(
      `attachment; filename="Zertifikat Pr_fung.png"; filename*=UTF-8''Zertifikat%20Pr%C3%BCfung.png`,
    );
    expect(pngDownload.headers.get("cache-control")).toBe("private, no-store");
    expect(nameless.headers.get("content-disposition")).toBe(`attachment; filename="file.pdf"; filename*=UTF-8''file.pdf`);
    // HEAD: the headers without the body.
    const head = await fetch(`${server.url}${added[0].download}`, { method: "HEAD", headers: { Authorization: `Bearer ${adaToken}` } });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(pdf.length));

    // Deleting a file removes it from the disk.
    expect((await call("DELETE", `/api/v1/portfolio/evidence/${added[0].id}`, { token: adaToken })).status).toBe(200);
    expect(filesOf(adaId)).not.toContain(rows[0].storedName);
    expect((await call("GET", added[0].download!, { token: adaToken })).status).toBe(404);
  });

  it("tells a file by its content: HTML sent as a PDF is refused naming the file field; a PNG sent as a PDF is the PNG it is", async () => {
    const entry = await addEntry(adaToken, "Sniffed");
    for (const [bytes, type, name] of [
      ["<!doctype html><script>alert(1)</script>", "application/pdf", "certificate.pdf"],
      ['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "image/png", "badge.png"],
      ["%PD", "application/pdf", "cut-short.pdf"],
    ]) {
      const res = await sendFile(adaToken, entry, bytes, type, name);
      expect(res.status, name).toBe(400);
      expect(errorOf(res).code).toBe("invalid_input");
      expect(errorOf(res).message).toBe("The file was not added.");
      expect(errorOf(res).fields.file, name).toContain("Only PDF, PNG or JPEG files can be evidence");
    }
    const empty = await sendFile(adaToken, entry, "", "application/pdf", "empty.pdf");
    expect(empty.status).toBe(400);
    expect(errorOf(empty).fields.file).toContain("The body is empty");
    expect(await rowsOf(entry)).toEqual([]);
    expect(filesOf("incoming")).toEqual([]);

    const png = await sendFile(adaToken, entry, tinyPng(), "application/pdf", "scan.pdf");
    expect(png.status).toBe(201);
    expect(evidenceOf(png).file).toMatchObject({ name: "scan.pdf", mediaType: "image/png" });
    expect((await call("GET", evidenceOf(png).download!, { token: adaToken })).headers.get("content-disposition")).toContain(`filename*=UTF-8''scan.pdf.png`);

    // Any other type of body: told what to send.
    for (const type of ["text/html", "application/octet-stream", "image/svg+xml", "text/plain;charset=UTF-8"]) {
      const res = await call("POST", listPath(entry), { token: adaToken, raw: "%PDF-1.4\n", type });
      expect(res.status, type).toBe(415);
      expect(errorOf(res).code).toBe("unsupported_media_type");
      expect(errorOf(res).message).toContain("application/pdf, image/png or image/jpeg");
    }
    expect(await rowsOf(entry)).toHaveLength(1);
  });

  it("refuses a file over 10 MB from its declared size, and while it streams when it does not say; takes exactly 10 MB", async () => {
    const entry = await addEntry(adaToken, "Conference proceedings");
    const before = filesOf(adaId);
    const big = Buffer.alloc(10 * MB + 1, 0x20);
    big.write("%PDF-1.7\n");
    const res = await sendFile(adaToken, entry, big, "application/pdf", "proceedings.pdf");
    expect(res.status).toBe(413);
    expect(errorOf(res)).toEqual({ code: "too_large", message: "The file was not added.", fields: { file: "This file is 10.1 MB: the limit is 10 MB." } });

    // Sent in chunks without a Content-Length: reading stops at the limit.
    const chunked = await call("POST", `${listPath(entry)}?name=long.pdf`, {
      token: adaToken,
      type: "application/pdf",
      raw: new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("%PDF-1.7\n"));
          for (let i = 0; i < 11; i++) controller.enqueue(new Uint8Array(MB).fill(0x20));
          controller.close();
        },
      }),
    });
    expect(chunked.status).toBe(413);
    expect(errorOf(chunked).fields.file).toBe("This file is more than 10 MB: the limit is 10 MB.");
    expect(await rowsOf(entry)).toEqual([]);
    expect(filesOf(adaId)).toEqual(before);
    expect(filesOf("incoming")).toEqual([]);

    const fits = await sendFile(adaToken, entry, big.subarray(0, 10 * MB), "application/pdf", "proceedings.pdf");
    expect(fits.status, JSON.stringify(fits.json)).toBe(201);
    expect(evidenceOf(fits).file!.bytes).toBe(10 * MB);
    // A JSON body keeps the 1 MiB limit of every request.
    const huge = await call("POST", listPath(entry), { token: adaToken, json: { url: "https://example.org/a", title: "x".repeat(1_100_000) } });
    expect(huge.status).toBe(413);
  });

  it("keeps each member's files within their quota (200 MB)", async () => {
    const entry = await addEntry(beaToken, "Quota");
    await fillQuota(server.database, entry, beaId);
    const before = filesOf(beaId);
    const res = await sendFile(beaToken, entry, Buffer.concat([tinyPdf(), Buffer.alloc(30 * 1024, 0x25)]), "application/pdf", "minutes.pdf");
    expect(res.status).toBe(400);
    expect(errorOf(res).fields.file).toContain("Your evidence would use 200.1 MB of your 200 MB.");
    expect(filesOf(beaId)).toEqual(before);
    expect(filesOf("incoming")).toEqual([]);
    expect((await sendFile(beaToken, entry, tinyPdf(), "application/pdf", "minutes.pdf")).status).toBe(201);
    await execute(server.database, `DELETE FROM "Evidence" WHERE "ownerId" = ? AND "bytes" > ?`, beaId, MB);
  });
});

describe("the owner's only", () => {
  it("answers 404 to another member for the entry's evidence and each piece of it, storing and deleting nothing", async () => {
    const entry = await addEntry(adaToken, "Private certificate");
    const file = evidenceOf(await sendFile(adaToken, entry, tinyPdf("Ada's private certificate"), "application/pdf", "private.pdf"));
    const link = evidenceOf(await call("POST", listPath(entry), { token: adaToken, json: { url: "https://example.org/private", title: "Private" } }));
    const beaFiles = filesOf(beaId);
    for (const res of [
      await call("GET", listPath(entry), { token: beaToken }),
      await call("POST", listPath(entry), { token: beaToken, json: { url: "https://example.org/mine", title: "Mine" } }),
      await sendFile(beaToken, entry, tinyPdf(), "application/pdf", "mine now.pdf"),
      await call("GET", `/api/v1/portfolio/evidence/${file.id}`, { token: beaToken }),
      await call("GET", `/api/v1/portfolio/evidence/${file.id}/file`, { token: beaToken }),
      await call("DELETE", `/api/v1/portfolio/evidence/${file.id}`, { token: beaToken }),
      await call("DELETE", `/api/v1/portfolio/evidence/${link.id}`, { token: beaToken }),
    ]) {
      expect(res.status).toBe(404);
      expect(errorOf(res).code).toBe("not_found");
      expect(res.bytes.toString()).not.toContain("private");
    }
    expect((await rowsOf(entry)).map((r) => r.id)).toEqual([file.id, link.id]);
    expect(filesOf(beaId)).toEqual(beaFiles);
    expect(filesOf("incoming")).toEqual([]);
    // Ids that are not there, or not ids; a link has no file.
    for (const url of [
      "/api/v1/portfolio/evidence/999999",
      "/api/v1/portfolio/evidence/abc",
      "/api/v1/portfolio/entries/999999/evidence",
      `/api/v1/portfolio/evidence/${link.id}/file`,
    ])
      expect((await call("GET", url, { token: adaToken })).status, url).toBe(404);
  });

  it("answers 401 without a token, reading no file", async () => {
    const entry = await addEntry(adaToken, "Needs a token");
    const file = evidenceOf(await sendFile(adaToken, entry, tinyPdf(), "application/pdf", "kept.pdf"));
    for (const res of [
      await call("GET", listPath(entry)),
      await call("POST", listPath(entry), { json: { url: "https://example.org/x" } }),
      await call("POST", `${listPath(entry)}?name=x.pdf`, { raw: tinyPdf(), type: "application/pdf" }),
      await call("GET", `/api/v1/portfolio/evidence/${file.id}`),
      await call("GET", `/api/v1/portfolio/evidence/${file.id}/file`),
      await call("DELETE", `/api/v1/portfolio/evidence/${file.id}`),
    ]) {
      expect(res.status).toBe(401);
      expect(errorOf(res).code).toBe("unauthenticated");
    }
    expect((await sendFile("pnt_not-a-token", entry, tinyPdf(), "application/pdf", "x.pdf")).status).toBe(401);
    expect(await rowsOf(entry)).toHaveLength(1);
    expect(filesOf("incoming")).toEqual([]);
  });
});

describe("the only multipart upload stays the entry page's", () => {
  it("refuses a multipart body on the API with 415 in its error shape, the evidence endpoint included", async () => {
    const entry = await addEntry(adaToken, "Multipart to the API");
    for (const url of [listPath(entry), "/api/v1/portfolio/entries", `/api/v1/portfolio/entries/${entry}`]) {
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(tinyPdf())], { type: "application/pdf" }), "certificate.pdf");
      const res = await fetch(`${server.url}${url}`, { method: "POST", body: form, headers: { Authorization: `Bearer ${adaToken}` } });
      expect(res.status, url).toBe(415);
      const error = ((await res.json()) as { error: { code: string; message: string; fields: object } }).error;
      expect(error.code).toBe("unsupported_media_type");
      expect(error.message).toContain("does not accept uploads");
      expect(error.fields).toEqual({});
    }
    expect(await rowsOf(entry)).toEqual([]);
    expect(filesOf("incoming")).toEqual([]);
  });

  it("answers other methods with 405 and what is allowed", async () => {
    const entry = await addEntry(adaToken, "Methods");
    for (const [method, url, allow] of [
      ["PUT", listPath(entry), "GET, POST"],
      ["PATCH", "/api/v1/portfolio/evidence/1", "GET, DELETE"],
      ["POST", "/api/v1/portfolio/evidence/1/file", "GET"],
    ]) {
      const res = await call(method, url, { token: adaToken, json: {} });
      expect(res.status, `${method} ${url}`).toBe(405);
      expect(res.headers.get("allow")).toBe(allow);
    }
  });
});
