// `npm run bench:cores` (after `npm run bench:seed`): one process against all
// cores (WEB_CONCURRENCY=auto: a web worker per core, decision 0013), on the
// bench community, SQLite or (BENCH_DATABASE=postgres) PostgreSQL. For each
// setting: /healthz, the member thread page (200 replies) and the member home
// page, autocannon at 20 connections for 10 s (after 2 s of warm-up), and
// the peak resident memory of every process while under load. The two
// settings alternate for ROUNDS rounds (default 2), so a noisy moment on a
// shared machine hits both. Bounded: about 75 s a round.
import fs from "node:fs";
import os from "node:os";
import { buildIfNeeded } from "../scripts/lib.mjs";
import { benchCommunity, joinAsMember, load, machine, rssMb, startServer } from "./lib.mjs";

const ROUNDS = Number(process.env.ROUNDS ?? 2);
const SETTINGS = [
  { label: "1 process", env: { WEB_CONCURRENCY: "1" } },
  { label: `auto (${os.availableParallelism()} workers)`, env: { WEB_CONCURRENCY: "auto" } },
];

await buildIfNeeded();
const community = await benchCommunity();

/** The server's processes: the primary and its workers (children), or the one process. */
function processesOf(pid) {
  const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  return children.length ? { primary: pid, workers: children } : { primary: null, workers: [pid] };
}

/** Runs `work` while sampling every process's RSS; returns its result and the peak RSS (MB) of each. */
async function withPeakRss(pids, work) {
  const peak = new Map(pids.map((p) => [p, 0]));
  const sample = () => {
    for (const p of pids) peak.set(p, Math.max(peak.get(p), rssMb(p)));
  };
  const timer = setInterval(sample, 250);
  try {
    const result = await work();
    sample();
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}

const rows = [];
for (let round = 1; round <= ROUNDS; round++) {
  for (const setting of SETTINGS) {
    const server = await startServer(community, setting.env);
    const { base } = server;
    // Let every worker finish starting (the primary prints "listening" once all are ready).
    await new Promise((r) => setTimeout(r, 1000));
    const { primary, workers } = processesOf(server.child.pid);
    const bigPath = (await fetch(`${base}/t/1`, { redirect: "manual" })).headers.get("location");
    const cookie = await joinAsMember(base);
    const scenarios = [
      ["/healthz", `${base}/healthz`, {}],
      ["Thread page, 200 replies, member", `${base}${bigPath}`, { cookie }],
      ["Home, member", `${base}/`, { cookie }],
    ];
    for (const [name, url, headers] of scenarios) {
      const { result, peak } = await withPeakRss([primary, ...workers].filter(Boolean), () => load(url, { connections: 20, seconds: 10, headers }));
      rows.push({
        round,
        setting: setting.label,
        name,
        ...result,
        workersRss: workers.map((p) => Math.round(peak.get(p))),
        primaryRss: primary ? Math.round(peak.get(primary)) : null,
      });
      console.log(JSON.stringify(rows.at(-1)));
    }
    await server.stop();
  }
}

console.log(`\nMachine: ${machine()}\n`);
console.log("| round | setting | scenario (20 connections) | req/s | p50 ms | p99 ms | errors | peak RSS per worker MB | primary RSS MB |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) {
  console.log(
    `| ${r.round} | ${r.setting} | ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.workersRss.join(" / ")} | ${r.primaryRss ?? "—"} |`,
  );
}
process.exit(0);
