// PostgreSQL only: the server prepareDatabase() accepts, and the pool the
// Prisma client and the fast read path share.
import { Prisma } from "~/generated/prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { dataVersion, db, engine, pgPool, prepareDatabase, readQuery } from "~/db/client.server";

beforeAll(async () => {
  await prepareDatabase();
});

describe("database connection (PostgreSQL)", () => {
  it("talks to PostgreSQL 13 or newer, through one pool for Prisma and readQuery", async () => {
    expect(engine()).toBe("postgres");
    const [row] = await readQuery<{ version: number }>(Prisma.sql`SELECT current_setting('server_version_num')::int AS "version"`);
    expect(row.version).toBeGreaterThanOrEqual(130000);
    const pool = pgPool();
    expect(pgPool()).toBe(pool);
    await db.setting.findMany({ take: 1 });
    expect(pool.totalCount).toBeGreaterThan(0);
  });

  it("changes dataVersion when a transaction commits", async () => {
    const before = await dataVersion();
    await db.setting.create({ data: { key: "data-version-probe", value: "1" } });
    expect(await dataVersion()).not.toBe(before);
  });
});
