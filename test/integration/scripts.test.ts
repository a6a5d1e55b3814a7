// The maintenance commands, run as an operator runs them, on the engine the
// tests run on (npm test: SQLite; npm run test:postgres: PostgreSQL):
// `npm run db:backup` next to a running server, `npm run search:rebuild` on a
// damaged index, and what db:copy and db:new-migration say when they cannot
// work. What needs a PostgreSQL server whichever engine the app runs on
// (db:copy's copy, db:drift, db:new-migration's two halves) is in
// scripts.postgres.test.ts.
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { execute, queryOne } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";
import { onPostgresServer, postgresUrl, quoteIdent, runPostgres, testEngine, testTempDir, type TestDatabase } from "../setup/databases";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = testTempDir(prefix);
  temps.push(dir);
  return dir;
};

/** Runs a command to its end without blocking this process (the server it talks to is ours). */
function run(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "silent", ...options.env } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

let server: RunningServer;
let member: Visitor;
let threadPath: string;
/** What a script needs to find the server's database: DATA_DIR, and DATABASE_URL on PostgreSQL. */
const scriptEnv = () => ({ DATA_DIR: server.dataDir, DATABASE_URL: server.database.url });

beforeAll(async () => {
  server = await startServer();
  member = new Visitor(server.url);
  await join(member, aMember("ops"));
  const tag = await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "Tag" WHERE "slug" = ?`, "reference");
  const posted = await member.post("/threads/new", {
    kind: "question",
    title: "Where do you keep the QUAHOGBINDERY supplies?",
    body: "Ours are in a closet nobody can find.",
    tagIds: String(tag.id),
  });
  expect(posted.status).toBe(302);
  threadPath = posted.location!;
});
afterAll(async () => {
  await server?.stop();
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm run db:backup", () => {
  it("copies a live database (SQLite: a file; PostgreSQL: pg_dump -Fc) that restores with the rows", async () => {
    if (testEngine() === "postgres") await backupPostgres();
    else await backupSqlite();
    // The server went on serving while it was copied.
    expect(textOf((await member.get(threadPath)).body)).toContain("QUAHOGBINDERY");
  });

  async function backupSqlite() {
    const target = path.join(tempDir("paranet-backup-"), "copy.db");
    const result = await run("npm", ["run", "--silent", "db:backup", "--", target], { env: scriptEnv() });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`to ${target}`);
    const copy = new Database(target, { readonly: true, fileMustExist: true });
    try {
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      copy.close();
    }
    await expectTheRows({ engine: "sqlite", url: `file:${target}`, path: target });
  }

  async function backupPostgres() {
    // No pg_dump is a failure that says what to install, not a skipped test.
    const pgDump = spawnSync("pg_dump", ["--version"], { encoding: "utf8" });
    expect(pgDump.error, "npm run db:backup on PostgreSQL needs pg_dump: apt-get install postgresql-client (Debian/Ubuntu)").toBeUndefined();
    const target = path.join(tempDir("paranet-backup-"), "paranet.dump");
    const result = await run("npm", ["run", "--silent", "db:backup", "--", target], { env: scriptEnv() });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`to ${target} (pg_dump custom format`);
    expect(result.output).toContain("pg_restore --create");
    expect(fs.readFileSync(target).subarray(0, 5).toString()).toBe("PGDMP"); // the custom format's signature
    expect(fs.existsSync(`${target}.partial`)).toBe(false);
    // Restored into a database of its own (dropped with the run's others).
    const name = `${runPostgres().prefix}_restore_${crypto.randomBytes(3).toString("hex")}`;
    await onPostgresServer((c) => c.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0`));
    const restored = spawnSync("pg_restore", ["--no-owner", "--exit-on-error", "--dbname", postgresUrl(name), target], { encoding: "utf8" });
    expect(restored.status, restored.stderr).toBe(0);
    await expectTheRows({ engine: "postgres", url: postgresUrl(name), path: "" });
  }

  async function expectTheRows(copy: TestDatabase) {
    expect(await queryOne(copy, `SELECT "handle" FROM "User" WHERE "handle" = 'memberops'`)).toEqual({ handle: "memberops" });
    expect(await queryOne(copy, `SELECT COUNT(*) AS "n" FROM "Thread" WHERE "title" LIKE '%QUAHOGBINDERY%'`)).toEqual({ n: 1 });
  }

  it("on PostgreSQL without pg_dump, fails and names the package to install", async () => {
    // An empty PATH: no pg_dump. (It fails before connecting: no server needed.)
    const bin = tempDir("paranet-nopgdump-");
    const target = path.join(bin, "never.dump");
    const result = await run(process.execPath, ["scripts/backup.mjs", target], {
      env: { DATA_DIR: server.dataDir, DATABASE_URL: "postgresql://postgres@127.0.0.1:1/never", PATH: bin },
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain("runs pg_dump, which is not installed");
    expect(result.output).toContain("apt-get install postgresql-client");
    expect(fs.existsSync(target)).toBe(false);
  });
});

describe("npm run search:rebuild", () => {
  it("refills a damaged full-text index, after which search finds the posts again", async () => {
    const found = async () => textOf((await member.get("/search?q=quahogbindery")).body).includes("Where do you keep the QUAHOGBINDERY supplies?");
    expect(await found()).toBe(true);
    await execute(server.database, `DELETE FROM "SearchIndex"`);
    expect(await found()).toBe(false);
    const result = await run("npm", ["run", "--silent", "search:rebuild"], { env: scriptEnv() });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/Search index rebuilt: [1-9]\d* threads, replies and resources/);
    expect(await found()).toBe(true);
  });
});

describe("npm run db:copy, when it cannot copy", () => {
  it("asks for a PostgreSQL target", async () => {
    const result = await run("npm", ["run", "--silent", "db:copy"], { env: { DATA_DIR: server.dataDir } });
    expect(result.code).toBe(2);
    expect(result.output).toContain("--to must name the PostgreSQL database to copy into");
    expect(result.output).toContain("createdb");
  });

  it("refuses a source that is not a migrated SQLite database, before touching the target", async () => {
    const dir = tempDir("paranet-copy-src-");
    const stale = path.join(dir, "old.db");
    new Database(stale).close(); // exists, has no migrations
    const to = "postgresql://postgres@127.0.0.1:1/never";
    const result = await run(process.execPath, ["scripts/db-copy.mjs", "--from", `file:${stale}`, "--to", to]);
    expect(result.code).toBe(1);
    const migrations = fs.readdirSync(path.join(ROOT, "prisma", "migrations"), { withFileTypes: true }).filter((d) => d.isDirectory()).length;
    expect(result.output).toContain(`lacks ${migrations} migration(s)`);
    expect(result.output).toContain("npm run db:migrate");
    const missing = await run(process.execPath, ["scripts/db-copy.mjs", "--from", path.join(dir, "nothing.db"), "--to", to]);
    expect(missing.code).toBe(2);
    expect(missing.output).toContain(`No SQLite database at ${path.join(dir, "nothing.db")}`);
    const fromPostgres = await run(process.execPath, ["scripts/db-copy.mjs", "--from", to, "--to", to]);
    expect(fromPostgres.output).toContain("is PostgreSQL already");
  });
});

describe("npm run db:new-migration, without a PostgreSQL server", () => {
  it("says that the PostgreSQL half needs one, and writes nothing", async () => {
    // In a scratch copy of what the command reads and writes: the real tree is never touched.
    const repo = tempDir("paranet-migration-repo-");
    fs.cpSync(path.join(ROOT, "prisma"), path.join(repo, "prisma"), { recursive: true, filter: (f) => !f.endsWith(".db") });
    fs.cpSync(path.join(ROOT, "scripts"), path.join(repo, "scripts"), { recursive: true });
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"));
    fs.appendFileSync(path.join(repo, "prisma", "schema.prisma"), `\nmodel NeverWritten {\n  id Int @id @default(autoincrement())\n}\n`);
    const folders = () => [path.join(repo, "prisma", "migrations"), path.join(repo, "prisma", "postgres", "migrations")].map((d) => fs.readdirSync(d));
    const before = folders();
    const result = await run(process.execPath, ["scripts/new-migration.mjs", "never_written"], {
      cwd: repo,
      env: { DATA_DIR: path.join(repo, "data"), TEST_POSTGRES_URL: "postgresql://postgres@127.0.0.1:1/postgres" },
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain("needs a PostgreSQL server");
    expect(result.output).toContain("TEST_POSTGRES_URL");
    expect(result.output).toContain("Nothing was written.");
    expect(folders()).toEqual(before);
    expect(fs.existsSync(path.join(repo, "data", "paranet.db"))).toBe(false);
  });
});
