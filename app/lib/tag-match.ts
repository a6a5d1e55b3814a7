// Which tags match what a member types in the tag picker: pure, so the
// browser runs it on every keystroke without asking the server.

export type MatchableTag = { id: number; name: string; scopeNote: string; synonyms: { name: string }[] };

/** Lower case, accents and punctuation gone: "Références" and "references" meet. */
export function foldForMatch(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** How well `query` fits `text`, lower is better: the start, then a word's start, then anywhere; null when absent. */
function fit(text: string, query: string): number | null {
  const folded = foldForMatch(text);
  if (folded.startsWith(query)) return 0;
  if (folded.includes(` ${query}`)) return 1;
  if (folded.includes(query)) return 2;
  return null;
}

/**
 * The tags matching `query`, best first: by name, then by a synonym (so
 * "mustie" finds Weeding), then by a word of the scope note; ties keep the
 * list's own order (competency areas first). `exclude` holds chosen ids.
 * An empty query lists every tag not excluded.
 */
export function matchTags<T extends MatchableTag>(tags: T[], query: string, exclude: ReadonlySet<number> = new Set(), limit = 8): T[] {
  const q = foldForMatch(query);
  const open = tags.filter((t) => !exclude.has(t.id));
  if (!q) return open;
  const scored: { tag: T; score: number; order: number }[] = [];
  open.forEach((tag, order) => {
    const byName = fit(tag.name, q);
    const bySynonym = Math.min(...tag.synonyms.map((s) => fit(s.name, q) ?? Infinity));
    // A scope note only counts from a word's start, and from three letters: "a" should not match every note.
    const byNote = q.length >= 3 && ` ${foldForMatch(tag.scopeNote)}`.includes(` ${q}`) ? 0 : null;
    const score = byName !== null ? byName : Number.isFinite(bySynonym) ? 3 + bySynonym : byNote !== null ? 6 : null;
    if (score !== null) scored.push({ tag, score, order });
  });
  return scored
    .sort((a, b) => a.score - b.score || a.order - b.order)
    .slice(0, limit)
    .map((s) => s.tag);
}
