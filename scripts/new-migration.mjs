// `npm run db:new-migration -- <name>`: write a migration for what
// prisma/schema.prisma has beyond the migrations in prisma/migrations, offline,
// then apply it.
// (`prisma migrate dev` cannot run here: its shadow database replay fails
// with the driver adapter. See docs/decisions/0001-sqlite-prisma-offline.md.)
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensurePrismaClient, migrate, ROOT } from "./lib.mjs";

const name = (process.argv[2] ?? "")
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, "_")
  .replace(/^_|_$/g, "");
if (!name) {
  console.error("Usage: npm run db:new-migration -- <what_changed>   e.g. add_threads");
  process.exit(2);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "paranet-migration-"));
const prismaCli = path.join(ROOT, "node_modules/prisma/build/index.js");
const prisma = (args, databaseFile) =>
  spawnSync(process.execPath, [prismaCli, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, DATABASE_URL: `file:${databaseFile}` } });
const fail = (step, result) => {
  process.stderr.write(`${result.stdout}${result.stderr}`);
  console.error(`\n${step} failed.`);
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
};

// The schema as the migrations in prisma/migrations leave it (committed or
// not): a scratch database migrated from them, read back. Diffing against
// the last commit's schema.prisma instead would repeat an uncommitted
// migration in the next one.
const scratch = path.join(tmp, "migrated.db");
const quiet = console.log;
console.log = () => {};
try {
  await migrate(`file:${scratch}`);
} finally {
  console.log = quiet;
}
// Full-text tables are written by hand in the migrations and not described
// in schema.prisma: leave them out of the comparison.
const { default: Database } = await import("better-sqlite3");
const conn = new Database(scratch);
for (const { name } of conn.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'`).all())
  conn.exec(`DROP TABLE "${name.replace(/"/g, '""')}"`);
const migratedTables = conn
  .prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`)
  .get().n;
conn.close();
let from = ["--from-empty"];
if (migratedTables > 0) {
  const previous = path.join(tmp, "migrated.prisma");
  fs.copyFileSync(path.join(ROOT, "prisma", "schema.prisma"), previous);
  const pulled = prisma(["db", "pull", "--schema", previous], scratch);
  if (pulled.status !== 0) fail("Reading the migrated schema back (prisma db pull)", pulled);
  from = ["--from-schema-datamodel", previous];
} else {
  console.log("No migrations yet: writing a migration from an empty database.");
}

// The diff needs no database, but the driver adapter opens one: give it a scratch file.
const diff = prisma(["migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"], path.join(tmp, "scratch.db"));
if (diff.status !== 0) fail("prisma migrate diff", diff);
const sql = diff.stdout.trim();
if (!sql || sql === "-- This is an empty migration.") {
  console.log("prisma/schema.prisma has no changes beyond prisma/migrations: no migration written.");
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(ROOT, "prisma", "migrations", `${stamp}_${name}`);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
console.log(`Wrote ${path.relative(ROOT, dir)}/migration.sql — review it, then commit it with the schema.`);
fs.rmSync(tmp, { recursive: true, force: true });
ensurePrismaClient({ force: true });
await migrate();
