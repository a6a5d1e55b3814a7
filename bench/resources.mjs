// `npm run bench:resources`: importing a 5,000-row CSV the way the import
// page does (parsed, then posted in batches of 250 rows to
// /moderate/resources/import/batch), exporting it again, and re-importing the
// export into a fresh server to check it yields the same set. Also times the
// browse page while an import runs. Prints Markdown for bench/RESULTS.md.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Papa from "papaparse";
import { buildIfNeeded, migrate, ROOT } from "../scripts/lib.mjs";
import { COMPETENCY_AREA_SLUGS } from "./lib.mjs";

const ROWS = 5000;
const BATCH = 250;
const children = new Set();
process.on("exit", () => children.forEach((c) => c.kill("SIGKILL")));
process.on("unhandledRejection", (err) => {
  console.error(err);
  process.exit(1);
});

async function start() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "paranet-bench-res-"));
  await migrate(`file:${path.join(dataDir, "paranet.db")}`);
  const child = spawn(process.execPath, [path.join(ROOT, "build/server/index.js")], {
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.add(child);
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const base = await new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)\/setup\?token=([\w-]+)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve({ url: `http://127.0.0.1:${m[1]}`, token: m[2] });
      }
    }, 50);
    child.on("exit", (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  // The first admin, through the setup link, as a person would.
  const form = new URLSearchParams({
    email: "bench@example.org",
    handle: "bench",
    password: "benchmark password",
    displayName: "Bench Admin",
    jobTitle: "Director",
    worksite: "Bench Library",
  });
  const res = await fetch(`${base.url}/setup?token=${base.token}`, { method: "POST", body: form, headers: { Origin: base.url }, redirect: "manual" });
  const cookie = res.headers.getSetCookie()[0].split(";")[0];
  return { child, url: base.url, cookie };
}

async function importAll(server, rows) {
  const started = performance.now();
  const batchTimes = [];
  const counts = { imported: 0, duplicate: 0, rejected: 0 };
  for (let i = 0; i < rows.length; i += BATCH) {
    const t = performance.now();
    const res = await fetch(`${server.url}/moderate/resources/import/batch`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: server.url, Cookie: server.cookie },
      body: JSON.stringify({ rows: rows.slice(i, i + BATCH), firstRow: i + 2 }),
    });
    if (!res.ok) throw new Error(`batch at row ${i + 2} answered ${res.status}: ${await res.text()}`);
    for (const o of (await res.json()).outcomes) counts[o.status]++;
    batchTimes.push(performance.now() - t);
  }
  return { seconds: (performance.now() - started) / 1000, batchTimes, counts };
}

const AREAS = COMPETENCY_AREA_SLUGS;
const TYPES = ["article", "webinar", "course", "certification", "association", "toolkit", "book"];
const rows = Array.from({ length: ROWS }, (_, i) => ({
  title: `Bench resource ${i}: ${["Weeding", "Cataloging", "Storytime", "Reference interview", "Circulation"][i % 5]} for small libraries`,
  url: `https://bench${i % 997}.example.org/resource/${i}`,
  abstract: `A practical ${TYPES[i % TYPES.length]} for library support staff (number ${i}), with checklists, examples from small libraries and notes on adapting it to a school or branch.`,
  type: TYPES[i % TYPES.length],
  competencies: `${AREAS[i % 10]};${AREAS[(i + 3) % 10]}`,
  tags: i % 4 === 0 ? "bench-tag;weeding" : "",
  library_types: i % 3 === 0 ? "school;public" : "",
  region: i % 7 === 0 ? "Ohio" : "national",
  cost: ["free", "paid", "membership"][i % 3],
  provider: `Provider ${i % 50}`,
  ce_hours: i % 5 === 0 ? "1.5" : "",
  published_on: "",
}));

await buildIfNeeded();
const a = await start();
// Meanwhile, how does browsing feel? Time guest page loads during the import.
let browsing = true;
const pageTimes = [];
const browse = (async () => {
  while (browsing) {
    const t = performance.now();
    await (await fetch(`${a.url}/resources?sort=newest&x=${Math.random()}`)).arrayBuffer();
    pageTimes.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 100));
  }
})();
const first = await importAll(a, rows);
browsing = false;
await browse;
const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${a.child.pid}/status`, "utf8"))[1]) / 1024;

const t = performance.now();
const csv = await (await fetch(`${a.url}/moderate/resources/export?format=csv`, { headers: { Cookie: a.cookie } })).text();
const exportMs = performance.now() - t;
const exported = Papa.parse(csv, { header: true, skipEmptyLines: "greedy" }).data;

const b = await start();
const second = await importAll(b, exported);
const json = async (s) => (await (await fetch(`${s.url}/moderate/resources/export?format=json`, { headers: { Cookie: s.cookie } })).json()).resources;
const key = (r) => `${r.title}|${r.url}|${[...r.competencies].sort().join(";")}|${[...r.tags].sort().join(";")}|${r.type}|${r.cost}|${r.region}`;
const [setA, setB] = [(await json(a)).map(key).sort(), (await json(b)).map(key).sort()];
const same = setA.length === setB.length && setA.every((k, i) => k === setB[i]);

const q = (xs, p) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))].toFixed(0);
console.log(
  `\n### Clearinghouse import (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version})\n`,
);
console.log("| Step | Figure |");
console.log("|---|---|");
console.log(
  `| Import ${ROWS.toLocaleString("en-US")} rows in ${ROWS / BATCH} batches of ${BATCH} | ${first.seconds.toFixed(1)} s total; per batch p50 ${q(first.batchTimes, 0.5)} ms, max ${q(first.batchTimes, 1)} ms |`,
);
console.log(`| Outcomes | ${first.counts.imported} imported, ${first.counts.duplicate} duplicates skipped, ${first.counts.rejected} rejected |`);
console.log(`| Browse page (guest) during the import | p50 ${q(pageTimes, 0.5)} ms, p95 ${q(pageTimes, 0.95)} ms over ${pageTimes.length} loads |`);
console.log(`| Server memory after the import | ${rss.toFixed(0)} MB RSS |`);
console.log(
  `| Export CSV of ${exported.length.toLocaleString("en-US")} approved entries | ${exportMs.toFixed(0)} ms, ${(csv.length / 1024 / 1024).toFixed(1)} MB |`,
);
console.log(
  `| Re-import of the export into a fresh server | ${second.seconds.toFixed(1)} s; ${second.counts.imported} imported, ${second.counts.duplicate} duplicates, ${second.counts.rejected} rejected |`,
);
console.log(`| Round trip yields the same set | ${same ? "yes" : "NO"} (${setA.length} vs ${setB.length} entries) |`);
process.exit(same ? 0 : 1);
