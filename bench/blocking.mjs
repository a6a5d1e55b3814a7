// `npm run bench:blocking` (after `npm run bench:seed`): the longest time
// each route holds the event loop on the bench community (10,000 threads,
// 200,000 replies, 5,000 members). While the loop is held nothing else is
// served: not /healthz, not a live socket, not another reader. Issue 16's
// target: no request holds it for more than 50 ms.
//
// How: the built server runs with the inspector on; for each route, V8's
// sampling profiler (every 0.1 ms) records 30 sequential requests, and the
// longest run of samples in JavaScript (or the native code it called:
// SQLite's synchronous calls) and garbage collection, with no sample of the
// loop waiting between them, is the longest synchronous block. The client waits for each response, so the server idles
// between requests.
import { buildIfNeeded } from "../scripts/lib.mjs";
import { benchCommunity, logInBench1, machine, startInspectedServer } from "./lib.mjs";

const REQUESTS = 30;

await buildIfNeeded();
const { server, send, close } = await startInspectedServer(await benchCommunity());
const { base } = server;
const member = { cookie: await logInBench1(base) };
const guest = {};

/** Where a path ends up (a thread's address gains its slug). */
async function settle(path, headers) {
  const res = await fetch(`${base}${path}`, { redirect: "manual", headers });
  await res.arrayBuffer();
  return res.headers.get("location") ?? path;
}

const thread1000 = await settle("/t/4", member);
const ROUTES = [
  ["Thread page, 51 replies", "/t/3", member],
  ["Thread page, 200 replies", "/t/1", member],
  ["Thread page, 1,000 replies, last page", `${thread1000}?page=50`, member],
  ["Thread permalink to the last reply of 1,000", null, member],
  ["Home", "/", member],
  ["Home, newest", "/?sort=newest", member],
  ["Tag page", "/tags/reference", member],
  ["Notifications (300)", "/notifications", member],
  ["Search page, one word", "/search?q=weeding", member],
  ["Search page, two words, newest first", "/search?q=budget%20shelving&sort=newest", member],
  ["Search API, one word", "/api/v1/search?q=catalog", member],
  ["Thread JSON, 1,000 replies", "/api/v1/threads/4", member],
  ["Resources", "/resources", member],
  ["A member's profile", "/u/bench2", member],
  ["Feed, latest threads (guest)", "/feeds/latest.rss", guest],
  ["Thread page, 51 replies (guest)", "/t/3", guest],
];
// The permalink: the 1,000-reply thread's newest reply, found through its JSON (last page).
const lastPage = await (await fetch(`${base}/api/v1/threads/4?page=10`, { headers: member })).json();
const lastReply = lastPage.replies?.at(-1)?.id;
ROUTES[3][1] = lastReply ? `${thread1000}?reply=${lastReply}` : null;

/** The longest run of non-idle samples, in ms, and the CPU of the whole recording per request. */
function longestBlock(profile) {
  // Waiting in the event loop shows as "(idle)" or, when Node has not told V8 it is idle, "(program)".
  const idle = new Set(profile.nodes.filter((n) => ["(idle)", "(program)", "(root)"].includes(n.callFrame.functionName)).map((n) => n.id));
  let longest = 0;
  let current = 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    if (idle.has(id)) {
      current = 0;
      return;
    }
    current += delta;
    busy += delta;
    longest = Math.max(longest, current);
  });
  return { longestMs: longest / 1000, cpuMs: busy / 1000 / REQUESTS };
}

await send("Profiler.enable");
await send("Profiler.setSamplingInterval", { interval: 100 });
const rows = [];
for (const [name, path, headers] of ROUTES) {
  if (!path) {
    rows.push({ name, path: "—", longestMs: NaN, cpuMs: NaN, status: "not found" });
    continue;
  }
  const target = await settle(path, headers);
  const get = async () => {
    const res = await fetch(`${base}${target}`, { headers });
    await res.arrayBuffer();
    return res.status;
  };
  for (let i = 0; i < 5; i++) await get(); // warm: compiled code, prepared statements
  await send("Profiler.start");
  let status = 0;
  for (let i = 0; i < REQUESTS; i++) status = await get();
  const { profile } = await send("Profiler.stop");
  rows.push({ name, path: target, status, ...longestBlock(profile) });
}
close();
await server.stop();

console.log(`\n### Longest event-loop block per route (${machine()})\n`);
console.log(`${REQUESTS} sequential requests a route, sampled every 0.1 ms; target: none over 50 ms.\n`);
console.log("| route | longest block | CPU per request | status |\n| --- | --- | --- | --- |");
for (const r of rows) {
  const over = r.longestMs > 50 ? " **over 50 ms**" : "";
  console.log(`| ${r.name} (\`${r.path}\`) | ${r.longestMs.toFixed(1)} ms${over} | ${r.cpuMs.toFixed(1)} ms | ${r.status} |`);
}
process.exit(0);
