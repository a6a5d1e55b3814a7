// `npm run bench:cores` (after `npm run bench:seed`): one process against all
// cores (WEB_CONCURRENCY=auto: a web worker per core, decision 0013), on the
// bench community, SQLite or (BENCH_DATABASE=postgres) PostgreSQL. For each
// setting: /healthz, the member thread page (200 replies) and the member home
// page, autocannon at 20 connections for 10 s (after 2 s of warm-up), and
// the peak resident memory of every process while under load. The two
// settings alternate for ROUNDS rounds (default 2), so a noisy moment on a
// shared machine hits both; each row notes how much CPU other processes on
// the machine used while it was measured (in % of one core: anything but a
// few % means the server did not have the cores to itself, and the row
// understates it). QUIET_WAIT=<seconds>: before each setting, wait (up to
// that long) until other processes use under 10% of a core for 5 s.
// Bounded: about 75 s a round, plus the waits.
import fs from "node:fs";
import os from "node:os";
import { buildIfNeeded } from "../scripts/lib.mjs";
import { benchCommunity, joinAsMember, load, machine, rssMb, startServer } from "./lib.mjs";

const ROUNDS = Number(process.env.ROUNDS ?? 2);
const QUIET_WAIT_MS = Number(process.env.QUIET_WAIT ?? 0) * 1000;
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

/** CPU time (clock ticks) the whole machine spent busy, and that one process (with its threads) spent. */
const machineBusyTicks = () => {
  const [, ...fields] = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return user + nice + system + irq + softirq + steal;
};
const processTicks = (pid) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
};

/**
 * Runs `work` while sampling every process's RSS; returns its result, the
 * peak RSS (MB) of each, and the CPU other processes used meanwhile (% of one
 * core: the machine's busy time less the server's and this bench's).
 */
async function measured(pids, work) {
  const peak = new Map(pids.map((p) => [p, 0]));
  const sample = () => {
    for (const p of pids) peak.set(p, Math.max(peak.get(p), rssMb(p)));
  };
  const timer = setInterval(sample, 250);
  const ours = () => [...pids, process.pid].reduce((n, p) => n + processTicks(p), 0);
  const [busy0, ours0, t0] = [machineBusyTicks(), ours(), Date.now()];
  try {
    const result = await work();
    sample();
    const seconds = (Date.now() - t0) / 1000;
    const othersPercent = Math.max(0, Math.round(((machineBusyTicks() - busy0 - (ours() - ours0)) / 100 / seconds) * 100));
    return { result, peak, othersPercent };
  } finally {
    clearInterval(timer);
  }
}

/** Waits until the machine is quiet: other processes under 10% of a core for 5 s (or the wait runs out). */
async function quiet() {
  const until = Date.now() + QUIET_WAIT_MS;
  while (Date.now() < until) {
    const [busy0, self0] = [machineBusyTicks(), processTicks(process.pid)];
    await new Promise((r) => setTimeout(r, 5000));
    if ((machineBusyTicks() - busy0 - (processTicks(process.pid) - self0)) / 100 / 5 < 0.1) return;
  }
}

const rows = [];
// One member for the whole run (sessions outlive a restart): joining is limited to 30 an hour per address.
let cookie = null;
for (let round = 1; round <= ROUNDS; round++) {
  for (const setting of SETTINGS) {
    await quiet();
    const server = await startServer(community, setting.env);
    const { base } = server;
    // Let every worker finish starting (the primary prints "listening" once all are ready).
    await new Promise((r) => setTimeout(r, 1000));
    const { primary, workers } = processesOf(server.child.pid);
    const bigPath = (await fetch(`${base}/t/1`, { redirect: "manual" })).headers.get("location");
    cookie ??= await joinAsMember(base);
    const scenarios = [
      ["/healthz", `${base}/healthz`, {}],
      ["Thread page, 200 replies, member", `${base}${bigPath}`, { cookie }],
      ["Home, member", `${base}/`, { cookie }],
    ];
    for (const [name, url, headers] of scenarios) {
      const { result, peak, othersPercent } = await measured([primary, ...workers].filter(Boolean), () => load(url, { connections: 20, seconds: 10, headers }));
      rows.push({
        round,
        othersPercent,
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
console.log(
  "| round | setting | scenario (20 connections) | req/s | p50 ms | p99 ms | errors | peak RSS per worker MB | primary RSS MB | other processes' CPU |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of rows) {
  console.log(
    `| ${r.round} | ${r.setting} | ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.workersRss.join(" / ")} | ${r.primaryRss ?? "—"} | ${r.othersPercent}% |`,
  );
}
process.exit(0);
