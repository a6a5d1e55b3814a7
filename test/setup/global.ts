// Once per run: build the app if its sources changed, and migrate a base
// SQLite file that every test copies (a fresh database per test file).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIfNeeded, migrate, ROOT } from "../../scripts/lib.mjs";

export const BASE_DB = path.join(ROOT as string, ".cache", "test", "base.db");

/**
 * Every project names this file as its global setup; the work is done once
 * per run (the projects share this module in vitest's main process), so no
 * project re-migrates the base while another's tests are copying it.
 */
let prepared: Promise<void> | undefined;
export default function setup(): Promise<void> {
  return (prepared ??= prepare());
}

/**
 * One folder per run for the test databases and data folders (see
 * `testTempDir`), removed when the run ends, passed or failed. The workers
 * start after this and inherit the variable.
 */
function makeRunFolder() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "paranet-test-run-"));
  process.env.PARANET_TEST_TMP = root;
  process.on("exit", () => fs.rmSync(root, { recursive: true, force: true }));
}

async function prepare() {
  makeRunFolder();
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

/** A new empty folder inside this run's folder (removed when the run ends). */
export function testTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(process.env.PARANET_TEST_TMP ?? os.tmpdir(), prefix));
}
