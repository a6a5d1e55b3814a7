// `npm run bench:search` (after `npm run bench:seed`): search on the bench
// community (10,000 threads, 200,000 replies, 2,000 resources). Targets
// (issue 6): one- to three-word queries p50 < 10 ms and p95 < 30 ms at 10
// concurrent clients; the index adds under 2 ms to a reply's write.
// Queries go to /api/v1/search as a guest with the guest page cache off.
// "Every query new" never repeats a query, so the search result cache never
// helps; "search log mix" repeats popular queries as real traffic does. Paced
// clients show the latency a person sees; flat-out clients show saturation.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { buildIfNeeded } from "../scripts/lib.mjs";
import { BENCH_DIR, BENCH_ENGINE, BENCH_PG_DATABASE, benchCommunity, healthzFigure, machine, pgUrl, startServer as start } from "./lib.mjs";

await buildIfNeeded();
const community = await benchCommunity();

// Words the seed writes (its library words, from common to rare).
const WORDS =
  "weeding catalog budget storytime barcode circulation overdue fines shelving dewey marc volunteers reading teens makerspace database display policy schedule grant inventory chromebooks acquisitions periodicals audiobooks hotspots renewals biography manga newbery bookmarks robotics genealogy microfilm invoices audits censorship braille bilingual".split(
    " ",
  );
let seed = 7;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const words = () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => WORDS[Math.floor(random() * WORDS.length)]).join(" ");
// Every query different from all before it: no result cache can help.
const issued = new Set();
const distinct = () => {
  for (;;) {
    const q = words();
    if (!issued.has(q)) return (issued.add(q), q);
  }
};
// A day's mix as a search log shows it: some queries asked again and again
// (Zipf over 300 queries), most of them rarely.
const LOG = Array.from({ length: 300 }, words);
const fromLog = () => LOG[Math.min(LOG.length - 1, Math.floor(LOG.length * random() ** 3))];

const startServer = () => start(community, { GUEST_CACHE_SECONDS: "0" });

/**
 * `concurrency` clients. Unpaced, each sends its next query as soon as the
 * last one is answered (the server's saturation: latency is mostly queueing).
 * Paced, each sends one every `everyMs` (the latency people see while ten of
 * them search at once).
 */
async function scenario(name, bases, makePath, { requests = 2000, concurrency = 10, everyMs = 0 } = {}) {
  const latencies = [];
  let sent = 0;
  let failures = 0;
  let hits = 0;
  const deadline = Date.now() + 20_000;
  const started = performance.now();
  async function client(i) {
    let next = performance.now() + (everyMs * i) / concurrency;
    while (sent < requests && Date.now() < deadline) {
      if (everyMs) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        next += everyMs;
      }
      const base = bases[sent++ % bases.length]; // several processes: round-robin, as a load balancer would
      const t = performance.now();
      const res = await fetch(base + makePath());
      const body = await res.text();
      latencies.push(performance.now() - t);
      if (res.status !== 200) failures++;
      else if (body.includes('"kind"') || body.includes("search-result")) hits++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, i) => client(i)));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  return { name, n: latencies.length, rps: (latencies.length / seconds).toFixed(0), p50: q(0.5), p95: q(0.95), p99: q(0.99), failures, withResults: hits };
}

const api =
  (q, extra = "") =>
  () =>
    `/api/v1/search?q=${encodeURIComponent(q())}${extra}`;
const rows = [];
const one = [await startServer()];
// Warm up (page cache, statement cache) with queries the scenarios never send.
for (let i = 0; i < 100; i++) await (await fetch(`${one[0].base}/api/v1/search?q=${encodeURIComponent(`${words()} storytime`)}`)).text();
const oneBase = one.map((s) => s.base);
rows.push(await scenario("1 process · 10 clients, a query every 100 ms each · every query new", oneBase, api(distinct), { requests: 1500, everyMs: 100 }));
rows.push(await scenario("1 process · 10 clients, a query every 100 ms each · search log mix", oneBase, api(fromLog), { requests: 1500, everyMs: 100 }));
rows.push(await scenario("1 process · 10 clients flat out · every query new", oneBase, api(distinct)));
rows.push(await scenario("1 process · 10 clients flat out · every query new, newest first", oneBase, api(distinct, "&sort=newest")));
rows.push(await scenario("1 process · 10 clients flat out · every query new, answered threads only", oneBase, api(distinct, "&answered=1")));
rows.push(await scenario("1 process · 10 clients flat out · search log mix", oneBase, api(fromLog)));
rows.push(
  await scenario("1 process · 10 clients flat out · search page (HTML), every query new", oneBase, () => `/search?q=${encodeURIComponent(distinct())}`, {
    requests: 1000,
  }),
);
const two = [...one, await startServer()];
for (let i = 0; i < 100; i++) await (await fetch(`${two[1].base}/api/v1/search?q=${encodeURIComponent(`${words()} storytime`)}`)).text();
const twoBases = two.map((s) => s.base);
rows.push(await scenario("2 processes · 10 clients flat out · every query new", twoBases, api(distinct)));
rows.push(await scenario("2 processes · 10 clients flat out · search log mix", twoBases, api(fromLog)));
const healthz = await healthzFigure(two[0].base);
await Promise.all(two.map((s) => s.stop()));

// The index's cost on a reply's write: the same inserts with and without the
// reply triggers, on a copy of the bench database.
const body = (i) => `Bench write ${i}: we weed the biography section every spring using the CREW method and a circulation report.`;
let withIndex, withoutIndex;
if (BENCH_ENGINE === "sqlite") {
  const copy = path.join(os.tmpdir(), `paranet-bench-search-${process.pid}.db`);
  fs.copyFileSync(path.join(BENCH_DIR, "paranet.db"), copy);
  const db = new Database(copy);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const insert = db.prepare(
    `INSERT INTO "Reply" (threadId, authorId, bodySource, bodyHtml, rendererVersion, isPrivate, createdAt) VALUES (?, 1, ?, '', 1, 0, ?)`,
  );
  const timeInserts = (n, offset) => {
    const started = performance.now();
    for (let i = 0; i < n; i++) db.transaction(() => insert.run(2 + ((i + offset) % 9000), body(i + offset), new Date().toISOString()))();
    return (performance.now() - started) / n;
  };
  timeInserts(200, 0); // warm
  withIndex = timeInserts(2000, 1000);
  const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%SearchIndex_reply%'`).all();
  for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`);
  withoutIndex = timeInserts(2000, 5000);
  db.close();
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(copy + suffix, { force: true });
} else {
  const copy = `${BENCH_PG_DATABASE}_writes`;
  const admin = new pg.Client({ connectionString: pgUrl("postgres") });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${copy}" TEMPLATE "${BENCH_PG_DATABASE}"`);
  const db = new pg.Client({ connectionString: pgUrl(copy) });
  await db.connect();
  const timeInserts = async (n, offset) => {
    const started = performance.now();
    for (let i = 0; i < n; i++)
      await db.query(
        `INSERT INTO "Reply" ("threadId", "authorId", "bodySource", "bodyHtml", "rendererVersion", "isPrivate", "createdAt") VALUES ($1, 1, $2, '', 1, false, $3)`,
        [2 + ((i + offset) % 9000), body(i + offset), new Date()],
      );
    return (performance.now() - started) / n;
  };
  await timeInserts(200, 0); // warm
  withIndex = await timeInserts(2000, 1000);
  const { rows: triggers } = await db.query(
    `SELECT tgname FROM pg_trigger WHERE tgrelid = '"Reply"'::regclass AND NOT tgisinternal AND tgname LIKE 'SearchIndex%'`,
  );
  for (const t of triggers) await db.query(`ALTER TABLE "Reply" DISABLE TRIGGER "${t.tgname}"`);
  withoutIndex = await timeInserts(2000, 5000);
  await db.end();
  await admin.query(`DROP DATABASE "${copy}" WITH (FORCE)`);
  await admin.end();
}

console.log(`\n### Search (${machine()}; ${healthz})\n`);
console.log("| Scenario | Requests | req/s | p50 ms | p95 ms | p99 ms | with results | failures |");
console.log("|---|---|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.name} | ${r.n} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.withResults} | ${r.failures} |`);
console.log(
  `\nReply write (one transaction each, 2,000 inserts): ${withIndex.toFixed(3)} ms with the index, ${withoutIndex.toFixed(3)} ms without: the index adds ${(withIndex - withoutIndex).toFixed(3)} ms.`,
);
process.exit(0);
