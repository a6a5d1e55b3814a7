// Text into HTML (or XML): the five characters that could start markup or end an attribute.
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** Elements that start a new block of text: a line break (or at least a space) when HTML becomes plain text. (Table cells and <br> are for each reader to decide.) */
export const BLOCK_ELEMENTS: ReadonlySet<string> = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "body",
  "center",
  "dd",
  "div",
  "dl",
  "dt",
  "footer",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "html",
  "li",
  "ol",
  "p",
  "pre",
  "section",
  "table",
  "tr",
  "ul",
]);

/**
 * Rendered Markdown's headings moved so the highest becomes `top` (h2 under a
 * page's h1, h3 under a section's h2), keeping their order: a text shown in
 * different places (the guidelines on their page and on the join form) never
 * skips a heading level. Only for HTML this app rendered and sanitized.
 */
export function headingsFrom(html: string, top: number): string {
  const levels = [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
  if (!levels.length) return html;
  const shift = top - Math.min(...levels);
  return html.replace(
    /<(\/?)h([1-6])([\s>])/g,
    (_, slash: string, level: string, after: string) => `<${slash}h${Math.min(6, Math.max(1, Number(level) + shift))}${after}`,
  );
}
