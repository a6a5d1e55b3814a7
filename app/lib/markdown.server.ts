// Posts are written in Markdown and rendered once, when saved: markdown-it
// (CommonMark + tables, strikethrough, linkify; raw HTML off) and then
// sanitize-html with a strict allowlist. Source, HTML and RENDERER_VERSION are
// stored together, so a change to these rules can re-render every post with
// one command (bump the version).
import { RESOURCE_COST_LABELS, RESOURCE_TYPE_LABELS, type ResourceCost, type ResourceType } from "./domain";
import MarkdownIt from "markdown-it";
import type StateCore from "markdown-it/lib/rules_core/state_core.mjs";
import type Token from "markdown-it/lib/token.mjs";
import sanitizeHtml from "sanitize-html";
import { escapeHtml } from "./html";

export const RENDERER_VERSION = 1;

type RenderEnv = { knownHandles?: ReadonlySet<string>; mentions: Set<string> };

const MENTION = /(^|[^A-Za-z0-9_@/.-])@([A-Za-z0-9](?:[A-Za-z0-9_-]{1,28}[A-Za-z0-9]))(?![A-Za-z0-9_-])/g;

/** Turn @handle in plain text (not in links or code) into a profile link. */
function mentions(state: StateCore) {
  const env = state.env as RenderEnv;
  for (const block of state.tokens) {
    if (block.type !== "inline" || !block.children) continue;
    const out: Token[] = [];
    let linkDepth = 0;
    for (const token of block.children) {
      if (token.type === "link_open") linkDepth++;
      if (token.type === "link_close") linkDepth--;
      if (token.type !== "text" || linkDepth > 0 || !token.content.includes("@")) {
        out.push(token);
        continue;
      }
      let last = 0;
      for (const m of token.content.matchAll(MENTION)) {
        const handle = m[2].toLowerCase();
        if (env.knownHandles && !env.knownHandles.has(handle)) continue;
        const at = m.index! + m[1].length;
        if (at > last) out.push(textToken(state, token.content.slice(last, at)));
        const open = new state.Token("link_open", "a", 1);
        open.attrs = [
          ["href", `/u/${handle}`],
          ["class", "mention"],
        ];
        out.push(open, textToken(state, `@${m[2]}`), new state.Token("link_close", "a", -1));
        env.mentions.add(handle);
        last = at + 1 + m[2].length;
      }
      if (last === 0) out.push(token);
      else if (last < token.content.length) out.push(textToken(state, token.content.slice(last)));
    }
    block.children = out;
  }
}

function textToken(state: StateCore, content: string): Token {
  const t = new state.Token("text", "", 0);
  t.content = content;
  return t;
}

const markdown = new MarkdownIt("default", { html: false, linkify: true, typographer: false, breaks: false });
markdown.core.ruler.push("mentions", mentions);

const EXTERNAL_REL = "nofollow ugc noopener noreferrer";

const SANITIZE: sanitizeHtml.IOptions = {
  // Never add textarea, xmp, svg, math, option or style: sanitize-html 2.17.5
  // (the last release for Node 20) has known bypasses with them.
  allowedTags: [
    "p",
    "br",
    "hr",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ],
  allowedAttributes: {
    a: ["href", "title", "class", "rel"],
    img: ["src", "alt", "title"],
    code: ["class"],
    ol: ["start"],
    th: ["style"],
    td: ["style"],
  },
  allowedClasses: { a: ["mention"], code: [/^language-[A-Za-z0-9_+-]{1,30}$/] },
  allowedStyles: { th: { "text-align": [/^(left|right|center)$/] }, td: { "text-align": [/^(left|right|center)$/] } },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["https"] },
  allowedSchemesAppliedToAttributes: ["href", "src"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    // A post's headings sit below the page's own h1/h2.
    h1: "h3",
    h2: "h4",
    h3: "h5",
    h4: "h6",
    h5: "h6",
    a: (tagName, attribs) => {
      const internal = attribs.href?.startsWith("/") && !attribs.href.startsWith("//");
      const { class: cls, ...rest } = attribs;
      return {
        tagName,
        attribs: internal ? { ...rest, ...(cls === "mention" ? { class: cls } : {}) } : { ...rest, rel: EXTERNAL_REL },
      };
    },
  },
  // Images only from absolute https URLs (not relative paths on this site).
  exclusiveFilter: (frame) => frame.tag === "img" && !/^https:\/\//i.test(frame.attribs.src ?? ""),
};

export type Rendered = { html: string; mentions: string[]; rendererVersion: number };

/**
 * Render Markdown to safe HTML. With `knownHandles`, only those @handles
 * become links (and are reported as mentions).
 */
export function renderMarkdown(source: string, options: { knownHandles?: ReadonlySet<string> } = {}): Rendered {
  const env: RenderEnv = { knownHandles: options.knownHandles, mentions: new Set() };
  const html = sanitizeHtml(markdown.render(source, env), SANITIZE);
  return { html, mentions: [...env.mentions], rendererVersion: RENDERER_VERSION };
}

/** Markdown source as a block quote ("> " before every line). */
export function quoteMarkdown(source: string): string {
  return source
    .trim()
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
}

/** Handles written as @handle in a text, lower-cased (to look up before rendering). */
export function mentionedHandles(source: string): string[] {
  return [...new Set([...source.matchAll(MENTION)].map((m) => m[2].toLowerCase()))];
}

/**
 * The card a post shows for a clearinghouse resource it links: built here
 * from escaped fields (after sanitizing the post), pointing to the entry.
 */
export function resourceCardHtml(r: { id: number; title: string; provider: string; type: string; cost: string }): string {
  const meta = [r.provider, RESOURCE_TYPE_LABELS[r.type as ResourceType] ?? "", RESOURCE_COST_LABELS[r.cost as ResourceCost] ?? ""].filter(Boolean).join(" · ");
  return (
    `<aside class="resource-card" aria-label="Clearinghouse resource">` +
    `<p class="resource-card__label">In the clearinghouse</p>` +
    `<p class="resource-card__title"><a href="/resources/${r.id}">${escapeHtml(r.title)}</a></p>` +
    (meta ? `<p class="resource-card__meta">${escapeHtml(meta)}</p>` : "") +
    `</aside>`
  );
}
