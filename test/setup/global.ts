// Once per run: build the app if its sources changed, and migrate a base
// database that every test file copies (a fresh database per test file):
// a SQLite file, or with TEST_DATABASE=postgres (npm run test:postgres) a
// PostgreSQL database used as the template of each test file's own.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIfNeeded, migrate, ROOT } from "../../scripts/lib.mjs";
import { onPostgresServer, postgresUrl, quoteIdent, testEngine } from "./databases";

export { testTempDir } from "./databases";

export const BASE_DB = path.join(ROOT as string, ".cache", "test", "base.db");

// Tests about other things post as brand-new members, and often: their
// first posts should not wait for approval, nor their pace be limited.
// The moderation tests set these back.
const TEST_SETTINGS = [
  ["holdFirstPosts", "0"],
  ["postLimit", "1000"],
];

/**
 * Every project names this file as its global setup; the work is done once
 * per run, so no project re-migrates (or, on PostgreSQL, re-creates) the base
 * while another's tests are copying it. Vitest may load this module once per
 * project, so the run's state is kept on the main process's globalThis, not
 * in module variables.
 */
const run = globalThis as typeof globalThis & { __paranetTestPrepared?: Promise<void>; __paranetTestTornDown?: Promise<void> };
export default async function setup(): Promise<() => Promise<void>> {
  await (run.__paranetTestPrepared ??= prepare());
  return () => (run.__paranetTestTornDown ??= teardown());
}

/**
 * One folder per run for the test databases and data folders (see
 * `testTempDir`), removed when the run ends, passed or failed. The workers
 * start after this and inherit the variable.
 */
function makeRunFolder() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "paranet-test-run-"));
  process.env.PARANET_TEST_TMP = root;
  process.on("exit", () => fs.rmSync(root, { recursive: true, force: true }));
}

async function prepare() {
  makeRunFolder();
  await buildIfNeeded();
  const quiet = console.log;
  console.log = () => {};
  try {
    if (testEngine() === "postgres") await preparePostgres();
    else await prepareSqlite();
  } finally {
    console.log = quiet;
  }
}

async function prepareSqlite() {
  fs.mkdirSync(path.dirname(BASE_DB), { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(BASE_DB + suffix, { force: true });
  await migrate(`file:${BASE_DB}`);
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(BASE_DB);
  const setting = db.prepare(`INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES (?, ?, ?)`);
  for (const [key, value] of TEST_SETTINGS) setting.run(key, value, new Date().toISOString());
  db.close();
}

// This run's databases are named paranet_test_<pid of this process>_…, so a
// later run can tell the leftovers of a run that died (its process is gone).
const RUN_PREFIX = `paranet_test_${process.pid}`;

async function preparePostgres() {
  await onPostgresServer(async (c) => {
    const { rows } = await c.query<{ datname: string }>(`SELECT "datname" FROM pg_database WHERE "datname" LIKE 'paranet\\_test\\_%'`);
    for (const { datname } of rows) {
      const pid = Number(/^paranet_test_(\d+)_/.exec(datname)?.[1]);
      if (pid && !processAlive(pid)) await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
    }
    const base = `${RUN_PREFIX}_base`;
    // Byte order for text, as SQLite compares it, so lists sort alike on both engines.
    await c.query(`CREATE DATABASE ${quoteIdent(base)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`).catch(async () => {
      await c.query(`CREATE DATABASE ${quoteIdent(base)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C'`);
    });
    process.env.PARANET_TEST_PG_BASE = base;
  });
  const url = postgresUrl(process.env.PARANET_TEST_PG_BASE!);
  await migrate(url);
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const [key, value] of TEST_SETTINGS) await client.query(`INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES ($1, $2, now())`, [key, value]);
  } finally {
    await client.end();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** Drop this run's PostgreSQL databases (a server left running by a failed test is cut off). */
async function teardown() {
  if (testEngine() !== "postgres") return;
  await onPostgresServer(async (c) => {
    const { rows } = await c.query<{ datname: string }>(`SELECT "datname" FROM pg_database WHERE "datname" LIKE $1`, [`${RUN_PREFIX}\\_%`]);
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
  });
}
