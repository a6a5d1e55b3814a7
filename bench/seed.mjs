// `npm run bench:seed`: the bench community — 10,000 threads and 200,000
// replies (one thread with exactly 200, for the thread-page bench), 500
// members, a share of TARGETs with private replies, 2,000 clearinghouse
// entries (most approved). Text follows Zipf's law over a 20,000-word
// vocabulary, as real posts do, so search sees common and rare words. Written straight into
// SQLite in a few big transactions (a benchmark fixture, not app data), into
// BENCH_DATA_DIR (default .cache/bench), never into data/. With
// BENCH_DATABASE=postgres it is then copied into PostgreSQL (paranet_bench).
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { migrate, ROOT } from "../scripts/lib.mjs";
import { BENCH_ENGINE, copyBenchCommunityToPostgres } from "./lib.mjs";

const dir = path.resolve(ROOT, process.env.BENCH_DATA_DIR ?? ".cache/bench");
const file = path.join(dir, "paranet.db");
const THREADS = Number(process.env.BENCH_THREADS ?? 10_000);
const REPLIES = Number(process.env.BENCH_REPLIES ?? 200_000);
const MEMBERS = 500;
const BIG_THREAD_REPLIES = 200;

fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
await migrate(`file:${file}`);

const db = new Database(file);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = OFF");
const iso = (ms) => new Date(ms).toISOString().replace("Z", "+00:00");
let seed = 42;
// mulberry32: deterministic, and 32-bit integer maths (a float LCG cycles too soon for millions of draws).
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const started = Date.now();
const t0 = Date.UTC(2024, 0, 1);
const span = Date.UTC(2026, 10, 1) - t0;

const areas = [
  "foundations",
  "technology",
  "communication-teamwork",
  "access-services",
  "adult-readers-advisory",
  "cataloging-classification",
  "collection-management",
  "reference",
  "supervision-management",
  "youth-services",
];
const common = "the a and of to for we our in with is it on library books students staff patrons".split(" ");
const words = [
  ..."weeding catalog budget storytime barcode circulation overdue fines shelving dewey marc volunteers summer reading teens makerspace database interlibrary loan display policy schedule grant inventory chromebooks laminator genre labels".split(
    " ",
  ),
  ..."acquisitions periodicals reserves textbooks audiobooks ebooks hotspots printers scanners copier passwords accounts holds renewals checkout returns dropbox damaged replacement processing covers spine labels call numbers biography fiction nonfiction picture easy readers graphic novels manga series sequels awards newbery caldecott booklists bookmarks flyers newsletter website social media calendar events programs crafts lego coding robotics chess club homework tutoring literacy esl citizenship genealogy local history archives microfilm newspapers magazines subscriptions vendors invoices purchase orders quotes bids contracts audits statistics reports surveys circulation counts gate counts door counts usage trends".split(
    " ",
  ),
  ..."supervisor principal director board trustees friends foundation volunteers pages clerks assistants technicians paraprofessionals substitutes interns students teachers parents families seniors toddlers preschool kindergarten elementary middle high school college community branch bookmobile outreach homebound deposit collections".split(
    " ",
  ),
  ..."copyright fair use privacy confidentiality challenges reconsideration intellectual freedom censorship banned books week accessibility large print braille captions translation spanish bilingual".split(
    " ",
  ),
];
// Zipf's law (frequency ∝ 1/rank) over a vocabulary the size of a real
// forum's: the everyday words first, the library words spread from rank 20 to
// about rank 3,000, and ~20,000 made-up words filling the long tail. So a
// query word occurs in between a seventh and a thousandth of the posts, as
// the words people search for do; the common words ("library", "students")
// occur in a fifth of them.
const VOCABULARY = 20_000;
const syllables =
  "ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu".split(
    " ",
  );
const ranked = [...common];
const library = [...new Set(words)];
for (let placed = 0, i = 0; ranked.length < VOCABULARY; i++) {
  if (placed < library.length && ranked.length >= 20 + 12 * placed) ranked.push(library[placed++]);
  else ranked.push(`${pick(syllables)}${pick(syllables)}${pick(syllables)}${i % 7 ? "n" : "r"}`);
}
const cumulative = [];
ranked.reduce((sum, _, rank) => (cumulative.push(sum + 1 / (rank + 1)), sum + 1 / (rank + 1)), 0);
const zipfWord = () => {
  const x = random() * cumulative[cumulative.length - 1];
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return ranked[lo];
};
const sentence = (n) => Array.from({ length: n }, zipfWord).join(" ");
const KINDS = ["question", "question", "question", "question", "discussion", "discussion", "target", "hit", "job"];

db.transaction(() => {
  const tag = db.prepare(`INSERT INTO "Tag" (slug, name, kind, scopeNote, position, createdAt) VALUES (?, ?, 'competency', '', ?, ?)`);
  areas.forEach((slug, i) => tag.run(slug, slug.replace(/-/g, " "), i, iso(t0)));
  const user =
    db.prepare(`INSERT INTO "User" (email, handle, displayName, passwordHash, jobTitle, worksite, libraryType, createdAt, updatedAt, passwordChangedAt)
    VALUES (?, ?, ?, 'not-a-usable-hash', 'Library Assistant', ?, 'school', ?, ?, ?)`);
  for (let i = 1; i <= MEMBERS; i++) user.run(`bench${i}@example.org`, `bench${i}`, `Bench Member ${i}`, `Library ${i}`, iso(t0), iso(t0), iso(t0));
})();

const threadKinds = [];
db.transaction(() => {
  const thread = db.prepare(`INSERT INTO "Thread" (kind, title, slug, bodySource, bodyHtml, rendererVersion, authorId, createdAt, lastActivityAt)
    VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)`);
  const threadTag = db.prepare(`INSERT INTO "ThreadTag" (threadId, tagId) VALUES (?, ?)`);
  for (let i = 1; i <= THREADS; i++) {
    const kind = i === 1 ? "question" : pick(KINDS);
    threadKinds[i] = kind;
    const title = i === 1 ? "The big thread with two hundred replies" : `${kind === "target" ? "TARGET: " : ""}${sentence(6)} ${i}`;
    const body = sentence(40);
    const at = t0 + Math.floor((span * i) / THREADS);
    thread.run(
      kind,
      title,
      title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, ""),
      body,
      `<p>${body}</p>\n`,
      1 + (i % MEMBERS),
      iso(at),
      iso(at),
    );
    threadTag.run(i, 1 + (i % areas.length));
  }
})();

db.transaction(() => {
  const reply = db.prepare(`INSERT INTO "Reply" (threadId, authorId, bodySource, bodyHtml, rendererVersion, isPrivate, helpfulCount, createdAt)
    VALUES (?, ?, ?, ?, 1, ?, ?, ?)`);
  for (let i = 0; i < REPLIES; i++) {
    const threadId = i < BIG_THREAD_REPLIES ? 1 : 2 + Math.floor(random() * (THREADS - 1));
    const body = sentence(30);
    const at = t0 + Math.floor(random() * span);
    reply.run(
      threadId,
      1 + Math.floor(random() * MEMBERS),
      body,
      `<p>${body}</p>\n`,
      threadKinds[threadId] === "target" ? 1 : 0,
      Math.floor(random() * 4),
      iso(at),
    );
  }
})();

const RESOURCES = Number(process.env.BENCH_RESOURCES ?? 2_000);
const TYPES = ["article", "webinar", "course", "certification", "association", "toolkit", "book"];
db.transaction(() => {
  const resource =
    db.prepare(`INSERT INTO "Resource" (title, url, normalizedUrl, abstractSource, abstractHtml, type, region, cost, provider, submitterId, status, approvedAt, createdAt, updatedAt)
    VALUES (?, ?, ?, ?, ?, ?, 'national', 'free', ?, ?, ?, ?, ?, ?)`);
  const resourceTag = db.prepare(`INSERT INTO "ResourceTag" (resourceId, tagId) VALUES (?, ?)`);
  for (let i = 1; i <= RESOURCES; i++) {
    const title = `${sentence(4)} guide ${i}`;
    const abstract = sentence(35);
    const at = iso(t0 + Math.floor((span * i) / RESOURCES));
    // One in ten waits for a moderator: search must never show those.
    resource.run(
      title,
      `https://res${i}.example.org/`,
      `res${i}.example.org`,
      abstract,
      `<p>${abstract}</p>\n`,
      TYPES[i % TYPES.length],
      `Provider ${i % 40}`,
      1 + (i % MEMBERS),
      i % 10 ? "approved" : "pending",
      i % 10 ? at : null,
      at,
      at,
    );
    resourceTag.run(i, 1 + (i % areas.length));
  }
})();

db.exec(`
  UPDATE "Thread" SET
    publicReplyCount  = (SELECT COUNT(*) FROM "Reply" r WHERE r.threadId = "Thread".id AND r.isPrivate = 0),
    privateReplyCount = (SELECT COUNT(*) FROM "Reply" r WHERE r.threadId = "Thread".id AND r.isPrivate = 1),
    helpfulTotal      = (SELECT COALESCE(SUM(helpfulCount), 0) FROM "Reply" r WHERE r.threadId = "Thread".id AND r.isPrivate = 0),
    lastActivityAt    = COALESCE((SELECT MAX(createdAt) FROM "Reply" r WHERE r.threadId = "Thread".id), createdAt);
  UPDATE "Thread" SET acceptedReplyId = (SELECT MIN(id) FROM "Reply" r WHERE r.threadId = "Thread".id AND r.isPrivate = 0)
    WHERE kind = 'question' AND id % 3 = 0;
  ANALYZE;
`);
db.pragma("wal_checkpoint(TRUNCATE)");
const counts = db
  .prepare(
    `SELECT (SELECT COUNT(*) FROM "Thread") AS threads, (SELECT COUNT(*) FROM "Reply") AS replies, (SELECT COUNT(*) FROM "User") AS members, (SELECT COUNT(*) FROM "Resource") AS resources`,
  )
  .get();
db.close();
console.log(
  `Bench community in ${file}: ${counts.threads} threads, ${counts.replies} replies, ${counts.resources} resources, ${counts.members} members (${((Date.now() - started) / 1000).toFixed(1)} s).`,
);

if (BENCH_ENGINE === "postgres") {
  console.log("Copying the bench community to PostgreSQL (npm run db:copy)…");
  await copyBenchCommunityToPostgres();
}
