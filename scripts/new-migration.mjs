// `npm run db:new-migration -- <name>`: write a migration for what
// prisma/schema.prisma has beyond the migrations, for BOTH engines, under the
// same folder name (decision 0011):
//   prisma/migrations/<stamp>_<name>/migration.sql           (SQLite)
//   prisma/postgres/migrations/<stamp>_<name>/migration.sql  (PostgreSQL)
// then apply it to DATABASE_URL as `npm run db:migrate` does.
//
// Both are diffs from the schema the committed-or-not migrations leave (a
// scratch SQLite database migrated from prisma/migrations and read back with
// `prisma db pull`) to schema.prisma: the SQLite diff offline, the PostgreSQL
// one from that same datamodel rewritten for PostgreSQL to the generated
// prisma/postgres/schema.prisma, with the PostgreSQL config. (`db pull` cannot
// read PostgreSQL through the driver adapter, Prisma issue 27403; `npm run
// db:drift` checks that the two folders build the same database.) The
// PostgreSQL diff reads nothing from the server but needs one to connect to:
// TEST_POSTGRES_URL, else DATABASE_URL when it is PostgreSQL, else
// postgresql://postgres@127.0.0.1:5432/postgres. Without one nothing is written.
// (`prisma migrate dev` cannot run here: its shadow database replay fails
// with the driver adapter. See docs/decisions/0001-sqlite-prisma-offline.md.)
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensurePrismaClient, isPostgresUrl, migrate, ROOT, safeUrl } from "./lib.mjs";
import { POSTGRES_SCHEMA, postgresSchemaText, writePostgresSchema } from "./prisma-schemas.mjs";

const name = (process.argv[2] ?? "")
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, "_")
  .replace(/^_|_$/g, "");
if (!name) {
  console.error("Usage: npm run db:new-migration -- <what_changed>   e.g. add_threads");
  process.exit(2);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "paranet-migration-"));
const done = (code) => {
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(code);
};
const prismaCli = path.join(ROOT, "node_modules/prisma/build/index.js");
/** The Prisma CLI without blocking, so the two engines' diffs run side by side. */
const prisma = (args, databaseUrl) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [prismaCli, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
const fail = (step, result) => {
  process.stderr.write(`${result.stdout}${result.stderr}`);
  console.error(`\n${step} failed. Nothing was written.`);
  done(1);
};

// The PostgreSQL half needs a server: find out first, before any work.
const postgresServer =
  process.env.TEST_POSTGRES_URL ?? (isPostgresUrl(process.env.DATABASE_URL ?? "") ? process.env.DATABASE_URL : "postgresql://postgres@127.0.0.1:5432/postgres");
{
  const { default: pg } = await import("pg");
  const probe = new pg.Client({ connectionString: postgresServer, connectionTimeoutMillis: 3000 });
  try {
    await probe.connect();
    await probe.end();
  } catch (err) {
    console.error(
      `db:new-migration writes the PostgreSQL half of the migration with \`prisma migrate diff\`, which needs a PostgreSQL server to connect to ` +
        `(it changes nothing there). None answered at ${safeUrl(postgresServer)}: ${err.message}.\n` +
        "Start one (Debian: apt-get install postgresql), or name one with TEST_POSTGRES_URL=postgresql://…, then try again. Nothing was written.",
    );
    done(1);
  }
}

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
writePostgresSchema(); // prisma/postgres/schema.prisma from the edited prisma/schema.prisma
let from = { sqlite: ["--from-empty"], postgres: ["--from-empty"] };
if (migratedTables > 0) {
  const previous = path.join(tmp, "migrated.prisma");
  fs.copyFileSync(path.join(ROOT, "prisma", "schema.prisma"), previous);
  const pulled = await prisma(["db", "pull", "--schema", previous], `file:${scratch}`);
  if (pulled.status !== 0) fail("Reading the migrated schema back (prisma db pull)", pulled);
  const previousPostgres = path.join(tmp, "migrated-postgres.prisma");
  fs.writeFileSync(previousPostgres, postgresSchemaText(fs.readFileSync(previous, "utf8")));
  from = { sqlite: ["--from-schema-datamodel", previous], postgres: ["--from-schema-datamodel", previousPostgres] };
} else {
  console.log("No migrations yet: writing a migration from an empty database.");
}

const [sqliteDiff, postgresDiff] = await Promise.all([
  // The SQLite diff needs no database, but the driver adapter opens one: give it a scratch file.
  prisma(["migrate", "diff", ...from.sqlite, "--to-schema-datamodel", "prisma/schema.prisma", "--script"], `file:${path.join(tmp, "scratch.db")}`),
  prisma(
    [
      "migrate",
      "diff",
      "--config",
      "prisma/postgres/prisma.config.ts",
      ...from.postgres,
      "--to-schema-datamodel",
      path.relative(ROOT, POSTGRES_SCHEMA),
      "--script",
    ],
    postgresServer,
  ),
]);
if (sqliteDiff.status !== 0) fail("prisma migrate diff (SQLite)", sqliteDiff);
if (postgresDiff.status !== 0) fail("prisma migrate diff (PostgreSQL, --config prisma/postgres/prisma.config.ts)", postgresDiff);
const EMPTY = "-- This is an empty migration.";
const sqliteSql = sqliteDiff.stdout.trim();
const postgresSql = postgresDiff.stdout.trim();
const isEmpty = (sql) => !sql || sql === EMPTY;
if (isEmpty(sqliteSql) && isEmpty(postgresSql)) {
  console.log("prisma/schema.prisma has no changes beyond the migrations: no migration written.");
  done(0);
}
if (isEmpty(sqliteSql) !== isEmpty(postgresSql)) {
  // Not expected (both diffs start from the same datamodel): keep the pair, say so.
  console.warn(
    `Only the ${isEmpty(sqliteSql) ? "PostgreSQL" : "SQLite"} diff has statements; the other half is written empty. Check it with npm run db:drift.`,
  );
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const folder = `${stamp}_${name}`;
const written = [];
for (const [dir, sql] of [
  [path.join(ROOT, "prisma", "migrations", folder), sqliteSql || EMPTY],
  [path.join(ROOT, "prisma", "postgres", "migrations", folder), postgresSql || EMPTY],
]) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
  written.push(`${path.relative(ROOT, dir)}/migration.sql`);
}
console.log(`Wrote ${written.join(" and ")} — review both, then commit them with the schema.`);
console.log("Hand-written SQL (triggers, full-text tables) goes into both by hand; npm run db:drift checks that they agree.");
fs.rmSync(tmp, { recursive: true, force: true });
ensurePrismaClient({ force: true });
await migrate();
