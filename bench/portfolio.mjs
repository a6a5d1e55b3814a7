// `npm run bench:portfolio`: the certification portfolio (issue 19) with a
// member's 500 entries across the ten competency areas and 200 evidence files
// (real PNG and PDF bytes, written under the server's DATA_DIR/evidence/<member>/
// with their Evidence rows, as the upload keeps them). Measures, on a fresh
// installation (BENCH_DATABASE=postgres for PostgreSQL):
// - the program's progress page (/me/portfolio/programs/lssc): autocannon,
//   10 connections, 2 s warm-up then 10 s (target: p95 under 50 ms);
// - the PDF notebook: time per export (target: under 5 s) and the server's
//   resident memory before and after a run of exports (target: flat);
// - the zip: streamed with evidence files of 2 KB, 200 KB and 1 MB each (and
//   200 KB to a reader that takes a chunk every 20 ms), the buffers the server holds
//   (target: it does not grow with the evidence's size);
// - /healthz req/s in the same run, for the machine's speed that day.
// Prints Markdown for bench/RESULTS.md.
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import autocannon from "autocannon";
import pg from "pg";
import { buildIfNeeded } from "../scripts/lib.mjs";
import { COMPETENCY_AREA_SLUGS, freshBenchInstallation, healthzFigure, joinAsMember, machine, rssMb, startInspectedServer } from "./lib.mjs";

const ENTRIES = 500;
const FILES = 200;
const AREAS = COMPETENCY_AREA_SLUGS;
const TYPES = ["course", "workshop", "conference", "presentation", "service", "mentoring", "other"];

await buildIfNeeded();
const installation = await freshBenchInstallation("portfolio");
// With V8's inspector on, to read the server's own count of bytes held in buffers while a zip streams.
const inspected = await startInspectedServer(installation);
const { server } = inspected;
const { base } = server;
/** What the server holds after a full garbage collection (heap in use, and buffers), in MB. */
async function liveMb() {
  await inspected.send("HeapProfiler.collectGarbage");
  const r = await inspected.send("Runtime.evaluate", { expression: "JSON.stringify(process.memoryUsage())", returnByValue: true });
  const m = JSON.parse(r.result.value);
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}
/**
 * Bytes the server still holds in Buffers (file chunks, response chunks), in
 * MB, after a garbage collection: chunks already sent but not yet collected
 * would otherwise count as held.
 */
async function buffersMb() {
  await inspected.send("HeapProfiler.collectGarbage");
  const r = await inspected.send("Runtime.evaluate", { expression: "process.memoryUsage().arrayBuffers", returnByValue: true });
  return Number(r?.result?.value ?? 0) / 2 ** 20;
}
const pid = server.child.pid;
const loadBefore = os.loadavg().map((l) => l.toFixed(1));

// --- The member and their portfolio ---------------------------------------------------------
const cookie = await joinAsMember(base, "portfolio");
const asMember = { Cookie: cookie, Origin: base };
const followed = await fetch(`${base}/me/portfolio`, { method: "POST", redirect: "manual", headers: asMember, body: new URLSearchParams({ program: "lssc" }) });
if (followed.status !== 302) throw new Error(`follow LSSC: ${followed.status}`);

const day = (offset) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
const REFLECTION =
  "What I learned and how I use it at the desk: the session walked through the policy, the patrons it serves and the tools we have, with examples from three libraries; I changed our checklist afterwards and shared it with the team at our monthly meeting.";
const entryIds = [];
let started = performance.now();
for (let i = 0; i < ENTRIES; i++) {
  const a = AREAS[i % AREAS.length];
  const b = AREAS[(i * 3 + 1) % AREAS.length];
  const hours = 1 + (i % 6);
  const split = i % 3 === 0 && a !== b;
  const body = {
    type: TYPES[i % TYPES.length],
    title: `Activity ${i + 1}: ${a.replace(/-/g, " ")} in practice`,
    provider: i % 2 ? "State Library" : "Regional library system",
    startedOn: day(5 + ((i * 7) % 1700)), // most within LSSC's four years, some older
    quantity: hours,
    unit: "hours",
    reflection: i % 4 ? REFLECTION : "",
    areas: split
      ? [
          { area: a, hours: hours / 2 },
          { area: b, hours: hours / 2 },
        ]
      : [{ area: a, hours }],
  };
  const res = await fetch(`${base}/api/v1/portfolio/entries`, {
    method: "POST",
    headers: { ...asMember, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`entry ${i}: ${res.status} ${await res.text()}`);
  entryIds.push((await res.json()).entry.id);
}
const seedSeconds = ((performance.now() - started) / 1000).toFixed(1);

// --- Evidence: files on disk and their rows ---------------------------------------------------
const memberId = await sqlValue(`SELECT "id" FROM "User" WHERE "handle" = 'portfolio'`);
const evidenceDir = path.join(installation.dataDir, "evidence", String(memberId));
fs.mkdirSync(evidenceDir, { recursive: true });
const files = Array.from({ length: FILES }, (_, i) => ({
  entryId: entryIds[(i * 5) % entryIds.length],
  storedName: crypto.randomBytes(16).toString("hex") + (i % 2 ? ".png" : ".pdf"),
  originalName: i % 2 ? `certificate ${i}.png` : `attendance record ${i}.pdf`,
  mediaType: i % 2 ? "image/png" : "application/pdf",
}));

/** A real PNG (noise, stored uncompressed) or PDF (one page with a binary stream) of about `bytes`. */
function fileBytes(kind, bytes) {
  const noise = crypto.randomBytes(Math.max(64, bytes - 200));
  if (kind === "image/png") {
    const width = 256;
    const rows = Math.max(1, Math.floor(noise.length / (width * 3 + 1)));
    const raw = Buffer.alloc(rows * (width * 3 + 1));
    for (let r = 0; r < rows; r++) noise.copy(raw, r * (width * 3 + 1) + 1, r * width * 3, (r + 1) * width * 3);
    const chunk = (type, data) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(data.length);
      const body = Buffer.concat([Buffer.from(type), data]);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(zlib.crc32(body));
      return Buffer.concat([len, body, crc]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(rows, 4);
    ihdr.set([8, 2, 0, 0, 0], 8);
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", ihdr),
      chunk("IDAT", zlib.deflateSync(raw, { level: 0 })),
      chunk("IEND", Buffer.alloc(0)),
    ]);
  }
  return Buffer.concat([
    Buffer.from(
      `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n4 0 obj<</Length ${noise.length}>>stream\n`,
    ),
    noise,
    Buffer.from("\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"),
  ]);
}

function writeEvidence(bytes) {
  let total = 0;
  for (const f of files) {
    const data = fileBytes(f.mediaType, bytes);
    fs.writeFileSync(path.join(evidenceDir, f.storedName), data);
    f.bytes = data.length;
    total += data.length;
  }
  return total;
}
writeEvidence(2 * 1024);
for (const f of files)
  await sql(
    `INSERT INTO "Evidence" ("entryId", "ownerId", "kind", "storedName", "originalName", "mediaType", "bytes") VALUES (?, ?, 'file', ?, ?, ?, ?)`,
    f.entryId,
    memberId,
    f.storedName,
    f.originalName,
    f.mediaType,
    f.bytes,
  );

// --- Measurements ------------------------------------------------------------------------------
const healthz = await healthzFigure(base);

const progressUrl = `${base}/me/portfolio/programs/lssc`;
const page = await fetch(progressUrl, { headers: { Cookie: cookie } });
const pageKb = ((await page.text()).length / 1024).toFixed(0);
await autocannon({ url: progressUrl, connections: 10, duration: 2, headers: { Cookie: cookie } });
const progress = await autocannon({ url: progressUrl, connections: 10, duration: 10, headers: { Cookie: cookie } });
// One connection: the time one request takes, without waiting behind others.
const single = await autocannon({ url: progressUrl, connections: 1, duration: 5, headers: { Cookie: cookie } });
// The first page of the activity log (50 of the 500), and a member page with no portfolio in it (the settings page):
// what any page costs a member here, for the progress page's figure beside it.
const logUrl = `${base}/me/portfolio`;
const logKb = ((await (await fetch(logUrl, { headers: { Cookie: cookie } })).text()).length / 1024).toFixed(0);
const log = await autocannon({ url: logUrl, connections: 10, duration: 5, headers: { Cookie: cookie } });
const plain = await autocannon({ url: `${base}/me/settings`, connections: 10, duration: 5, headers: { Cookie: cookie } });

const memory = () => {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
};
/** Download to nowhere, chunk by chunk (never held whole here); optionally as a slow reader. Peak server RSS while it ran. */
async function download(url, { delayMs = 0, sampleBuffers = false } = {}) {
  let peak = 0;
  let peakBuffers = 0;
  let sampling = false;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
    if (sampling || !sampleBuffers) return;
    sampling = true;
    buffersMb().then((mb) => {
      peakBuffers = Math.max(peakBuffers, mb);
      sampling = false;
    });
  }, 50);
  const t0 = performance.now();
  // node:http, not fetch: a paused response stops reading the socket, so the server feels a slow reader as a real one (TCP backpressure).
  const bytes = await new Promise((resolve, reject) => {
    http
      .get(url, { headers: { Cookie: cookie } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`${url}: ${res.statusCode}`));
        let n = 0;
        res.on("data", (chunk) => {
          n += chunk.length;
          if (!delayMs) return;
          res.pause();
          setTimeout(() => res.resume(), delayMs);
        });
        res.on("end", () => resolve(n));
        res.on("error", reject);
      })
      .on("error", reject);
  });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, rssMb(pid));
  return { seconds, bytes, peak, peakBuffers };
}

const pdfUrl = `${base}/me/portfolio/programs/lssc/export.pdf`;
const rssBeforePdf = memory().rss;
const pdfRuns = [await download(pdfUrl)];
const liveAfterFirst = await liveMb();
for (let i = 1; i < 8; i++) pdfRuns.push(await download(pdfUrl));
const liveAfterLast = await liveMb();
const rssAfterPdf = memory().rss;
const pdfTimes = pdfRuns.map((r) => r.seconds).sort((a, b) => a - b);
const pdfPages = await pdfPageCount(pdfUrl);

const zipUrl = `${base}/me/portfolio/programs/lssc/export.zip`;
const zipRows = [];
for (const [label, size, delayMs] of [
  ["2 KB", 2 * 1024, 0],
  ["200 KB", 200 * 1024, 0],
  ["1 MB", 1024 * 1024, 0],
  // A reviewer on a slow line: a chunk every 20 ms (under 1 MB/s here).
  ["200 KB, slow reader", 200 * 1024, 20],
]) {
  const evidence = writeEvidence(size);
  await sql(`UPDATE "Evidence" SET "bytes" = ? WHERE "ownerId" = ?`, files[0].bytes, memberId);
  const before = memory().rss;
  // Timed alone, then again with a full GC every 50 ms to see what is really held (that slows it down).
  const timed = await download(zipUrl, { delayMs });
  const buffersBefore = await buffersMb();
  const r = await download(zipUrl, { delayMs, sampleBuffers: true });
  zipRows.push({
    label,
    evidenceMb: evidence / 2 ** 20,
    zipMb: r.bytes / 2 ** 20,
    seconds: timed.seconds,
    before,
    peak: Math.max(timed.peak, r.peak),
    after: memory().rss,
    buffers: r.peakBuffers - buffersBefore,
  });
}
const loadAfter = os.loadavg().map((l) => l.toFixed(1));
inspected.close();
await server.stop();

const ms = (n) => `${Math.round(n * 1000)} ms`;
console.log(`\n### Portfolio: progress page and exports (${machine()}; ${healthz})\n`);
console.log(
  `A member with ${ENTRIES} entries (added through the API in ${seedSeconds} s) across the ten areas, following LSSC, and ${FILES} evidence files. Load average ${loadBefore.join(" ")} before, ${loadAfter.join(" ")} after (the machine is shared).\n`,
);
console.log("| measure | figure | target |");
console.log("| --- | --- | --- |");
console.log(
  `| Progress page (${pageKb} KiB), 10 connections, 10 s | ${Math.round(progress.requests.average)} req/s; p50 ${progress.latency.p50} ms, p90 ${progress.latency.p90} ms, p97.5 ${progress.latency.p97_5} ms, p99 ${progress.latency.p99} ms; ${progress.errors + progress.non2xx} errors | p95 < 50 ms: ${progress.latency.p97_5 < 50 ? "met (p95 ≤ p97.5)" : progress.latency.p90 >= 50 ? "not met (p90 ≥ 50 ms)" : "p95 between p90 and p97.5"} |`,
);
console.log(
  `| Progress page, 1 connection, 5 s | ${Math.round(single.requests.average)} req/s; p50 ${single.latency.p50} ms, p97.5 ${single.latency.p97_5} ms | |`,
);
const row = (r) => `${Math.round(r.requests.average)} req/s; p50 ${r.latency.p50} ms, p97.5 ${r.latency.p97_5} ms; ${r.errors + r.non2xx} errors`;
console.log(`| Activity log, first page (${logKb} KiB: 50 of the 500), 10 connections, 5 s | ${row(log)} | |`);
console.log(`| For comparison: the settings page (no portfolio), 10 connections, 5 s | ${row(plain)} | |`);
console.log(
  `| PDF notebook (${pdfPages} pages, ${(pdfRuns[0].bytes / 1024).toFixed(0)} KiB), ${pdfRuns.length} exports one after another | median ${ms(pdfTimes[Math.floor(pdfTimes.length / 2)])}, slowest ${ms(pdfTimes[pdfTimes.length - 1])} | < 5 s: ${pdfTimes[pdfTimes.length - 1] < 5 ? "met" : "not met"} |`,
);
console.log(
  `| Server memory around the PDF exports | live heap and buffers after a full GC: ${liveAfterFirst.toFixed(1)} MB after the first export, ${liveAfterLast.toFixed(1)} MB after the eighth; RSS ${rssBeforePdf.toFixed(0)} MB before, peak ${Math.max(...pdfRuns.map((r) => r.peak)).toFixed(0)} MB, ${rssAfterPdf.toFixed(0)} MB after | flat: ${liveAfterLast - liveAfterFirst < 5 ? "met" : "not met"} |`,
);
for (const z of zipRows)
  console.log(
    `| Zip, ${FILES} files of ${z.label} (${z.evidenceMb.toFixed(1)} MB of evidence, ${z.zipMb.toFixed(1)} MB zip) | ${ms(z.seconds)}; buffers held at most +${z.buffers.toFixed(1)} MB; server RSS ${z.before.toFixed(0)} MB before, peak ${z.peak.toFixed(0)} MB, ${z.after.toFixed(0)} MB after | streamed |`,
  );
const held = Math.max(...zipRows.map((z) => z.buffers));
console.log(
  `\nZip: the server held at most ${held.toFixed(1)} MB more in buffers while sending up to ${Math.max(...zipRows.map((z) => z.zipMb)).toFixed(0)} MB: ${held < 16 ? "it does not grow with the evidence" : "it grows with the evidence"} (RSS alone hides this: memory freed after the PDFs is reused).`,
);
process.exit(0);

// --- Helpers ---------------------------------------------------------------------------------

async function pdfPageCount(url) {
  const res = await fetch(url, { headers: { Cookie: cookie } });
  const text = Buffer.from(await res.arrayBuffer()).toString("latin1");
  return Number(/\/Type \/Pages[\s\S]*?\/Count (\d+)/.exec(text)?.[1] ?? 0);
}

async function sql(query, ...args) {
  if (installation.databaseUrl.startsWith("file:")) {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(installation.databaseUrl.slice("file:".length));
    try {
      const stmt = db.prepare(query);
      return stmt.reader ? stmt.all(...args) : (stmt.run(...args), []);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: installation.databaseUrl });
  await client.connect();
  try {
    let n = 0;
    return (
      await client.query(
        query.replace(/\?/g, () => `$${++n}`),
        args,
      )
    ).rows;
  } finally {
    await client.end();
  }
}
async function sqlValue(query, ...args) {
  const [row] = await sql(query, ...args);
  return Object.values(row)[0];
}
