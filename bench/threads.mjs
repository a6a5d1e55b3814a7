// `npm run bench:threads` (after `npm run bench:seed`): autocannon against the
// production build on 127.0.0.1, serving the bench community. Targets (issue
// 3): thread page with 200 replies p50 < 30 ms and p99 < 100 ms at 20
// connections; home list p50 < 20 ms. Each run is bounded (10 s).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { buildIfNeeded, migrate, ROOT } from "../scripts/lib.mjs";

const dir = path.resolve(ROOT, process.env.BENCH_DATA_DIR ?? ".cache/bench");
if (!fs.existsSync(path.join(dir, "paranet.db"))) {
  console.error("No bench community yet: run `npm run bench:seed` first.");
  process.exit(1);
}
await buildIfNeeded();
await migrate(`file:${path.join(dir, "paranet.db")}`); // an older bench database gets newer tables

const child = spawn(process.execPath, [path.join(ROOT, "build/server/index.js")], {
  env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: "0", DATA_DIR: dir, DATABASE_URL: "", LOG_LEVEL: "info", API_RATE_LIMIT: "1000000" },
  stdio: ["ignore", "pipe", "inherit"],
});
const port = await new Promise((resolve, reject) => {
  let out = "";
  const onData = (d) => {
    out += d;
    const m = /"port":(\d+)/.exec(out);
    if (m) {
      child.stdout.off("data", onData);
      child.stdout.resume(); // keep draining the request log
      resolve(Number(m[1]));
    }
  };
  child.stdout.on("data", onData);
  child.on("exit", (code) => reject(new Error(`server exited ${code}`)));
});
const base = `http://127.0.0.1:${port}`;

const big = await fetch(`${base}/t/1`, { redirect: "manual" });
const bigPath = big.headers.get("location");
const check = await fetch(`${base}${bigPath}`);
const html = await check.text();
const replyCount = (html.match(/class="reply[ "]/g) ?? []).length;
console.log(`Thread page ${bigPath}: ${check.status}, ${replyCount} replies rendered, ${(html.length / 1024).toFixed(0)} KiB`);

// A member (pages rendered for them, never from the guest cache).
const joined = await fetch(`${base}/join`, {
  method: "POST",
  redirect: "manual",
  headers: { Origin: base },
  body: new URLSearchParams({
    email: `bench-${Date.now()}@example.org`,
    handle: `b${Date.now()}`,
    password: "benchmark password",
    displayName: "Bench Reader",
    jobTitle: "Library Assistant",
    worksite: "Bench Library",
  }),
});
const cookie = joined.headers.getSetCookie()[0]?.split(";")[0];
if (!cookie) throw new Error(`could not join: ${joined.status}`);

async function run(name, url, connections, headers = {}) {
  // Warm up, then measure.
  await autocannon({ url, connections, duration: 2, headers });
  const r = await autocannon({ url, connections, duration: 10, headers });
  return {
    name,
    connections,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p97_5: r.latency.p97_5,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
  };
}

const results = [
  await run("Thread page, 200 replies (guest)", `${base}${bigPath}`, 20),
  await run("Thread page, 200 replies (member, uncached)", `${base}${bigPath}`, 20, { cookie }),
  await run("Home: latest threads (guest)", `${base}/`, 10),
  await run("Home: latest threads (member, uncached)", `${base}/`, 10, { cookie }),
  await run("Home: unanswered questions, 2nd filter", `${base}/?kind=question&unanswered=1&sort=newest`, 10),
  await run("Tag page", `${base}/tags/reference`, 10),
  await run("API: GET /api/v1/threads", `${base}/api/v1/threads`, 10),
  await run("API: GET /api/v1/threads/1 (200 replies)", `${base}/api/v1/threads/1`, 20),
];
child.kill("SIGTERM");

console.log(
  `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}\n`,
);
console.log("| scenario | connections | req/s | p50 ms | p97.5 ms | p99 ms | errors |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const r of results) console.log(`| ${r.name} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p97_5} | ${r.p99} | ${r.errors} |`);
