// SQLite only: the connection settings prepareDatabase() makes on the file.
import { beforeAll, describe, expect, it } from "vitest";
import { db, engine, prepareDatabase } from "~/db/client.server";

beforeAll(async () => {
  await prepareDatabase();
});

describe("database connection (SQLite)", () => {
  it("runs in WAL mode with foreign keys on", async () => {
    expect(engine()).toBe("sqlite");
    const [mode] = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
    const [fk] = await db.$queryRawUnsafe<{ foreign_keys: bigint | number }[]>("PRAGMA foreign_keys");
    expect(mode.journal_mode).toBe("wal");
    expect(Number(fk.foreign_keys)).toBe(1);
  });
});
