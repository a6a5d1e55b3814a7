// SQLite only (PostgreSQL runs transactions side by side on a pool, and has
// no statement cache of ParaNet's): the one shared connection runs
// transactions one after another, and the adapter's statements are prepared
// once per SQL text. (That other requests stay out of an open transaction is
// in transactions.test.ts, on both engines.)
import { beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { db, engine, prepareDatabase } from "~/db/client.server";
import { cacheStatements, cachedStatementTexts } from "~/db/sqlite-adapter.server";

beforeAll(async () => {
  await prepareDatabase();
  await db.setting.create({ data: { key: "shared", value: "before" } });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("transactions on the shared connection", () => {
  it("runs on SQLite", () => {
    expect(engine()).toBe("sqlite");
  });

  it("transactions still run one after another", async () => {
    const order: string[] = [];
    await Promise.all(
      ["a", "b", "c"].map((k) =>
        db.$transaction(async (t) => {
          order.push(`start ${k}`);
          await t.setting.create({ data: { key: `seq-${k}`, value: k } });
          await sleep(5);
          order.push(`end ${k}`);
        }),
      ),
    );
    expect(order).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });
});

describe("the statement cache under the Prisma adapter", () => {
  it("prepares each SQL text once and binds fresh arguments at every run", async () => {
    const connection = new Database(":memory:");
    connection.defaultSafeIntegers(true);
    const cache = cacheStatements(connection);
    connection.prepare(`CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "name" TEXT)`).run();
    const insert = `INSERT INTO "t" ("id", "name") VALUES (?, ?)`;
    connection.prepare(insert).bind([1, "one"]).run();
    connection.prepare(insert).bind([2, "two"]).run();
    const select = connection.prepare(`SELECT "id", "name" FROM "t" WHERE "id" >= ? ORDER BY "id"`);
    expect(select.reader).toBe(true);
    expect(connection.prepare(`SELECT "id", "name" FROM "t" WHERE "id" >= ? ORDER BY "id"`).bind([1]).raw().all()).toEqual([
      [1n, "one"],
      [2n, "two"],
    ]);
    expect(connection.prepare(`SELECT "id", "name" FROM "t" WHERE "id" >= ? ORDER BY "id"`).bind([2]).raw().all()).toEqual([[2n, "two"]]);
    expect([...cache.keys()]).toEqual([
      `CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "name" TEXT)`,
      insert,
      `SELECT "id", "name" FROM "t" WHERE "id" >= ? ORDER BY "id"`,
    ]);
    // A failing run leaves the shared statement usable.
    expect(() => connection.prepare(insert).bind([1, "again"]).run()).toThrow(/UNIQUE/);
    expect(connection.prepare(insert).bind([3, "three"]).run().changes).toBe(1);
    connection.close();
  });

  it("is what the application's Prisma client runs on: a repeated query is served from it", async () => {
    await db.setting.findMany({ where: { key: "shared" } });
    const before = await db.setting.findMany({ where: { key: "shared" } });
    expect(before).toHaveLength(1);
    // The statement for this read is cached: its SQL is among the cached texts.
    expect(cachedStatementTexts().some((sql) => sql.includes("FROM `main`.`Setting`"))).toBe(true);
  });
});
