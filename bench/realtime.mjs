// `npm run bench:realtime`: live delivery latency and connection memory,
// against the real built server on 127.0.0.1.
//
// For 100, 1,000 and 5,000 socket.io clients watching one thread (one
// process), then 1,000 clients spread over two processes sharing rooms
// through Redis (REDIS_URL, default redis://127.0.0.1:6379): a member posts
// replies through the normal form; each client notes when the reply arrives.
// Latency is measured from the moment the POST's response arrived to receipt
// at each subscriber (an event can arrive before the response does; those
// count as 0). The clients all run in this one process, so at 5,000 their
// own parsing is part of the figure. Memory is the server's resident set with
// 5,000 idle connections. Prints Markdown for bench/RESULTS.md.
import { io } from "socket.io-client";
import { buildIfNeeded } from "../scripts/lib.mjs";
import { freshBenchInstallation, healthzFigure, machine, makeModerator, rssMb, startServer } from "./lib.mjs";

const REPLIES = 20;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

async function join(base, handle) {
  const form = new URLSearchParams({
    email: `${handle}@example.org`,
    handle,
    password: "benchmark password",
    displayName: handle,
    jobTitle: "Library Assistant",
    worksite: "Bench Library",
    guidelines: "on",
  });
  const res = await fetch(`${base}/join`, { method: "POST", body: form, headers: { Origin: base }, redirect: "manual" });
  if (res.status !== 302) throw new Error(`join failed: ${res.status}`);
  return res.headers.getSetCookie()[0].split(";")[0];
}

async function post(base, cookie, pathname, fields) {
  const res = await fetch(`${base}${pathname}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { Origin: base, Cookie: cookie },
    redirect: "manual",
  });
  await res.arrayBuffer();
  if (res.status !== 302) throw new Error(`POST ${pathname} answered ${res.status}`);
  return res.headers.get("location");
}

/** Connects `count` guest clients to `base`, each watching `threadId`; receipts go to `onReply(replyId, at)`. */
async function connectClients(base, count, threadId, onReply) {
  const sockets = [];
  for (let i = 0; i < count; i += 250) {
    const batch = Array.from({ length: Math.min(250, count - i) }, () => {
      const socket = io(base, { path: "/socket.io", transports: ["websocket"], extraHeaders: { Origin: base }, forceNew: true, reconnection: false });
      socket.on("live", (e) => {
        if (e.type === "reply.created") onReply(e.reply.id, performance.now());
      });
      sockets.push(socket);
      return new Promise((resolve, reject) => {
        socket.once("connect", () =>
          socket
            .timeout(20_000)
            .emitWithAck("subscribe", { threads: [threadId] })
            .then(resolve, reject),
        );
        socket.once("connect_error", reject);
      });
    });
    await Promise.all(batch);
  }
  return sockets;
}

function quantiles(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return { n: sorted.length, p50: q(0.5).toFixed(1), p99: q(0.99).toFixed(1), max: sorted.at(-1).toFixed(1) };
}

/** Posts REPLIES replies through `poster` and measures delivery to every client. */
async function measure(poster, cookie, threadPath, receipts, expected) {
  const latencies = [];
  let lost = 0;
  for (let i = 0; i < REPLIES; i++) {
    const location = await post(poster, cookie, threadPath, { intent: "reply", body: `Bench reply ${i}: shelving by series works well for us.` });
    const answeredAt = performance.now();
    const replyId = Number(/#reply-(\d+)$/.exec(location)[1]);
    const deadline = Date.now() + 10_000;
    while ((receipts.get(replyId)?.length ?? 0) < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const got = receipts.get(replyId) ?? [];
    lost += expected - got.length;
    for (const at of got) latencies.push(Math.max(0, at - answeredAt));
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ...quantiles(latencies), lost };
}

process.on("unhandledRejection", (err) => {
  console.error(err);
  process.exit(1);
});

await buildIfNeeded();
/** A competency area's id, from the ask form (every installation has the ten). */
async function firstTagId(base, cookie) {
  const page = await (await fetch(`${base}/threads/new`, { headers: { Cookie: cookie } })).text();
  return Number(/name="tagIds" value="(\d+)"/.exec(page)[1]);
}
const installation = await freshBenchInstallation("realtime");
const start = (env) => startServer(installation, env);

const rows = [];
let memory = null;
let healthz = "";
{
  const server = await start({ GUEST_CACHE_SECONDS: "0" });
  const cookie = await join(server.base, "benchasker");
  await makeModerator(installation, "benchasker");
  const tag = await firstTagId(server.base, cookie);
  const threadPath = await post(server.base, cookie, "/threads/new", {
    title: "Bench: live delivery",
    body: "Watched by many.",
    kind: "discussion",
    tagIds: String(tag),
  });
  const threadId = Number(threadPath.split("/")[2]);
  const baselineRss = rssMb(server.child.pid);

  for (const count of [100, 1000, 5000]) {
    const receipts = new Map();
    const sockets = await connectClients(server.base, count, threadId, (id, at) => {
      if (!receipts.has(id)) receipts.set(id, []);
      receipts.get(id).push(at);
    });
    if (count === 5000) {
      await new Promise((r) => setTimeout(r, 3000));
      memory = { baseline: baselineRss.toFixed(0), idle5000: rssMb(server.child.pid).toFixed(0) };
    }
    const result = await measure(server.base, cookie, threadPath, receipts, count);
    rows.push({ setup: `1 process, ${count} subscribers`, ...result });
    console.error(`${count}: p50 ${result.p50} ms, p99 ${result.p99} ms, lost ${result.lost}`);
    for (const s of sockets) s.close();
    await new Promise((r) => setTimeout(r, 1000));
  }
  healthz = await healthzFigure(server.base);
  await server.stop();
}

{
  const env = { REDIS_URL, REDIS_PREFIX: `paranet-bench-${process.pid}`, GUEST_CACHE_SECONDS: "0" };
  let a, b;
  try {
    a = await start(env);
    b = await start(env);
  } catch (err) {
    console.error(`Two-process scenario needs Redis at ${REDIS_URL}: ${err.message}`);
    process.exit(1);
  }
  const cookie = await join(a.base, "benchasker2");
  await makeModerator(installation, "benchasker2");
  const tag = await firstTagId(a.base, cookie);
  const threadPath = await post(a.base, cookie, "/threads/new", {
    title: "Bench: live delivery across processes",
    body: "Watched from two processes.",
    kind: "discussion",
    tagIds: String(tag),
  });
  const threadId = Number(threadPath.split("/")[2]);
  const receipts = new Map();
  const note = (id, at) => {
    if (!receipts.has(id)) receipts.set(id, []);
    receipts.get(id).push(at);
  };
  const sockets = [...(await connectClients(a.base, 500, threadId, note)), ...(await connectClients(b.base, 500, threadId, note))];
  const result = await measure(a.base, cookie, threadPath, receipts, 1000);
  rows.push({ setup: "2 processes + Redis, 1000 subscribers (500 each), posted via one", ...result });
  console.error(`2 processes: p50 ${result.p50} ms, p99 ${result.p99} ms, lost ${result.lost}`);
  for (const s of sockets) s.close();
  await Promise.all([a.stop(), b.stop()]);
}

console.log(`\n### Real-time delivery (${machine()}; ${healthz})\n`);
console.log(`${REPLIES} replies per row, each delivered to every subscriber; latency from the POST's response to receipt.\n`);
console.log("| Setup | Deliveries | p50 ms | p99 ms | max ms | Lost |");
console.log("|---|---|---|---|---|---|");
for (const r of rows) console.log(`| ${r.setup} | ${r.n} | ${r.p50} | ${r.p99} | ${r.max} | ${r.lost} |`);
console.log(`\nServer memory (RSS): ${memory.baseline} MB with no connections; ${memory.idle5000} MB holding 5,000 idle subscribed connections.`);
process.exit(0);
