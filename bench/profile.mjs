// `npm run bench:profile [path] [requests]` (after `npm run bench:seed`):
// where the server's CPU goes for one member page, by kind of work. The built
// server runs on the bench community with the inspector on; after 100
// warm-up requests, V8's sampling profiler records `requests` sequential
// requests (default 500) of `path` (default the 51-reply thread) as bench1,
// with no Accept-Encoding (compression is `npm run bench:bytes`). Prints CPU
// milliseconds per request, the share of each kind of work, a few functions
// with their callees included, and the top functions by their own time.
import { buildIfNeeded } from "../scripts/lib.mjs";
import { benchCommunity, logInBench1, machine, startInspectedServer } from "./lib.mjs";

const [pagePath = "/t/3", requestsArg = "500"] = process.argv.slice(2);
const requests = Number(requestsArg);

await buildIfNeeded();
const { server, send, close } = await startInspectedServer(await benchCommunity());
const { base } = server;
const cookie = await logInBench1(base);
const headers = { cookie, "accept-encoding": "identity" };
const first = await fetch(`${base}${pagePath}`, { redirect: "manual", headers });
const url = `${base}${first.headers.get("location") ?? pagePath}`;
const get = async () => {
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
};

for (let i = 0; i < 100; i++) await get();
await send("Profiler.enable");
await send("Profiler.setSamplingInterval", { interval: 200 });
await send("Profiler.start");
const started = performance.now();
for (let i = 0; i < requests; i++) await get();
const wallMs = (performance.now() - started) / requests;
const { profile } = await send("Profiler.stop");
close();
await server.stop();

// Self time of each node, and its parent, to add callees in.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
const selfUs = new Map();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

/** The kind of work a function is, from where its code lives. */
function kindOf({ url, functionName }) {
  if (functionName === "(garbage collector)") return "garbage collection";
  if (functionName === "(idle)" || functionName === "(program)" || functionName === "(root)") return null;
  if (/readQuery|cacheStatements|better-sqlite3|prisma|[/]pg[/]|pg-protocol/.test(url + functionName)) return "database (queries, Prisma, SQLite)";
  if (/react-dom|[/]react[/]/.test(url)) return "React rendering";
  if (/react-router|@remix-run/.test(url)) return "Remix and routing";
  if (/markdown-it|sanitize-html|linkify/.test(url)) return "Markdown";
  if (/pino/.test(url)) return "logging";
  if (url.includes("node:zlib")) return "compression";
  if (url.includes("/build/")) return "ParaNet code (loaders, components, session)";
  return "Node and Express (HTTP, streams, buffers)";
}
/** Native code (no URL: a syscall, an addon, a builtin) counts as the work of the JS that called it. */
function kindOfNode(node) {
  const { url, functionName } = node.callFrame;
  if (url || functionName.startsWith("(")) return kindOf(node.callFrame);
  const parent = parentOf.get(node.id);
  return parent === undefined ? "Node and Express (HTTP, streams, buffers)" : kindOfNode(byId.get(parent));
}
const kinds = new Map();
const selfByFunction = new Map();
let busyUs = 0;
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  const frame = node.callFrame;
  const kind = kindOfNode(node);
  if (!us || !kind) continue;
  busyUs += us;
  kinds.set(kind, (kinds.get(kind) ?? 0) + us);
  const name = `${frame.functionName || "(anonymous)"} (${frame.url
    .replace(/^.*node_modules\//, "")
    .replace(/^file:\/\/.*\/build\//, "build/")
    .replace(/\?.*$/, "")}:${frame.lineNumber + 1})`;
  selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + us);
}
const INCLUSIVE = ["getCurrentUser", "getThreadForViewer", "loader", "renderToPipeableStream", "handleDocumentRequest", "matchRoutes"];
const inclusive = new Map();
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (!us || !kindOfNode(node)) continue;
  const seen = new Set();
  for (let id = node.id; id !== undefined; id = parentOf.get(id)) {
    const name = byId.get(id).callFrame.functionName;
    if (INCLUSIVE.includes(name) && !seen.has(name)) {
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }
}

const share = (us) => `${((100 * us) / busyUs).toFixed(1)} %`;
const perRequest = (us) => `${(us / 1000 / requests).toFixed(2)} ms`;
console.log(`\n## Profile of ${pagePath} as a member — ${machine()}\n`);
console.log(`${requests} sequential requests: ${wallMs.toFixed(1)} ms each from the client, ${perRequest(busyUs)} of server CPU each.\n`);
console.log("| kind of work | share | CPU per request |\n| --- | --- | --- |");
for (const [kind, us] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`| ${kind} | ${share(us)} | ${perRequest(us)} |`);
console.log("\n| function, with what it calls | share |\n| --- | --- |");
for (const name of INCLUSIVE) if (inclusive.has(name)) console.log(`| \`${name}\` | ${share(inclusive.get(name))} |`);
console.log("\n| top functions by own time | share |\n| --- | --- |");
for (const [name, us] of [...selfByFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 15))) console.log(`| \`${name}\` | ${share(us)} |`);
