// The operator commands that need a PostgreSQL server whatever engine the app
// runs on (npm run test:postgres, TEST_DATABASE=postgres; the server is
// TEST_POSTGRES_URL, default the local one):
// - `npm run db:copy`: a SQLite installation, populated through the real
//   server, into an empty PostgreSQL database; every row, id and sequence;
//   the server then runs on the copy (members stay logged in, new rows get
//   the next ids); a non-empty target refused; a failed copy leaves no rows.
// - `npm run db:drift`: passes on the repository, fails on injected drift.
// - `npm run db:new-migration`: writes both engines' halves, which agree.
// Scratch databases are named after the run (dropped with it); repositories
// the commands may write to are scratch copies of prisma/ and scripts/.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, Visitor } from "../helpers/client";
import { boolOf, execute, isoOf, queryAll, queryOne } from "../helpers/db";
import { startServer, type Installation, type RunningServer } from "../helpers/server";
import { onPostgresServer, postgresAdminUrl, postgresUrl, quoteIdent, runPostgres, testEngine, testTempDir, type TestDatabase } from "../setup/databases";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = testTempDir(prefix);
  temps.push(dir);
  return dir;
};

/** Runs a command to its end without blocking this process (the servers it talks to are ours). */
function run(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        LOG_LEVEL: "silent",
        TEST_POSTGRES_URL: postgresAdminUrl(),
        ...options.env,
      } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/** An empty PostgreSQL database of this run (dropped when the run ends), byte-order collation as the tests' base. */
async function emptyPostgres(role: string): Promise<TestDatabase> {
  const name = `${runPostgres().prefix}_${role}_${crypto.randomBytes(3).toString("hex")}`;
  await onPostgresServer((c) =>
    c
      .query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`)
      .catch(() => c.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C'`)),
  );
  return { engine: "postgres", url: postgresUrl(name), path: "" };
}

/** A SQLite installation whatever the run's engine: a data folder and a freshly migrated paranet.db with the tests' settings. */
async function sqliteInstallation(): Promise<Installation> {
  const dataDir = tempDir("paranet-copy-source-");
  const file = path.join(dataDir, "paranet.db");
  const migrated = await run(process.execPath, ["scripts/migrate.mjs"], { env: { DATA_DIR: dataDir, DATABASE_URL: `file:${file}` } });
  expect(migrated.code, migrated.output).toBe(0);
  const database: TestDatabase = { engine: "sqlite", url: `file:${file}`, path: file };
  for (const [key, value] of [
    ["holdFirstPosts", "0"],
    ["postLimit", "1000"],
  ])
    await execute(database, `INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES (?, ?, ?)`, key, value, new Date());
  return { dataDir, database };
}

/** A scratch repository: what the migration commands read and write (prisma/, scripts/), the real node_modules. */
function scratchRepository(): string {
  const repo = tempDir("paranet-repo-");
  fs.cpSync(path.join(ROOT, "prisma"), path.join(repo, "prisma"), { recursive: true, filter: (f) => !f.endsWith(".db") });
  fs.cpSync(path.join(ROOT, "scripts"), path.join(repo, "scripts"), { recursive: true });
  for (const f of ["package.json", "prisma.config.ts"]) fs.copyFileSync(path.join(ROOT, f), path.join(repo, f));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"));
  return repo;
}

// Only under test:postgres (vitest.config.ts includes *.postgres.test.ts there alone).
if (testEngine() !== "postgres") throw new Error("scripts.postgres.test.ts needs PostgreSQL: run it with npm run test:postgres.");

afterAll(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

describe("needs PostgreSQL (npm run test:postgres)", () => {
  describe("npm run db:copy", () => {
    let source: Installation;
    let target: TestDatabase;
    let asker: Visitor;
    let copyOutput: string;
    const ids = { question: 0, target: 0, hit: 0, accepted: 0, resource: 0, merged: 0 };
    let questionPath: string;
    /** SQLite's tables that hold ParaNet's data (not its search index, nor the migration log). */
    let tables: string[];
    let issued: Record<string, number>;

    beforeAll(async () => {
      source = await sqliteInstallation();
      const server = await startServer({ installation: source });
      try {
        await populate(server);
      } finally {
        await server.stop();
      }
      // Old live events are pruned: SQLite's sequence then stands above max(id), and ids are never issued twice.
      const newest = await queryOne<{ id: number }>(source.database, `SELECT MAX("id") AS "id" FROM "LiveEvent"`);
      await execute(source.database, `DELETE FROM "LiveEventRoom" WHERE "eventId" = ?`, newest.id);
      await execute(source.database, `DELETE FROM "LiveEvent" WHERE "id" = ?`, newest.id);
      tables = (
        await queryAll<{ name: string }>(
          source.database,
          `SELECT "name" FROM sqlite_master WHERE "type" = 'table' AND "name" NOT LIKE 'sqlite%' AND "name" NOT LIKE '%SearchIndex%' AND "name" <> '_prisma_migrations' ORDER BY "name"`,
        )
      ).map((t) => t.name);
      issued = Object.fromEntries(
        (await queryAll<{ name: string; seq: number }>(source.database, `SELECT "name", "seq" FROM sqlite_sequence`)).map((s) => [s.name, s.seq]),
      );

      target = await emptyPostgres("copy");
      // The source as npm start finds it: DATA_DIR/paranet.db.
      const copied = await run("npm", ["run", "--silent", "db:copy", "--", "--to", target.url], { env: { DATA_DIR: source.dataDir } });
      expect(copied.code, copied.output).toBe(0);
      copyOutput = copied.output;
    }, 180_000);

    async function populate(server: RunningServer) {
      const admin = new Visitor(server.url);
      expect((await admin.post(`/setup?token=${server.setupToken}`, aMember("copyadmin"))).status).toBe(302);
      asker = new Visitor(server.url);
      const helper = new Visitor(server.url);
      const voter = new Visitor(server.url);
      await join(asker, aMember("copyasker"));
      await join(helper, aMember("copyhelper"));
      await join(voter, aMember("copyvoter"));
      const tag = await queryOne<{ id: number }>(source.database, `SELECT "id" FROM "Tag" WHERE "slug" = 'reference'`);
      const threadId = (location: string | null) => Number(/^\/t\/(\d+)/.exec(location ?? "")?.[1]);
      const lastReply = async (thread: number) =>
        (await queryOne<{ id: number }>(source.database, `SELECT MAX("id") AS "id" FROM "Reply" WHERE "threadId" = ?`, thread)).id;

      // A question, answered, the answer voted helpful and accepted (Thread.acceptedReplyId → Reply → Thread: a cycle).
      const question = await asker.post("/threads/new", {
        kind: "question",
        title: "Which label printer survives a school year?",
        body: "Ours jams weekly.",
        tagIds: String(tag.id),
      });
      ids.question = threadId(question.location);
      questionPath = question.location!;
      expect((await helper.post(question.location!, { intent: "reply", body: "The thermal one with the big roll." })).status).toBe(302);
      ids.accepted = await lastReply(ids.question);
      expect((await voter.post(question.location!, { intent: "reply", body: "Same here, @copyhelper is right." })).status).toBe(302);
      expect((await voter.post(question.location!, { intent: "helpful", replyId: String(ids.accepted) })).status).toBe(302);
      expect((await asker.post(question.location!, { intent: "accept", replyId: String(ids.accepted) })).status).toBe(302);
      // A TARGET with private replies, and its HIT (Thread.sourceThreadId → Thread).
      const targetThread = await asker.post("/threads/new", {
        kind: "target",
        title: "TARGET: overdue notice wording",
        body: "Reply privately.",
        tagIds: String(tag.id),
      });
      ids.target = threadId(targetThread.location);
      for (const [who, body] of [
        [helper, "Ours says: please bring it back, no fines."],
        [voter, "We send a postcard."],
      ] as const)
        expect((await who.post(targetThread.location!, { intent: "reply", body })).status).toBe(302);
      const hit = await asker.post(`/threads/${ids.target}/hit`, {
        title: "HIT: overdue notice wording",
        body: "Thanks! Most said: keep it friendly.",
        tagIds: String(tag.id),
      });
      expect(hit.status, hit.body.slice(0, 300)).toBe(302);
      ids.hit = threadId(hit.location);
      expect((await voter.post("/tags/reference", { intent: "follow" })).status).toBe(302);
      // Resources: one approved, a duplicate merged into it (Resource.mergedIntoId → Resource).
      const resource = (title: string, url: string) => ({
        title,
        url,
        abstract: "A national certification for library support staff: six competency courses, taken online, at your own pace.",
        type: "certification",
        tagIds: String(tag.id),
        region: "national",
        cost: "paid",
        provider: "Example Library Association",
        ceHours: "2.5",
        publishedOn: "",
      });
      const submittedId = (location: string | null) => Number(/submitted=(\d+)/.exec(location ?? "")?.[1]);
      ids.resource = submittedId(
        (await helper.post("/resources/new", resource("Library Support Staff Certification", "https://www.example.org/lssc/"))).location,
      );
      expect((await admin.post(`/resources/${ids.resource}`, { intent: "approve" })).status).toBe(302);
      ids.merged = submittedId((await voter.post("/resources/new", resource("LSSC program page", "https://lssc.example.com/about"))).location);
      expect((await admin.post(`/resources/${ids.merged}`, { intent: "merge", intoId: String(ids.resource) })).status).toBe(302);

      // Notifications and live events are written after each commit, by the outbox: wait until they are all in.
      let last = "";
      for (let i = 0; i < 100; i++) {
        await new Promise((r) => setTimeout(r, 200));
        const now = JSON.stringify(
          await queryOne(
            source.database,
            `SELECT (SELECT COUNT(*) FROM "Notification") AS "n", (SELECT COUNT(*) FROM "LiveEvent") AS "l", (SELECT COUNT(*) FROM "OutboxEvent") AS "o"`,
          ),
        );
        if (now === last && !now.includes(":0")) break;
        last = now;
      }
    }

    it("copies every row of every table, and prints the counts", async () => {
      for (const name of [
        "User",
        "Session",
        "Thread",
        "Reply",
        "HelpfulVote",
        "ThreadTag",
        "TagFollow",
        "Resource",
        "ResourceCuration",
        "Notification",
        "LiveEvent",
        "LiveEventRoom",
        "AuditEvent",
      ])
        expect((await queryOne<{ n: number }>(source.database, `SELECT COUNT(*) AS "n" FROM ${quoteIdent(name)}`)).n, `${name} was populated`).toBeGreaterThan(
          0,
        );
      for (const name of tables) {
        const [from, to] = await Promise.all(
          [source.database, target].map(async (db) => (await queryOne<{ n: number }>(db, `SELECT COUNT(*) AS "n" FROM ${quoteIdent(name)}`)).n),
        );
        expect(to, name).toBe(from);
        expect(copyOutput).toMatch(new RegExp(`\\n  ${name} +${from}\\n`));
      }
      // The search index was rebuilt on the copy: every public thread is in it, and the private replies in theirs.
      expect(copyOutput).toMatch(/Search index rebuilt: \d+ threads, replies and resources/);
      const indexed = async (sql: string) => (await queryOne<{ n: number }>(target, sql)).n;
      expect(await indexed(`SELECT COUNT(*) AS "n" FROM "SearchIndex" WHERE "kind" = 'thread'`)).toBe(
        await indexed(`SELECT COUNT(*) AS "n" FROM "Thread" WHERE "hiddenAt" IS NULL`),
      );
      expect(await indexed(`SELECT COUNT(*) AS "n" FROM "PrivateSearchIndex"`)).toBe(
        await indexed(`SELECT COUNT(*) AS "n" FROM "Reply" WHERE "isPrivate" AND "deletedAt" IS NULL`),
      );
    });

    it("keeps ids, links, booleans and dates as they were", async () => {
      const rows = async (db: TestDatabase, sql: string) =>
        (await queryAll<Record<string, unknown>>(db, sql)).map((r) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, /At$/.test(k) ? isoOf(v) : /^(isPrivate|featured|has|email)/.test(k) ? boolOf(v) : v])),
        );
      for (const sql of [
        `SELECT "id", "kind", "authorId", "acceptedReplyId", "sourceThreadId", "createdAt", "lastActivityAt" FROM "Thread" ORDER BY "id"`,
        `SELECT "id", "threadId", "authorId", "isPrivate", "helpfulCount", "createdAt", "deletedAt" FROM "Reply" ORDER BY "id"`,
        `SELECT "id", "status", "mergedIntoId", "featured", "ceHours", "createdAt", "approvedAt" FROM "Resource" ORDER BY "id"`,
        `SELECT "id", "handle", "role", "hasMlis", "emailNotifications", "createdAt" FROM "User" ORDER BY "id"`,
        `SELECT "id", "userId", "kind", "threadId", "createdAt", "readAt" FROM "Notification" ORDER BY "id"`,
        `SELECT "id", "type", "payload", "createdAt" FROM "LiveEvent" ORDER BY "id"`,
      ])
        expect(await rows(target, sql), sql).toEqual(await rows(source.database, sql));
      // The links the copy fills in after every row is in.
      expect(await queryOne(target, `SELECT "acceptedReplyId" AS "id" FROM "Thread" WHERE "id" = ?`, ids.question)).toEqual({ id: ids.accepted });
      expect(await queryOne(target, `SELECT "sourceThreadId" AS "id" FROM "Thread" WHERE "id" = ?`, ids.hit)).toEqual({ id: ids.target });
      expect(await queryOne(target, `SELECT "mergedIntoId" AS "id" FROM "Resource" WHERE "id" = ?`, ids.merged)).toEqual({ id: ids.resource });
      expect(await queryOne(target, `SELECT COUNT(*) AS "n" FROM "Reply" WHERE "threadId" = ? AND "isPrivate"`, ids.target)).toEqual({ n: 2 });
    });

    it("sets every sequence past the ids SQLite issued (LiveEvent's from sqlite_sequence, not max(id))", async () => {
      const max = await queryOne<{ id: number }>(target, `SELECT MAX("id") AS "id" FROM "LiveEvent"`);
      expect(issued.LiveEvent).toBeGreaterThan(max.id);
      const sequences = await queryAll<{ table: string; seq: string }>(
        target,
        `SELECT c.relname AS "table", pg_get_serial_sequence(quote_ident(c.relname), 'id') AS "seq"
         FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'id' WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace`,
      ).then((all) => all.filter((s) => s.seq));
      expect(sequences.length).toBeGreaterThan(10);
      for (const { table, seq } of sequences) {
        const { n } = await queryOne<{ n: number }>(target, `SELECT MAX("id") AS "n" FROM ${quoteIdent(table)}`);
        const state = await queryOne<{ last: number; called: boolean }>(target, `SELECT "last_value" AS "last", "is_called" AS "called" FROM ${seq}`);
        const expected = Math.max(issued[table] ?? 0, n ?? 0);
        expect(state, table).toEqual(expected > 0 ? { last: expected, called: true } : { last: 1, called: false });
      }
    });

    it("runs ParaNet on the copy: members stay logged in, and new rows get the next ids", { timeout: 60_000 }, async () => {
      const server = await startServer({ installation: { dataDir: source.dataDir, database: target } });
      try {
        // The asker's session cookie from the SQLite server (same DATA_DIR, same session secret, sessions copied).
        const again = new Visitor(server.url);
        const posted = await again.post(questionPath, { intent: "reply", body: "Update: the thermal one is still going." }, { Cookie: asker.cookieHeader() });
        expect(posted.status, posted.body.slice(0, 300)).toBe(302);
        const reply = await queryOne<{ id: number; handle: string }>(
          target,
          `SELECT r."id", u."handle" FROM "Reply" r JOIN "User" u ON u."id" = r."authorId" ORDER BY r."id" DESC LIMIT 1`,
        );
        expect(reply).toEqual({ id: issued.Reply + 1, handle: "membercopyasker" });
        // Its live event takes the id after the last one SQLite ever issued.
        let event: { id: number } | undefined;
        for (let i = 0; i < 50 && !event; i++) {
          event = await queryOne<{ id: number }>(
            target,
            `SELECT "id" FROM "LiveEvent" WHERE "payload" LIKE ? ORDER BY "id" LIMIT 1`,
            `%"replyId":${reply.id}%`,
          );
          if (!event) await new Promise((r) => setTimeout(r, 200));
        }
        expect(event).toEqual({ id: issued.LiveEvent + 1 });
      } finally {
        await server.stop();
      }
    });

    it("refuses a target that is not empty, and leaves it as it was", async () => {
      const before = await queryOne<{ n: number }>(target, `SELECT COUNT(*) AS "n" FROM "Reply"`);
      const again = await run("npm", ["run", "--silent", "db:copy", "--", "--to", target.url], { env: { DATA_DIR: source.dataDir } });
      expect(again.code).toBe(1);
      // (A password in the URL is shown as ***.)
      expect(again.output).toContain(`${target.url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@")} is not empty: `);
      expect(again.output).toMatch(/Reply \(\d+ rows\)/);
      expect(again.output).toContain("only copies into an empty database");
      expect(await queryOne(target, `SELECT COUNT(*) AS "n" FROM "Reply"`)).toEqual(before);
    });

    it("rolls back a copy that fails part-way: the target keeps no row", async () => {
      // A copy of the source with one bad date in the last reply (copied after users, threads, …).
      const dir = tempDir("paranet-copy-bad-");
      const file = path.join(dir, "paranet.db");
      fs.copyFileSync(source.database.path, file);
      const broken: TestDatabase = { engine: "sqlite", url: `file:${file}`, path: file };
      await execute(broken, `UPDATE "Reply" SET "editedAt" = 'the day before yesterday' WHERE "id" = (SELECT MAX("id") FROM "Reply")`);
      const empty = await emptyPostgres("copyfail");
      const failed = await run(process.execPath, ["scripts/db-copy.mjs", "--from", file, "--to", empty.url]);
      expect(failed.code).toBe(1);
      expect(failed.output).toContain(`Reply.editedAt`);
      expect(failed.output).toContain(`"the day before yesterday" is not a date`);
      for (const name of tables) expect(await queryOne(empty, `SELECT COUNT(*) AS "n" FROM ${quoteIdent(name)}`), name).toEqual({ n: 0 });
      // Migrated, and empty: a valid target once the source is fixed.
      await execute(broken, `UPDATE "Reply" SET "editedAt" = NULL WHERE "id" = (SELECT MAX("id") FROM "Reply")`);
      const retried = await run(process.execPath, ["scripts/db-copy.mjs", "--from", file, "--to", empty.url]);
      expect(retried.code, retried.output).toBe(0);
    });
  });

  describe("npm run db:drift", () => {
    it("finds no drift in the repository", { timeout: 120_000 }, async () => {
      const result = await run("npm", ["run", "--silent", "db:drift"]);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain("No drift: prisma/migrations, prisma/postgres/migrations and prisma/schema.prisma agree");
    });

    it("lists each difference injected into a copy of the repository, and fails", { timeout: 120_000 }, async () => {
      const repo = scratchRepository();
      const migration = (folder: string, name: string, sql: string) => {
        fs.mkdirSync(path.join(repo, folder, name), { recursive: true });
        fs.writeFileSync(path.join(repo, folder, name, "migration.sql"), sql);
      };
      // A pair whose halves disagree: an index on SQLite only, another default on PostgreSQL only.
      migration("prisma/migrations", "20990101000000_drifted", `CREATE INDEX "Reply_drift_idx" ON "Reply"("editedAt");\n`);
      migration("prisma/postgres/migrations", "20990101000000_drifted", `ALTER TABLE "Thread" ALTER COLUMN "kind" SET DEFAULT 'job';\n`);
      // A half without its pair.
      migration("prisma/migrations", "20990102000000_lonely", `SELECT 1;\n`);
      // A schema.prisma change without any migration.
      const schema = path.join(repo, "prisma", "schema.prisma");
      fs.writeFileSync(schema, fs.readFileSync(schema, "utf8").replace(/\n(\s+)hasLssc(\s+)Boolean/, '\n$1driftProbe String @default("")\n$1hasLssc$2Boolean'));

      const result = await run(process.execPath, ["scripts/db-drift.mjs"], { cwd: repo });
      expect(result.code, result.output).toBe(1);
      for (const line of [
        "SQLite migrations vs PostgreSQL migrations:",
        "index Reply.Reply_drift_idx: only in SQLite: (editedAt)",
        "column Thread.kind: SQLite text NOT NULL DEFAULT 'question'; PostgreSQL text NOT NULL DEFAULT 'job'",
        "column User.driftProbe: only in schema.prisma: TEXT NOT NULL DEFAULT ''",
        "column User.driftProbe: only in schema.prisma: text NOT NULL DEFAULT ''",
        "20990102000000_lonely: in prisma/migrations only",
      ])
        expect(result.output).toContain(line);
    });
  });

  describe("npm run db:new-migration", () => {
    it("writes both engines' halves under one name, twice before a commit, and they agree", { timeout: 300_000 }, async () => {
      const repo = scratchRepository();
      const folders = (dir: string) => fs.readdirSync(path.join(repo, dir)).filter((d) => !d.endsWith(".toml"));
      const before = folders("prisma/migrations");
      const schemaFile = path.join(repo, "prisma", "schema.prisma");
      const addModel = (name: string) =>
        fs.appendFileSync(
          schemaFile,
          `\nmodel ${name} {\n  id Int @id @default(autoincrement())\n  open Boolean @default(true)\n  at DateTime @default(now())\n}\n`,
        );
      const newMigration = async (name: string) => {
        const result = await run(process.execPath, ["scripts/new-migration.mjs", name], { cwd: repo, env: { DATA_DIR: path.join(repo, "data") } });
        expect(result.code, result.output).toBe(0);
        const added = folders("prisma/migrations").filter((d) => !before.includes(d));
        const folder = added[added.length - 1];
        expect(result.output).toContain(`Wrote prisma/migrations/${folder}/migration.sql and prisma/postgres/migrations/${folder}/migration.sql`);
        const read = (dir: string) => fs.readFileSync(path.join(repo, dir, folder, "migration.sql"), "utf8");
        return { sqlite: read("prisma/migrations"), postgres: read("prisma/postgres/migrations") };
      };

      addModel("FirstProbe");
      const first = await newMigration("first_probe");
      expect(first.sqlite).toContain(`CREATE TABLE "FirstProbe"`);
      expect(first.sqlite).toContain(`"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT`);
      expect(first.postgres).toContain(`CREATE TABLE "FirstProbe"`);
      expect(first.postgres).toContain(`"id" SERIAL NOT NULL`);
      expect(first.postgres).toContain(`"open" BOOLEAN NOT NULL DEFAULT true`);
      // A second edit before anything is committed: only the second change, on both engines.
      addModel("SecondProbe");
      const second = await newMigration("second_probe");
      expect(second.sqlite).toContain(`CREATE TABLE "SecondProbe"`);
      expect(second.postgres).toContain(`CREATE TABLE "SecondProbe"`);
      expect(second.sqlite + second.postgres).not.toContain("FirstProbe");
      expect(folders("prisma/migrations").length).toBe(before.length + 2);
      expect(folders("prisma/postgres/migrations").filter((d) => d.endsWith("_probe"))).toEqual(
        folders("prisma/migrations").filter((d) => d.endsWith("_probe")),
      );
      // The SQLite halves were applied to the database the command migrated.
      const local: TestDatabase = { engine: "sqlite", url: "", path: path.join(repo, "data", "paranet.db") };
      expect((await queryAll<{ name: string }>(local, `SELECT "name" FROM sqlite_master WHERE "type" = 'table'`)).map((t) => t.name)).toEqual(
        expect.arrayContaining(["FirstProbe", "SecondProbe"]),
      );
      // And the PostgreSQL halves build what the SQLite ones build, and what schema.prisma says.
      const drift = await run(process.execPath, ["scripts/db-drift.mjs"], { cwd: repo });
      expect(drift.code, drift.output).toBe(0);
      expect(drift.output).toContain("No drift");
    });
  });
});
