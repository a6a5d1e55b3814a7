// `npm run bench`: baseline HTTP figures for the foundation, against the real
// built server on 127.0.0.1 with a fresh database. Bounded: each scenario
// stops after its request count or 15 seconds, whichever comes first.
// Prints a Markdown table to paste into bench/RESULTS.md.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIfNeeded, migrate, ROOT } from "../scripts/lib.mjs";

await buildIfNeeded();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "paranet-bench-"));
await migrate(`file:${path.join(dataDir, "paranet.db")}`);

const child = spawn(process.execPath, [path.join(ROOT, "build/server/index.js")], {
  env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "info" }, // as in production: request logging is part of the cost
  stdio: ["ignore", "pipe", "inherit"],
});
const port = await new Promise((resolve, reject) => {
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
    const m = /"port":(\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
  child.on("exit", (code) => reject(new Error(`server exited ${code}`)));
});
const base = `http://127.0.0.1:${port}`;

// One member, logged in, for authenticated pages.
const form = new URLSearchParams({
  email: "bench@example.org",
  handle: "bench",
  password: "benchmark password",
  displayName: "Bench Mark",
  jobTitle: "Library Assistant",
  worksite: "Bench Library",
  guidelines: "on",
});
// A failure stops the server too, so it never outlives the benchmark.
process.on("uncaughtException", (err) => {
  child.kill("SIGKILL");
  throw err;
});
const joined = await fetch(`${base}/join`, { method: "POST", body: form, headers: { Origin: base }, redirect: "manual" });
const cookie = joined.headers.getSetCookie()[0]?.split(";")[0];
if (!cookie) {
  child.kill("SIGKILL");
  throw new Error(`joining failed (${joined.status}): the benchmark needs a member`);
}

async function scenario(name, { requests, concurrency, make }) {
  const latencies = [];
  const deadline = Date.now() + 15_000;
  let issued = 0;
  let failures = 0;
  const started = performance.now();
  async function worker() {
    while (issued < requests && Date.now() < deadline) {
      issued++;
      const t = performance.now();
      const res = await make();
      await res.arrayBuffer();
      if (res.status >= 400) failures++;
      latencies.push(performance.now() - t);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  return { name, concurrency, n: latencies.length, rps: (latencies.length / seconds).toFixed(0), p50: q(0.5), p95: q(0.95), p99: q(0.99), failures };
}

const results = [];
results.push(await scenario("GET /healthz", { requests: 5000, concurrency: 10, make: () => fetch(`${base}/healthz`) }));
results.push(await scenario("GET / (guest)", { requests: 3000, concurrency: 10, make: () => fetch(base) }));
results.push(
  await scenario("GET /u/bench (member)", { requests: 3000, concurrency: 10, make: () => fetch(`${base}/u/bench`, { headers: { Cookie: cookie } }) }),
);
results.push(
  await scenario("POST /login (argon2id verify)", {
    requests: 200,
    concurrency: 4,
    make: () =>
      fetch(`${base}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { Origin: base },
        body: new URLSearchParams({ email: "bench@example.org", password: "benchmark password" }),
      }),
  }),
);
child.kill("SIGTERM");

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
console.log(
  `\nMachine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}\n`,
);
console.log("| scenario | concurrency | requests | req/s | p50 ms | p95 ms | p99 ms | errors |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of results) console.log(`| ${r.name} | ${r.concurrency} | ${r.n} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.failures} |`);
