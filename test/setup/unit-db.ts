// Unit tests of models use a real SQLite file: a copy of the migrated base
// database, private to this test file.
import fs from "node:fs";
import path from "node:path";
import { BASE_DB, testTempDir } from "./global";

const dir = testTempDir("paranet-unit-");
fs.copyFileSync(BASE_DB, path.join(dir, "paranet.db"));
process.env.DATA_DIR = dir;
process.env.DATABASE_URL = `file:${path.join(dir, "paranet.db")}`;
process.env.LOG_LEVEL = "silent";
process.env.NODE_ENV = "test";
