// Shared steps for start, dev, build and the test setup: generate the Prisma
// client, build when sources changed, create data/, apply migrations.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

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

export function ensurePrismaClient({ force = false } = {}) {
  const marker = r("app", "generated", "prisma", "client.ts");
  if (force || !fs.existsSync(marker) || fs.statSync(marker).mtimeMs < newestMtime(r("prisma", "schema.prisma"))) {
    run("prisma generate", [r("node_modules", "prisma", "build", "index.js"), "generate"], {}, { quiet: true });
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

/** The database file DATABASE_URL names (default data/paranet.db). */
export function databaseUrl() {
  const dataDir = path.resolve(ROOT, process.env.DATA_DIR || "data");
  const url = process.env.DATABASE_URL || `file:${path.join(dataDir, "paranet.db")}`;
  return `file:${path.resolve(ROOT, url.replace(/^file:/, ""))}`;
}

/** Committed migrations not yet recorded as applied in the database. */
async function pendingMigrations(file) {
  const names = fs
    .readdirSync(r("prisma", "migrations"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
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

export async function migrate(url = databaseUrl()) {
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
