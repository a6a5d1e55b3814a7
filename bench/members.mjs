// `npm run bench:members` (after `npm run bench:seed`; `npm run bench` runs it
// too): the pages logged-in members read, on the bench community (10,000
// threads, 200,000 replies, 5,000 members), as bench1 (300 notifications).
// autocannon on 127.0.0.1, 20 connections, 2 s warm-up then 10 s a row, the
// load generator on the same cores. Issue 16's targets: member thread page of
// 51 replies ≥ 350 req/s with p99 < 100 ms (one process), 200 replies ≥ 150
// req/s with p99 < 250 ms; home and tag pages ≥ 500 req/s; member search
// ≥ 300 req/s with p95 < 30 ms; /healthz p99 < 20 ms while 4 members search;
// guests' cached pages ≥ 1,000 req/s; RSS under load < 250 MB a process.
// WEB_CONCURRENCY is passed to the server (one process unless set).
import { execFileSync } from "node:child_process";
import autocannon from "autocannon";
import { buildIfNeeded } from "../scripts/lib.mjs";
import { benchCommunity, healthzFigure, logInBench1, machine, rssMb, startServer } from "./lib.mjs";

await buildIfNeeded();
const community = await benchCommunity();
const server = await startServer(community);
const { base } = server;

const cookie = await logInBench1(base);
const member = { cookie };

/** The server's processes (a cluster's primary and workers): their resident memory, largest and summed. */
function serverRss() {
  let pids = [server.child.pid];
  try {
    pids = pids.concat(
      execFileSync("pgrep", ["-P", String(server.child.pid)], { encoding: "utf8" })
        .split("\n")
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    // no child processes: one process
  }
  const each = pids.map((pid) => {
    try {
      return rssMb(pid);
    } catch {
      return 0;
    }
  });
  return { max: Math.max(...each), sum: each.reduce((a, b) => a + b, 0), processes: pids.length };
}

/** Where a thread's page lives (its slug), and what a member's copy of it holds. */
async function threadPath(id) {
  const res = await fetch(`${base}/t/${id}`, { redirect: "manual", headers: member });
  const path = res.headers.get("location") ?? `/t/${id}`;
  const html = await (await fetch(`${base}${path}`, { headers: member })).text();
  const replies = (html.match(/<article class="reply[ "]/g) ?? []).length;
  return { path, note: `${replies} replies on the page, ${(html.length / 1024).toFixed(0)} KiB of HTML` };
}

let peakRss = { max: 0, sum: 0, processes: 1 };
async function row(name, path, { headers = member, connections = 20, note = "" } = {}) {
  const url = `${base}${path}`;
  await autocannon({ url, connections, duration: 2, headers });
  const sampler = setInterval(() => {
    const now = serverRss();
    if (now.sum > peakRss.sum) peakRss = now;
  }, 500);
  const r = await autocannon({ url, connections, duration: 10, headers });
  clearInterval(sampler);
  return { name, note, rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

const healthz = await healthzFigure(base);
const threads = { 20: await threadPath(2), 51: await threadPath(3), 200: await threadPath(1), 1000: await threadPath(4) };
const rows = [];
for (const size of [20, 51, 200, 1000]) rows.push(await row(`Thread page, ${size} replies (member)`, threads[size].path, { note: threads[size].note }));
rows.push(await row("Home (member)", "/"));
rows.push(await row("Tag page (member)", "/tags/reference"));
rows.push(await row("Notifications, 300 (member)", "/notifications"));
rows.push(await row("Search page, one word (member)", "/search?q=weeding"));
rows.push(await row("Search API, one word (member)", "/api/v1/search?q=catalog"));
rows.push(await row("Thread page, 51 replies (guest, page cache)", threads[51].path, { headers: {} }));

// /healthz while four members search flat out (different queries, so the result cache cannot answer).
const WORDS = "weeding catalog budget storytime barcode circulation overdue fines shelving dewey marc volunteers reading teens makerspace".split(" ");
let searching = true;
const searchers = Array.from({ length: 4 }, async (_, i) => {
  for (let n = 0; searching; n++) {
    const q = `${WORDS[(i * 7 + n) % WORDS.length]} ${WORDS[(n * 3 + i) % WORDS.length]}`;
    await (await fetch(`${base}/search?q=${encodeURIComponent(q)}&n=${n}`, { headers: member })).arrayBuffer();
  }
});
const underSearch = await autocannon({ url: `${base}/healthz`, connections: 1, duration: 10 });
searching = false;
await Promise.all(searchers);
await server.stop();

console.log(`\n### Member pages (${machine()}; WEB_CONCURRENCY=${process.env.WEB_CONCURRENCY ?? "unset"}; ${healthz})\n`);
console.log("| scenario (20 connections) | req/s | p50 ms | p99 ms | errors | page |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const r of rows) console.log(`| ${r.name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.note} |`);
console.log(
  `\n/healthz (1 connection) while 4 members search: ${Math.round(underSearch.requests.average)} req/s, p50 ${underSearch.latency.p50} ms, p99 ${underSearch.latency.p99} ms.`,
);
console.log(
  `Server memory under load (peak): ${peakRss.max.toFixed(0)} MB in the largest of ${peakRss.processes} process(es), ${peakRss.sum.toFixed(0)} MB in all.`,
);
process.exit(0);
