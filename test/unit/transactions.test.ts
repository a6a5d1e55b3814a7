// Queries from other requests must neither read a transaction's uncommitted
// data nor join it (and be undone by its rollback): on SQLite, where every
// request shares one connection (the transaction gate, see
// transactions.sqlite.test.ts), and on PostgreSQL, where they come from a pool.
import { beforeAll, describe, expect, it } from "vitest";
import { db, prepareDatabase } from "~/db/client.server";

beforeAll(async () => {
  await prepareDatabase();
  await db.setting.create({ data: { key: "shared", value: "before" } });
});

describe("transactions beside other requests", () => {
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
});
