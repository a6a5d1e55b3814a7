// The SQLite connection is shared by every request: queries from other
// requests must neither read a transaction's uncommitted data nor join it
// (and be undone by its rollback).
import { beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { db, prepareDatabase } from "~/db/client.server";
import { cacheStatements, cachedStatementTexts } from "~/db/sqlite-adapter.server";

beforeAll(async () => {
  await prepareDatabase();
  await db.setting.create({ data: { key: "shared", value: "before" } });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("transactions on the shared connection", () => {
  it("other requests neither see uncommitted data nor lose their writes to a rollback", async () => {
    // The transaction signals when its row is written, and holds until the other requests are on their way.
    let written!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((r) => (written = r));
    const hold = new Promise<void>((r) => (release = r));
    const failing = db
      .$transaction(async (tx) => {
        await tx.setting.create({ data: { key: "uncommitted", value: "1" } });
        written();
        await hold;
        throw new Error("roll back");
      })
      .catch((e: Error) => e.message);
    await inside;
    const others = Promise.all([db.setting.findMany({ select: { key: true } }), db.setting.update({ where: { key: "shared" }, data: { value: "after" } })]);
    // Sent while the transaction is still open: give them time to reach the connection before it ends.
    setTimeout(release, 50);
    const [seen, updated] = await others;
    expect(await failing).toBe("roll back");
    expect(seen.map((s) => s.key)).not.toContain("uncommitted");
    expect(updated.value).toBe("after");
    expect((await db.setting.findUnique({ where: { key: "shared" } }))?.value).toBe("after");
    expect(await db.setting.findUnique({ where: { key: "uncommitted" } })).toBeNull();
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
