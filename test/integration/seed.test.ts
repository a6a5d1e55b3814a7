// `npm run seed:demo` builds a living community, and running it again changes nothing.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { freshInstallation } from "../helpers/server";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

function seed(dataDir: string) {
  const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "prisma/seed-demo.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "silent" },
    encoding: "utf8",
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

/** The posting settings as they are before seeding (the test base database relaxes them). */
function readSettings(dir: string) {
  const file = path.join(dir, "paranet.db");
  if (!fs.existsSync(file)) return [];
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT key, value FROM Setting WHERE key IN ('holdFirstPosts', 'postLimit') ORDER BY key").all();
  } finally {
    db.close();
  }
}

describe("demo data", () => {
  it("creates members and threads of every kind, including a TARGET with private replies and its HIT; idempotent", async () => {
    const dir = (await freshInstallation()).dataDir;
    const settingsBefore = readSettings(dir);
    expect(seed(dir)).toContain("10 members created");
    expect(seed(dir)).toContain("0 members created, 10 already there; 0 threads created");
    const db = new Database(path.join(dir, "paranet.db"), { readonly: true });
    try {
      const kinds = (db.prepare("SELECT DISTINCT kind FROM Thread ORDER BY kind").all() as { kind: string }[]).map((r) => r.kind);
      expect(kinds).toEqual(["announcement", "discussion", "hit", "job", "question", "target"]);
      const target = db.prepare("SELECT id, privateReplyCount FROM Thread WHERE kind = 'target'").get() as { id: number; privateReplyCount: number };
      expect(target.privateReplyCount).toBe(3);
      expect(db.prepare("SELECT COUNT(*) AS n FROM Reply WHERE threadId = ? AND isPrivate = 1").get(target.id)).toEqual({ n: 3 });
      const hit = db.prepare("SELECT bodySource FROM Thread WHERE kind = 'hit' AND sourceThreadId = ?").get(target.id) as { bodySource: string };
      expect(hit.bodySource).toContain("— Rosa Martínez");
      expect(hit.bodySource).toContain("— a colleague");
      expect(hit.bodySource).not.toContain("hospital library"); // a reply the asker did not include
      expect(db.prepare("SELECT COUNT(*) AS n FROM Thread WHERE acceptedReplyId IS NOT NULL").get()).toEqual({ n: 1 });
      // An established community: nothing waits for approval, and the installation's settings are left as they were.
      expect(
        db.prepare("SELECT (SELECT COUNT(*) FROM Thread WHERE hiddenAt IS NOT NULL) + (SELECT COUNT(*) FROM Reply WHERE hiddenAt IS NOT NULL) AS n").get(),
      ).toEqual({ n: 0 });
      expect(db.prepare("SELECT key, value FROM Setting WHERE key IN ('holdFirstPosts', 'postLimit') ORDER BY key").all()).toEqual(settingsBefore);
    } finally {
      db.close();
    }
  });
});
