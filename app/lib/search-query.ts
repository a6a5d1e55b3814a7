// What people type into a search box, parsed once and rendered as a valid
// query for either engine: SQLite FTS5 (`toFtsQuery`) or PostgreSQL's
// to_tsquery (`toTsQuery`), with the same meaning.
// The language people already know: words (all must match), "exact phrase",
// -excluded, prefix*, and OR between alternatives. Anything else — stray
// operators, unbalanced quotes, punctuation, emoji, very long input — is read
// as plain words, so a search never fails on what was typed.

import { clip } from "./input";
import { escapeHtml } from "./html";

export const MAX_QUERY_LENGTH = 500;

type Term = { text: string; prefix: boolean; exclude: boolean; or: boolean };

// A term worth searching holds at least one letter or digit (the tokenizer drops the rest).
const MEANINGFUL = /[\p{L}\p{N}]/u;

/** FTS5 string literal: double quotes doubled. Inside quotes no operator means anything. */
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

function terms(input: string): Term[] {
  const out: Term[] = [];
  // Control characters (including the ones snippets use as markers) never search.
  // eslint-disable-next-line no-control-regex
  const text = clip(input, MAX_QUERY_LENGTH).replace(/[\u0000-\u001f\u007f]/g, " ");
  let i = 0;
  let pendingOr = false;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    let exclude = false;
    if (c === "-" && i + 1 < text.length && !/\s/.test(text[i + 1])) {
      exclude = true;
      i++;
    }
    let word: string;
    let phrase = false;
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      // An unbalanced quote runs to the end of the input.
      word = text.slice(i + 1, end === -1 ? text.length : end);
      i = end === -1 ? text.length : end + 1;
      phrase = true;
    } else {
      let j = i;
      while (j < text.length && !/\s/.test(text[j]) && text[j] !== '"') j++;
      word = text.slice(i, j);
      i = j;
    }
    if (!phrase && !exclude && word === "OR") {
      pendingOr = out.length > 0;
      continue;
    }
    const starred = !phrase && /\*+$/.test(word);
    let clean = (starred ? word.replace(/\*+$/, "") : word).replace(/\*/g, " ").trim();
    if (!MEANINGFUL.test(clean)) continue;
    // A phrase of more than ten words is its first ten: long phrases cost much and add little.
    if (phrase) clean = clean.split(/\s+/).slice(0, 10).join(" ");
    // A prefix needs two letters and the index's help: at most three per search.
    const prefix = starred && [...clean].filter((ch) => MEANINGFUL.test(ch)).length >= 2 && out.filter((t) => t.prefix).length < 3;
    out.push({ text: clean, prefix, exclude, or: pendingOr && !exclude });
    pendingOr = false;
  }
  return out;
}

/**
 * What was typed, parsed once: groups of alternatives that must all match
 * (a group of one is a plain word or phrase) and terms that must not, within
 * the limits (8 terms, 6 exclusions). Null when nothing in it can be searched
 * (empty, only punctuation, only exclusions). Each engine renders it in its
 * own syntax: `toFtsQuery` (SQLite FTS5), `toTsQuery` (PostgreSQL).
 */
export type ParsedSearch = { groups: SearchTerm[][]; excluded: SearchTerm[] };
export type SearchTerm = Readonly<Term>;

export function parseSearch(input: string): ParsedSearch | null {
  const all = terms(input);
  const positive = all.filter((t) => !t.exclude).slice(0, 8);
  const excluded = all.filter((t) => t.exclude).slice(0, 6);
  if (!positive.length) return null;
  // Alternatives joined by OR form one group; groups must all match.
  const groups: Term[][] = [];
  for (const t of positive) {
    if (t.or && groups.length) groups[groups.length - 1].push(t);
    else groups.push([t]);
  }
  return { groups, excluded };
}

/** Any of these words (an "already asked?" title search): one group of alternatives, no limits beyond the caller's. */
export function anyOf(words: string[]): ParsedSearch | null {
  const group = words.filter((w) => MEANINGFUL.test(w)).map((text) => ({ text, prefix: false, exclude: false, or: true }));
  return group.length ? { groups: [group], excluded: [] } : null;
}

const parsed = (input: string | ParsedSearch | null): ParsedSearch | null => (typeof input === "string" ? parseSearch(input) : input);

/**
 * The FTS5 query for a search box's text, or null when nothing in it can be
 * searched. With `column`, only that column is searched.
 */
export function toFtsQuery(input: string | ParsedSearch | null, column?: string): string | null {
  const q = parsed(input);
  if (!q) return null;
  const literal = (t: Term) => `${quote(t.text)}${t.prefix ? "*" : ""}`;
  const must = q.groups.map((g) => (g.length > 1 ? `(${g.map(literal).join(" OR ")})` : literal(g[0]))).join(" AND ");
  const not = q.excluded.map((t) => ` NOT ${literal(t)}`).join("");
  const query = `${q.groups.length > 1 || not ? `(${must})` : must}${not}`;
  return column ? `${quote(column)} : (${query})` : query;
}

/**
 * A tsquery operand: quoted, so no operator inside it means anything, and
 * parsed and stemmed by to_tsquery like the indexed text (several words in
 * one operand become a phrase, `<->`). Quotes and backslashes are doubled.
 */
const tsOperand = (t: Term, weight: string) =>
  `'${t.text.replace(/\\/g, "\\\\").replace(/'/g, "''")}'${t.prefix || weight ? ":" : ""}${t.prefix ? "*" : ""}${weight}`;

/**
 * The same query for PostgreSQL's `to_tsquery('paranet', …)`, or null. With
 * `weight` "A", only titles are searched (they are weighted A in the index).
 */
export function toTsQuery(input: string | ParsedSearch | null, weight: "" | "A" = ""): string | null {
  const q = parsed(input);
  if (!q) return null;
  const must = q.groups.map((g) => (g.length > 1 ? `(${g.map((t) => tsOperand(t, weight)).join(" | ")})` : tsOperand(g[0], weight)));
  return [...must, ...q.excluded.map((t) => `!${tsOperand(t, "")}`)].join(" & ");
}

/** The words to highlight in titles, lower-cased (for results' headings). */
export function searchWords(input: string | ParsedSearch | null): string[] {
  const q = parsed(input);
  return q ? q.groups.flat().map((t) => t.text.toLowerCase()) : [];
}

const bare = (token: string) => token.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

/** Word beginnings that count as a match (so "weeding" marks "weed" and "weeds", as the stemmer finds them). */
function stems(words: string[]): string[] {
  const out = new Set<string>();
  for (const w of words.flatMap((p) => p.split(/\s+/)).map(bare)) {
    if (w) out.add(w.length <= 4 ? w : w.slice(0, Math.max(4, w.length - 3)));
  }
  return [...out];
}

/**
 * A passage of `text` around the first matched word, about `size` words
 * long, as safe HTML: everything escaped, matched words in <mark>. With no
 * match, the opening words. (Built here, not by FTS5's snippet(), which
 * re-runs the whole search for each row.)
 */
export function passageHtml(text: string, words: string[], size = 28, fromStart = false): string {
  const tokens = text.split(/\s+/).filter(Boolean);
  const wanted = stems(words);
  // A token may hold several words ("<b>weeds</b>", "e-books"): any of them can match.
  const hit = (t: string) =>
    t
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .some((part) => part.length > 0 && wanted.some((w) => part.startsWith(w)));
  const first = tokens.findIndex(hit);
  const start = fromStart || first <= 6 ? 0 : first - 6;
  const shown = tokens.slice(start, start + size);
  const body = shown.map((t) => (hit(t) ? `<mark>${escapeHtml(t)}</mark>` : escapeHtml(t))).join(" ");
  return `${start > 0 ? "… " : ""}${body}${start + size < tokens.length ? " …" : ""}`;
}
