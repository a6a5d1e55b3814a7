// Shared by the benchmarks: which engine they run on, where the bench
// community lives, and starting the built server against it.
//
// BENCH_DATABASE=postgres runs a bench on PostgreSQL (BENCH_POSTGRES_URL, by
// default the local server as postgres): the bench community is the SQLite
// one copied with `npm run db:copy` into the database `paranet_bench`, and
// benches that write their own data get a fresh `paranet_bench_<name>`.
import { spawn, spawnSync } from "node:child_process";
import net from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import WebSocket from "ws";
import { migrate, ROOT } from "../scripts/lib.mjs";

export const BENCH_ENGINE = process.env.BENCH_DATABASE === "postgres" ? "postgres" : "sqlite";
export const ENGINE_LABEL = BENCH_ENGINE === "postgres" ? "PostgreSQL" : "SQLite";
export const BENCH_DIR = path.resolve(ROOT, process.env.BENCH_DATA_DIR ?? ".cache/bench");
const PG_ADMIN = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** The same PostgreSQL server, another database. */
export function pgUrl(database) {
  const url = new URL(PG_ADMIN);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onPgServer(run) {
  const client = new pg.Client({ connectionString: PG_ADMIN });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Drop and create a PostgreSQL database (byte-order collation, as SQLite sorts). */
export async function recreatePgDatabase(name) {
  await onPgServer(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`);
  });
}

/** Where the bench community (npm run bench:seed) is: SQLite's file, and on PostgreSQL its copy. */
export const benchSqliteUrl = () => `file:${path.join(BENCH_DIR, "paranet.db")}`;
export const BENCH_PG_DATABASE = "paranet_bench";

/** The bench community for this engine, migrated to the current schema; exits with what to run when it is missing. */
export async function benchCommunity() {
  if (!fs.existsSync(path.join(BENCH_DIR, "paranet.db"))) {
    console.error("No bench community yet: run `npm run bench:seed` first.");
    process.exit(1);
  }
  if (BENCH_ENGINE === "sqlite") {
    await migrate(benchSqliteUrl()); // an older bench database gets newer tables
    return { dataDir: BENCH_DIR, databaseUrl: benchSqliteUrl() };
  }
  const exists = await onPgServer(async (c) => (await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [BENCH_PG_DATABASE])).rowCount > 0);
  if (!exists) {
    console.error("No bench community on PostgreSQL yet: run `BENCH_DATABASE=postgres npm run bench:seed` first.");
    process.exit(1);
  }
  await migrate(pgUrl(BENCH_PG_DATABASE));
  return { dataDir: BENCH_DIR, databaseUrl: pgUrl(BENCH_PG_DATABASE) };
}

/** Copy the SQLite bench community to PostgreSQL (BENCH_DATABASE=postgres npm run bench:seed does it after seeding). */
export async function copyBenchCommunityToPostgres() {
  await recreatePgDatabase(BENCH_PG_DATABASE);
  const result = spawnSync(process.execPath, [path.join(ROOT, "scripts", "db-copy.mjs"), "--from", benchSqliteUrl(), "--to", pgUrl(BENCH_PG_DATABASE)], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error("db:copy of the bench community failed");
}

/** A fresh, migrated, empty installation for a bench that writes its own data. */
export async function freshBenchInstallation(name) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `paranet-bench-${name}-`));
  if (BENCH_ENGINE === "sqlite") {
    const databaseUrl = `file:${path.join(dataDir, "paranet.db")}`;
    await migrate(databaseUrl);
    return { dataDir, databaseUrl };
  }
  const database = `paranet_bench_${name}`;
  await recreatePgDatabase(database);
  await migrate(pgUrl(database));
  return { dataDir, databaseUrl: pgUrl(database) };
}

/**
 * Make a member of a bench installation a moderator: a bench that posts many
 * replies from one account would otherwise meet the new-member post limit.
 */
export async function makeModerator({ databaseUrl }, handle) {
  if (databaseUrl.startsWith("file:")) {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(databaseUrl.slice("file:".length));
    db.prepare(`UPDATE "User" SET "role" = 'moderator' WHERE "handle" = ?`).run(handle);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`UPDATE "User" SET "role" = 'moderator' WHERE "handle" = $1`, [handle]);
  await client.end();
}

const children = new Set();
process.on("exit", () => children.forEach((c) => c.kill("SIGKILL")));

/**
 * Start the built server on an installation; resolves when it listens (its "listening" line, logged at info: keep LOG_LEVEL at info or below).
 * `nodeArgs` go to Node before the script (`--inspect=…` for a profile).
 */
export function startServer({ dataDir, databaseUrl }, env = {}, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, "build/server/index.js")], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: "0",
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: "info", // as in production: request logging is part of the cost
      API_RATE_LIMIT: "1000000",
      LIVE_CONNECTIONS_PER_ADDRESS: "100000",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (d) => {
      out += d;
      const m = /"port":(\d+)/.exec(out);
      if (m) {
        child.stdout.off("data", onData);
        child.stdout.resume(); // keep draining the request log
        const port = Number(m[1]);
        resolve({
          child,
          port,
          base: `http://127.0.0.1:${port}`,
          stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once("exit", r), child.kill("SIGTERM")))),
        });
      }
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  });
}

/** The session cookie of bench1, the bench community's member with 300 notifications. */
export async function logInBench1(base) {
  const login = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: base },
    body: new URLSearchParams({ email: "bench1@example.org", password: "benchmark password" }),
  });
  const cookie = login.headers.getSetCookie()[0]?.split(";")[0];
  if (!cookie) throw new Error(`bench1 could not log in (${login.status}): run \`npm run bench:seed\` again`);
  return cookie;
}

/**
 * The server on the bench community with V8's inspector on: `send(method,
 * params)` speaks its protocol (Profiler.start, Profiler.stop, …).
 */
export async function startInspectedServer(community) {
  const inspectPort = await new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const server = await startServer(community, {}, [`--inspect=127.0.0.1:${inspectPort}`]);
  const [target] = await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json();
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  let nextId = 1;
  const pending = new Map();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data));
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  });
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { server, send, close: () => socket.close() };
}

/** The ten LSSC competency areas' slugs, as every installation has them (app/lib/domain.ts). */
export const COMPETENCY_AREA_SLUGS = [
  "foundations",
  "technology",
  "communication-teamwork",
  "access-services",
  "adult-readers-advisory",
  "cataloging-classification",
  "collection-management",
  "reference",
  "supervision-management",
  "youth-services",
];

/** Resident memory of a process, in MB. */
export function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Join as a new member; returns the session cookie. */
export async function joinAsMember(base, handle = `b${Date.now()}${Math.floor(Math.random() * 1000)}`) {
  const joined = await fetch(`${base}/join`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: base },
    body: new URLSearchParams({
      email: `${handle}@example.org`,
      handle,
      password: "benchmark password",
      displayName: "Bench Reader",
      jobTitle: "Library Assistant",
      worksite: "Bench Library",
      guidelines: "on",
    }),
  });
  const cookie = joined.headers.getSetCookie()[0]?.split(";")[0];
  if (!cookie) throw new Error(`could not join: ${joined.status}`);
  return cookie;
}

/** autocannon: 2 s of warm-up, then `seconds` measured. */
export async function load(url, { connections = 20, seconds = 10, headers = {} } = {}) {
  await autocannon({ url, connections, duration: 2, headers });
  const r = await autocannon({ url, connections, duration: seconds, headers });
  return { rps: Math.round(r.requests.average), p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

/** The machine's speed today, to compare runs on noisy machines: GET /healthz at 10 connections for 5 s. */
export async function healthzFigure(base) {
  const r = await autocannon({ url: `${base}/healthz`, connections: 10, duration: 5 });
  return `/healthz ${Math.round(r.requests.average)} req/s (p99 ${r.latency.p99} ms)`;
}

export const machine = () =>
  `${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${ENGINE_LABEL}; ${new Date().toISOString().slice(0, 10)}`;
