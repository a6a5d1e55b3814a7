// Once per run: build the app if its sources changed, and migrate a base
// SQLite file that every test copies (a fresh database per test file).
import fs from "node:fs";
import path from "node:path";
import { buildIfNeeded, migrate, ROOT } from "../../scripts/lib.mjs";

export const BASE_DB = path.join(ROOT as string, ".cache", "test", "base.db");

export default async function setup() {
  await buildIfNeeded();
  fs.mkdirSync(path.dirname(BASE_DB), { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(BASE_DB + suffix, { force: true });
  const quiet = console.log;
  console.log = () => {};
  try {
    await migrate(`file:${BASE_DB}`);
  } finally {
    console.log = quiet;
  }
  // Tests about other things post as brand-new members, and often: their
  // first posts should not wait for approval, nor their pace be limited.
  // The moderation tests set these back.
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(BASE_DB);
  const setting = db.prepare(`INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES (?, ?, ?)`);
  setting.run("holdFirstPosts", "0", new Date().toISOString());
  setting.run("postLimit", "1000", new Date().toISOString());
  db.close();
}
