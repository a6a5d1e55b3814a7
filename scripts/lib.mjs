// Shared steps for start, dev, build and the test setup: generate the Prisma
// client, build when sources changed, create data/, apply migrations.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writePostgresSchema } from "./prisma-schemas.mjs";
import { precompressAssets } from "./precompress.mjs";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const r = (...p) => path.join(ROOT, ...p);

function run(label, args, env = {}, { quiet = false } = {}) {
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    stdio: quiet ? "pipe" : "inherit",
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    if (quiet) process.stderr.write(`${result.stdout}${result.stderr}`);
    console.error(`\n${label} failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
  return result.stdout ?? "";
}

function newestMtime(entry) {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of fs.readdirSync(entry)) {
    if (name === "generated" || name.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}

/**
 * Both Prisma clients, generated offline from the one schema source: the
 * SQLite client (app/generated/prisma) and the PostgreSQL one
 * (app/generated/prisma-pg), from prisma/postgres/schema.prisma, which is
 * written from prisma/schema.prisma first (decision 0011).
 */
export function ensurePrismaClient({ force = false } = {}) {
  writePostgresSchema();
  const clients = [
    { marker: r("app", "generated", "prisma", "client.ts"), args: ["generate"] },
    { marker: r("app", "generated", "prisma-pg", "client.ts"), args: ["generate", "--config", r("prisma", "postgres", "prisma.config.ts")] },
  ];
  const changed = newestMtime(r("prisma", "schema.prisma"));
  for (const { marker, args } of clients) {
    if (force || !fs.existsSync(marker) || fs.statSync(marker).mtimeMs < changed) {
      run("prisma generate", [r("node_modules", "prisma", "build", "index.js"), ...args], {}, { quiet: true });
    }
  }
}

const SOURCES = ["app", "server", "public/favicon.svg", "remix.config.js", "prisma/schema.prisma", "package-lock.json", "tsconfig.json"];
const STAMP = r("build", ".stamp");

export function buildIsStale() {
  if (!fs.existsSync(STAMP)) return true;
  const built = fs.statSync(STAMP).mtimeMs;
  return SOURCES.some((s) => newestMtime(r(s)) > built);
}

export async function build() {
  ensurePrismaClient();
  run("remix build", [r("node_modules", "@remix-run", "dev", "dist", "cli.js"), "build"], { NODE_ENV: "production", VITE_CJS_IGNORE_WARNING: "true" });
  await precompressAssets(r("public", "build"));
  const { build: esbuild } = await import("esbuild");
  fs.rmSync(r("build", "server"), { recursive: true, force: true });
  await esbuild({
    entryPoints: [r("server", "index.ts")],
    outdir: r("build", "server"),
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: true,
    logLevel: "warning",
    tsconfig: r("tsconfig.json"),
  });
  fs.writeFileSync(STAMP, new Date().toISOString() + "\n");
}

export async function buildIfNeeded() {
  ensurePrismaClient();
  if (buildIsStale()) {
    console.log("Building ParaNet…");
    await build();
  }
}

/** The database DATABASE_URL names: a PostgreSQL URL as given, or the SQLite file (default data/paranet.db) as an absolute file: URL. */
export function databaseUrl() {
  const dataDir = path.resolve(ROOT, process.env.DATA_DIR || "data");
  const url = process.env.DATABASE_URL || `file:${path.join(dataDir, "paranet.db")}`;
  if (isPostgresUrl(url)) return url;
  return `file:${path.resolve(ROOT, url.replace(/^file:/, ""))}`;
}

export const isPostgresUrl = (url) => /^postgres(ql)?:\/\//.test(url);

/** A database URL with any password hidden, for messages. */
export const safeUrl = (url) => url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");

const migrationNames = (dir) =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

/** Committed migrations not yet recorded as applied in the database. */
async function pendingMigrations(file) {
  const names = migrationNames(r("prisma", "migrations"));
  if (!fs.existsSync(file)) return names;
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(file, { readonly: true, timeout: 5000 });
  try {
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (!table) return names;
    const done = new Set(
      db
        .prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL")
        .all()
        .map((m) => m.migration_name),
    );
    return names.filter((n) => !done.has(n));
  } finally {
    db.close();
  }
}

/** Apply the committed migrations to the database `url` names (SQLite or PostgreSQL). */
export async function migrate(url = databaseUrl()) {
  if (isPostgresUrl(url)) return migratePostgres(url);
  const file = url.replace(/^file:/, "");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.mkdirSync(path.resolve(ROOT, process.env.DATA_DIR || "data"), { recursive: true });
  const pending = await pendingMigrations(file);
  // Nothing to do is the common case: skip Prisma, which cannot even check a
  // database that a running server holds open.
  if (pending.length === 0) {
    console.log(`Database ${file}: up to date.`);
    return;
  }
  const result = spawnSync(process.execPath, [r("node_modules", "prisma", "build", "index.js"), "migrate", "deploy"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: url },
  });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}${result.stderr}`);
    console.error(
      `\nCould not apply ${pending.length} migration(s) to ${file}: ${pending.join(", ")}.\n` +
        "If ParaNet is running on this database, stop it first, then try again.",
    );
    process.exit(1);
  }
  console.log(`Database ${file}: applied ${pending.join(", ")}.`);
}

// Prisma's own migration lock key: a stray `prisma migrate deploy` waits for us too.
const MIGRATION_LOCK = 72707369;
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;

/**
 * Apply prisma/postgres/migrations to a PostgreSQL database, each migration
 * whole in one transaction (PostgreSQL's DDL is transactional: a failing one
 * leaves nothing behind), under an advisory lock so that processes starting
 * together apply each migration once. It writes `_prisma_migrations` rows as
 * Prisma does (sha256 checksum), so `prisma migrate status` reads them.
 * Prisma's own `migrate deploy` fails through the pg driver adapter (Prisma
 * issue 27403), and the adapter's script runner splits `$$` bodies apart.
 * A migration cannot use CREATE INDEX CONCURRENTLY (it runs in a transaction).
 */
export async function migratePostgres(url, dir = r("prisma", "postgres", "migrations")) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    console.error(`Could not connect to PostgreSQL at ${safeUrl(url)}: ${err.message}`);
    process.exit(1);
  }
  const applied = [];
  try {
    for (const name of migrationNames(dir)) {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"));
      const checksum = crypto.createHash("sha256").update(sql).digest("hex");
      await client.query("BEGIN");
      try {
        // Held until COMMIT: works through PgBouncer in transaction mode too.
        await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
        await client.query(MIGRATIONS_TABLE);
        const { rows } = await client.query(
          `SELECT "checksum" FROM "_prisma_migrations" WHERE "migration_name" = $1 AND "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
          [name],
        );
        if (rows[0] && rows[0].checksum !== checksum) throw new Error("it was changed after it was applied (its checksum differs)");
        if (!rows[0]) {
          // One simple query: many statements, $$ bodies intact.
          await client.query(sql.toString("utf8"));
          await client.query(
            `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "finished_at", "applied_steps_count") VALUES ($1, $2, $3, now(), 1)`,
            [crypto.randomUUID(), checksum, name],
          );
          applied.push(name);
        }
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        console.error(`Could not apply migration ${name} to ${safeUrl(url)}: ${err.message}. It was rolled back: nothing of it is applied.`);
        process.exit(1);
      }
    }
  } finally {
    await client.end();
  }
  console.log(`Database ${safeUrl(url)}: ${applied.length ? `applied ${applied.join(", ")}` : "up to date"}.`);
  return applied;
}
