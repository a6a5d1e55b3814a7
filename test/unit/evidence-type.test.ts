// Evidence files told by their first bytes, never their names (issue 19), and
// the words for their sizes, names and downloads.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "~/lib/env.server";
import {
  attachmentDisposition,
  cleanFileName,
  declaredEvidenceType,
  downloadName,
  EVIDENCE_TYPES,
  fileNameFromDisposition,
  formatBytes,
  MAX_EVIDENCE_BYTES,
  quotaMessage,
  sniffEvidenceType,
  tooLargeMessage,
} from "~/lib/evidence-type";
import { tinyPdf, tinyPng } from "../helpers/evidence";

const bytes = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));
const [PDF, PNG, JPEG] = EVIDENCE_TYPES;
// The first bytes of a camera's JPEG (JFIF) and of an Exif one.
const JFIF = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
const EXIF = new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0x2a, 0x3b, 0x45, 0x78, 0x69, 0x66]);

describe("sniffing", () => {
  it("knows a PDF, a PNG and a JPEG by their first bytes", () => {
    expect(sniffEvidenceType(tinyPdf())).toBe(PDF);
    expect(sniffEvidenceType(bytes("%PDF-2.0\n"))).toBe(PDF);
    expect(sniffEvidenceType(tinyPng())).toBe(PNG);
    expect(sniffEvidenceType(JFIF)).toBe(JPEG);
    expect(sniffEvidenceType(EXIF)).toBe(JPEG);
    expect(PDF).toMatchObject({ mediaType: "application/pdf", extension: "pdf" });
    expect(PNG).toMatchObject({ mediaType: "image/png", extension: "png" });
    expect(JPEG).toMatchObject({ mediaType: "image/jpeg", extension: "jpg" });
  });

  it("refuses everything else: HTML, SVG, a ZIP, text, an empty file, a signature cut short", () => {
    const refused: [string, Uint8Array][] = [
      ["HTML", bytes("<!doctype html><html><script>alert(1)</script>")],
      ["HTML with a byte-order mark", bytes("\uFEFF<html>")],
      ["SVG", bytes('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')],
      ["XML-declared SVG", bytes('<?xml version="1.0"?><svg/>')],
      ["ZIP (and so DOCX)", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])],
      ["GIF", bytes("GIF89a")],
      ["plain text", bytes("Certificate of completion")],
      ["a PDF signature after whitespace", bytes(" %PDF-1.4")],
      ["empty", new Uint8Array(0)],
      ["a PDF cut short", bytes("%PDF")],
      ["a PNG cut short", tinyPng().subarray(0, 7)],
      ["a JPEG cut short", JFIF.subarray(0, 2)],
    ];
    for (const [what, head] of refused) expect(sniffEvidenceType(head), what).toBeNull();
  });

  it("goes by content whatever the name says: a PNG called .pdf is a PNG", () => {
    // The sniffer sees only bytes; the download gets the extension of what the file is.
    expect(sniffEvidenceType(tinyPng())).toBe(PNG);
    expect(downloadName("certificate.pdf", PNG)).toBe("certificate.pdf.png");
    expect(downloadName("certificate.PDF", PDF)).toBe("certificate.PDF");
    expect(downloadName("badge.jpeg", JPEG)).toBe("badge.jpeg");
    expect(downloadName("badge", JPEG)).toBe("badge.jpg");
  });
});

describe("sizes", () => {
  it("says sizes in words, rounding up so that a file over a limit never reads as the limit", () => {
    expect(formatBytes(0)).toBe("0 bytes");
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(1023)).toBe("1023 bytes");
    expect(formatBytes(1024)).toBe("1 KB");
    expect(formatBytes(1025)).toBe("2 KB");
    expect(formatBytes(MAX_EVIDENCE_BYTES)).toBe("10 MB");
    expect(formatBytes(MAX_EVIDENCE_BYTES + 1)).toBe("10.1 MB");
    expect(formatBytes(Math.round(12.25 * 1024 * 1024))).toBe("12.3 MB");
    expect(formatBytes(200 * 1024 * 1024)).toBe("200 MB");
  });

  it("words the refusals as the form shows them", () => {
    expect(tooLargeMessage(Math.round(12.3 * 1024 * 1024))).toBe("This file is 12.3 MB: the limit is 10 MB.");
    expect(tooLargeMessage(MAX_EVIDENCE_BYTES, true)).toBe("This file is more than 10 MB: the limit is 10 MB.");
    expect(quotaMessage(Math.round(200.6 * 1024 * 1024), 200 * 1024 * 1024)).toMatch(/^Your evidence would use 200.6 MB of your 200 MB\./);
  });

  it("reads EVIDENCE_QUOTA_MB, 200 MB unless set", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "paranet-env-"));
    expect(parseEnv({ DATA_DIR: dataDir }).evidenceQuotaBytes).toBe(200 * 1024 * 1024);
    expect(parseEnv({ DATA_DIR: dataDir, EVIDENCE_QUOTA_MB: "0.5" }).evidenceQuotaBytes).toBe(524288);
    expect(parseEnv({ DATA_DIR: dataDir, EVIDENCE_QUOTA_MB: "1000" }).evidenceQuotaBytes).toBe(1000 * 1024 * 1024);
    expect(() => parseEnv({ DATA_DIR: dataDir, EVIDENCE_QUOTA_MB: "lots" })).toThrow(/EVIDENCE_QUOTA_MB must be a number of megabytes/);
    expect(() => parseEnv({ DATA_DIR: dataDir, EVIDENCE_QUOTA_MB: "0" })).toThrow(/EVIDENCE_QUOTA_MB must be more than 0/);
  });
});

describe("names", () => {
  it("keeps the member's name for a file, without folders, control or direction characters", () => {
    expect(cleanFileName("Certificate of completion.pdf")).toBe("Certificate of completion.pdf");
    expect(cleanFileName("C:\\Users\\ada\\Desktop\\scan.png")).toBe("scan.png");
    expect(cleanFileName("../../etc/passwd")).toBe("passwd");
    expect(cleanFileName("report\u202Efdp.exe")).toBe("reportfdp.exe");
    expect(cleanFileName('a<b>c:"d"|e?*.pdf')).toBe("abcde.pdf");
    expect(cleanFileName("tab\tand\nnewline.pdf")).toBe("tabandnewline.pdf");
    expect(cleanFileName("...hidden.pdf")).toBe("hidden.pdf");
    expect(cleanFileName("")).toBe("file");
    expect(cleanFileName("\u0000\u0001")).toBe("file");
    expect(cleanFileName("Pru\u0308fung.pdf")).toBe("Prüfung.pdf");
    expect(cleanFileName("x".repeat(300) + ".pdf")).toHaveLength(200);
    expect(cleanFileName("😀".repeat(150))).toBe("😀".repeat(100));
  });

  it("sends the name as an attachment in both forms, ASCII and UTF-8", () => {
    expect(attachmentDisposition("certificate.pdf")).toBe(`attachment; filename="certificate.pdf"; filename*=UTF-8''certificate.pdf`);
    expect(attachmentDisposition("Prüfung (2024).pdf")).toBe(`attachment; filename="Pr_fung (2024).pdf"; filename*=UTF-8''Pr%C3%BCfung%20%282024%29.pdf`);
    expect(attachmentDisposition('a"b\\c;d%e.pdf')).toBe(`attachment; filename="a_b_c_d_e.pdf"; filename*=UTF-8''a%22b%5Cc%3Bd%25e.pdf`);
    // Nothing in it can end the header or start another.
    expect(attachmentDisposition("x\r\nSet-Cookie: a=b.pdf")).not.toMatch(/[\r\n]/);
  });

  it("reads the name an API client gives in Content-Disposition: the UTF-8 form first, then the plain one", () => {
    expect(fileNameFromDisposition('attachment; filename="certificate.pdf"')).toBe("certificate.pdf");
    expect(fileNameFromDisposition("inline; filename=scan.png")).toBe("scan.png");
    expect(fileNameFromDisposition(`attachment; filename="Prufung.pdf"; filename*=UTF-8''Pr%C3%BCfung%20%282024%29.pdf`)).toBe("Prüfung (2024).pdf");
    expect(fileNameFromDisposition(`attachment; filename*=iso-8859-1'de'Stra%DFe.pdf`)).toBe("Straße.pdf");
    expect(fileNameFromDisposition('attachment; filename="say \\"hi\\".pdf"')).toBe('say "hi".pdf');
    // A name's UTF-8 bytes sent raw arrive one byte a character: read as UTF-8.
    expect(fileNameFromDisposition(`attachment; filename="${Buffer.from("Prüfung.pdf").toString("latin1")}"`)).toBe("Prüfung.pdf");
    expect(fileNameFromDisposition('attachment; filename="caf\u00e9.pdf"')).toBe("caf\u00e9.pdf");
    // A broken UTF-8 form falls back to the plain one; no name at all is null (the caller names it "file").
    expect(fileNameFromDisposition(`attachment; filename*=UTF-8''%E0%A4%A; filename="plain.pdf"`)).toBe("plain.pdf");
    for (const none of [null, "", "attachment", 'attachment; name="file"', "attachment; filename*=UTF-8''%FF"])
      expect(fileNameFromDisposition(none), String(none)).toBeNull();
  });

  it("knows which body an API client means to send from its Content-Type, whatever its case and parameters", () => {
    expect(declaredEvidenceType("application/pdf")).toBe(PDF);
    expect(declaredEvidenceType("IMAGE/PNG; charset=binary")).toBe(PNG);
    expect(declaredEvidenceType(" image/jpeg ")).toBe(JPEG);
    for (const other of [null, "", "image/jpg", "image/svg+xml", "text/html", "multipart/form-data; boundary=x", "application/pdfx"])
      expect(declaredEvidenceType(other), String(other)).toBeNull();
  });
});
