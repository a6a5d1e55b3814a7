// `npm run db:copy -- --to postgresql://… [--from file:…]`: move an
// installation from SQLite to PostgreSQL. The source is the database
// `npm start` would use (DATABASE_URL / DATA_DIR, or --from); the target must
// be an empty PostgreSQL database (createdb it first).
//
// 1. The target gets the PostgreSQL migrations (prisma/postgres/migrations).
// 2. Then, in ONE transaction on the target: every table is copied, parents
//    before children, in batches (one INSERT … SELECT FROM unnest(arrays) per
//    batch: one parameter per column whatever the batch size), ids kept,
//    booleans 0/1 → false/true, SQLite's date text → timestamps (UTC). The
//    foreign keys that make a cycle (Thread.acceptedReplyId → Reply) or point
//    into their own table are filled in after all rows are in. Every
//    sequence is set past the ids SQLite ever issued (sqlite_sequence, not
//    max(id): LiveEvent ids are never reused, so a browser's "events since N"
//    still means what it meant). The row counts are compared table by table.
//    Anything wrong rolls it all back: the target is left without a single
//    copied row (migrated and empty, a valid target for another try).
// 3. The search index is rebuilt on PostgreSQL by the app's own rebuild
//    (npm run search:rebuild), when PostgreSQL has search tables.
//
// The source is read in one SQLite read transaction (a consistent snapshot),
// but writes made after it are not copied: stop ParaNet first.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { databaseUrl, isPostgresUrl, migratePostgres, ROOT, safeUrl } from "./lib.mjs";

const USAGE = `Usage: npm run db:copy -- --to postgresql://user@host:5432/database [--from file:path/to/paranet.db]

Copies a ParaNet SQLite database (by default the one npm start uses: DATABASE_URL, or DATA_DIR/paranet.db)
into an EMPTY PostgreSQL database. Create the target first, for example:
  createdb -T template0 -E UTF8 --lc-collate=C --lc-ctype=C.UTF-8 paranet
(C collation: names and titles sort as they do on SQLite.) Stop ParaNet while it copies.`;

function fail(message, code = 1) {
  console.error(message);
  process.exit(code);
}

let args;
try {
  args = parseArgs({ options: { to: { type: "string" }, from: { type: "string" }, batch: { type: "string" }, help: { type: "boolean", short: "h" } } }).values;
} catch (err) {
  fail(`${err.message}\n\n${USAGE}`, 2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!args.to || !isPostgresUrl(args.to)) fail(`--to must name the PostgreSQL database to copy into (postgresql://…).\n\n${USAGE}`, 2);
const target = args.to;
const sourceUrl = args.from ? (args.from.startsWith("file:") || isPostgresUrl(args.from) ? args.from : `file:${args.from}`) : databaseUrl();
if (isPostgresUrl(sourceUrl)) fail(`The source ${safeUrl(sourceUrl)} is PostgreSQL already: name the SQLite file with --from file:…`, 2);
const sourceFile = path.resolve(ROOT, sourceUrl.replace(/^file:/, ""));
if (!fs.existsSync(sourceFile)) fail(`No SQLite database at ${sourceFile}. Name it with --from file:… (or set DATA_DIR / DATABASE_URL as for npm start).`, 2);
/** Rows per INSERT (each batch is one statement whatever its size). */
const BATCH = Math.max(1, Number(args.batch ?? 5000));

const { default: Database } = await import("better-sqlite3");
const { default: pg } = await import("pg");

const q = (name) => `"${name.replace(/"/g, '""')}"`;
/** Tables the database fills from the others (search): rebuilt, not copied. */
const isDerived = (table) => /^(Private)?SearchIndex/.test(table);
/** Not ParaNet's data: the migration log (each engine has its own), SQLite's internals, the derived tables. */
const notCopied = (table) => table === "_prisma_migrations" || table.startsWith("sqlite_") || isDerived(table);
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

const started = Date.now();
const source = new Database(sourceFile, { readonly: true, fileMustExist: true, timeout: 5000 });
source.defaultSafeIntegers(true); // 64-bit integers as BigInt: never rounded
checkSourceMigrations();

// int8 (counts, sequence values) as numbers.
const types = { getTypeParser: (oid, format) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) };
async function connect() {
  const c = new pg.Client({ connectionString: target, connectionTimeoutMillis: 5000, types });
  c.on("error", () => {}); // a dropped connection is reported by the query that fails
  try {
    await c.connect();
  } catch (err) {
    fail(`Could not connect to PostgreSQL at ${safeUrl(target)}: ${err.message}`);
  }
  return c;
}

let client = await connect();
let exitCode = 0;
try {
  const version = Number((await client.query(`SELECT current_setting('server_version_num') AS "v"`)).rows[0].v);
  if (version < 130000) throw new Error("ParaNet needs PostgreSQL 13 or newer.");
  await refuseNonEmpty();
  await client.end();
  // Migrations commit one by one, as on every start: a migrated, empty target is still a valid target.
  await migratePostgres(target);
  client = await connect();
  const counts = await copyAll();
  console.log(`\nCopied ${sourceFile} → ${safeUrl(target)} in ${seconds(started)}. Rows, table by table (SQLite = PostgreSQL):`);
  const width = Math.max(...counts.map((c) => c.table.length));
  for (const { table, rows } of [...counts].sort((a, b) => a.table.localeCompare(b.table)))
    console.log(`  ${table.padEnd(width)}  ${String(rows).padStart(9)}`);
  await client.query("ANALYZE");
  exitCode = await rebuildSearch();
  console.log(
    `\nNext: run ParaNet with DATABASE_URL=${safeUrl(target)} and the same DATA_DIR (its session-secret, or SESSION_SECRET: members stay logged in).`,
  );
} catch (err) {
  const detail = [err.table && `table ${err.table}`, err.detail].filter(Boolean).join(": ");
  console.error(`\nNothing was copied: ${err.message}${detail ? `\n${detail}` : ""}`);
  if (err.code === "23503")
    console.error(
      `The SQLite database has rows that point at rows that are gone (its foreign keys were not enforced when they were written). ` +
        `List them with: sqlite3 ${sourceFile} "PRAGMA foreign_key_check;" — then fix or remove them, and copy again.`,
    );
  exitCode = 1;
} finally {
  await client.end().catch(() => {});
  source.close();
}
process.exit(exitCode);

/** This checkout's migrations are exactly those applied to the source: its tables then have the columns the target gets. */
function checkSourceMigrations() {
  const known = fs
    .readdirSync(path.join(ROOT, "prisma", "migrations"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const hasLog = source.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
  const applied = hasLog
    ? source
        .prepare(`SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
        .all()
        .map((r) => r.name)
    : [];
  const missing = known.filter((n) => !applied.includes(n));
  const unknown = applied.filter((n) => !known.includes(n));
  if (missing.length)
    fail(
      `${sourceFile} lacks ${missing.length} migration(s): ${missing.join(", ")}.\n` +
        `Bring it up to date first (stop ParaNet, then: DATABASE_URL=file:${sourceFile} npm run db:migrate), then copy it.`,
    );
  if (unknown.length) fail(`${sourceFile} has migrations this checkout does not know (${unknown.join(", ")}): copy it with the ParaNet version that wrote it.`);
}

/** The tables in the target's schema that hold rows (Prisma's migration log aside). */
async function nonEmptyTables() {
  const { rows } = await client.query(
    `SELECT c.relname AS "name" FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  const full = [];
  for (const { name } of rows) {
    if (name === "_prisma_migrations") continue;
    const { rows: n } = await client.query(`SELECT count(*) AS "n" FROM ${q(name)}`);
    if (n[0].n > 0) full.push(`${name} (${n[0].n} rows)`);
  }
  return full;
}

async function refuseNonEmpty() {
  const full = await nonEmptyTables();
  if (!full.length) return;
  throw new Error(
    `${safeUrl(target)} is not empty: ${full.join(", ")}.\n` +
      "db:copy only copies into an empty database, so that nothing there is mixed with or overwritten by the copy. " +
      "Create a new database (createdb …) and name it with --to, or empty this one yourself if its data is not needed.",
  );
}

/** The target's tables, columns, primary keys, foreign keys and sequences, from its catalog. */
async function targetCatalog() {
  const { rows: columns } = await client.query(`
    SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS "type", t.typname AS "base",
           a.attnotnull AS "notNull", pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS "sequence"
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid JOIN pg_type t ON t.oid = a.atttypid
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`);
  const { rows: keys } = await client.query(`
    SELECT c.relname AS "table", k.contype AS "kind", f.relname AS "references",
           ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS u(n, i) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i) AS "columns"
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid LEFT JOIN pg_class f ON f.oid = k.confrelid
    WHERE c.relnamespace = current_schema()::regnamespace AND k.contype IN ('p', 'f')`);
  const tables = new Map();
  for (const col of columns) {
    if (notCopied(col.table)) continue;
    if (!tables.has(col.table)) tables.set(col.table, { name: col.table, columns: [], pk: [], fks: [] });
    tables.get(col.table).columns.push(col);
  }
  for (const key of keys) {
    const table = tables.get(key.table);
    if (!table) continue;
    if (key.kind === "p") table.pk = key.columns;
    else table.fks.push({ columns: key.columns, references: key.references });
  }
  return [...tables.values()];
}

/** The source has the same tables and columns as the target (extra or missing ones would be lost or left empty without a word). */
function checkSameShape(tables) {
  const problems = [];
  const sourceTables = source
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`)
    .all()
    .map((r) => r.name)
    .filter((t) => !notCopied(t));
  for (const name of sourceTables) if (!tables.some((t) => t.name === name)) problems.push(`table ${name} is in SQLite, not in PostgreSQL`);
  for (const table of tables) {
    if (!sourceTables.includes(table.name)) {
      problems.push(`table ${table.name} is in PostgreSQL, not in SQLite`);
      continue;
    }
    const sourceColumns = source
      .prepare(`SELECT name FROM pragma_table_info(?)`)
      .all(table.name)
      .map((r) => r.name);
    const targetColumns = table.columns.map((c) => c.column);
    for (const c of sourceColumns) if (!targetColumns.includes(c)) problems.push(`${table.name}.${c} is in SQLite, not in PostgreSQL`);
    for (const c of targetColumns) if (!sourceColumns.includes(c)) problems.push(`${table.name}.${c} is in PostgreSQL, not in SQLite`);
  }
  if (problems.length)
    throw new Error(
      "The source and the target do not have the same tables and columns (the two engines' migrations disagree: npm run db:drift shows how; " +
        `or the target holds tables that are not ParaNet's):\n  ${problems.join("\n  ")}`,
    );
}

/**
 * Parents before children. A foreign key into the same table, or one that
 * closes a cycle, is left NULL at first and filled in once every table is
 * in (it must be nullable: a NOT NULL cycle could never have been inserted).
 */
function copyOrder(tables) {
  const order = [];
  const done = new Set();
  const deferred = new Map(); // table → Set of columns filled in later
  const defer = (table, columns) => {
    if (!deferred.has(table.name)) deferred.set(table.name, new Set());
    for (const c of columns) deferred.get(table.name).add(c);
  };
  let left = [...tables];
  for (const t of left) for (const fk of t.fks) if (fk.references === t.name) defer(t, fk.columns);
  const waitsFor = (t) => t.fks.filter((fk) => fk.references !== t.name && !done.has(fk.references) && !fk.columns.every((c) => deferred.get(t.name)?.has(c)));
  while (left.length) {
    let ready = left.filter((t) => waitsFor(t).length === 0);
    if (!ready.length) {
      // A cycle: break it at a table of the cycle whose keys into the cycle are all nullable.
      const reaches = (from, to, seen = new Set()) =>
        waitsFor(from).some((fk) => {
          if (fk.references === to) return true;
          if (seen.has(fk.references)) return false;
          seen.add(fk.references);
          const next = left.find((t) => t.name === fk.references);
          return next ? reaches(next, to, seen) : false;
        });
      const intoCycle = (t) =>
        waitsFor(t).filter((fk) =>
          reaches(
            left.find((u) => u.name === fk.references),
            t.name,
          ),
        );
      const nullable = (t, fk) => fk.columns.every((c) => !t.columns.find((col) => col.column === c).notNull);
      const breakable = left
        .filter((t) => reaches(t, t.name) && intoCycle(t).every((fk) => nullable(t, fk)))
        .sort((a, b) => intoCycle(a).length - intoCycle(b).length || a.name.localeCompare(b.name))[0];
      if (!breakable) throw new Error(`Foreign keys form a cycle of NOT NULL columns among: ${left.map((t) => t.name).join(", ")}`);
      for (const fk of intoCycle(breakable)) defer(breakable, fk.columns);
      continue;
    }
    for (const t of ready) {
      order.push(t);
      done.add(t.name);
    }
    left = left.filter((t) => !done.has(t.name));
  }
  return { order, deferred };
}

/** SQLite's stored value as PostgreSQL text for the column's type (null stays null). */
function converter(table, col) {
  const where = (rowid) => `${table}.${col.column} (rowid ${rowid})`;
  switch (col.base) {
    case "bool":
      return (v, rowid) => {
        if (v === null) return null;
        if (v === 1n || v === 1 || v === "true" || v === "1") return "true";
        if (v === 0n || v === 0 || v === "false" || v === "0") return "false";
        throw new Error(`${where(rowid)}: ${String(v)} is not a boolean`);
      };
    case "timestamp":
    case "date":
      return (v, rowid) => (v === null ? null : timestampText(v, () => where(rowid)));
    case "timestamptz":
      return (v, rowid) => (v === null ? null : `${timestampText(v, () => where(rowid))}+00`);
    case "int2":
    case "int4":
    case "int8":
    case "float4":
    case "float8":
    case "numeric":
      return (v, rowid) => {
        if (v === null || typeof v === "bigint" || typeof v === "number") return v === null ? null : String(v);
        if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return v;
        throw new Error(`${where(rowid)}: ${JSON.stringify(v)} is not a number`);
      };
    case "bytea":
      return (v) => (v === null ? null : Buffer.isBuffer(v) ? v : Buffer.from(String(v)));
    default:
      return (v, rowid) => {
        if (v === null) return null;
        if (Buffer.isBuffer(v)) throw new Error(`${where(rowid)}: binary data in a ${col.type} column`);
        const text = String(v);
        if (text.includes("\u0000"))
          throw new Error(`${where(rowid)}: holds a NUL character, which PostgreSQL text cannot store. Remove it from the source first.`);
        return text;
      };
  }
}

/**
 * SQLite dates as PostgreSQL timestamp text, in UTC: Prisma's ISO text
 * (2026-12-06T10:00:00.000+00:00), SQLite's CURRENT_TIMESTAMP text
 * (2026-12-06 10:00:00, UTC), or Prisma's unixepoch-ms integers.
 */
function timestampText(v, where) {
  let ms;
  if (typeof v === "bigint" || typeof v === "number") ms = Number(v);
  else {
    const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(String(v).trim());
    if (!m) throw new Error(`${where()}: ${JSON.stringify(v)} is not a date`);
    const [, day, hm = "00:00", sec = "00", frac = "0", zone = "Z"] = m;
    const offset = zone.toUpperCase() === "Z" ? "Z" : zone.length === 3 ? `${zone}:00` : zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
    ms = Date.parse(`${day}T${hm}:${sec}.${frac.padEnd(3, "0").slice(0, 3)}${offset}`);
  }
  if (!Number.isFinite(ms)) throw new Error(`${where()}: ${String(v)} is not a date`);
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

/** The copy itself, in one transaction: returns each table's row count. */
async function copyAll() {
  const tables = await targetCatalog();
  checkSameShape(tables);
  const { order, deferred } = copyOrder(tables);
  const later = [...deferred].flatMap(([table, columns]) => [...columns].map((c) => `${table}.${c}`));
  console.log(`Copying ${order.length} tables: ${order.map((t) => t.name).join(", ")}${later.length ? `; then ${later.join(", ")}` : ""}.`);
  const list = tables.map((t) => q(t.name)).join(", ");

  await client.query("BEGIN");
  try {
    // A server started on the target now waits instead of writing beside the copy.
    await client.query(`SET LOCAL lock_timeout = '10s'`);
    await client.query(`SET LOCAL timezone = 'UTC'`); // the dates below are UTC (the baseline sets this on the database too)
    try {
      await client.query(`LOCK TABLE ${list} IN ACCESS EXCLUSIVE MODE`);
    } catch (err) {
      throw new Error(`Could not lock the target's tables (${err.message}): is something (ParaNet?) using ${safeUrl(target)}? Stop it and try again.`);
    }
    await refuseNonEmpty(); // again, now that nothing else can write
    // Triggers fill derived tables (search) row by row: rebuilt in one go instead.
    for (const t of tables) await client.query(`ALTER TABLE ${q(t.name)} DISABLE TRIGGER USER`);

    source.exec("BEGIN"); // one snapshot of the source for every read below
    try {
      const expected = new Map(order.map((t) => [t.name, Number(source.prepare(`SELECT count(*) AS n FROM ${q(t.name)}`).get().n)]));
      const fills = [];
      for (const table of order) fills.push(...(await copyTable(table, deferred.get(table.name) ?? new Set(), expected.get(table.name))));
      for (const fill of fills) await fillIn(fill);
      await setSequences(tables);
      for (const t of tables) await client.query(`ALTER TABLE ${q(t.name)} ENABLE TRIGGER USER`);

      const counts = [];
      const wrong = [];
      for (const table of order) {
        const { rows } = await client.query(`SELECT count(*) AS "n" FROM ${q(table.name)}`);
        counts.push({ table: table.name, rows: rows[0].n });
        if (rows[0].n !== expected.get(table.name)) wrong.push(`${table.name}: SQLite ${expected.get(table.name)}, PostgreSQL ${rows[0].n}`);
      }
      if (wrong.length) throw new Error(`Row counts differ after the copy:\n  ${wrong.join("\n  ")}`);
      await client.query("COMMIT");
      return counts;
    } finally {
      source.exec("COMMIT");
    }
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
}

/** One table, in rowid order, a batch per statement (the next batch is read while PostgreSQL stores the last). */
async function copyTable(table, deferredColumns, total) {
  const t0 = Date.now();
  const cols = table.columns;
  const convert = cols.map((c) => converter(table.name, c));
  const insert = `INSERT INTO ${q(table.name)} (${cols.map((c) => q(c.column)).join(", ")})
    SELECT * FROM unnest(${cols.map((c, i) => `$${i + 1}::${c.type}[]`).join(", ")})`;
  const read = source.prepare(
    `SELECT rowid AS "__rowid", ${cols.map((c) => q(c.column)).join(", ")} FROM ${q(table.name)} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
  );
  const fills = [...deferredColumns].map((column) => ({ table, column, type: cols.find((c) => c.column === column).type, keys: [], values: [] }));
  const deferredIndex = new Set(cols.map((c, i) => (deferredColumns.has(c.column) ? i : -1)).filter((i) => i >= 0));

  let after = -(2n ** 63n);
  let pending = Promise.resolve();
  let copied = 0;
  for (;;) {
    const rows = read.all(after, BATCH);
    if (!rows.length) break;
    after = rows[rows.length - 1].__rowid;
    const arrays = cols.map(() => new Array(rows.length));
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      for (let i = 0; i < cols.length; i++) {
        const value = convert[i](row[cols[i].column], row.__rowid);
        if (deferredIndex.has(i) && value !== null) {
          const fill = fills.find((f) => f.column === cols[i].column);
          fill.keys.push(table.pk.map((k) => convert[cols.findIndex((c) => c.column === k)](row[k], row.__rowid)));
          fill.values.push(value);
          arrays[i][r] = null;
        } else arrays[i][r] = value;
      }
    }
    await pending;
    pending = client.query(insert, arrays);
    copied += rows.length;
  }
  await pending;
  if (total > 10_000 || Date.now() - t0 > 2000) console.log(`  ${table.name}: ${copied} rows in ${seconds(t0)}`);
  return fills.filter((f) => f.values.length);
}

/** The deferred foreign keys, by primary key, a batch per statement. */
async function fillIn({ table, column, type, keys, values }) {
  const pk = table.pk.map((k) => table.columns.find((c) => c.column === k));
  const n = pk.length;
  const sql = `UPDATE ${q(table.name)} AS t SET ${q(column)} = v."value"
    FROM unnest(${pk.map((c, i) => `$${i + 1}::${c.type}[]`).join(", ")}, $${n + 1}::${type}[]) AS v(${pk.map((_, i) => `"k${i}"`).join(", ")}, "value")
    WHERE ${pk.map((c, i) => `t.${q(c.column)} = v."k${i}"`).join(" AND ")}`;
  for (let start = 0; start < values.length; start += BATCH) {
    const slice = keys.slice(start, start + BATCH);
    await client.query(sql, [...pk.map((_, i) => slice.map((k) => k[i])), values.slice(start, start + BATCH)]);
  }
}

/**
 * Each sequence continues after the largest id SQLite ever issued for its
 * table: sqlite_sequence (AUTOINCREMENT never reuses an id, even a deleted
 * one), or max(id) if that is larger.
 */
async function setSequences(tables) {
  const issued = new Map();
  if (source.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'`).get())
    for (const { name, seq } of source.prepare(`SELECT name, seq FROM sqlite_sequence`).all()) issued.set(name, Number(seq));
  for (const table of tables) {
    for (const col of table.columns.filter((c) => c.sequence)) {
      const { rows } = await client.query(`SELECT max(${q(col.column)}) AS "n" FROM ${q(table.name)}`);
      const last = Math.max(issued.get(table.name) ?? 0, Number(rows[0].n ?? 0));
      // setval(seq, n, true): the next id is n + 1; (seq, 1, false): the next is 1.
      await client.query(`SELECT setval($1::regclass, $2, $3)`, [col.sequence, Math.max(last, 1), last > 0]);
    }
  }
}

/**
 * The search index on the target, rebuilt by the app itself (what
 * `npm run search:rebuild` runs), once the copy is committed: it is derived
 * from the tables, and a failure here loses no data. Returns the exit code.
 */
async function rebuildSearch() {
  const t0 = Date.now();
  const rebuilt = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), path.join(ROOT, "scripts", "search-rebuild.ts")], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: target, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
  });
  if (rebuilt.status !== 0) {
    process.stderr.write(`${rebuilt.stdout}${rebuilt.stderr}`);
    console.error(
      `\nThe data is copied (and committed), but rebuilding the search index failed: search finds nothing on ${safeUrl(target)} until it is rebuilt.\n` +
        `Fix what the output above says, then: DATABASE_URL=${safeUrl(target)} npm run search:rebuild`,
    );
    return 1;
  }
  console.log(`\n${rebuilt.stdout.trim() || "Search index rebuilt"} (${seconds(t0)} in all).`);
  return 0;
}
