// `npm run db:drift [-- --postgres postgresql://…]`: do the two engines'
// migrations build the same database, and the one prisma/schema.prisma
// describes? ParaNet keeps two migration folders (decision 0011):
// prisma/migrations (SQLite) and prisma/postgres/migrations (PostgreSQL),
// written in pairs by `npm run db:new-migration`; hand-edited SQL can make
// them part ways without any test noticing. Prisma's own tools cannot check
// this on PostgreSQL (`db pull` fails through the driver adapter, Prisma
// issue 27403), so this reads the catalogs.
//
// 1. prisma/migrations → a scratch SQLite file; prisma/postgres/migrations →
//    a scratch PostgreSQL database.
// 2. Each engine's rendering of schema.prisma (`prisma migrate diff
//    --from-empty --to-schema-datamodel`) → a second scratch file / database.
// 3. Compare, normalized: tables, columns (type mapped across the engines,
//    nullability, default), primary keys, indexes (name, columns, unique),
//    foreign keys (columns, target, on delete / on update):
//    SQLite migrations vs PostgreSQL migrations, and each engine's
//    migrations vs its schema.prisma (a schema change without migrations).
// 4. Both folders hold the same migrations after the PostgreSQL baseline.
// 5. The hand-written objects exist on both: the search tables and the
//    triggers that fill them, and the AuditEvent append-only triggers (tried:
//    an edit and a delete of a log row must fail).
// Exit 0 when all agree; 1 with a list of differences.
//
// The scratch databases (paranet_drift_<pid>_…) are made on the PostgreSQL
// server --postgres names (default TEST_POSTGRES_URL, else
// postgresql://postgres@127.0.0.1:5432/postgres), whose user must be allowed
// to create databases, and dropped at the end.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { migrate, migratePostgres, ROOT, safeUrl } from "./lib.mjs";
import { POSTGRES_SCHEMA, SQLITE_SCHEMA, writePostgresSchema } from "./prisma-schemas.mjs";

const BASELINE = "20261206000000_postgres_baseline";
const SQLITE_MIGRATIONS = path.join(ROOT, "prisma", "migrations");
const POSTGRES_MIGRATIONS = path.join(ROOT, "prisma", "postgres", "migrations");
/** Written by hand in the migrations (Prisma has no full-text tables): checked as objects, not as columns. */
const SEARCH_TABLES = ["SearchIndex", "PrivateSearchIndex"];
const isSearchTable = (name) => SEARCH_TABLES.some((t) => name === t || name.startsWith(`${t}_`));
const compared = (name) => name !== "_prisma_migrations" && !name.startsWith("sqlite_") && !isSearchTable(name);

let args;
try {
  args = parseArgs({ options: { postgres: { type: "string" }, help: { type: "boolean", short: "h" } } }).values;
} catch (err) {
  console.error(err.message);
  process.exit(2);
}
if (args.help) {
  console.log("Usage: npm run db:drift [-- --postgres postgresql://user@host:5432/postgres]   (a server where the user may create databases)");
  process.exit(0);
}
const server = args.postgres ?? process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const started = Date.now();

const { default: Database } = await import("better-sqlite3");
const { default: pg } = await import("pg");
const q = (name) => `"${name.replace(/"/g, '""')}"`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "paranet-drift-"));
const scratchNames = [];
const databaseUrl = (name) => {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
};

async function onServer(run) {
  const client = new pg.Client({ connectionString: server, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `npm run db:drift needs a PostgreSQL server (13 or newer) whose user may create databases, at ${safeUrl(server)}: ${err.message}.\n` +
        "Start one (Debian: apt-get install postgresql) or name one with --postgres postgresql://… (or TEST_POSTGRES_URL).",
    );
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function scratchDatabase(role) {
  const name = `paranet_drift_${process.pid}_${role}_${crypto.randomBytes(3).toString("hex")}`;
  await onServer((c) => c.query(`CREATE DATABASE ${q(name)} TEMPLATE template0 ENCODING 'UTF8'`));
  scratchNames.push(name);
  return databaseUrl(name);
}

async function cleanUp() {
  fs.rmSync(tmp, { recursive: true, force: true });
  if (!scratchNames.length) return;
  await onServer(async (c) => {
    for (const name of scratchNames) await c.query(`DROP DATABASE IF EXISTS ${q(name)} WITH (FORCE)`);
  }).catch((err) => console.error(`Could not drop the scratch databases ${scratchNames.join(", ")}: ${err.message}`));
}

/** The Prisma CLI, without blocking (the two engines' diffs run side by side). */
function prisma(cliArgs, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules", "prisma", "build", "index.js"), ...cliArgs], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

/** `prisma migrate diff --from-empty` to a schema: the SQL that builds what it describes. */
async function renderSchema(schema, env, config) {
  const result = await prisma(["migrate", "diff", ...(config ? ["--config", config] : []), "--from-empty", "--to-schema-datamodel", schema, "--script"], env);
  if (result.status !== 0)
    throw new Error(`prisma migrate diff --to-schema-datamodel ${path.relative(ROOT, schema)} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

async function quietly(run) {
  const log = console.log;
  console.log = () => {};
  try {
    return await run();
  } finally {
    console.log = log;
  }
}

// ---------------------------------------------------------------- catalogs
// A catalog: { tables: Map(name → { columns: Map(name → {type, notNull, default}), pk: [..], indexes: Map(name → {columns, unique}), fks: [{columns, table, to, onDelete, onUpdate}] }),
//              triggers: [{table, events, writes: [search tables], rejects}], tableNames: [...] }

function sqliteCatalog(file) {
  const db = new Database(file, { readonly: true });
  try {
    const master = db.prepare(`SELECT type, name, tbl_name AS "table", sql FROM sqlite_master`).all();
    const tables = new Map();
    for (const { name, sql } of master.filter((m) => m.type === "table" && compared(m.name))) {
      const columns = new Map();
      const pk = [];
      for (const c of db.prepare(`SELECT * FROM pragma_table_info(?) ORDER BY cid`).all(name)) {
        const auto = new RegExp(`["\`\\[]?${c.name}["\`\\]]?\\s+INTEGER[^,]*AUTOINCREMENT`, "i").test(sql ?? "");
        columns.set(c.name, { rawType: c.type.toUpperCase(), notNull: c.notnull === 1 || c.pk > 0, default: auto ? "autoincrement" : c.dflt_value });
        if (c.pk > 0) pk[c.pk - 1] = c.name;
      }
      const indexes = new Map();
      for (const ix of db.prepare(`SELECT * FROM pragma_index_list(?)`).all(name)) {
        if (ix.origin === "pk") continue;
        const cols = db
          .prepare(`SELECT * FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`)
          .all(ix.name)
          .map((c) => (c.name ?? "<expression>") + (c.desc ? " DESC" : ""));
        indexes.set(ix.name, { columns: cols, unique: ix.unique === 1, partial: ix.partial === 1 });
      }
      const byId = new Map();
      for (const fk of db.prepare(`SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq`).all(name)) {
        if (!byId.has(fk.id)) byId.set(fk.id, { columns: [], table: fk.table, to: [], onDelete: fk.on_delete, onUpdate: fk.on_update });
        byId.get(fk.id).columns.push(fk.from);
        byId.get(fk.id).to.push(fk.to);
      }
      tables.set(name, { columns, pk, indexes, fks: [...byId.values()] });
    }
    const triggers = master
      .filter((m) => m.type === "trigger")
      .map((t) => {
        const [, timing, event] = /\b(BEFORE|AFTER|INSTEAD\s+OF)\s+(INSERT|UPDATE|DELETE)\b/i.exec(t.sql) ?? [];
        const body = t.sql.slice(t.sql.search(/\bBEGIN\b/i));
        return {
          name: t.name,
          table: t.table,
          timing: timing?.toUpperCase(),
          events: [event?.toUpperCase()],
          writes: writtenSearchTables(body),
          rejects: /RAISE\s*\(\s*ABORT/i.test(body),
        };
      });
    const tableNames = master.filter((m) => m.type === "table").map((m) => m.name);
    return { tables, triggers, tableNames };
  } finally {
    db.close();
  }
}

/** The search tables a trigger body inserts into or deletes from. */
function writtenSearchTables(body) {
  return SEARCH_TABLES.filter((t) => new RegExp(`(INSERT\\s+INTO|DELETE\\s+FROM)\\s+"?${t}"?[\\s(;]`, "i").test(body));
}

async function postgresCatalog(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const schema = `c.relnamespace = current_schema()::regnamespace`;
    const { rows: cols } = await client.query(`
      SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS "type", a.attnotnull AS "notNull",
             pg_get_expr(d.adbin, d.adrelid) AS "default"
      FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE ${schema} AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum`);
    const { rows: idx } = await client.query(`
      SELECT c.relname AS "table", i.relname AS "name", x.indisunique AS "unique", x.indisprimary AS "primary", x.indpred IS NOT NULL AS "partial",
             ARRAY(SELECT CASE WHEN k.attnum = 0 THEN '<expression>' ELSE (SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = k.attnum) END
                          || CASE WHEN (x.indoption[k.i - 1] & 1) = 1 THEN ' DESC' ELSE '' END
                   FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, i) WHERE k.i <= x.indnkeyatts ORDER BY k.i) AS "columns"
      FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid WHERE ${schema}`);
    const { rows: fks } = await client.query(`
      SELECT c.relname AS "table", f.relname AS "target", k.confdeltype AS "onDelete", k.confupdtype AS "onUpdate",
             ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i) AS "columns",
             ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i) AS "to"
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class f ON f.oid = k.confrelid WHERE k.contype = 'f' AND ${schema}`);
    const { rows: trg } = await client.query(`
      SELECT t.tgname AS "name", c.relname AS "table", t.tgtype AS "type", p.prosrc AS "body"
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal AND ${schema}`);
    const { rows: names } = await client.query(`SELECT c.relname AS "name" FROM pg_class c WHERE ${schema} AND c.relkind IN ('r', 'p', 'v', 'm')`);

    const tables = new Map();
    for (const c of cols) {
      if (!compared(c.table)) continue;
      if (!tables.has(c.table)) tables.set(c.table, { columns: new Map(), pk: [], indexes: new Map(), fks: [] });
      const auto = /^nextval\(/.test(c.default ?? "");
      tables.get(c.table).columns.set(c.column, { rawType: c.type, notNull: c.notNull, default: auto ? "autoincrement" : c.default });
    }
    for (const i of idx) {
      const table = tables.get(i.table);
      if (!table) continue;
      if (i.primary) table.pk = i.columns;
      else table.indexes.set(i.name, { columns: i.columns, unique: i.unique, partial: i.partial });
    }
    const ACTIONS = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };
    for (const f of fks)
      tables.get(f.table)?.fks.push({ columns: f.columns, table: f.target, to: f.to, onDelete: ACTIONS[f.onDelete], onUpdate: ACTIONS[f.onUpdate] });
    const triggers = trg.map((t) => ({
      name: t.name,
      table: t.table,
      timing: t.type & 2 ? "BEFORE" : t.type & 64 ? "INSTEAD OF" : "AFTER",
      events: [t.type & 4 && "INSERT", t.type & 16 && "UPDATE", t.type & 8 && "DELETE"].filter(Boolean),
      writes: writtenSearchTables(t.body),
      rejects: /RAISE\s+EXCEPTION/i.test(t.body),
    }));
    return { tables, triggers, tableNames: names.map((n) => n.name) };
  } finally {
    await client.end();
  }
}

// ------------------------------------------------------------- normalizing

const TYPES = [
  [/^(INTEGER|INT|INT4|integer|serial)$/, "int"],
  [/^(BIGINT|INT8|bigint|bigserial)$/, "bigint"],
  [/^(TEXT|text)$/, "text"],
  [/^(DATETIME|timestamp\(3\) without time zone)$/, "datetime"],
  [/^(BOOLEAN|boolean)$/, "bool"],
  [/^(REAL|DOUBLE|DOUBLE PRECISION|double precision)$/, "float"],
  [/^(DECIMAL|numeric\(65,30\))$/, "decimal"],
  [/^(BLOB|bytea)$/, "bytes"],
  [/^(JSONB|jsonb)$/, "json"],
];
const mapType = (raw) => TYPES.find(([re]) => re.test(raw))?.[1] ?? `unmapped:${raw}`;

function normalDefault(value, type) {
  if (value === null || value === undefined) return null;
  let v = String(value).trim();
  if (v === "autoincrement") return v;
  for (;;) {
    const stripped = v.replace(/::[a-z_ ]+(\(\d+(,\d+)?\))?(\[\])?$/i, "");
    if (stripped === v) break;
    v = stripped;
  }
  if (/^\(.*\)$/.test(v) && !/^\(.*\)\s*\(/.test(v)) v = v.slice(1, -1).trim();
  if (/^(CURRENT_TIMESTAMP|now\(\))$/i.test(v)) return "now()";
  if (["int", "bigint", "float", "decimal", "bool"].includes(type) && /^'.*'$/.test(v)) v = v.slice(1, -1);
  if (type === "bool") {
    if (/^(1|true)$/i.test(v)) return "true";
    if (/^(0|false)$/i.test(v)) return "false";
  }
  if (["int", "bigint", "float", "decimal"].includes(type) && v !== "" && !Number.isNaN(Number(v))) return String(Number(v));
  return v;
}

/**
 * A catalog as flat facts, "what → how": the comparison is then a diff of two
 * maps. `raw` keeps each engine's own type names (when comparing an engine
 * with itself); otherwise types are mapped to one vocabulary.
 */
function facts(catalog, { raw }) {
  const out = new Map();
  for (const [name, t] of catalog.tables) {
    out.set(`table ${name}`, "exists");
    for (const [col, c] of t.columns) {
      const type = mapType(c.rawType);
      const d = normalDefault(c.default, type);
      out.set(`column ${name}.${col}`, `${raw ? c.rawType : type}${c.notNull ? " NOT NULL" : " NULL"}${d === null ? "" : ` DEFAULT ${d}`}`);
    }
    out.set(`primary key ${name}`, t.pk.length ? `(${t.pk.join(", ")})` : "none");
    for (const [ix, i] of t.indexes) out.set(`index ${name}.${ix}`, `${i.unique ? "UNIQUE " : ""}(${i.columns.join(", ")})${i.partial ? " WHERE …" : ""}`);
    for (const fk of t.fks)
      out.set(`foreign key ${name}(${fk.columns.join(", ")})`, `→ ${fk.table}(${fk.to.join(", ")}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`);
  }
  return out;
}

/** Hand-written objects as facts: search tables, which table's inserts/updates/deletes write them, which triggers reject writes. */
function handWritten(catalog) {
  const out = new Set();
  for (const t of SEARCH_TABLES) if (catalog.tableNames.includes(t)) out.add(`table ${t}`);
  for (const trigger of catalog.triggers) {
    for (const event of trigger.events) {
      for (const w of trigger.writes) out.add(`${trigger.table} ${event} → ${w} (trigger)`);
      if (trigger.rejects) out.add(`${trigger.table} ${event} rejected (trigger)`);
    }
  }
  return out;
}

function diff(label, a, b, nameA, nameB) {
  const lines = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (!b.has(key)) lines.push(`${key}: only in ${nameA}: ${a.get(key)}`);
    else if (!a.has(key)) lines.push(`${key}: only in ${nameB}: ${b.get(key)}`);
    else if (a.get(key) !== b.get(key)) lines.push(`${key}: ${nameA} ${a.get(key)}; ${nameB} ${b.get(key)}`);
  }
  return lines.length ? [{ label, lines }] : [];
}

// ------------------------------------------------------------ the checks

const migrationNames = (dir) =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

function pairedMigrations() {
  const sqlite = migrationNames(SQLITE_MIGRATIONS);
  const postgres = migrationNames(POSTGRES_MIGRATIONS);
  const lines = [];
  if (postgres[0] !== BASELINE) lines.push(`prisma/postgres/migrations must start with ${BASELINE} (it starts with ${postgres[0] ?? "nothing"})`);
  const after = (names) => names.filter((n) => n > BASELINE);
  for (const n of after(sqlite))
    if (!postgres.includes(n)) lines.push(`${n}: in prisma/migrations only (write its PostgreSQL half in prisma/postgres/migrations/${n})`);
  for (const n of after(postgres))
    if (!sqlite.includes(n)) lines.push(`${n}: in prisma/postgres/migrations only (write its SQLite half in prisma/migrations/${n})`);
  for (const n of postgres) if (n < BASELINE) lines.push(`${n}: in prisma/postgres/migrations, older than the baseline ${BASELINE}`);
  return lines.length ? [{ label: "Migration folders (the same names after the PostgreSQL baseline)", lines }] : [];
}

/** Tried on a migrated scratch database: the moderation log takes a row, refuses an edit and a delete, and allows clearing who acted (a member deleted). */
async function auditLogTrial(engine, run) {
  const lines = [];
  try {
    await run(`INSERT INTO "AuditEvent" ("action", "createdAt") VALUES ('drift-check', CURRENT_TIMESTAMP)`);
  } catch (err) {
    return [`${engine}: could not add a log row to try it (${err.message})`];
  }
  for (const [what, sql] of [
    ["an edit", `UPDATE "AuditEvent" SET "action" = 'edited'`],
    ["a delete", `DELETE FROM "AuditEvent"`],
  ]) {
    const refused = await run(sql).then(
      () => false,
      () => true,
    );
    if (!refused) lines.push(`${engine}: AuditEvent accepted ${what} (the append-only trigger is missing)`);
  }
  await run(`UPDATE "AuditEvent" SET "actorId" = NULL`).catch((err) => lines.push(`${engine}: AuditEvent refused clearing actorId (${err.message})`));
  return lines;
}

async function main() {
  writePostgresSchema(); // prisma/postgres/schema.prisma from prisma/schema.prisma, as generate does
  const migratedSqlite = path.join(tmp, "migrated.db");
  const expectedSqlite = path.join(tmp, "expected.db");
  const [migratedPg, expectedPg] = [await scratchDatabase("migrated"), await scratchDatabase("expected")];

  // The slow parts side by side: Prisma's diffs (the PostgreSQL one needs the server, through the config's adapter) and the migrations.
  const [sqliteSql, postgresSql] = await quietly(() =>
    Promise.all([
      renderSchema(SQLITE_SCHEMA, { DATABASE_URL: `file:${path.join(tmp, "diff-scratch.db")}` }),
      renderSchema(POSTGRES_SCHEMA, { DATABASE_URL: expectedPg }, path.join(ROOT, "prisma", "postgres", "prisma.config.ts")),
      migrate(`file:${migratedSqlite}`),
      migratePostgres(migratedPg),
    ]),
  );
  const expected = new Database(expectedSqlite);
  expected.exec(sqliteSql);
  expected.close();
  const client = new pg.Client({ connectionString: expectedPg });
  await client.connect();
  await client.query(postgresSql).finally(() => client.end());

  const catalogs = {
    sqlite: sqliteCatalog(migratedSqlite),
    postgres: await postgresCatalog(migratedPg),
    sqliteSchema: sqliteCatalog(expectedSqlite),
    postgresSchema: await postgresCatalog(expectedPg),
  };
  const problems = [
    ...diff(
      "SQLite migrations vs PostgreSQL migrations",
      facts(catalogs.sqlite, { raw: false }),
      facts(catalogs.postgres, { raw: false }),
      "SQLite",
      "PostgreSQL",
    ),
    ...diff(
      "SQLite: prisma/migrations vs prisma/schema.prisma (run npm run db:new-migration)",
      facts(catalogs.sqlite, { raw: true }),
      facts(catalogs.sqliteSchema, { raw: true }),
      "migrations",
      "schema.prisma",
    ),
    ...diff(
      "PostgreSQL: prisma/postgres/migrations vs schema.prisma (run npm run db:new-migration)",
      facts(catalogs.postgres, { raw: true }),
      facts(catalogs.postgresSchema, { raw: true }),
      "migrations",
      "schema.prisma",
    ),
    ...pairedMigrations(),
  ];

  // Hand-written objects. Until a PostgreSQL migration creates the search tables, search is checked on SQLite alone.
  const notes = [];
  const sqliteObjects = handWritten(catalogs.sqlite);
  const postgresObjects = handWritten(catalogs.postgres);
  const searchOnPostgres = migrationNames(POSTGRES_MIGRATIONS).some((n) =>
    /"?SearchIndex"?/.test(fs.readFileSync(path.join(POSTGRES_MIGRATIONS, n, "migration.sql"), "utf8")),
  );
  const required = ["table SearchIndex", "AuditEvent UPDATE rejected (trigger)", "AuditEvent DELETE rejected (trigger)"];
  for (const table of ["Thread", "Reply", "Resource"])
    for (const event of ["INSERT", "UPDATE", "DELETE"]) required.push(`${table} ${event} → SearchIndex (trigger)`);
  const objectLines = [];
  for (const fact of required) if (!sqliteObjects.has(fact)) objectLines.push(`${fact}: missing on SQLite`);
  const isSearchFact = (f) => SEARCH_TABLES.some((t) => f.includes(t));
  if (!searchOnPostgres) notes.push("No PostgreSQL migration creates the search tables yet: search objects were checked on SQLite only.");
  for (const fact of required) if (!postgresObjects.has(fact) && (searchOnPostgres || !isSearchFact(fact))) objectLines.push(`${fact}: missing on PostgreSQL`);
  for (const fact of [...new Set([...sqliteObjects, ...postgresObjects])].sort()) {
    if (!searchOnPostgres && isSearchFact(fact)) continue;
    if (required.includes(fact)) continue;
    if (!postgresObjects.has(fact)) objectLines.push(`${fact}: on SQLite only`);
    if (!sqliteObjects.has(fact)) objectLines.push(`${fact}: on PostgreSQL only`);
  }
  const sqliteTrial = new Database(migratedSqlite);
  objectLines.push(...(await auditLogTrial("SQLite", async (sql) => sqliteTrial.exec(sql))));
  sqliteTrial.close();
  const trial = new pg.Client({ connectionString: migratedPg });
  await trial.connect();
  objectLines.push(...(await auditLogTrial("PostgreSQL", (sql) => trial.query(sql))));
  await trial.end();
  if (objectLines.length)
    problems.push({ label: "Hand-written objects (search tables and their triggers, the append-only moderation log)", lines: objectLines });

  const tables = catalogs.sqlite.tables.size;
  for (const note of notes) console.log(`note: ${note}`);
  if (!problems.length) {
    console.log(
      `No drift: prisma/migrations, prisma/postgres/migrations and prisma/schema.prisma agree (${tables} tables; ` +
        `${migrationNames(SQLITE_MIGRATIONS).length} SQLite and ${migrationNames(POSTGRES_MIGRATIONS).length} PostgreSQL migrations; ${((Date.now() - started) / 1000).toFixed(1)} s).`,
    );
    return 0;
  }
  const count = problems.reduce((n, p) => n + p.lines.length, 0);
  console.error(`Drift: ${count} difference(s).`);
  for (const { label, lines } of problems) {
    console.error(`\n${label}:`);
    for (const line of lines) console.error(`  - ${line}`);
  }
  console.error(
    "\nEvery schema change goes to both engines: npm run db:new-migration -- <name> writes both halves; hand-written SQL is added to both by hand.",
  );
  return 1;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(err.message);
} finally {
  await cleanUp();
}
process.exit(code);
