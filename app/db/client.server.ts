// The Prisma client, one per process. It lives on globalThis so that the
// server bundle and the Remix bundle (and development reloads) share it.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import { PrismaClient } from "~/generated/prisma/client";
import { getEnv } from "~/lib/env.server";
import { serializedAdapter } from "~/db/sqlite-adapter.server";

const store = globalThis as unknown as { __paranetDb?: PrismaClient; __paranetDbReady?: Promise<void>; __paranetReader?: Database.Database };

function createClient(): PrismaClient {
  const { databaseUrl } = getEnv();
  // `timeout` is better-sqlite3's busy timeout: wait for a lock instead of failing.
  const adapter = serializedAdapter(new PrismaBetterSQLite3({ url: databaseUrl, timeout: 5000 }));
  return new PrismaClient({ adapter });
}

export const db: PrismaClient = (store.__paranetDb ??= createClient());

/** Connection settings; run once per process before serving. */
export function prepareDatabase(): Promise<void> {
  store.__paranetDbReady ??= (async () => {
    await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
    await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
    await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  })();
  return store.__paranetDbReady;
}

/**
 * A read-only connection for the hottest reads (search), where Prisma's
 * per-call work would cost more than the query. In WAL mode it sees every
 * committed write at once, and never waits for or blocks a writer.
 */
export function reader(): Database.Database {
  if (!store.__paranetReader) {
    const connection = new Database(getEnv().databasePath, { readonly: true, fileMustExist: true, timeout: 5000 });
    connection.pragma("query_only = ON");
    store.__paranetReader = connection;
  }
  return store.__paranetReader;
}

const statements = new Map<string, Database.Statement>();
/** A prepared statement on the reader, prepared once per distinct SQL text. */
export function readStatement(sql: string): Database.Statement {
  let statement = statements.get(sql);
  if (!statement) {
    statement = reader().prepare(sql);
    if (statements.size > 200) statements.clear();
    statements.set(sql, statement);
  }
  return statement;
}

export async function closeDatabase(): Promise<void> {
  store.__paranetReader?.close();
  store.__paranetReader = undefined;
  statements.clear();
  await db.$disconnect();
}
