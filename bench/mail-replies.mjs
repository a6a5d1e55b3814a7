// `npm run bench:mail-replies`: reply extraction (issue 17) on the corpus in
// test/fixtures/mail-replies/. Each case goes through mailparser as the server
// receives it, then through the old reader (email-reply-parser alone, as
// newText was before issue 17) and the new one (app/lib/mail-reply.ts).
// Prints exact-match accuracy per client family and per shape, old and new,
// and the time per message. Known misses count as misses.
// BENCH_VERBOSE=1 prints every case the new reader gets wrong.
import os from "node:os";
import { performance } from "node:perf_hooks";
import EmailReplyParser from "email-reply-parser";
import { tsImport } from "tsx/esm/api";
import { asReceived, loadCorpus } from "../test/fixtures/mail-replies/corpus.mjs";

const { replyText } = await tsImport("../app/lib/mail-reply.ts", import.meta.url);

/** newText before issue 17: the text part only, first 64 KB, email-reply-parser's visible text. */
function oldReplyText({ text }) {
  const limit = 64 * 1024;
  const t = text.replace(/\r\n?/g, "\n");
  const readable = t.length <= limit ? t : t.slice(0, t.lastIndexOf("\n", limit) + 1 || limit);
  return new EmailReplyParser()
    .read(readable)
    .getVisibleText()
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const corpus = loadCorpus();
const inputs = await Promise.all(corpus.map((c) => asReceived(c)));
const readers = { old: oldReplyText, new: replyText };
const results = corpus.map((c, i) => {
  const row = { c };
  for (const [name, read] of Object.entries(readers)) {
    const got = read(inputs[i]);
    row[name] = got === c.expected;
    row[`${name}Text`] = got;
  }
  return row;
});

function table(title, key) {
  const groups = new Map();
  for (const r of results) {
    const g = groups.get(r.c[key]) ?? { n: 0, old: 0, new: 0 };
    g.n++;
    g.old += r.old ? 1 : 0;
    g.new += r.new ? 1 : 0;
    groups.set(r.c[key], g);
  }
  const pct = (a, n) => `${a}/${n} (${Math.round((100 * a) / n)} %)`;
  console.log(`\n| ${title} | cases | email-reply-parser only | app/lib/mail-reply.ts |\n|---|---:|---:|---:|`);
  let all = { n: 0, old: 0, new: 0 };
  for (const [name, g] of [...groups].sort((a, b) => b[1].n - a[1].n)) {
    console.log(`| ${name} | ${g.n} | ${pct(g.old, g.n)} | ${pct(g.new, g.n)} |`);
    all = { n: all.n + g.n, old: all.old + g.old, new: all.new + g.new };
  }
  console.log(`| **all** | ${all.n} | ${pct(all.old, all.n)} | ${pct(all.new, all.n)} |`);
}

/** Time per message: the whole corpus read repeatedly, the median round. */
function timing(read) {
  for (let i = 0; i < 20; i++) for (const input of inputs) read(input);
  const rounds = [];
  for (let r = 0; r < 15; r++) {
    const start = performance.now();
    for (const input of inputs) read(input);
    rounds.push((performance.now() - start) / inputs.length);
  }
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(rounds.length / 2)];
}

console.log(`Reply extraction, ${corpus.length} cases (${results.filter((r) => r.c.miss).length} marked as known misses)`);
console.log(`${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}`);
table("client family", "family");
table("shape", "shape");
table("language", "language");
console.log(`\n| reader | µs per message (median of 15 rounds over the corpus) |\n|---|---:|`);
for (const [name, read] of Object.entries(readers))
  console.log(`| ${name === "old" ? "email-reply-parser only" : "app/lib/mail-reply.ts"} | ${Math.round(timing(read) * 1000)} |`);
const big = { text: `Short answer.\n\nOn Mon, Nov 23, 2026 at 9:00 AM Rosa <rosa@example.org> wrote:\n${"> old line with some words in it\n".repeat(40_000)}` };
const start = performance.now();
replyText(big);
console.log(`\nA 1.3 MB reply (64 KB read): ${Math.round(performance.now() - start)} ms with app/lib/mail-reply.ts`);

if (process.env.BENCH_VERBOSE) {
  for (const r of results.filter((x) => !x.new)) {
    console.log(`\n### ${r.c.id}${r.c.miss ? ` (known miss: ${r.c.miss})` : ""}\n--- got\n${r.newText}\n--- expected\n${r.c.expected}`);
  }
}
