// `npm run bench:mail` (after `npm run bench:seed`): a daily digest run for
// 16,000 members, end to end. On a copy of the bench community, 16,000
// confirmed members on daily digests (each following one to three
// competency areas) and a day of new threads; the built server started with
// its digest hour now and SMTP_URL pointing at an SMTP sink in this process.
// Measured: the time from start until the sink has every digest, and the
// server's memory (RSS) through the run. Target (issue 8): under 5 minutes,
// memory flat.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { SMTPServer } from "smtp-server";
import { buildIfNeeded, migrate, ROOT } from "../scripts/lib.mjs";

const MEMBERS = Number(process.env.BENCH_MAIL_MEMBERS ?? 16_000);
const source = path.resolve(ROOT, process.env.BENCH_DATA_DIR ?? ".cache/bench", "paranet.db");
if (!fs.existsSync(source)) {
  console.error("No bench community yet: run `npm run bench:seed` first.");
  process.exit(1);
}
await buildIfNeeded();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "paranet-bench-mail-"));
const file = path.join(dir, "paranet.db");
fs.copyFileSync(source, file);
await migrate(`file:${file}`);

// The digest period ends at this hour today: a day of threads before it.
const now = new Date();
const periodEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), now.getUTCHours()));
const iso = (d) => d.toISOString().replace("Z", "+00:00");
const db = new Database(file);
db.pragma("journal_mode = WAL");
const areas = db
  .prepare(`SELECT id FROM Tag WHERE kind = 'competency' ORDER BY id`)
  .all()
  .map((r) => r.id);
db.transaction(() => {
  const user = db.prepare(`INSERT INTO "User" (email, handle, displayName, passwordHash, createdAt, updatedAt, passwordChangedAt, emailVerifiedAt, emailMode)
    VALUES (?, ?, ?, 'not-a-usable-hash', ?, ?, ?, ?, 'daily')`);
  const follow = db.prepare(`INSERT OR IGNORE INTO "TagFollow" (userId, tagId, createdAt) VALUES (?, ?, ?)`);
  for (let i = 1; i <= MEMBERS; i++) {
    const id = Number(user.run(`digest${i}@example.org`, `digest${i}`, `Digest Reader ${i}`, iso(now), iso(now), iso(now), iso(now)).lastInsertRowid);
    for (let k = 0; k <= i % 3; k++) follow.run(id, areas[(i + k * 3) % areas.length], iso(now));
  }
  const thread = db.prepare(
    `INSERT INTO "Thread" (kind, title, slug, bodySource, bodyHtml, rendererVersion, authorId, createdAt, lastActivityAt) VALUES (?, ?, 'digest', 'b', '<p>b</p>', 1, 1, ?, ?)`,
  );
  const tag = db.prepare(`INSERT INTO "ThreadTag" (threadId, tagId) VALUES (?, ?)`);
  for (let i = 0; i < 120; i++) {
    const at = iso(new Date(periodEnd.getTime() - (i + 1) * 10 * 60_000));
    const id = Number(thread.run(i % 10 === 0 ? "hit" : "question", `Digest bench thread ${i} about weeding and circulation`, at, at).lastInsertRowid);
    tag.run(id, areas[i % areas.length]);
  }
})();
db.close();

// The sink: counts messages and bytes, keeps nothing.
let received = 0;
let bytes = 0;
let lastAt = 0;
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ["AUTH", "STARTTLS"],
  logger: false,
  onData(stream, _session, callback) {
    stream.on("data", (c) => (bytes += c.length));
    stream.on("end", () => {
      received++;
      lastAt = performance.now();
      callback();
    });
  },
});
const sinkPort = await new Promise((resolve) => sink.listen(0, "127.0.0.1", () => resolve(sink.server.address().port)));

const started = performance.now();
const child = spawn(process.execPath, [path.join(ROOT, "build/server/index.js")], {
  env: {
    ...process.env,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: "0",
    DATA_DIR: dir,
    DATABASE_URL: "",
    LOG_LEVEL: "warn",
    SMTP_URL: `smtp://127.0.0.1:${sinkPort}`,
    DIGEST_HOUR: String(now.getUTCHours()),
    MAIL_DOMAIN: "bench.paranet.test",
  },
  stdio: ["ignore", "inherit", "inherit"],
});
const rss = [];
const sample = setInterval(() => {
  try {
    const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
    rss.push(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
  } catch {
    // not yet started, or gone
  }
}, 500);
const deadline = Date.now() + 10 * 60_000;
let lastReport = 0;
while (received < MEMBERS && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 250));
  if (Date.now() - lastReport > 10_000) {
    lastReport = Date.now();
    console.log(`… ${received} digests received after ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}
clearInterval(sample);
child.kill("SIGTERM");
sink.close();
const seconds = ((lastAt - started) / 1000).toFixed(1);
const sortedRss = rss.slice().sort((a, b) => a - b);
const q = (p) => sortedRss[Math.min(rss.length - 1, Math.floor(p * rss.length))]?.toFixed(0);
const thirds = [0, 1, 2].map((k) => {
  const part = rss.slice(Math.floor((k * rss.length) / 3), Math.floor(((k + 1) * rss.length) / 3));
  return (part.reduce((a, b) => a + b, 0) / Math.max(1, part.length)).toFixed(0);
});
console.log(
  `\n### Mail: daily digest run (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version})\n`,
);
console.log(`| Members due | Digests received | Total time (server start → last digest) | Mean size | RSS p50 / max (MB) | RSS by thirds of the run (MB) |`);
console.log(`|---|---|---|---|---|---|`);
console.log(
  `| ${MEMBERS} | ${received} | ${seconds} s | ${(bytes / Math.max(1, received) / 1024).toFixed(1)} KB | ${q(0.5)} / ${q(1)} | ${thirds.join(" → ")} |`,
);
fs.rmSync(dir, { recursive: true, force: true });
process.exit(received === MEMBERS ? 0 : 1);
