// The databases tests run against: SQLite files (npm test) or PostgreSQL
// databases (npm run test:postgres, TEST_DATABASE=postgres). Either way one
// base database is migrated once per run, and every test file gets its own
// copy of it: a copied file, or `CREATE DATABASE … TEMPLATE base`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export type TestEngine = "sqlite" | "postgres";
export type TestDatabase = {
  engine: TestEngine;
  /** What DATABASE_URL should say: file:… or postgresql://… */
  url: string;
  /** The SQLite file ("" on PostgreSQL). */
  path: string;
};

export const testEngine = (): TestEngine => (process.env.TEST_DATABASE === "postgres" ? "postgres" : "sqlite");

/** The server test:postgres talks to (it creates and drops its own databases there, never touching others). */
export const postgresAdminUrl = () => process.env.TEST_POSTGRES_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

/** The same server, another database. */
export function postgresUrl(database: string): string {
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Run statements on the PostgreSQL server's admin database (CREATE/DROP DATABASE cannot run in a pool's transaction). */
export async function onPostgresServer<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `npm run test:postgres needs a PostgreSQL server (13 or newer) at ${postgresAdminUrl()} whose user may create databases: ` +
        `${(err as Error).message}. Install and start one (Debian: apt-get install postgresql), or point TEST_POSTGRES_URL at one.`,
    );
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A new empty folder inside this run's folder (removed when the run ends). */
export function testTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(process.env.PARANET_TEST_TMP ?? os.tmpdir(), prefix));
}

/** This run's PostgreSQL names: its databases all start with the prefix (set by the global setup). */
export function runPostgres(): { base: string; prefix: string } {
  const base = process.env.PARANET_TEST_PG_BASE;
  if (!base) throw new Error("The PostgreSQL test database was not prepared: run the tests through vitest (npm run test:postgres).");
  return { base, prefix: base.replace(/_base$/, "") };
}

let made = 0;
/**
 * A database of its own for one test file (or one server), migrated and with
 * the test settings: a copy of the run's base database. On SQLite it is
 * `paranet.db` in `dataDir` (where the server looks by default).
 */
export async function freshDatabase(dataDir: string, baseSqlitePath: string): Promise<TestDatabase> {
  if (testEngine() === "sqlite") {
    const file = path.join(dataDir, "paranet.db");
    fs.copyFileSync(baseSqlitePath, file);
    return { engine: "sqlite", url: `file:${file}`, path: file };
  }
  const { base, prefix } = runPostgres();
  const name = `${prefix}_${process.pid}_${++made}_${Math.random().toString(36).slice(2, 6)}`;
  await onPostgresServer((c) => c.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(base)}`));
  return { engine: "postgres", url: postgresUrl(name), path: "" };
}
