// Evidence files for the tests, made here rather than checked in: a real
// one-page PDF with selectable text and a real PNG (both open in any viewer),
// and the upload as a browser's form sends it (multipart/form-data).
import zlib from "node:zlib";
import type { Page, Visitor } from "./client";
import type { TestDatabase } from "../setup/databases";
import { execute } from "./db";

/** A one-page PDF saying `text` (Helvetica, A4), with a correct cross-reference table. */
export function tinyPdf(text = "Certificate of completion"): Buffer {
  const escaped = text.replace(/[\\()]/g, (c) => `\\${c}`);
  const content = `BT /F1 24 Tf 72 720 Td (${escaped}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let pdf = "%PDF-1.4\n";
  const offsets = objects.map((body, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, "latin1");
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A `width` × `height` PNG of one colour (8-bit RGB). */
export function tinyPng(width = 4, height = 3, rgb: [number, number, number] = [47, 107, 58]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, truecolour, deflate, no filter, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", pixels),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * An 8 × 8 mid-grey baseline JPEG (JFIF), the smallest a decoder accepts: one
 * component, a quantisation table of ones, and Huffman tables of one code each
 * (DC difference 0, end of block), so the one block's scan is the bits 0 0.
 */
export function tinyJpeg(): Buffer {
  const segment = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  const oneCode = (tableClass: number) => segment(0xc4, [tableClass, 1, ...Array<number>(15).fill(0), 0]);
  return Buffer.from([
    0xff,
    0xd8, // SOI
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]), // APP0 "JFIF"
    ...segment(0xdb, [0, ...Array<number>(64).fill(1)]), // DQT
    ...segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]), // SOF0: 8 bits, 8 × 8, one component
    ...oneCode(0x00), // DHT: DC
    ...oneCode(0x10), // DHT: AC
    ...segment(0xda, [1, 1, 0, 0, 63, 0]), // SOS
    0x3f, // DC 0, EOB, padded with ones
    0xff,
    0xd9, // EOI
  ]);
}

/** Upload `bytes` as the evidence form does, named `name` and declared as `type` (which the server ignores). */
export function uploadEvidence(visitor: Visitor, entryId: number, bytes: Uint8Array, name: string, type = "application/octet-stream"): Promise<Page> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)], { type }), name);
  return visitor.request(`/me/portfolio/entries/${entryId}/evidence`, { method: "POST", body: form, headers: { Origin: visitor.baseUrl } });
}

/**
 * Fill a member's evidence quota (200 MB) to 10 KB short, as an earlier upload to `entryId` would: a row is what counts
 * (no file is needed on disk).
 */
export async function fillQuota(database: TestDatabase, entryId: number, ownerId: number): Promise<void> {
  await execute(
    database,
    `INSERT INTO "Evidence" ("entryId", "ownerId", "kind", "storedName", "originalName", "mediaType", "bytes") VALUES (?, ?, 'file', ?, 'archive.pdf', 'application/pdf', ?)`,
    entryId,
    ownerId,
    `${"0".repeat(32)}.pdf`,
    200 * 1024 * 1024 - 10 * 1024,
  );
}
