// A test's direct look at a server's database (to check what was stored, or
// to set the scene), on SQLite or PostgreSQL alike. Write the SQL once for
// both: quoted identifiers ("Reply", "isPrivate"), `?` placeholders,
// true/false for booleans. Rows come back with numbers as numbers; dates
// are ISO text on SQLite and Date objects on PostgreSQL (compare them with
// `isoOf`). SQLite gets a connection per call, closed before it returns, so
// no handle outlives the test; PostgreSQL a small pool per database, ended
// when the test file's worker goes.
import Database from "better-sqlite3";
import pg from "pg";
import type { TestDatabase } from "../setup/databases";

/** A bound value as the application stores it on SQLite: dates as ISO text in UTC, booleans as 0/1. */
function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

function withSqlite<T>(file: string, readonly: boolean, run: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly });
  try {
    return run(db);
  } finally {
    db.close();
  }
}

const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser: (oid: number, format?: string) => (oid === INT8 || oid === NUMERIC ? Number : pg.types.getTypeParser(oid, format as "text")),
};
const pools = new Map<string, pg.Pool>();
function pool(url: string): pg.Pool {
  let p = pools.get(url);
  if (!p) {
    p = new pg.Pool({ connectionString: url, max: 2, idleTimeoutMillis: 1000, allowExitOnIdle: true });
    p.on("error", () => {});
    pools.set(url, p);
  }
  return p;
}

/** `?` placeholders as PostgreSQL's $1, $2, … (outside quoted text). */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g, (m) => (m === "?" ? `$${++n}` : m));
}

async function run(db: TestDatabase, sql: string, args: unknown[], write: boolean): Promise<{ rows: unknown[]; changes: number }> {
  if (db.engine === "postgres") {
    const result = await pool(db.url).query({ text: numbered(sql), values: args, types });
    return { rows: result.rows, changes: result.rowCount ?? 0 };
  }
  const values = args.map(sqliteValue);
  return withSqlite(db.path, !write, (conn) => {
    const statement = conn.prepare(sql);
    if (statement.reader) return { rows: statement.all(...values), changes: 0 };
    return { rows: [], changes: statement.run(...values).changes };
  });
}

/** The first row of a query (undefined when there is none). */
export async function queryOne<T>(db: TestDatabase, sql: string, ...args: unknown[]): Promise<T> {
  return (await run(db, sql, args, false)).rows[0] as T;
}

/** Every row of a query. */
export async function queryAll<T>(db: TestDatabase, sql: string, ...args: unknown[]): Promise<T[]> {
  return (await run(db, sql, args, false)).rows as T[];
}

/** A write that returns a row (INSERT … RETURNING "id"): its first row. */
export async function insertReturning<T>(db: TestDatabase, sql: string, ...args: unknown[]): Promise<T> {
  return (await run(db, sql, args, true)).rows[0] as T;
}

/** A write (an UPDATE or DELETE that sets the scene); returns how many rows it changed. */
export async function execute(db: TestDatabase, sql: string, ...args: unknown[]): Promise<{ changes: number }> {
  return { changes: (await run(db, sql, args, true)).changes };
}

/** A stored date as ISO text, whichever engine stored it (SQLite: text; PostgreSQL: a Date). */
export function isoOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

/** A stored boolean as a boolean (SQLite: 0/1). */
export const boolOf = (value: unknown): boolean => value === true || value === 1 || value === "1";

/**
 * SQL for a whole number stored under `key` in a JSON text column (an event's
 * payload): `json_extract` on SQLite, `->>` on PostgreSQL.
 */
export function jsonNumber(db: TestDatabase, column: string, key: string): string {
  return db.engine === "postgres" ? `(${column}::jsonb ->> '${key}')::bigint` : `json_extract(${column}, '$.${key}')`;
}
