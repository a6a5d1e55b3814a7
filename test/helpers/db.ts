// A test's direct look at a server's SQLite file (to check what was stored,
// or to set the scene): a connection per call, closed before it returns, so
// no handle outlives the test or holds the file open.
import Database from "better-sqlite3";

function withDb<T>(dbPath: string, readonly: boolean, run: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly });
  try {
    return run(db);
  } finally {
    db.close();
  }
}

/** The first row of a query. */
export function queryOne<T>(dbPath: string, sql: string, ...args: unknown[]): T {
  return withDb(dbPath, true, (db) => db.prepare(sql).get(...args) as T);
}

/** Every row of a query. */
export function queryAll<T>(dbPath: string, sql: string, ...args: unknown[]): T[] {
  return withDb(dbPath, true, (db) => db.prepare(sql).all(...args) as T[]);
}

/** A write (an UPDATE or DELETE that sets the scene). */
export function execute(dbPath: string, sql: string, ...args: unknown[]): Database.RunResult {
  return withDb(dbPath, false, (db) => db.prepare(sql).run(...args));
}
