// `npm run bench:seed`: the bench community — 10,000 threads and 200,000
// replies (threads 1–4 with exactly 200, 20, 51 and 1,000 replies of 400–800
// characters, for the thread-page benches), 5,000 members (bench1 to
// bench5000; "bench1" has 300 notifications), a share of TARGETs with private replies, 2,000 clearinghouse
// entries (most approved). Text follows Zipf's law over a 20,000-word
// vocabulary, as real posts do, so search sees common and rare words. Written straight into
// SQLite in a few big transactions (a benchmark fixture, not app data), into
// BENCH_DATA_DIR (default .cache/bench), never into data/. With
// BENCH_DATABASE=postgres it is then copied into PostgreSQL (paranet_bench).
import fs from "node:fs";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import Database from "better-sqlite3";
import { migrate, ROOT } from "../scripts/lib.mjs";
import { BENCH_ENGINE, COMPETENCY_AREA_SLUGS, copyBenchCommunityToPostgres } from "./lib.mjs";

const dir = path.resolve(ROOT, process.env.BENCH_DATA_DIR ?? ".cache/bench");
const file = path.join(dir, "paranet.db");
const THREADS = Number(process.env.BENCH_THREADS ?? 10_000);
const REPLIES = Number(process.env.BENCH_REPLIES ?? 200_000);
const MEMBERS = 5_000;
// The thread-page benches' threads: ids 1 to 4, in this order.
const SIZED_THREADS = [200, 20, 51, 1000];
const SIZED_REPLIES = SIZED_THREADS.reduce((a, b) => a + b, 0);

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

const areas = COMPETENCY_AREA_SLUGS;
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
/** A reply of 400–800 characters with a bold phrase and a short list, as Markdown and as its HTML. */
function markdownAnswer() {
  const opening = sentence(25 + Math.floor(random() * 30));
  const bold = sentence(3);
  const items = [sentence(6), sentence(8), sentence(5)];
  const closing = sentence(15 + Math.floor(random() * 20));
  const source = `${opening} **${bold}**.\n\n${items.map((x) => `- ${x}`).join("\n")}\n\n${closing}.`;
  const html = `<p>${opening} <strong>${bold}</strong>.</p>\n<ul>\n${items.map((x) => `<li>${x}</li>`).join("\n")}\n</ul>\n<p>${closing}.</p>\n`;
  return [source, html];
}
const KINDS = ["question", "question", "question", "question", "discussion", "discussion", "target", "hit", "job"];

db.transaction(() => {
  const tag = db.prepare(`INSERT INTO "Tag" (slug, name, kind, scopeNote, position, createdAt) VALUES (?, ?, 'competency', '', ?, ?)`);
  areas.forEach((slug, i) => tag.run(slug, slug.replace(/-/g, " "), i, iso(t0)));
  const user =
    db.prepare(`INSERT INTO "User" (email, handle, displayName, passwordHash, jobTitle, worksite, libraryType, createdAt, updatedAt, passwordChangedAt)
    VALUES (?, ?, ?, 'not-a-usable-hash', 'Library Assistant', ?, 'school', ?, ?, ?)`);
  for (let i = 1; i <= MEMBERS; i++) user.run(`bench${i}@example.org`, `bench${i}`, `Bench Member ${i}`, `Library ${i}`, iso(t0), iso(t0), iso(t0));
})();
// bench1 can log in (password "benchmark password"): the member benches read as someone with history.
db.prepare(`UPDATE "User" SET passwordHash = ? WHERE id = 1`).run(await hash("benchmark password", { algorithm: 2 }));

const threadKinds = [];
db.transaction(() => {
  const thread = db.prepare(`INSERT INTO "Thread" (kind, title, slug, bodySource, bodyHtml, rendererVersion, authorId, createdAt, lastActivityAt)
    VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)`);
  const threadTag = db.prepare(`INSERT INTO "ThreadTag" (threadId, tagId) VALUES (?, ?)`);
  for (let i = 1; i <= THREADS; i++) {
    const sized = i <= SIZED_THREADS.length;
    const kind = sized ? "question" : pick(KINDS);
    threadKinds[i] = kind;
    const title = sized ? `A thread with ${SIZED_THREADS[i - 1]} replies` : `${kind === "target" ? "TARGET: " : ""}${sentence(6)} ${i}`;
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
  const sizedThreadOf = (i) => {
    for (let t = 0, end = 0; t < SIZED_THREADS.length; t++) if (i < (end += SIZED_THREADS[t])) return t + 1;
    return 0;
  };
  for (let i = 0; i < REPLIES; i++) {
    const sized = i < SIZED_REPLIES;
    const threadId = sized ? sizedThreadOf(i) : 1 + SIZED_THREADS.length + Math.floor(random() * (THREADS - SIZED_THREADS.length));
    // The sized threads' replies look like real answers (400–800 characters, a little Markdown).
    const [body, html] = sized ? markdownAnswer() : ((text) => [text, `<p>${text}</p>\n`])(sentence(30));
    const at = t0 + Math.floor(random() * span);
    reply.run(threadId, 1 + Math.floor(random() * MEMBERS), body, html, threadKinds[threadId] === "target" ? 1 : 0, Math.floor(random() * 4), iso(at));
  }
})();

// The notifications page's bench reader: bench1, with 300 notifications (a third unread).
db.transaction(() => {
  const note = db.prepare(
    `INSERT INTO "Notification" (userId, kind, threadId, replyId, actorId, createdAt, readAt) VALUES (1, 'reply_in_followed_thread', ?, NULL, ?, ?, ?)`,
  );
  for (let i = 0; i < 300; i++) {
    const at = iso(t0 + span - (300 - i) * 3_600_000);
    note.run(5 + i, 2 + (i % 100), at, i % 3 ? at : null);
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
