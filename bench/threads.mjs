// `npm run bench:threads` (after `npm run bench:seed`): autocannon against the
// production build on 127.0.0.1, serving the bench community, on SQLite or
// (BENCH_DATABASE=postgres) PostgreSQL. Targets (issue 3): thread page with
// 200 replies p50 < 30 ms and p99 < 100 ms at 20 connections; home list
// p50 < 20 ms. Issue 15: PostgreSQL within 1.5× of SQLite; two processes on
// PostgreSQL serve member thread pages at least 1.7× as fast as one.
// Each run is bounded (10 s).
import autocannon from "autocannon";
import { buildIfNeeded } from "../scripts/lib.mjs";
import { benchCommunity, ENGINE_LABEL, healthzFigure, joinAsMember, load, machine, startServer } from "./lib.mjs";

await buildIfNeeded();
const community = await benchCommunity();
const server = await startServer(community);
const { base } = server;

const big = await fetch(`${base}/t/1`, { redirect: "manual" });
const bigPath = big.headers.get("location");
const check = await fetch(`${base}${bigPath}`);
const html = await check.text();
const replyCount = (html.match(/class="reply[ "]/g) ?? []).length;
console.log(`${ENGINE_LABEL}. Thread page ${bigPath}: ${check.status}, ${replyCount} replies rendered, ${(html.length / 1024).toFixed(0)} KiB`);

// A member (pages rendered for them, never from the guest cache).
const cookie = await joinAsMember(base);
const healthz = await healthzFigure(base);

const run = async (name, url, connections, headers = {}) => ({ name, connections, ...(await load(url, { connections, headers })) });
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

// Two processes on the same database, each taking half the connections.
const second = await startServer(community);
const member = { cookie };
const both = async (name, path, connections) => {
  const urls = [server.base, second.base].map((b) => `${b}${path}`);
  await Promise.all(urls.map((url) => autocannon({ url, connections: connections / 2, duration: 2, headers: member })));
  const runs = await Promise.all(urls.map((url) => autocannon({ url, connections: connections / 2, duration: 10, headers: member })));
  return {
    name,
    connections,
    rps: runs.reduce((n, r) => n + Math.round(r.requests.average), 0),
    p50: Math.max(...runs.map((r) => r.latency.p50)),
    p97_5: Math.max(...runs.map((r) => r.latency.p97_5)),
    p99: Math.max(...runs.map((r) => r.latency.p99)),
    errors: runs.reduce((n, r) => n + r.errors + r.non2xx, 0),
  };
};
results.push(await both("Thread page, 200 replies (member), 2 processes", bigPath, 20));
results.push(await both("Home: latest threads (member), 2 processes", "/", 10));
await Promise.all([server.stop(), second.stop()]);

console.log(`\nMachine: ${machine()}; ${healthz}\n`);
console.log("| scenario | connections | req/s | p50 ms | p97.5 ms | p99 ms | errors |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const r of results) console.log(`| ${r.name} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p97_5} | ${r.p99} | ${r.errors} |`);
process.exit(0);
