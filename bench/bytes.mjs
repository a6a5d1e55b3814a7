// `npm run bench:bytes` (after `npm run bench:seed`): bytes on the wire
// (issue 16). What the 200-reply thread page and the home page cost in HTML
// and in JavaScript and CSS with Accept-Encoding br, gzip and none; what
// compressing that thread page costs at each level (ms per page, one core);
// and guests' cached pages and members' pages under autocannon with and
// without "Accept-Encoding: gzip, br".
//
// BENCH_BASELINE=<another checkout, built> runs the same against that build
// too, round by round in turns (before and after on the same noisy machine).
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { tsImport } from "tsx/esm/api";
import { buildIfNeeded } from "../scripts/lib.mjs";
import autocannon from "autocannon";
import { benchCommunity, healthzFigure, joinAsMember, machine, rssMb, startServer } from "./lib.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

await buildIfNeeded();
const community = await benchCommunity();

/** The built server of another checkout on the same bench community. */
function startBaseline(root) {
  const child = spawn(process.execPath, [path.join(root, "build/server/index.js")], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: "0",
      DATA_DIR: community.dataDir,
      DATABASE_URL: community.databaseUrl,
      LOG_LEVEL: "info",
      API_RATE_LIMIT: "1000000",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  process.on("exit", () => child.kill("SIGKILL"));
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (d) => {
      out += d;
      const m = /"port":(\d+)/.exec(out);
      if (!m) return;
      child.stdout.off("data", onData);
      child.stdout.resume();
      resolve({ child, base: `http://127.0.0.1:${m[1]}`, stop: () => new Promise((r) => (child.once("exit", r), child.kill("SIGTERM"))) });
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) => reject(new Error(`baseline server exited ${code}:\n${out}`)));
  });
}

const targets = [{ label: "after", server: await startServer(community) }];
if (process.env.BENCH_BASELINE) targets.unshift({ label: "before", server: await startBaseline(path.resolve(process.env.BENCH_BASELINE)) });

/** A GET that keeps the bytes as sent (fetch would decode them). */
function rawGet(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

const ENCODINGS = [
  ["none", {}],
  ["gzip", { "accept-encoding": "gzip" }],
  ["gzip, br", { "accept-encoding": "gzip, deflate, br" }],
];
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const threadPath = (await rawGet(`${targets[0].server.base}/t/1`)).headers.location;
const pages = [
  ["Home (guest)", "/"],
  ["Thread, 200 replies (guest)", threadPath],
];

const sizeRows = [];
for (const { label, server } of targets) {
  for (const [name, pathname] of pages) {
    // The page's scripts and styles: every /build/ file it names (the browser loads them all).
    const html = (await rawGet(`${server.base}${pathname}`)).body.toString("utf8");
    const assets = [...new Set([...html.matchAll(/\/build\/[^"'\s)]+\.(?:js|css)/g)].map((m) => m[0]))];
    for (const [encoding, headers] of ENCODINGS) {
      await rawGet(`${server.base}${pathname}`, headers); // a cached page's compressed form is made on its first hit
      const page = await rawGet(`${server.base}${pathname}`, headers);
      let assetBytes = 0;
      for (const asset of assets) assetBytes += (await rawGet(`${server.base}${asset}`, headers)).body.length;
      sizeRows.push(
        `| ${label} | ${name} | ${encoding} | ${kib(page.body.length)} (${page.headers["content-encoding"] ?? "identity"}) | ${assets.length} | ${kib(assetBytes)} |`,
      );
    }
  }
}

// Compressing the thread page in this process, on one core (what a member's page costs per request).
const page = (await rawGet(`${targets.at(-1).server.base}${threadPath}`)).body;
const timeIt = (compress, rounds) => {
  compress();
  const times = [];
  let out;
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint();
    out = compress();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { bytes: out.length, ms: times[Math.floor(times.length / 2)] };
};
const levelRows = [];
for (const level of [1, 4, 6, 9]) {
  const r = timeIt(() => zlib.gzipSync(page, { level }), 40);
  levelRows.push(`| gzip ${level} | ${kib(r.bytes)} | ${(page.length / r.bytes).toFixed(1)} | ${r.ms.toFixed(2)} |`);
}
for (const quality of [1, 2, 3, 4, 5, 6, 8, 11]) {
  const params = {
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: page.length,
  };
  const r = timeIt(() => zlib.brotliCompressSync(page, { params }), quality === 11 ? 5 : 40);
  levelRows.push(`| brotli ${quality} | ${kib(r.bytes)} | ${(page.length / r.bytes).toFixed(1)} | ${r.ms.toFixed(2)} |`);
}

// A guest's cached page: compressed once per entry (with a slot for each
// response's nonce, and a check), then sent to every hit with its nonce.
const { compressPage, withNonce } = await tsImport("../server/compressed-pages.ts", import.meta.url);
const { CACHED_LEVELS } = await tsImport("../server/compression.ts", import.meta.url);
const cachedRows = [];
{
  const fresh = await rawGet(`${targets.at(-1).server.base}${threadPath}`);
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(fresh.headers["content-security-policy"])[1];
  const parts = fresh.body
    .toString("latin1")
    .split(nonce)
    .map((p) => Buffer.from(p, "latin1"));
  for (const encoding of ["br", "gzip"]) {
    const level = CACHED_LEVELS[encoding];
    const times = [];
    let made;
    for (let i = 0; i < 11; i++) {
      const t = process.hrtime.bigint();
      made = await compressPage(parts, Buffer.byteLength(nonce), encoding, level);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    times.sort((a, b) => a - b);
    const hitNonce = Buffer.from(nonce);
    const t = process.hrtime.bigint();
    for (let i = 0; i < 2000; i++) Buffer.concat(withNonce(made, hitNonce));
    const perHitUs = Number(process.hrtime.bigint() - t) / 2000 / 1000;
    const size = Buffer.concat(withNonce(made, hitNonce)).length;
    cachedRows.push(`| ${encoding} ${level} | ${parts.length - 1} | ${kib(size)} | ${times[5].toFixed(1)} | ${perHitUs.toFixed(1)} |`);
  }
}

const both = { "accept-encoding": "gzip, deflate, br" };
for (const target of targets) {
  target.cookie = await joinAsMember(target.server.base);
  target.healthz = await healthzFigure(target.server.base);
}
const scenarios = [
  ["Thread page, 200 replies, guest (cached), gzip, br", threadPath, () => both, 20],
  ["Thread page, 200 replies, guest (cached), no Accept-Encoding", threadPath, () => ({}), 20],
  ["Home, guest (cached), gzip, br", "/", () => both, 10],
  ["Thread page, 200 replies, member, gzip, br", threadPath, (t) => ({ cookie: t.cookie, ...both }), 20],
  ["Thread page, 200 replies, member, no Accept-Encoding", threadPath, (t) => ({ cookie: t.cookie }), 20],
];
/** CPU time a process has used, in ms (utime + stime; the kernel counts in 1/100 s). */
const cpuMs = (pid) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
/** autocannon: 2 s of warm-up, then 10 s measured, with the server's CPU time per request (steadier than req/s on a busy machine). */
async function measure(url, pid, { connections, headers }) {
  await autocannon({ url, connections, duration: 2, headers });
  const before = cpuMs(pid);
  const r = await autocannon({ url, connections, duration: 10, headers });
  const cpuUs = ((cpuMs(pid) - before) * 1000) / Math.max(1, r.requests.total);
  return { rps: Math.round(r.requests.average), p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99, errors: r.errors + r.non2xx, cpuUs };
}
const best = new Map();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, pathname, headersFor, connections] of scenarios) {
    for (const target of targets) {
      const r = await measure(`${target.server.base}${pathname}`, target.server.child.pid, { connections, headers: headersFor(target) });
      const key = `${name}|${target.label}`;
      const seen = best.get(key);
      best.set(key, {
        ...(!seen || seen.rps < r.rps ? r : seen),
        cpuUs: Math.min(seen?.cpuUs ?? Infinity, r.cpuUs),
        rss: Math.max(seen?.rss ?? 0, rssMb(target.server.child.pid)),
      });
    }
  }
}
await Promise.all(targets.map((t) => t.server.stop()));

console.log(`\nMachine: ${machine()}; ${targets.map((t) => `${t.label}: ${t.healthz}`).join("; ")}`);
console.log("\nHTML and the JavaScript and CSS it names, as sent (the second request: a guest's cached page):\n");
console.log("| build | page | Accept-Encoding | HTML | JS + CSS files | JS + CSS bytes |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const row of sizeRows) console.log(row);
console.log(`\nCompressing the thread page (${kib(page.length)}) in one process, median of 40 (5 for brotli 11):\n`);
console.log("| method | bytes | ratio | ms per page |");
console.log("| --- | --- | --- | --- |");
for (const row of levelRows) console.log(row);
console.log(
  "\nA guest's cached thread page, compressed once per entry (median of 11: the whole page with the encoder flushed around each nonce, and the check that it decodes), and what each hit then costs (the body with its nonce and, for gzip, its CRC):\n",
);
console.log("| encoding, level | nonces | bytes | ms per entry | µs per hit |");
console.log("| --- | --- | --- | --- | --- |");
for (const row of cachedRows) console.log(row);
console.log(
  `\nautocannon, 10 s after 2 s of warm-up, ${ROUNDS} rounds taken in turns: the round with the most req/s, the least server CPU per request of any round, the most RSS after any:\n`,
);
console.log("| scenario | build | req/s | p50 ms | p97.5 ms | p99 ms | errors | server CPU µs per request | server RSS MB |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const [name] of scenarios) {
  for (const target of targets) {
    const r = best.get(`${name}|${target.label}`);
    console.log(`| ${name} | ${target.label} | ${r.rps} | ${r.p50} | ${r.p97_5} | ${r.p99} | ${r.errors} | ${Math.round(r.cpuUs)} | ${Math.round(r.rss)} |`);
  }
}
process.exit(0);
