// Stored post HTML as plain words, for places that show a taste of a post
// without its markup: digest excerpts today (raw Markdown there showed
// "**MUSTIE**"). Rendered HTML, not the Markdown source, so what a reader
// sees is what the post says on the site: links as their text, quotes and
// lists as sentences, no asterisks.
import { Parser } from "htmlparser2";
import { clip } from "./input";

const BLOCKS = new Set([
  "p",
  "div",
  "li",
  "ul",
  "ol",
  "blockquote",
  "pre",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "br",
  "tr",
  "td",
  "th",
  "hr",
  "table",
  "section",
  "aside",
]);
const SILENT = new Set(["script", "style", "template"]);

/** The words of an HTML fragment, whitespace collapsed, at most `max` characters (cut at a word, with "…"). */
export function textExcerpt(html: string, max: number): string {
  let text = "";
  let silent = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SILENT.has(name)) silent++;
        else if (BLOCKS.has(name)) text += " ";
      },
      onclosetag(name) {
        if (SILENT.has(name)) silent = Math.max(0, silent - 1);
        else if (BLOCKS.has(name)) text += " ";
      },
      ontext(data) {
        if (!silent && text.length <= max * 2) text += data;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html.slice(0, max * 20));
  parser.end();
  const words = text.replace(/\s+/g, " ").trim();
  if (words.length <= max) return words;
  const cut = clip(words, max - 1);
  const atWord = cut.lastIndexOf(" ");
  return `${atWord > max / 2 ? cut.slice(0, atWord) : cut}…`;
}
