// `npm run db:backup [-- <file>]`: a consistent copy of the database, taken
// while the server keeps running, and of the portfolio evidence files.
// - SQLite: SQLite's online backup API, into a .db file that opens as it is.
// - PostgreSQL: `pg_dump -Fc --create` (one snapshot; custom format, which
//   pg_restore reads; --create keeps the database's own settings, such as
//   its UTC time zone, for `pg_restore --create`).
// - Evidence: DATA_DIR/evidence/<member>/ copied beside the backup, as
//   `<backup name>-evidence/`, after the database (a file is never changed
//   once stored, only added or deleted, so hard links make the copy when the
//   backup is on the same disk).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { databaseUrl, isPostgresUrl, ROOT, safeUrl } from "./lib.mjs";

const url = databaseUrl();
const dataDir = path.resolve(ROOT, process.env.DATA_DIR || "data");
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const keepSecret = () =>
  console.log(`Keep ${path.join(dataDir, "session-secret")} too (unless you set SESSION_SECRET): without it every member is logged out.`);

const target = isPostgresUrl(url) ? await backupPostgres() : await backupSqlite();
backupEvidence(target);
keepSecret();

async function backupSqlite() {
  const source = url.replace(/^file:/, "");
  if (!fs.existsSync(source)) {
    console.error(`No database at ${source}. Start ParaNet once (npm start) or set DATABASE_URL.`);
    process.exit(1);
  }
  const target = path.resolve(ROOT, process.argv[2] ?? path.join(path.dirname(source), "backups", `paranet-${stamp}.db`));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(source, { readonly: true, fileMustExist: true });
  await db.backup(target);
  db.close();
  console.log(`Backed up ${source} to ${target}`);
  return target;
}

async function backupPostgres() {
  const version = spawnSync("pg_dump", ["--version"], { encoding: "utf8" });
  if (version.error || version.status !== 0) {
    console.error(
      "npm run db:backup on PostgreSQL runs pg_dump, which is not installed here (or not on PATH).\n" +
        "Install the PostgreSQL client tools, at least the server's major version: on Debian or Ubuntu `apt-get install postgresql-client`, " +
        "elsewhere the postgresql client package of your system (or the PGDG repository for a newer major version).",
    );
    process.exit(1);
  }
  const target = path.resolve(ROOT, process.argv[2] ?? path.join(dataDir, "backups", `paranet-${stamp}.dump`));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // The password goes through the environment, not the command line (which other users of the machine can read).
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  const partial = `${target}.partial`;
  const dump = spawnSync("pg_dump", ["--format=custom", "--create", "--file", partial, "--dbname", parsed.toString()], {
    encoding: "utf8",
    stdio: ["ignore", "inherit", "pipe"],
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  });
  if (dump.status !== 0) {
    fs.rmSync(partial, { force: true });
    process.stderr.write(dump.stderr ?? "");
    const mismatch = /server version mismatch/i.test(dump.stderr ?? "");
    console.error(
      `\nCould not back up ${safeUrl(url)} (pg_dump exit ${dump.status}).` +
        (mismatch ? ` pg_dump (${version.stdout.trim()}) must be at least the server's major version: install a newer postgresql-client.` : ""),
    );
    process.exit(1);
  }
  // Only a finished dump gets the name: a failed or interrupted one never looks like a backup.
  fs.renameSync(partial, target);
  console.log(`Backed up ${safeUrl(url)} to ${target} (pg_dump custom format, ${(fs.statSync(target).size / 1e6).toFixed(1)} MB)`);
  console.log(`Restore with: pg_restore --create --dbname postgresql://…/postgres ${target}   (recreates the database under its name, with its settings)`);
  return target;
}

/**
 * The evidence files members uploaded (DATA_DIR/evidence/<member id>/), next
 * to the database backup as `<backup>-evidence/`: restore by putting its
 * folders back under DATA_DIR/evidence/. Uploads still arriving (incoming/)
 * are left out. Taken after the database, so every file the backup's rows
 * name is there, unless it was deleted in between.
 */
function backupEvidence(databaseBackup) {
  const source = path.join(dataDir, "evidence");
  const members = fs.existsSync(source) ? fs.readdirSync(source).filter((name) => /^\d+$/.test(name)) : [];
  if (!members.length) return;
  const target = `${databaseBackup.replace(/\.(db|dump)$/, "")}-evidence`;
  const partial = `${target}.partial`;
  fs.rmSync(partial, { recursive: true, force: true });
  let files = 0;
  let bytes = 0;
  for (const member of members) {
    fs.mkdirSync(path.join(partial, member), { recursive: true });
    for (const name of fs.readdirSync(path.join(source, member))) {
      const from = path.join(source, member, name);
      const to = path.join(partial, member, name);
      try {
        fs.linkSync(from, to);
      } catch (e) {
        if (e.code === "ENOENT") continue; // deleted since the listing
        fs.copyFileSync(from, to); // another disk (EXDEV) or no hard links here
      }
      files++;
      bytes += fs.statSync(to).size;
    }
  }
  // Only a finished copy gets the name.
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(partial, target);
  console.log(`Backed up ${files} evidence file${files === 1 ? "" : "s"} (${(bytes / 1e6).toFixed(1)} MB) to ${target}`);
}
