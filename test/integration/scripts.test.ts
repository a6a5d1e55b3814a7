// The maintenance commands, run as an operator runs them: `npm run db:backup`
// next to a running server, `npm run search:rebuild` on a damaged index, and
// `npm run db:new-migration` twice before a commit (in a scratch copy of the
// repository's prisma folder, so the real tree is never touched).
import { testTempDir } from "../setup/global";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { startServer, type RunningServer } from "../helpers/server";

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
function tagId(slug: string): number {
  const conn = new Database(server.dbPath, { readonly: true });
  try {
    return (conn.prepare(`SELECT id FROM Tag WHERE slug = ?`).get(slug) as { id: number }).id;
  } finally {
    conn.close();
  }
}
let member: Visitor;
let threadPath: string;

beforeAll(async () => {
  server = await startServer();
  member = new Visitor(server.url);
  await join(member, aMember("ops"));
  const posted = await member.post("/threads/new", {
    kind: "question",
    title: "Where do you keep the QUAHOGBINDERY supplies?",
    body: "Ours are in a closet nobody can find.",
    tagIds: String(tagId("reference")),
  });
  expect(posted.status).toBe(302);
  threadPath = posted.location!;
});
afterAll(async () => {
  await server?.stop();
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm run db:backup", () => {
  it("copies a live database into a file that opens and has the rows", async () => {
    const target = path.join(tempDir("paranet-backup-"), "copy.db");
    const result = await run("npm", ["run", "--silent", "db:backup", "--", target], { env: { DATA_DIR: server.dataDir } });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`to ${target}`);
    const copy = new Database(target, { readonly: true, fileMustExist: true });
    try {
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(copy.prepare(`SELECT handle FROM "User" WHERE handle = 'memberops'`).get()).toEqual({ handle: "memberops" });
      expect(copy.prepare(`SELECT COUNT(*) AS n FROM Thread WHERE title LIKE '%QUAHOGBINDERY%'`).get()).toEqual({ n: 1 });
    } finally {
      copy.close();
    }
    // The server went on serving while it was copied.
    expect(textOf((await member.get(threadPath)).body)).toContain("QUAHOGBINDERY");
  });
});

describe("npm run search:rebuild", () => {
  it("refills a damaged full-text index, after which search finds the posts again", async () => {
    const found = async () => textOf((await member.get("/search?q=quahogbindery")).body).includes("Where do you keep the QUAHOGBINDERY supplies?");
    expect(await found()).toBe(true);
    const conn = new Database(server.dbPath);
    try {
      conn.exec(`DELETE FROM "SearchIndex"`);
    } finally {
      conn.close();
    }
    expect(await found()).toBe(false);
    const result = await run("npm", ["run", "--silent", "search:rebuild"], { env: { DATA_DIR: server.dataDir } });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/Search index rebuilt: [1-9]\d* threads, replies and resources/);
    expect(await found()).toBe(true);
  });
});

describe("npm run db:new-migration", () => {
  it("writes a second migration with only the second change when the first is not committed yet", { timeout: 180_000 }, async () => {
    // A copy of what the command reads and writes, in a git repository of its own with the schema committed.
    const repo = tempDir("paranet-migration-repo-");
    fs.cpSync(path.join(ROOT, "prisma"), path.join(repo, "prisma"), { recursive: true, filter: (f) => !f.endsWith(".db") });
    fs.mkdirSync(path.join(repo, "scripts"));
    for (const f of ["lib.mjs", "new-migration.mjs"]) fs.copyFileSync(path.join(ROOT, "scripts", f), path.join(repo, "scripts", f));
    fs.copyFileSync(path.join(ROOT, "prisma.config.ts"), path.join(repo, "prisma.config.ts"));
    fs.copyFileSync(path.join(ROOT, "package.json"), path.join(repo, "package.json"));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"));
    const git = (...args: string[]) => spawnSync("git", args, { cwd: repo, encoding: "utf8" });
    git("init", "-q");
    git("add", "prisma");
    git("-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-qm", "schema");
    const migrations = () => fs.readdirSync(path.join(repo, "prisma", "migrations")).filter((d) => !d.endsWith(".toml"));
    const before = migrations();

    const schemaFile = path.join(repo, "prisma", "schema.prisma");
    const addModel = (name: string) => fs.appendFileSync(schemaFile, `\nmodel ${name} {\n  id Int @id @default(autoincrement())\n}\n`);
    const newMigration = async (name: string) => {
      const result = await run(process.execPath, ["scripts/new-migration.mjs", name], { cwd: repo, env: { DATA_DIR: path.join(repo, "data") } });
      expect(result.code, result.output).toBe(0);
      const added = migrations().filter((d) => !before.includes(d));
      return fs.readFileSync(path.join(repo, "prisma", "migrations", added[added.length - 1], "migration.sql"), "utf8");
    };

    addModel("FirstProbe");
    const first = await newMigration("first_probe");
    expect(first).toContain(`CREATE TABLE "FirstProbe"`);
    // A second edit before anything is committed.
    addModel("SecondProbe");
    const second = await newMigration("second_probe");
    expect(second).toContain(`CREATE TABLE "SecondProbe"`);
    expect(second).not.toContain("FirstProbe");
    expect(migrations().length).toBe(before.length + 2);
    // Both apply, in order, to the database the command migrated.
    const db = new Database(path.join(repo, "data", "paranet.db"), { readonly: true });
    try {
      const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(["FirstProbe", "SecondProbe"]));
    } finally {
      db.close();
    }
  });
});
