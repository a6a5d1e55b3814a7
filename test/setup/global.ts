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
}
