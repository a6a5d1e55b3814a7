// Stored post HTML as plain words, for places that show a taste of a post
// without its markup: digest excerpts today (raw Markdown there showed
// "**MUSTIE**"). Rendered HTML, not the Markdown source, so what a reader
// sees is what the post says on the site: links as their text, quotes and
// lists as sentences, no asterisks.
import { Parser } from "htmlparser2";
import { BLOCK_ELEMENTS } from "./html";
import { clip } from "./input";

const SILENT = new Set(["script", "style", "template"]);
/** Where words would run together if nothing were put between them. */
const separates = (name: string) => BLOCK_ELEMENTS.has(name) || name === "br" || name === "td" || name === "th";

/** The words of an HTML fragment, whitespace collapsed, at most `max` characters (cut at a word, with "…"). */
export function textExcerpt(html: string, max: number): string {
  let text = "";
  let silent = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SILENT.has(name)) silent++;
        else if (separates(name)) text += " ";
      },
      onclosetag(name) {
        if (SILENT.has(name)) silent = Math.max(0, silent - 1);
        else if (separates(name)) text += " ";
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
