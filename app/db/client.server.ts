// The database, one per process, on either engine (decision 0011):
// DATABASE_URL `file:…` (or unset) → the embedded SQLite file; `postgresql://…`
// → a PostgreSQL server. Models see one Prisma client type whichever it is,
// and the few things the engines do differently live here and in
// `dialect.server.ts`, nowhere else.
//
// Everything lives on globalThis so that the server bundle and the Remix
// bundle (and development reloads) share one client, one pool, one reader.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import Database from "better-sqlite3";
import pg from "pg";
import { Prisma, PrismaClient } from "~/generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "~/generated/prisma-pg/client";
import { getEnv } from "~/lib/env.server";
import { serializedAdapter } from "~/db/sqlite-adapter.server";
import { nudgeOnCommit } from "~/db/commit-nudges.server";

type Store = {
  __paranetDb?: PrismaClient;
  __paranetDbReady?: Promise<void>;
  __paranetReader?: Database.Database;
  __paranetPool?: pg.Pool;
};
const store = globalThis as unknown as Store;

export type Engine = "sqlite" | "postgres";
export const engine = (): Engine => getEnv().engine;

/** The PostgreSQL pool, shared by Prisma and `readQuery` (PostgreSQL only). */
export function pgPool(): pg.Pool {
  if (!store.__paranetPool) {
    const env = getEnv();
    store.__paranetPool = new pg.Pool({
      connectionString: env.databaseUrl,
      max: env.pgPoolSize,
      // Fail fast when the server is gone (a failover): the request answers 503 and the next one tries again.
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection the server dropped (restart, failover) must not crash the process; the pool replaces it.
    store.__paranetPool.on("error", () => {});
  }
  return store.__paranetPool;
}

function createClient(): PrismaClient {
  const env = getEnv();
  if (env.engine === "postgres") {
    // The PostgreSQL client is generated from the same schema (scripts/prisma-schemas.mjs):
    // the same models, fields and methods, so models use one type for both.
    return new PostgresPrismaClient({ adapter: nudgeOnCommit(new PrismaPg(pgPool())) }) as unknown as PrismaClient;
  }
  // `timeout` is better-sqlite3's busy timeout: wait for a lock instead of failing.
  const adapter = nudgeOnCommit(serializedAdapter(new PrismaBetterSQLite3({ url: env.databaseUrl, timeout: 5000 })));
  return new PrismaClient({ adapter });
}

export const db: PrismaClient = (store.__paranetDb ??= createClient());

/** Connection settings and checks; run once per process before serving. */
export function prepareDatabase(): Promise<void> {
  store.__paranetDbReady ??= (async () => {
    if (engine() === "postgres") {
      const [row] = await db.$queryRaw<{ version: number | bigint; zone: string }[]>`
        SELECT current_setting('server_version_num')::int AS "version", current_setting('TimeZone') AS "zone"`;
      if (Number(row?.version) < 130000) throw new Error("ParaNet needs PostgreSQL 13 or newer.");
      return;
    }
    await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
    await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
    await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  })();
  return store.__paranetDbReady;
}

/**
 * A read-only SQLite connection for the hottest reads, where Prisma's
 * per-call work would cost more than the query. In WAL mode it sees every
 * committed write at once, and never waits for or blocks a writer.
 */
function reader(): Database.Database {
  if (!store.__paranetReader) {
    const connection = new Database(getEnv().databasePath, { readonly: true, fileMustExist: true, timeout: 5000 });
    connection.pragma("query_only = ON");
    store.__paranetReader = connection;
  }
  return store.__paranetReader;
}

const statements = new Map<string, Database.Statement>();
function readStatement(sql: string): Database.Statement {
  let statement = statements.get(sql);
  if (!statement) {
    statement = reader().prepare(sql);
    if (statements.size > 500) statements.clear();
    statements.set(sql, statement);
  }
  return statement;
}

/** A bound value as SQLite stores it through Prisma (dates as ISO text in UTC, booleans as 0/1). */
function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

// Counts and sums are int8 in PostgreSQL, which node-postgres returns as
// strings; the values ParaNet reads this way are far below 2^53.
const INT8 = 20;
const pgTypes = { getTypeParser: (oid: number, format?: string) => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format as "text")) };

/**
 * Run a read on the fastest path the engine has: SQLite's read-only
 * connection (prepared once per SQL text), or the PostgreSQL pool, without
 * Prisma's per-call query compilation (about a millisecond a call). Write the
 * SQL with `Prisma.sql` and quoted identifiers, so the same text runs on both
 * engines; decode rows with `asDate`/`asBool`, since SQLite returns dates as
 * text and booleans as 0/1. Never inside a transaction: it reads what is
 * committed.
 */
export async function readQuery<T>(query: Prisma.Sql): Promise<T[]> {
  if (engine() === "postgres") {
    const result = await pgPool().query({ text: query.text, values: query.values, types: pgTypes });
    return result.rows as T[];
  }
  return readStatement(query.sql).all(...query.values.map(sqliteValue)) as T[];
}

/** A stored date or timestamp as a Date (SQLite: ISO text; PostgreSQL: a Date already). */
export function asDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(String(value));
}

/** A stored boolean as a boolean (SQLite: 0/1). */
export const asBool = (value: unknown): boolean => value === true || value === 1 || value === 1n || value === "1";

/**
 * Changes whenever any transaction commits anywhere in the database (SQLite:
 * `data_version` of the read connection; PostgreSQL: the snapshot's xmax,
 * cluster-wide): a cheap key for caches of query results.
 */
export async function dataVersion(): Promise<string> {
  if (engine() === "postgres") {
    const [row] = await readQuery<{ v: string }>(Prisma.sql`SELECT pg_current_snapshot()::text AS "v"`);
    return row!.v;
  }
  return String(reader().pragma("data_version", { simple: true }));
}

export async function closeDatabase(): Promise<void> {
  store.__paranetReader?.close();
  store.__paranetReader = undefined;
  statements.clear();
  await db.$disconnect();
  if (store.__paranetPool) {
    const pool = store.__paranetPool;
    store.__paranetPool = undefined;
    await pool.end();
  }
}
