// `npm run db:backup [-- <file>]`: a consistent copy of the database, taken
// with SQLite's online backup API, so the server can keep running.
import path from "node:path";
import fs from "node:fs";
import Database from "better-sqlite3";
import { databaseUrl, ROOT } from "./lib.mjs";

const source = databaseUrl().replace(/^file:/, "");
if (!fs.existsSync(source)) {
  console.error(`No database at ${source}. Start ParaNet once (npm start) or set DATABASE_URL.`);
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const target = path.resolve(ROOT, process.argv[2] ?? path.join(path.dirname(source), "backups", `paranet-${stamp}.db`));
fs.mkdirSync(path.dirname(target), { recursive: true });
const db = new Database(source, { readonly: true, fileMustExist: true });
await db.backup(target);
db.close();
console.log(`Backed up ${source} to ${target}`);
console.log(
  `Keep ${path.resolve(ROOT, process.env.DATA_DIR || "data", "session-secret")} too (unless you set SESSION_SECRET): without it every member is logged out.`,
);
