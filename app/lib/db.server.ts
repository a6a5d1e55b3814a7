// The Prisma client, one per process. It lives on globalThis so that the
// server bundle and the Remix bundle (and development reloads) share it.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "~/generated/prisma/client";
import { getEnv } from "./env.server";
import { serializedAdapter } from "./sqlite-adapter.server";

const store = globalThis as unknown as { __paranetDb?: PrismaClient; __paranetDbReady?: Promise<void> };

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

export async function closeDatabase(): Promise<void> {
  await db.$disconnect();
}
