// `npm run db:new-migration -- <name>`: write a migration for the changes made
// to prisma/schema.prisma since the last commit, offline, then apply it.
// (`prisma migrate dev` cannot run here: its shadow database replay fails
// with the driver adapter. See docs/decisions/0001-sqlite-prisma-offline.md.)
import { execFileSync, spawnSync } from "node:child_process";
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
const previous = path.join(tmp, "previous.prisma");
let from = ["--from-empty"];
try {
  const committed = execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  fs.writeFileSync(previous, committed);
  from = ["--from-schema-datamodel", previous];
} catch {
  console.log("No committed schema found: writing a migration from an empty database.");
}

const diff = spawnSync(
  process.execPath,
  [path.join(ROOT, "node_modules/prisma/build/index.js"), "migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
  // The diff needs no database, but the driver adapter opens one: give it a scratch file.
  { cwd: ROOT, encoding: "utf8", env: { ...process.env, DATABASE_URL: `file:${path.join(tmp, "scratch.db")}` } },
);
if (diff.status !== 0) {
  process.stderr.write(diff.stdout + diff.stderr);
  process.exit(1);
}
const sql = diff.stdout.trim();
if (!sql || sql === "-- This is an empty migration.") {
  console.log("prisma/schema.prisma has no changes since the last commit: no migration written.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(ROOT, "prisma", "migrations", `${stamp}_${name}`);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
console.log(`Wrote ${path.relative(ROOT, dir)}/migration.sql — review it, then commit it with the schema.`);
ensurePrismaClient({ force: true });
await migrate();
