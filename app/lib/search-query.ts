// What people type into a search box, turned into a valid SQLite FTS5 query.
// The language people already know: words (all must match), "exact phrase",
// -excluded, prefix*, and OR between alternatives. Anything else — stray
// operators, unbalanced quotes, punctuation, emoji, very long input — is read
// as plain words, so a search never fails on what was typed.

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
  const text = input.slice(0, MAX_QUERY_LENGTH).replace(/[\u0000-\u001f\u007f]/g, " ");
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
    const prefix = !phrase && /\*+$/.test(word);
    const clean = (prefix ? word.replace(/\*+$/, "") : word).replace(/\*/g, " ").trim();
    if (!MEANINGFUL.test(clean)) continue;
    out.push({ text: clean, prefix, exclude, or: pendingOr && !exclude });
    pendingOr = false;
  }
  return out;
}

/**
 * The FTS5 query for a search box's text, or null when nothing in it can be
 * searched (empty, only punctuation, only exclusions).
 */
export function toFtsQuery(input: string): string | null {
  const all = terms(input);
  const positive = all.filter((t) => !t.exclude).slice(0, 12);
  const excluded = all.filter((t) => t.exclude).slice(0, 6);
  if (!positive.length) return null;
  // Alternatives joined by OR form one group; groups must all match.
  const groups: string[][] = [];
  for (const t of positive) {
    const literal = `${quote(t.text)}${t.prefix ? "*" : ""}`;
    if (t.or && groups.length) groups[groups.length - 1].push(literal);
    else groups.push([literal]);
  }
  const must = groups.map((g) => (g.length > 1 ? `(${g.join(" OR ")})` : g[0])).join(" AND ");
  const not = excluded.map((t) => ` NOT ${quote(t.text)}${t.prefix ? "*" : ""}`).join("");
  return `${groups.length > 1 || not ? `(${must})` : must}${not}`;
}

/** The words to highlight in titles, lower-cased (for results' headings). */
export function searchWords(input: string): string[] {
  return terms(input)
    .filter((t) => !t.exclude)
    .map((t) => t.text.toLowerCase());
}

/**
 * A snippet from FTS5 (with \u0002 … \u0003 around matches) as safe HTML:
 * everything escaped, then only balanced <mark> elements added.
 */
export function snippetHtml(snippet: string): string {
  let html = "";
  let open = false;
  for (const ch of snippet) {
    if (ch === "\u0002") {
      if (!open) html += "<mark>";
      open = true;
    } else if (ch === "\u0003") {
      if (open) html += "</mark>";
      open = false;
    } else {
      html += ch === "&" ? "&amp;" : ch === "<" ? "&lt;" : ch === ">" ? "&gt;" : ch === '"' ? "&quot;" : ch === "'" ? "&#39;" : ch;
    }
  }
  return open ? `${html}</mark>` : html;
}
