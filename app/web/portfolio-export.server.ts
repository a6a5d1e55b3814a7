// A member's portfolio for reviewers (issue 19, item 6), in one program they
// follow: a sectioned PDF notebook (pdfkit: selectable text, an outline and a
// printed contents page, "Page 3 of 9" on every page), a CSV points sheet
// (papaparse, formulas defused) and a zip of both with the evidence files
// (yazl, each file read from disk while the zip is sent, so memory does not
// grow with the evidence). The figures are computeProgress's, as on the
// progress page: app/models/portfolio.server.ts portfolioForExport reads them.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Readable } from "node:stream";
import Papa from "papaparse";
import PDFDocument from "pdfkit";
import yazl from "yazl";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { getEnv } from "~/lib/env.server";
import { TooManyRequestsError } from "~/lib/errors";
import { activityTypeLabel, amountOf, caveatUnderHeading, describeAmount, describeAreas, format, UNITS } from "~/lib/program";
import { portfolioForExport, type ExportEntry, type PortfolioExport } from "~/models/portfolio.server";
import { countInMemory } from "~/models/rate-limit.server";
import { requireUser } from "~/web/auth.server";
import { orErrorPage } from "~/web/http.server";

// --- Fonts --------------------------------------------------------------------------------

// PDF's built-in Helvetica only encodes Windows-1252 ("Łódź", "✓", Greek and
// Cyrillic come out as garbage), and a member's name may be in any script. So
// the notebook embeds DejaVu Sans (npm's dejavu-fonts-ttf; Bitstream Vera
// licence, free to embed and redistribute): Latin, Greek, Cyrillic and most
// symbols. What it has no glyph for (CJK, among others) is printed as U+FFFD
// "�" rather than as an empty box or a wrong letter, and the cover page says
// so and points to the CSV, which keeps every character.
const require = createRequire(import.meta.url);
const FONT_FILES = {
  body: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
  bold: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"),
};
const REPLACEMENT = "\uFFFD";

type GlyphFace = { hasGlyphForCodePoint(codePoint: number): boolean };
/** The fontkit face pdfkit embeds for the current font (pdfkit keeps it as `_font.font`; it has no public accessor). */
const faceOf = (doc: PDFKit.PDFDocument): GlyphFace | null => (doc as unknown as { _font?: { font?: GlyphFace } })._font?.font ?? null;

/** What the notebook can print: both faces' glyphs, and nothing invisible. */
class Printable {
  private known = new Map<number, boolean>();
  replaced = false;
  constructor(private faces: GlyphFace[]) {}
  text(value: string): string {
    let out = "";
    // eslint-disable-next-line no-control-regex -- tabs and stray control characters print as nothing useful
    for (const ch of value.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200B-\u200F\u2028-\u202E\u2066-\u2069\uFEFF]/g, " ")) {
      const cp = ch.codePointAt(0)!;
      if (cp === 10 || cp === 32) {
        out += ch;
        continue;
      }
      let ok = this.known.get(cp);
      if (ok === undefined) {
        ok = this.faces.every((f) => f.hasGlyphForCodePoint(cp));
        this.known.set(cp, ok);
      }
      if (ok) out += ch;
      else {
        out += REPLACEMENT;
        this.replaced = true;
      }
    }
    return out;
  }
}

// --- Names and files ---------------------------------------------------------------------

export type ExportKind = "pdf" | "csv" | "zip";
const CONTENT_TYPES: Record<ExportKind, string> = { pdf: "application/pdf", csv: "text/csv; charset=utf-8", zip: "application/zip" };

export function exportFilename(data: PortfolioExport, kind: ExportKind): string {
  return `paranet-portfolio-${data.program.slug}-${data.progress.today}.${kind}`;
}

/** The headers of a download: an attachment, never cached, never sniffed. */
export function exportHeaders(data: PortfolioExport, kind: ExportKind): Record<string, string> {
  return {
    "Content-Type": CONTENT_TYPES[kind],
    "Content-Disposition": `attachment; filename="${exportFilename(data, kind)}"`,
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
  };
}

const EXTENSIONS: Record<string, string> = { "application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg" };
/** Stored names are random and plain (evidence.server.ts makes them); anything else is not ours to read. */
const STORED_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** A file name safe in any zip tool: letters, digits, dots, dashes and underscores, with the extension of its sniffed type. */
export function safeFileName(original: string, mediaType: string): string {
  const ext = EXTENSIONS[mediaType] ?? "";
  const base = original
    .normalize("NFKD")
    .replace(/\.[A-Za-z0-9]{1,5}$/, "")
    .replace(/[^\p{L}\p{N}._-]+/gu, "-")
    .replace(/^[-._]+|[-._]+$/g, "")
    .slice(0, 80);
  return `${base || "evidence"}${ext}`;
}

export type EvidenceFile = { zipName: string; realPath: string; bytes: number };

/** The member's evidence files that are on disk, by evidence id, with the name each has in the zip (evidence/<entry id>-<name>). */
export function evidenceFiles(data: PortfolioExport, dataDir: string): Map<number, EvidenceFile> {
  const dir = path.join(dataDir, "evidence", String(data.member.id));
  const files = new Map<number, EvidenceFile>();
  const taken = new Set<string>();
  for (const e of data.entries) {
    for (const ev of e.evidence) {
      if (ev.kind !== "file" || files.has(ev.id) || !STORED_NAME.test(ev.storedName)) continue;
      const realPath = path.join(dir, ev.storedName);
      let stat: fs.Stats;
      try {
        stat = fs.statSync(realPath);
      } catch {
        continue; // gone from disk (or never finished): listed in the notebook, not in the zip
      }
      if (!stat.isFile()) continue;
      const name = safeFileName(ev.originalName, ev.mediaType);
      let zipName = `evidence/${e.id}-${name}`;
      if (taken.has(zipName)) zipName = `evidence/${e.id}-${ev.id}-${name}`;
      taken.add(zipName);
      files.set(ev.id, { zipName, realPath, bytes: stat.size });
    }
  }
  return files;
}

// --- The CSV points sheet --------------------------------------------------------------------

const unitLabel = (unit: string) => UNITS.find((u) => u.value === unit)?.label ?? unit;
const hoursOf = (e: ExportEntry) => (UNITS.find((u) => u.value === e.unit)?.hours ?? 0) * e.quantity;

/**
 * One row per entry and category it counts in. Cells a spreadsheet would run
 * as a formula (= + - @, tab, carriage return first) get a leading apostrophe,
 * as the clearinghouse export does (papaparse's escapeFormulae). A byte-order
 * mark first, so Excel reads the file as UTF-8.
 */
export function portfolioCsv(data: PortfolioExport): string {
  const names = new Map(data.program.definition.categories.map((c) => [c.key, c.name]));
  const measure = data.progress.measure;
  const fields = ["Entry", "Date", "Title", "Kind", "Provider", "Amount", "Unit", "Hours", "Category", `Counted (${measure})`];
  const rows: (string | number)[][] = [];
  for (const e of data.entries) {
    for (const c of data.program.definition.categories) {
      const counted = e.counts[c.key];
      if (counted === undefined) continue;
      rows.push([
        e.id,
        e.endedOn,
        e.title,
        activityTypeLabel(e.type),
        e.provider,
        e.quantity,
        unitLabel(e.unit),
        Math.round(hoursOf(e) * 100) / 100,
        names.get(c.key) ?? c.key,
        counted,
      ]);
    }
  }
  return `\uFEFF${Papa.unparse({ fields, data: rows }, { escapeFormulae: true, newline: "\r\n" })}\r\n`;
}

// --- The PDF notebook --------------------------------------------------------------------------

const PAGE = { size: "LETTER" as const, margin: 54 };
const COLORS = { text: "#1a1a1a", muted: "#555555", rule: "#999999" };
/** Let other requests in every so many entries: a long notebook must not stall the server. */
const YIELD_EVERY = 20;
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

type Section = { title: string; categories: string[] };
type ContentsLine = { title: string; level: 0 | 1; page: number; dest: string };

function sectionsOf(data: PortfolioExport): Section[] {
  const d = data.program.definition;
  const sections = d.sections.length ? d.sections.map((s) => ({ title: s.title, categories: [...s.categories] })) : [];
  // A category no section names still gets printed, last.
  const placed = new Set(sections.flatMap((s) => s.categories));
  const rest = d.categories.filter((c) => !placed.has(c.key)).map((c) => c.key);
  if (rest.length) sections.push({ title: sections.length ? "Other categories" : "Categories", categories: rest });
  return sections;
}

const plural = (n: number, one: string, many: string) => `${format(n)} ${n === 1 ? one : many}`;
const kb = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);
const TYPE_NAMES: Record<string, string> = { "application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG" };

function verificationLine(e: ExportEntry): string {
  const v = e.verification;
  if (!v) return "Not verified.";
  const on = v.decidedAt ? ` on ${v.decidedAt.slice(0, 10)}` : "";
  const note = v.note ? `: “${v.note}”` : ".";
  if (v.status === "confirmed") return `Verified: confirmed by ${v.by}${on}${note}`;
  if (v.status === "declined") return `Verification declined by ${v.by}${on}${note}`;
  return `Verification asked of ${v.by}; not answered yet.`;
}

/**
 * The notebook. Written into pdfkit's buffered pages (the contents page and
 * the page numbers are filled in last, once every page exists), then ended:
 * the returned stream carries the finished file.
 */
export async function portfolioPdf(data: PortfolioExport, files: Map<number, EvidenceFile>): Promise<Readable> {
  const d = data.program.definition;
  const unit = data.progress.measure === "hours" ? "hours" : "points";
  const doc = new PDFDocument({
    size: PAGE.size,
    margin: PAGE.margin,
    bufferPages: true,
    autoFirstPage: true,
    lang: "en",
    displayTitle: true,
    info: {
      Title: `${data.program.name}: portfolio of ${data.member.displayName}`,
      Author: data.member.displayName,
      Subject: `Portfolio notebook for ${data.program.name}, ${data.progress.today}`,
      Creator: "ParaNet",
    },
  });
  doc.registerFont("body", FONT_FILES.body);
  doc.registerFont("bold", FONT_FILES.bold);
  const faces = (["bold", "body"] as const).map((f) => faceOf(doc.font(f))).filter((f): f is GlyphFace => f !== null);
  const p = new Printable(faces);
  const left = PAGE.margin;
  const width = doc.page.width - 2 * PAGE.margin;
  const bottom = () => doc.page.height - PAGE.margin;
  const pageNo = () => doc.bufferedPageRange().start + doc.bufferedPageRange().count; // 1-based number of the page being written
  const room = (needed: number) => {
    if (doc.y + needed > bottom()) doc.addPage();
  };
  const write = (text: string, options: PDFKit.Mixins.TextOptions & { font?: "body" | "bold"; size?: number; color?: string } = {}) => {
    const { font = "body", size = 10, color = COLORS.text, ...rest } = options;
    doc
      .font(font)
      .fontSize(size)
      .fillColor(color)
      .text(p.text(text), left, doc.y, { width, ...rest });
  };

  // Cover.
  doc.moveDown(6);
  write("Portfolio notebook", { size: 14, color: COLORS.muted });
  doc.moveDown(0.3);
  write(data.program.name, { font: "bold", size: 24 });
  if (d.body) write(d.body, { size: 13, color: COLORS.muted });
  doc.moveDown(2);
  write(data.member.displayName, { font: "bold", size: 18 });
  const who = [data.member.jobTitle, data.member.worksite, data.member.region].filter(Boolean);
  for (const line of who) write(line, { size: 12 });
  write(`@${data.member.handle} on ParaNet`, { size: 10, color: COLORS.muted });
  doc.moveDown(2);
  write(`Prepared on ${data.progress.today}.`, { size: 11 });
  if (data.progress.windowStart)
    write(`Counted: activities that ended from ${data.progress.windowStart} to ${data.progress.today} (the program’s ${d.windowYears}-year window).`, {
      size: 11,
    });
  doc.moveDown(1);
  write("Check the current rules with the program.", { font: "bold", size: 11 });
  write(
    `${d.checkWithProgram ? `${caveatUnderHeading(d.checkWithProgram)} ` : ""}The figures here are computed by ParaNet from ${data.member.displayName}’s own log with the program’s rules as ParaNet holds them on this date (version ${data.program.version}); the program decides.`,
    { size: 10 },
  );

  // Contents: pages reserved now, written at the end.
  const sections = sectionsOf(data);
  const contentsLines = 1 + sections.reduce((n, s) => n + 1 + s.categories.length, 0);
  const linesPerPage = Math.floor((bottom() - PAGE.margin - 40) / 16);
  const contentsPages = Math.max(1, Math.ceil(contentsLines / linesPerPage));
  doc.addPage();
  const contentsFirst = pageNo() - 1; // 0-based index
  for (let i = 1; i < contentsPages; i++) doc.addPage();
  const contents: ContentsLine[] = [];
  const heading = (title: string, level: 0 | 1, dest: string) => {
    doc.addNamedDestination(dest, "FitH", doc.page.height - doc.y + 6); // PDF's y runs up from the bottom
    contents.push({ title, level, page: pageNo(), dest });
    write(title, level === 0 ? { font: "bold", size: 18 } : { font: "bold", size: 13 });
    doc.moveDown(level === 0 ? 0.6 : 0.3);
  };

  // Summary.
  doc.addPage();
  doc.outline.addItem("Summary");
  heading("Summary", 0, "summary");
  for (const line of data.summary) write(line, { size: 10, paragraphGap: 2 });
  doc.moveDown(0.8);
  const cols = [
    { title: "Category", w: width - 300 },
    { title: "Required", w: 60 },
    { title: "Needs", w: 75 },
    { title: "Counted", w: 75 },
    { title: "Status", w: 90 },
  ];
  const row = (cells: string[], font: "body" | "bold") => {
    doc.font(font).fontSize(9.5);
    const texts = cells.map((c) => p.text(c));
    const h = Math.max(...texts.map((t, i) => doc.heightOfString(t, { width: cols[i].w - 6 })));
    room(h + 6);
    const y = doc.y;
    let x = left;
    texts.forEach((t, i) => {
      doc.fillColor(COLORS.text).text(t, x, y, { width: cols[i].w - 6, lineBreak: true });
      x += cols[i].w;
    });
    doc.y = y + h + 3;
    doc
      .moveTo(left, doc.y)
      .lineTo(left + width, doc.y)
      .lineWidth(font === "bold" ? 1 : 0.4)
      .strokeColor(COLORS.rule)
      .stroke();
    doc.y += 3;
  };
  row(
    cols.map((c) => c.title),
    "bold",
  );
  for (const c of data.progress.categories) {
    row(
      [
        c.name,
        c.required ? "Required" : "",
        c.minimum > 0 ? `${format(c.minimum)} ${unit}` : "",
        amountOf(c.amount, unit),
        c.minimum > 0 ? (c.met ? "Met" : `${format(c.missing)} to go`) : c.amount > 0 ? "Counted" : "Nothing yet",
      ],
      "body",
    );
  }
  row(
    ["All categories (each entry once)", "", "", amountOf(data.progress.total, unit), data.progress.level ? `${data.progress.level.name} reached` : ""],
    "bold",
  );
  if (d.levels.length) {
    doc.moveDown(0.8);
    room(40);
    write("Levels", { font: "bold", size: 11 });
    for (const l of [...d.levels].sort((a, b) => a.threshold - b.threshold))
      write(
        `${l.name}: ${format(l.threshold)} ${unit}${data.progress.level && data.progress.level.threshold >= l.threshold ? " (reached)" : `, ${format(Math.max(0, l.threshold - data.progress.total))} to go`}`,
      );
  }
  if (data.progress.renewal) {
    const r = data.progress.renewal;
    doc.moveDown(0.5);
    write(
      `Renewal: every ${r.everyYears} years, ${format(r.amount)} ${unit}${r.minimumIn ? `, at least ${format(r.minimumIn.amount)} in ${r.minimumIn.name}` : ""}.`,
    );
  }
  doc.moveDown(0.5);
  write(`${plural(data.entries.length, "activity counts", "activities count")} in this notebook.`, { color: COLORS.muted });

  // One part per section, in the program's order; each category's entries under it.
  let written = 0;
  for (const [si, s] of sections.entries()) {
    doc.addPage();
    const outline = doc.outline.addItem(p.text(s.title), { expanded: true });
    heading(s.title, 0, `section-${si}`);
    for (const [ci, key] of s.categories.entries()) {
      const cp = data.progress.categories.find((c) => c.key === key);
      if (!cp) continue;
      room(60);
      outline.addItem(p.text(cp.name));
      heading(cp.name, 1, `section-${si}-${ci}`);
      write(
        `${format(cp.amount)} ${unit}${cp.minimum > 0 ? ` of ${format(cp.minimum)} (${cp.met ? "met" : `${format(cp.missing)} to go`})` : ""}${cp.required ? "; required" : ""}.`,
        { color: COLORS.muted },
      );
      doc.moveDown(0.5);
      const entries = data.entries.filter((e) => e.counts[key] !== undefined);
      if (!entries.length) {
        write("Nothing counted here yet.", { color: COLORS.muted });
        doc.moveDown(0.8);
      }
      for (const e of entries) {
        room(70);
        write(e.title, { font: "bold", size: 11 });
        const dates = e.startedOn === e.endedOn ? e.startedOn : `${e.startedOn} to ${e.endedOn}`;
        write([activityTypeLabel(e.type), e.provider, dates].filter(Boolean).join(" · "), { color: COLORS.muted });
        const areas = describeAreas(e.areas, e.unit);
        write(
          `${describeAmount(e.quantity, e.unit)}; counts ${format(e.counts[key])} ${e.counts[key] === 1 ? unit.slice(0, -1) : unit} here.${areas ? ` Areas: ${areas}.` : ""}`,
        );
        if (e.reflection) {
          doc.moveDown(0.2);
          write(e.reflection, { size: 9.5, indent: 0, paragraphGap: 2 });
        }
        doc.moveDown(0.2);
        write(verificationLine(e), { size: 9.5 });
        if (e.evidence.length) {
          write("Evidence:", { size: 9.5 });
          for (const ev of e.evidence) {
            const file = files.get(ev.id);
            const text =
              ev.kind === "file"
                ? `${ev.originalName || "A file"} (${TYPE_NAMES[ev.mediaType] ?? "file"}, ${kb(ev.bytes)})${file ? `: ${file.zipName} in the zip` : ""}`
                : ev.url;
            write(`• ${text}`, { size: 9.5, indent: 10 });
          }
        }
        doc.moveDown(0.8);
        if (++written % YIELD_EVERY === 0) await breathe();
      }
    }
  }

  // The contents, on the pages kept for them.
  doc.switchToPage(contentsFirst);
  doc.outline.addItem("Contents");
  doc.y = PAGE.margin;
  write("Contents", { font: "bold", size: 18 });
  doc.moveDown(0.6);
  let contentsPage = contentsFirst;
  for (const line of contents) {
    if (doc.y + 16 > bottom()) {
      doc.switchToPage(++contentsPage);
      doc.y = PAGE.margin;
    }
    const y = doc.y;
    const indent = line.level === 0 ? 0 : 16;
    doc
      .font(line.level === 0 ? "bold" : "body")
      .fontSize(11)
      .fillColor(COLORS.text)
      .text(p.text(line.title), left + indent, y, { width: width - indent - 50, goTo: line.dest, lineBreak: false, ellipsis: true });
    doc.text(String(line.page), left + width - 50, y, { width: 50, align: "right", goTo: line.dest, lineBreak: false });
    doc.y = y + 16;
  }

  // The cover's note on characters the font lacks, now that every text has been through it.
  if (p.replaced) {
    const coverIndex = doc.bufferedPageRange().start;
    doc.switchToPage(coverIndex);
    doc
      .font("body")
      .fontSize(9)
      .fillColor(COLORS.muted)
      .text(
        `Some characters have no letter in this notebook's font and are shown as ${REPLACEMENT}. The points sheet (CSV) keeps every character as typed.`,
        left,
        bottom() - 60,
        { width },
      );
  }

  // Every page's footer: who, what, and "Page 3 of 9".
  const range = doc.bufferedPageRange();
  const footer = p.text(`${data.member.displayName} · ${data.program.name}`);
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const margins = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing below the margin must not start a new page
    const y = doc.page.height - PAGE.margin / 2 - 6;
    doc.font("body").fontSize(8).fillColor(COLORS.muted);
    doc.text(footer, left, y, { width: width - 90, lineBreak: false, ellipsis: true });
    doc.text(`Page ${i - range.start + 1} of ${range.count}`, left + width - 90, y, { width: 90, align: "right", lineBreak: false });
    doc.page.margins.bottom = margins;
  }
  doc.end();
  return doc;
}

// --- The zip --------------------------------------------------------------------------------

async function bufferOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The notebook, the points sheet and the evidence files. The PDF and CSV are
 * small and made first; each evidence file is opened only when the zip
 * reaches it and piped through, so the server holds a chunk at a time.
 */
export async function portfolioZip(data: PortfolioExport, dataDir: string): Promise<Readable> {
  const files = evidenceFiles(data, dataDir);
  const pdf = await bufferOf(await portfolioPdf(data, files));
  const zip = new yazl.ZipFile();
  const mtime = new Date();
  zip.addBuffer(pdf, exportFilename(data, "pdf"), { mtime, compress: false });
  zip.addBuffer(Buffer.from(portfolioCsv(data), "utf8"), exportFilename(data, "csv"), { mtime });
  // Images and PDFs are compressed already: stored, not deflated again. Each
  // file is opened when its turn comes; a download abandoned half-way closes
  // the one being read (nothing else is open).
  let reading: fs.ReadStream | null = null;
  for (const f of files.values())
    zip.addReadStreamLazy(f.zipName, { compress: false, size: f.bytes }, (done) => {
      reading = fs.createReadStream(f.realPath);
      done(null, reading);
    });
  const out = zip.outputStream as Readable;
  // A file that changed on disk since it was listed: the download stops (its end is missing, so no tool reads it as whole).
  zip.on("error", (err: Error) => out.destroy(err));
  out.on("close", () => reading?.destroy());
  zip.end();
  return out;
}

// --- The downloads ------------------------------------------------------------------------------

/** Exports a member may make: each costs a second or so of the server's time. */
const EXPORT_LIMIT = { limit: 60, windowMs: 10 * 60_000 };

/**
 * GET /me/portfolio/programs/<slug>/export.(pdf|csv|zip): the logged-in
 * member's own portfolio in a program they follow (guests are sent to log in;
 * a program they do not follow, or none, is the 404 page).
 */
export async function exportResponse(request: Request, slug: string, kind: ExportKind): Promise<Response> {
  const user = await requireUser(request);
  const data = await orErrorPage(() => portfolioForExport(user, slug));
  // Counted once there is something to make (a mistyped address is a plain 404).
  try {
    countInMemory(
      [[`portfolio-export:${user.id}`, EXPORT_LIMIT]],
      (minutes) => `You have made many exports in a short time. Please wait ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    );
  } catch (e) {
    if (e instanceof TooManyRequestsError)
      return new Response(e.message, { status: 429, headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": String(e.retryAfterSeconds) } });
    throw e;
  }
  const headers = exportHeaders(data, kind);
  if (kind === "csv") return new Response(portfolioCsv(data), { headers });
  const { dataDir } = getEnv();
  const body = kind === "pdf" ? await portfolioPdf(data, evidenceFiles(data, dataDir)) : await portfolioZip(data, dataDir);
  return new Response(createReadableStreamFromReadable(body), { headers });
}
