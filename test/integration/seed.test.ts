// `npm run seed:demo` builds a living community, and running it again changes nothing.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { queryAll, queryOne } from "../helpers/db";
import { freshInstallation, installationEnv, type Installation } from "../helpers/server";
import type { TestDatabase } from "../setup/databases";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

function seed(installation: Installation) {
  const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "prisma/seed-demo.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...installationEnv(installation), LOG_LEVEL: "silent" },
    encoding: "utf8",
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

/** The posting settings as they are before seeding (the test base database relaxes them). */
const readSettings = (database: TestDatabase) =>
  queryAll(database, `SELECT "key", "value" FROM "Setting" WHERE "key" IN ('holdFirstPosts', 'postLimit') ORDER BY "key"`);

describe("demo data", () => {
  it("creates members and threads of every kind, including a TARGET with private replies and its HIT; idempotent", async () => {
    const installation = await freshInstallation();
    const db = installation.database;
    const settingsBefore = await readSettings(db);
    expect(settingsBefore).toHaveLength(2);
    expect(seed(installation)).toContain("10 members created");
    expect(seed(installation)).toContain("0 members created, 10 already there; 0 threads created");
    expect(seed(installation)).toContain("0 portfolio entries for darnell");
    const kinds = (await queryAll<{ kind: string }>(db, `SELECT DISTINCT "kind" FROM "Thread" ORDER BY "kind"`)).map((r) => r.kind);
    expect(kinds).toEqual(["announcement", "discussion", "hit", "job", "question", "target"]);
    const target = await queryOne<{ id: number; privateReplyCount: number }>(db, `SELECT "id", "privateReplyCount" FROM "Thread" WHERE "kind" = 'target'`);
    expect(target.privateReplyCount).toBe(3);
    expect(await queryOne(db, `SELECT COUNT(*) AS "n" FROM "Reply" WHERE "threadId" = ? AND "isPrivate" = true`, target.id)).toEqual({ n: 3 });
    const hit = await queryOne<{ bodySource: string }>(db, `SELECT "bodySource" FROM "Thread" WHERE "kind" = 'hit' AND "sourceThreadId" = ?`, target.id);
    expect(hit.bodySource).toContain("— Rosa Martínez");
    expect(hit.bodySource).toContain("— a colleague");
    expect(hit.bodySource).not.toContain("hospital library"); // a reply the asker did not include
    expect(await queryOne(db, `SELECT COUNT(*) AS "n" FROM "Thread" WHERE "acceptedReplyId" IS NOT NULL`)).toEqual({ n: 1 });
    // An established community: nothing waits for approval, and the installation's settings are left as they were.
    expect(
      await queryOne(
        db,
        `SELECT (SELECT COUNT(*) FROM "Thread" WHERE "hiddenAt" IS NOT NULL) + (SELECT COUNT(*) FROM "Reply" WHERE "hiddenAt" IS NOT NULL) AS "n"`,
      ),
    ).toEqual({ n: 0 });
    // …and it is in use: a locked thread (logged), flags waiting for a moderator, replies everywhere a guest looks.
    expect(await queryOne(db, `SELECT COUNT(*) AS "n" FROM "Thread" WHERE "lockedAt" IS NOT NULL`)).toEqual({ n: 1 });
    expect(await queryOne(db, `SELECT COUNT(*) AS "n" FROM "AuditEvent" WHERE "action" = 'thread.locked'`)).toEqual({ n: 1 });
    expect(await queryOne(db, `SELECT COUNT(*) AS "n" FROM "Flag" WHERE "resolvedAt" IS NULL`)).toEqual({ n: 2 });
    expect(await queryOne(db, `SELECT COUNT(*) AS "n" FROM "Reply" WHERE "isPrivate" = false`)).toEqual({ n: 10 });
    expect(await readSettings(db)).toEqual(settingsBefore);
    // A member working toward LSSC, with a portfolio to look at (added once).
    const darnell = await queryOne<{ n: number; follows: number }>(
      db,
      `SELECT (SELECT COUNT(*) FROM "PortfolioEntry" e JOIN "User" u ON u."id" = e."ownerId" WHERE u."handle" = 'darnell') AS "n",
              (SELECT COUNT(*) FROM "ProgramFollow" f JOIN "User" u ON u."id" = f."userId" JOIN "Program" p ON p."id" = f."programId" WHERE u."handle" = 'darnell' AND p."slug" = 'lssc' AND f."badge" = 'LSSC candidate') AS "follows"`,
    );
    expect(darnell).toEqual({ n: 5, follows: 1 });
    // …and the badge on his identification card (the copy every post reads).
    expect(await queryOne(db, `SELECT "badges" FROM "User" WHERE "handle" = 'darnell'`)).toEqual({ badges: '["LSSC candidate"]' });
  });
});
