// `npm run bench:search` (after `npm run bench:seed`): search on the bench
// community (10,000 threads, 200,000 replies, 2,000 resources). Targets
// (issue 6): one- to three-word queries p50 < 10 ms and p95 < 30 ms at 10
// concurrent clients; the index adds under 2 ms to a reply's write.
// Queries go to /api/v1/search as a guest with the guest cache off, so each
// one really searches; the search page's render is measured separately.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { buildIfNeeded, migrate, ROOT } from "../scripts/lib.mjs";

const dir = path.resolve(ROOT, process.env.BENCH_DATA_DIR ?? ".cache/bench");
const file = path.join(dir, "paranet.db");
if (!fs.existsSync(file)) {
  console.error("No bench community yet: run `npm run bench:seed` first.");
  process.exit(1);
}
await buildIfNeeded();
await migrate(`file:${file}`);

const children = new Set();
process.on("exit", () => children.forEach((c) => c.kill("SIGKILL")));

// Words the seed writes, most common first: queries mix frequent and rare ones.
const WORDS = "weeding catalog budget storytime barcode circulation overdue fines shelving dewey marc volunteers reading teens makerspace database display policy schedule grant inventory chromebooks acquisitions periodicals audiobooks hotspots renewals biography manga newbery bookmarks robotics genealogy microfilm invoices audits censorship braille bilingual".split(" ");
let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const query = () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => WORDS[Math.floor(random() * WORDS.length)]).join(" ");

const child = spawn(process.execPath, [path.join(ROOT, "build/server/index.js")], {
  env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: "0", DATA_DIR: dir, DATABASE_URL: "", LOG_LEVEL: "warn", GUEST_CACHE_SECONDS: "0" },
  stdio: ["ignore", "pipe", "inherit"],
});
children.add(child);
const port = await new Promise((resolve, reject) => {
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
    const m = /"port":(\d+)/.exec(out) ?? /127\.0\.0\.1:(\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
  child.on("exit", (code) => reject(new Error(`server exited ${code}: ${out}`)));
});
const base = `http://127.0.0.1:${port}`;

async function scenario(name, makeUrl, { requests = 2000, concurrency = 10 } = {}) {
  const latencies = [];
  let issued = 0;
  let failures = 0;
  let hits = 0;
  const deadline = Date.now() + 20_000;
  const started = performance.now();
  async function worker() {
    while (issued < requests && Date.now() < deadline) {
      issued++;
      const t = performance.now();
      const res = await fetch(makeUrl());
      const body = await res.text();
      latencies.push(performance.now() - t);
      if (res.status !== 200) failures++;
      else if (body.includes('"kind"') || body.includes("search-result")) hits++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  return { name, n: latencies.length, rps: (latencies.length / seconds).toFixed(0), p50: q(0.5), p95: q(0.95), p99: q(0.99), failures, withResults: hits };
}

// Warm up (page cache, statement cache).
for (let i = 0; i < 50; i++) await (await fetch(`${base}/api/v1/search?q=${encodeURIComponent(query())}`)).text();
const rows = [
  await scenario("API, 1–3 words, relevance", () => `${base}/api/v1/search?q=${encodeURIComponent(query())}`),
  await scenario("API, 1–3 words, newest first", () => `${base}/api/v1/search?q=${encodeURIComponent(query())}&sort=newest`),
  await scenario("API, 1–3 words, threads answered", () => `${base}/api/v1/search?q=${encodeURIComponent(query())}&answered=1`),
  await scenario("Search page (HTML), 1–3 words", () => `${base}/search?q=${encodeURIComponent(query())}`, { requests: 1000 }),
];
child.kill("SIGTERM");

// The index's cost on a reply's write: the same inserts with and without the
// reply triggers, on a copy of the bench database.
const copy = path.join(os.tmpdir(), `paranet-bench-search-${process.pid}.db`);
fs.copyFileSync(file, copy);
const db = new Database(copy);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
const insert = db.prepare(`INSERT INTO "Reply" (threadId, authorId, bodySource, bodyHtml, rendererVersion, isPrivate, createdAt) VALUES (?, 1, ?, '', 1, 0, ?)`);
const body = (i) => `Bench write ${i}: we weed the biography section every spring using the CREW method and a circulation report.`;
const timeInserts = (n, offset) => {
  const started = performance.now();
  for (let i = 0; i < n; i++) db.transaction(() => insert.run(2 + ((i + offset) % 9000), body(i + offset), new Date().toISOString()))();
  return (performance.now() - started) / n;
};
timeInserts(200, 0); // warm
const withIndex = timeInserts(2000, 1000);
const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'SearchIndex_reply_%'`).all();
for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`);
const withoutIndex = timeInserts(2000, 5000);
db.close();
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(copy + suffix, { force: true });

console.log(`\n### Search (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version})\n`);
console.log("| Scenario | Requests | req/s | p50 ms | p95 ms | p99 ms | with results | failures |");
console.log("|---|---|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.name} | ${r.n} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.withResults} | ${r.failures} |`);
console.log(`\nReply write (one transaction each, 2,000 inserts): ${withIndex.toFixed(3)} ms with the index, ${withoutIndex.toFixed(3)} ms without: the index adds ${(withIndex - withoutIndex).toFixed(3)} ms.`);
process.exit(0);
