// Hostile input: the corpus, the plan and the probes. The test files beside
// this one (the "hostile" project) run them in groups, each against a server
// and database of its own, in parallel. Every text field of every form, every
// query and path parameter and every JSON API body receives a corpus of hostile
// and odd strings: script injection, SQL-ish text, unicode edge cases, very long
// input, null bytes… Each answer must be a normal page or a 4xx with a message
// (never a 500), and nothing that gets stored may come back as live markup on
// the pages, feeds and API answers that show it.
//
// How it is driven, so that it stays fast and every string really reaches the
// code under test:
// - Each field gets each sample on its own, the other fields valid, posted as
//   a browser with JavaScript posts a Remix form (`?_data=`: the action's
//   answer without the page). Fields that hold a choice, number, date, id or
//   checkbox get the samples aimed at them (FOR_CHOICES); text fields, search
//   and API parameters the whole corpus. Then, for the samples in RENDERED,
//   every field at once as a browser without JavaScript posts it: the page
//   re-rendered with the user's text, checked for live markup, for a message,
//   and (for the fields in `echo`) for the text shown again.
// - What was stored is checked at the end of each file, on the pages that show it: every
//   thread, resource, profile and tag whose text has a character of markup or
//   beyond ASCII, the lists, queues and logs, the feeds, search and the API.
// - Limits per address (joins, log-ins, API calls) would stop a probe before
//   the code it aims at: every request comes from an address of its own
//   (TRUST_PROXY, X-Forwarded-For), and per-member counters are reset where a
//   plan needs more than a limit allows. A 429 is reported as a flaw of the plan.
// - The plan is checked against the routes (first test): a route with an
//   action, a field an action reads, a query parameter a page reads or a path
//   parameter that the plan does not cover fails.
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import Papa from "papaparse";
import { afterAll, beforeAll, expect } from "vitest";
import * as validation from "~/lib/validation";
import { textOf, Visitor, type Page } from "../helpers/client";
import { boolOf, execute, queryAll } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";

// ---------------------------------------------------------------------------
// The corpus

type Sample = { name: string; value: string };

const LONG_10K = "Lorem_ipsum-dolor.sit~amet".repeat(400).slice(0, 10_000);
const CORPUS: Sample[] = [
  { name: "script tag", value: "<script>alert(1)</script>" },
  { name: "attribute breakout", value: `"><img src=x onerror=alert(1)>` },
  { name: "svg onload", value: "<svg onload=alert(1)>" },
  { name: "javascript: URL", value: "javascript:alert(1)" },
  {
    name: "markdown link and image to javascript:",
    value:
      '[click me](javascript:alert(1)) [2](JaVaScRiPt:alert(2)) <javascript:alert(3)> ![x](javascript:alert(4)) ![y](https://img.example.org/a.png"onerror="alert(5))',
  },
  { name: "raw HTML in markdown", value: '<a href="javascript:alert(1)">link</a> <iframe src="javascript:alert(1)"></iframe> <b onmouseover=alert(1)>b</b>' },
  { name: "closing script", value: "</script><script>alert(1)</script>" },
  { name: "CDATA breakout", value: ']]>]]><img src="x" onerror="alert(1)"/><![CDATA[' },
  { name: "SQL: drop table", value: `'; DROP TABLE "User"; --` },
  { name: "SQL: or 1=1", value: `" OR 1=1 --` },
  { name: "percent-encoded null", value: "%00" },
  { name: "null byte", value: "nul\u0000byte" },
  { name: "right-to-left override", value: "\u202Egnp.exe\u202C report" },
  { name: "zero-width and separator characters", value: "zero\u200B\u200C\u200Dwidth\u2060\uFEFF a\u2028b\u2029c\u0085d" },
  { name: "1,000 combining marks", value: "e" + "\u0301".repeat(1000) },
  { name: "emoji with ZWJ sequences", value: "👩‍👩‍👧‍👦 🏳️‍🌈 🧑🏽‍🚀 📚" },
  { name: "lone surrogates", value: "lone \uD800 surrogate \uDC00" },
  { name: "CR LF header injection", value: "x\r\nSet-Cookie: evil=1\r\nLocation: https://evil.example\r\n\r\n<h1>injected</h1>" },
  { name: "template braces", value: "{{7*7}} {{constructor.constructor('alert(1)')()}}" },
  { name: "template literal", value: "${7*7} #{7*7} <%= 7*7 %>" },
  { name: "path traversal", value: "../../../../etc/passwd" },
  { name: "FTS: unbalanced quote", value: '"unbalanced' },
  { name: "FTS: NEAR(", value: "NEAR(" },
  { name: "FTS: star", value: "*" },
  { name: "JSON-ish", value: '{"a":1,"__proto__":{"admin":true}}' },
  { name: "number -1", value: "-1" },
  { name: "number 1e309", value: "1e309" },
  { name: "NaN", value: "NaN" },
  { name: "hex 0x10", value: "0x10" },
  { name: "date 9999-99-99", value: "9999-99-99" },
  { name: "empty", value: "" },
  { name: "whitespace only", value: " \t\r\n\u00A0\u3000" },
  { name: "HTML entities", value: "&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &#60;b&#62;" },
  { name: "10,000 characters", value: LONG_10K },
  { name: "100,000 characters", value: "x".repeat(100_000) },
];
const sample = (name: string) => CORPUS.find((s) => s.name === name)!.value;
const SCRIPT = sample("script tag");
const BREAKOUT = sample("attribute breakout");

const named = (...names: string[]) => CORPUS.filter((s) => names.includes(s.name));
/** What a page re-renders: posted as a browser without JavaScript, every field at once. */
const RENDERED = named("script tag", "attribute breakout", "raw HTML in markdown", "closing script", "lone surrogates");
/** The newest threads when the pages are checked (so that the feeds carry them). */
const LAST_WORDS = named(
  "script tag",
  "attribute breakout",
  "raw HTML in markdown",
  "closing script",
  "CDATA breakout",
  "null byte",
  "lone surrogates",
  "10,000 characters",
);
/**
 * Fields that hold a choice, a number, a date, an id or a checkbox (and the
 * filters of pages other than search) get the samples aimed at them; every
 * text field, search and API parameter gets the whole corpus.
 */
const FOR_CHOICES = named(
  "script tag",
  "attribute breakout",
  "SQL: drop table",
  "null byte",
  "lone surrogates",
  "CR LF header injection",
  "JSON-ish",
  "number -1",
  "number 1e309",
  "NaN",
  "hex 0x10",
  "date 9999-99-99",
  "empty",
  "whitespace only",
  "10,000 characters",
  "100,000 characters",
);
const CHOICES = new Set([
  "memberKind",
  "libraryType",
  "yearsInLibraryWork",
  "hasMlis",
  "hasLssc",
  "revokeApiTokens",
  "guidelines",
  "intent",
  "kind",
  "tagIds",
  "libraryTypes",
  "jobClosesOn",
  "hitExpectedBy",
  "replyId",
  "target",
  "type",
  "cost",
  "ceHours",
  "publishedOn",
  "intoId",
  "until",
  "id",
  "otherId",
  "userId",
  "role",
  "threadId",
  "upTo",
  "tokenId",
  "include",
  "credit-{r}",
  "send-{i}",
  "type-{i}",
  "cost-{i}",
  "holdFirstPosts",
  "flagsToHide",
  "postLimit",
  "worksiteRequired",
  "firstRow",
  "unexpected",
  "library",
  "unanswered",
  "sort",
  "page",
  "welcome",
  "reset",
  "sent",
  "submitted",
  "quote",
  "edit",
  "reply",
  "format",
  "competency",
  "from",
  "to",
  "answered",
  "after",
]);
const samplesFor = (field: string, choices: string[] = []) => (CHOICES.has(field) || choices.includes(field) ? FOR_CHOICES : CORPUS);
// Node refuses request heads over 16 KiB with a bare 431 before ParaNet sees them:
// a 100,000-character query or path never reaches the app, so URLs get the rest.
const IN_URLS = CORPUS.filter((s) => s.value.length <= 10_000);
/** JSON bodies also get values of the wrong type. */
const JSON_ODDITIES: { name: string; value: unknown }[] = [
  { name: "null", value: null },
  { name: "true", value: true },
  { name: "number 0", value: 0 },
  { name: "number -1", value: -1 },
  { name: "number 1.5", value: 1.5 },
  { name: "number 1e308", value: 1e308 },
  { name: "empty array", value: [] },
  { name: "empty object", value: {} },
  { name: "array of markup", value: [SCRIPT, BREAKOUT] },
  { name: "object", value: { $gt: "", toString: "x" } },
];

// ---------------------------------------------------------------------------
// Talking to the server

type Form = Record<string, string | string[]>;
type Target = Record<string, string>;

let server: RunningServer;
let url: string;
const PARALLEL = 8;
const PASSWORD = "correct horse battery";
const ABSTRACT = "A practical guide for support staff, with checklists and examples drawn from small libraries.";

const encodings = new Map<string, string>();
/** Percent-encoding as a careless client sends it: a lone surrogate goes out as its raw (invalid UTF-8) bytes. */
function enc(s: string): string {
  let out = encodings.get(s);
  if (out !== undefined) return out;
  out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join("");
    } else out += encodeURIComponent(s[i]);
  }
  encodings.set(s, out);
  return out;
}

const encodeForm = (form: Form) =>
  Object.entries(form)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${enc(k)}=${enc(x)}`))
    .join("&");

const withParam = (target: string, name: string, value: string) => `${target}${target.includes("?") ? "&" : "?"}${enc(name)}=${enc(value)}`;
/** The address with `name` set to `value` (replacing what it had). */
function setParam(target: string, name: string, value: string) {
  const [pathname, query = ""] = target.split("?");
  const kept = query.split("&").filter((pair) => pair && decodeURIComponent(pair.split("=")[0]) !== name);
  return withParam(kept.length ? `${pathname}?${kept.join("&")}` : pathname, name, value);
}

let addresses = 0;
/** Every request from an address of its own: limits per address never stand between a probe and its target. */
function nextAddress() {
  addresses++;
  return `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`;
}

type Body = { form?: Form; json?: unknown; raw?: string; token?: string; headers?: Record<string, string> };
function send(who: Visitor, method: string, target: string, body: Body = {}): Promise<Page> {
  const headers: Record<string, string> = { "X-Forwarded-For": nextAddress(), ...body.headers };
  let payload: string | undefined;
  if (body.form) {
    payload = encodeForm(body.form);
    headers["Content-Type"] = "application/x-www-form-urlencoded";
  } else if (body.json !== undefined) {
    payload = JSON.stringify(body.json);
    headers["Content-Type"] = "application/json";
  } else if (body.raw !== undefined) {
    payload = body.raw;
    headers["Content-Type"] ??= "application/json";
  }
  if (payload !== undefined) headers.Origin = url;
  if (body.token) headers.Authorization = `Bearer ${body.token}`;
  return who.request(target, { method, body: payload, headers });
}

const nobody = () => new Visitor(url);

/**
 * Announce a body of `size` bytes and wait for the answer before sending it:
 * the server refuses an oversized body from its Content-Length and closes the
 * connection, which would otherwise race the client still writing.
 */
function postOversized(who: Visitor, target: string, size: number, headers: Record<string, string>): Promise<Page> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(target, url), {
      method: "POST",
      headers: { ...headers, "Content-Length": String(size), Origin: url, Cookie: who.cookieHeader(), "X-Forwarded-For": nextAddress() },
    });
    let answered = false;
    // No answer on the headers alone: send the body after all (and judge what comes back).
    const late = setTimeout(() => req.end("x".repeat(size)), 3000);
    req.on("response", (res) => {
      answered = true;
      clearTimeout(late);
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) h.append(k, x);
        resolve({ status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks).toString("utf8"), location: res.headers.location ?? null });
        req.destroy();
      });
    });
    req.on("error", (e) => {
      if (!answered) reject(e);
    });
    req.flushHeaders();
  });
}
const routeIdOf = (file: string) => `routes/${file.replace(/\.tsx?$/, "")}`;
/** A form posted as Remix's browser code posts it: the action's answer as data. */
const postData = (who: Visitor, target: string, file: string, form: Form) => send(who, "POST", withParam(target, "_data", routeIdOf(file)), { form });

async function apiCall(method: string, target: string, token: string, json?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const page = await send(nobody(), method, target, { token, json });
  return { status: page.status, body: JSON.parse(page.body || "{}") as Record<string, unknown> };
}

const db = <T>(sql: string, ...args: unknown[]) => queryAll<T>(server.database, sql, ...args);

/** Per-member counters (flags, password attempts) reset, where a plan sends more than a member may. */
async function resetLimits() {
  await execute(server.database, `DELETE FROM "RateLimit"`);
}

async function pool<T>(items: T[], limit: number, run: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await run(items[next++]);
    }),
  );
}

// ---------------------------------------------------------------------------
// Judging answers

/** Elements of an HTML (or XML) document: names and attributes as a browser's tokenizer sees them. */
type Element = { name: string; attrs: [string, string][] };
const RAW_TEXT = new Set(["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"]);
const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  colon: ":",
  tab: "\t",
  newline: "\n",
  nbsp: "\u00a0",
  sol: "/",
  lpar: "(",
  rpar: ")",
};
const decodeEntities = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (m, e: string) => {
    if (e[0] !== "#") return ENTITIES[e.toLowerCase()] ?? m;
    const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : "\uFFFD";
  });

function elementsOf(html: string, xml = false): Element[] {
  const out: Element[] = [];
  const n = html.length;
  const space = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f";
  let i = 0;
  while (i < n) {
    const lt = html.indexOf("<", i);
    if (lt < 0) break;
    i = lt + 1;
    const skipTo = (end: string) => {
      const at = html.indexOf(end, i);
      i = at < 0 ? n : at + end.length;
    };
    if (html.startsWith("!--", i)) skipTo("-->");
    else if (xml && html.startsWith("![CDATA[", i)) skipTo("]]>");
    else if (html[i] === "!" || html[i] === "?" || html[i] === "/") skipTo(">");
    else if (/[A-Za-z]/.test(html[i] ?? "")) {
      let j = i;
      while (j < n && !space(html[j]) && html[j] !== "/" && html[j] !== ">") j++;
      const name = html.slice(i, j).toLowerCase();
      const attrs: [string, string][] = [];
      i = j;
      for (;;) {
        while (i < n && (space(html[i]) || html[i] === "/")) i++;
        if (i >= n || html[i] === ">") {
          i++;
          break;
        }
        let k = i + 1;
        while (k < n && !space(html[k]) && html[k] !== "/" && html[k] !== ">" && html[k] !== "=") k++;
        const attr = html.slice(i, k).toLowerCase();
        i = k;
        while (space(html[i])) i++;
        let value = "";
        if (html[i] === "=") {
          i++;
          while (space(html[i])) i++;
          const quote = html[i];
          if (quote === '"' || quote === "'") {
            const end = html.indexOf(quote, i + 1);
            value = html.slice(i + 1, end < 0 ? n : end);
            i = end < 0 ? n : end + 1;
          } else {
            let e = i;
            while (e < n && !space(html[e]) && html[e] !== ">") e++;
            value = html.slice(i, e);
            i = e;
          }
        }
        attrs.push([attr, decodeEntities(value)]);
      }
      out.push({ name, attrs });
      if (!xml && RAW_TEXT.has(name)) {
        const close = new RegExp(`</${name}[\\s/>]`, "ig");
        close.lastIndex = i;
        const m = close.exec(html);
        i = m ? m.index : n;
      }
    }
  }
  return out;
}

const URL_ATTRIBUTES = new Set([
  "href",
  "src",
  "action",
  "formaction",
  "xlink:href",
  "data",
  "poster",
  "background",
  "cite",
  "ping",
  "srcset",
  "lowsrc",
  "dynsrc",
]);
const FORBIDDEN_ELEMENTS = new Set([
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "base",
  "svg",
  "math",
  "style",
  "xmp",
  "plaintext",
  "noembed",
  "portal",
]);
const LITERALS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "<svg/onload=alert(1)>"];
/** The one inline SVG the layout draws (the search icon): hidden from assistive technology, no content of anyone's. */
const isLayoutIcon = (el: Element) => el.name === "svg" && new Map(el.attrs).get("aria-hidden") === "true" && new Map(el.attrs).get("viewbox") === "0 0 24 24";
const visible = (s: string) => [...s].filter((ch) => ch.charCodeAt(0) > 0x20 && !(ch.charCodeAt(0) >= 0x7f && ch.charCodeAt(0) <= 0x9f)).join("");

/**
 * Live markup in a page: scripts without the page's CSP nonce, event-handler
 * attributes, javascript: (and other script) URLs, elements that run or embed
 * code. In a fragment (a post's HTML, a feed's content) no script at all.
 */
function liveMarkup(html: string, opts: { nonce?: string | null; fragment?: boolean } = {}): string[] {
  const found = LITERALS.filter((l) => html.includes(l)).map((l) => `the literal ${l}`);
  for (const el of elementsOf(html)) {
    const attrs = new Map(el.attrs);
    if (el.name === "script" && (opts.fragment || !attrs.has("nonce") || (opts.nonce && attrs.get("nonce") !== opts.nonce)))
      found.push("a <script> the page did not write");
    if (FORBIDDEN_ELEMENTS.has(el.name) && (opts.fragment || !isLayoutIcon(el))) found.push(`a <${el.name}> element`);
    if (el.name === "meta" && attrs.has("http-equiv")) found.push("<meta http-equiv>");
    for (const [name, value] of el.attrs) {
      if (name.startsWith("on")) found.push(`<${el.name} ${name}=…> (an event handler)`);
      if (name === "srcdoc") found.push(`<${el.name} srcdoc>`);
      const v = visible(value).toLowerCase();
      if (URL_ATTRIBUTES.has(name) && /^(javascript|vbscript|livescript):/.test(v)) found.push(`<${el.name} ${name}="${value.slice(0, 30)}">`);
      if (URL_ATTRIBUTES.has(name) && v.startsWith("data:") && !(el.name === "img" && /^data:image\/(png|gif|jpe?g|webp)[;,]/.test(v)))
        found.push(`<${el.name} ${name}="data:…">`);
      if (name === "style" && /expression\(|javascript:|behavior:|url\(/.test(v)) found.push(`<${el.name} style="${value.slice(0, 30)}">`);
    }
  }
  return found;
}

/** HTML inside JSON (`bodyHtml`, `titleHtml`, `html`…): what a client puts in a page. */
function liveMarkupInJson(value: unknown, key = ""): string[] {
  if (typeof value === "string") return /html$|^preview$/i.test(key) ? liveMarkup(value, { fragment: true }).map((f) => `${key}: ${f}`) : [];
  if (Array.isArray(value)) return value.flatMap((v) => liveMarkupInJson(v, key));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => liveMarkupInJson(v, k));
  return [];
}

const FEED_ELEMENTS = new Set([
  "rss",
  "channel",
  "title",
  "link",
  "description",
  "lastbuilddate",
  "docs",
  "generator",
  "language",
  "copyright",
  "item",
  "guid",
  "pubdate",
  "category",
  "author",
  "dc:creator",
  "content:encoded",
  "atom:link",
  "image",
  "url",
  "feed",
  "id",
  "updated",
  "subtitle",
  "rights",
  "entry",
  "summary",
  "content",
  "published",
  "name",
  "uri",
  "email",
  "icon",
  "logo",
  "contributor",
]);
/** CDATA sections as they are, other text entity-decoded: what a feed reader gets out of an element. */
const xmlText = (inner: string) =>
  inner.replace(/<!\[CDATA\[([\s\S]*?)\]\]>|([^<]+)/g, (_m, cdata?: string, text?: string) => cdata ?? decodeEntities(text ?? ""));

/**
 * A feed's markup is its own (no element or attribute that text put there, and
 * well-formed), and what readers render as HTML (an RSS item's description and
 * content, Atom's type="html") is not live.
 */
function feedProblems(xml: string): string[] {
  const found: string[] = [];
  for (const el of elementsOf(xml, true)) {
    if (!FEED_ELEMENTS.has(el.name)) found.push(`an element that text put there: <${el.name}>`);
    for (const [name] of el.attrs) if (name.startsWith("on")) found.push(`<${el.name} ${name}=…> (an event handler)`);
  }
  for (const m of xml.matchAll(/<[a-z:]+(\s+[a-z:]+="[^"]*")+\s*\/?>/gi))
    if (/="[^"]*</.test(m[0])) found.push(`malformed XML: a raw < in an attribute (${clipText(m[0], 80)})`);
  const items = [...xml.matchAll(/<(item|entry)>([\s\S]*?)<\/\1>/g)].map((m) => m[2]).join("\n");
  for (const m of items.matchAll(/<(description|content:encoded|title|summary|content)(\s[^>]*)?>([\s\S]*?)<\/\1>/g)) {
    const html = m[1] === "description" || m[1] === "content:encoded" || /type="(html|xhtml)"/.test(m[2] ?? "");
    if (html) found.push(...liveMarkup(xmlText(m[3]), { fragment: true }).map((f) => `in an entry's <${m[1]}${m[2] ?? ""}> (HTML for feed readers): ${f}`));
  }
  return found;
}

const nonceOf = (page: Page) => /'nonce-([^']+)'/.exec(page.headers.get("content-security-policy") ?? "")?.[1] ?? null;
const nonEmpty = (v: unknown) => typeof v === "string" && v.trim().length > 0;

/** Text of the page's alerts (form messages, field errors) or its error page. */
function messagesIn(html: string): string[] {
  const texts = [...html.matchAll(/<[a-z]+\s[^>]*role="alert"[^>]*>([\s\S]*?)<\/(?:p|div|span)>/g)].map((m) => textOf(m[1]).trim());
  const error = /<section class="error-page"[\s\S]*?<\/section>/.exec(html);
  if (error) texts.push(textOf(error[0]).trim());
  return texts.filter(Boolean);
}

type Mode = "data" | "document" | "json" | "api";

function hasMessage(page: Page, mode: Mode): boolean {
  const type = page.headers.get("content-type") ?? "";
  if (mode === "api") {
    try {
      const e = (JSON.parse(page.body) as { error?: { code?: unknown; message?: unknown; fields?: unknown } }).error;
      return type.includes("application/json") && nonEmpty(e?.code) && nonEmpty(e?.message) && typeof e?.fields === "object" && e.fields !== null;
    } catch {
      return false;
    }
  }
  if (type.includes("json")) {
    try {
      const b = JSON.parse(page.body) as { message?: unknown; error?: { message?: unknown }; fields?: Record<string, unknown> };
      return nonEmpty(b.message) || nonEmpty(b.error?.message) || Object.values(b.fields ?? {}).some(nonEmpty);
    } catch {
      return false;
    }
  }
  // A response a loader or action threw: Remix's browser code shows it on the error page.
  if (mode === "data" && page.headers.get("x-remix-catch")) return true;
  // The site's own page must show the message (an alert, or the error page); a bare page from below the app, some text.
  if (type.includes("text/html")) return page.body.includes('<nav aria-label="Main"') ? messagesIn(page.body).length > 0 : textOf(page.body).trim().length > 0;
  return page.body.trim().length > 0;
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
const clipText = (s: string, max = 160) => (s.length > max ? `${s.slice(0, max)}…` : s);
const describeForm = (form: Form) =>
  clipText(
    JSON.stringify(
      Object.fromEntries(Object.entries(form).map(([k, v]) => [k, typeof v === "string" && v.length > 60 ? `${v.slice(0, 40)}…(${v.length} chars)` : v])),
    ),
    400,
  );

/** Problems found, grouped by where and what, with the samples that showed each and a first example. */
class Problems {
  private found = new Map<string, { samples: Set<string>; example: string }>();
  add(where: string, sampleName: string, what: string, example: string) {
    const key = `${where}: ${what}`;
    const entry = this.found.get(key) ?? { samples: new Set<string>(), example };
    entry.samples.add(sampleName);
    this.found.set(key, entry);
  }
  get list(): string[] {
    return [...this.found].map(([key, { samples, example }]) => `${key} [${[...samples].join("; ")}] — e.g. ${example}`);
  }
}

function judge(problems: Problems, where: string, sampleName: string, request: string, page: Page, mode: Mode) {
  const type = page.headers.get("content-type") ?? "";
  const example = () => `${request} → ${page.status} ${clipText((type.includes("html") ? textOf(page.body) : page.body).trim(), 200)}`;
  const say = (what: string) => problems.add(where, sampleName, what, example());
  if (page.status >= 500) return say(`answers ${page.status}`);
  if (page.status === 429) return say("429: throttled before the code under test (a flaw of this plan)");
  if (mode === "api" && !type.includes("application/json"))
    say(`answers ${page.status} as ${type.split(";")[0] || "no content type"}, not the API's JSON error shape`);
  else if (page.status >= 400 && !hasMessage(page, mode)) say(`a ${page.status} without a message`);
  const location = page.headers.get("x-remix-redirect") ?? (page.status >= 300 && page.status < 400 ? page.location : null);
  if (location !== null) {
    try {
      if (new URL(location, url).origin !== url) say(`redirects off the site (${location})`);
    } catch {
      say(`redirects to a broken address (${location})`);
    }
  }
  if (type.includes("text/html")) for (const f of liveMarkup(page.body, { nonce: nonceOf(page) })) say(`live markup: ${f}`);
  if (type.includes("json")) {
    try {
      for (const f of liveMarkupInJson(JSON.parse(page.body))) say(`live markup in JSON: ${f}`);
    } catch {
      if (mode === "api" || mode === "json") say("a body that is not JSON");
    }
  }
}

/** Fetch a page that shows stored text, and judge it. */
async function look(problems: Problems, who: Visitor, target: string) {
  const page = await send(who, "GET", target);
  judge(problems, `GET ${target}`, "(stored)", `GET ${target}`, page, target.startsWith("/api/") ? "api" : "document");
  return page;
}

function report(problems: Problems) {
  const list = problems.list;
  if (list.length) console.warn(`${list.length} problems:\n${list.join("\n")}`);
  expect(list).toEqual([]);
}

// ---------------------------------------------------------------------------
// The community the probes act in (buildCommunity, first in every file)

type Thread = { id: number; slug: string; path: string };
const F = {
  admin: null as unknown as Visitor,
  mod: null as unknown as Visitor,
  asker: null as unknown as Visitor,
  helper: null as unknown as Visitor,
  flagger: null as unknown as Visitor,
  profiler: null as unknown as Visitor,
  passworder: null as unknown as Visitor,
  tokener: null as unknown as Visitor,
  suggester: null as unknown as Visitor,
  victim: null as unknown as Visitor,
  tokens: { asker: "", helper: "", flagger: "", mod: "", profiler: "" },
  tag: 0,
  threads: {} as Record<"q" | "r" | "q3" | "e" | "e2" | "d" | "rt" | "f" | "l" | "p" | "target", Thread>,
  reply: 0,
  targetReply: 0,
  resource: 0,
  flagResource: 0,
  resourcePool: [] as number[],
  tagIds: {} as Record<"update" | "synonymOf" | "mergeInto", number>,
  users: {} as Record<"victim" | "roleUser", number>,
  passworderPassword: PASSWORD,
  resetToken: "",
  /** A portfolio entry of the profiler's that stays without evidence (the delete form's probes). */
  emptyEntry: 0,
  /** A portfolio entry of the profiler's, for the probes of its page's query parameters (made in buildCommunity). */
  entry: 0,
};

const member = (n: string, extra: Form = {}): Form => ({
  email: `${n}@example.org`,
  handle: n,
  password: PASSWORD,
  displayName: `Member ${n}`,
  jobTitle: "Library Media Assistant",
  worksite: "Lincoln Elementary School",
  memberKind: "support_staff",
  libraryType: "school",
  region: "Ohio",
  yearsInLibraryWork: "7",
  hasMlis: "",
  hasLssc: "on",
  stateCertification: "Ohio paraprofessional",
  otherCredentials: "CPR",
  guidelines: "on",
  ...extra,
});
const identification = (n: number): Form => {
  const { email: _e, handle: _h, password: _p, guidelines: _g, ...rest } = member(`p${n}`);
  return rest;
};

async function joinAs(handle: string, extra: Form = {}): Promise<Visitor> {
  const visitor = nobody();
  const page = await send(visitor, "POST", "/join", { form: member(handle, extra) });
  if (page.status !== 302) throw new Error(`join ${handle}: ${page.status} ${textOf(page.body).slice(0, 300)}`);
  return visitor;
}

async function createToken(visitor: Visitor): Promise<string> {
  const page = await postData(visitor, "/me/settings", "me.settings.tsx", { intent: "create-token", name: "hostile input test" });
  const token = (JSON.parse(page.body) as { token?: string }).token;
  if (!token) throw new Error(`no token: ${page.body.slice(0, 300)}`);
  return token;
}

const userId = async (handle: string) => (await db<{ id: number }>(`SELECT "id" FROM "User" WHERE "handle" = ?`, handle))[0].id;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

let made = 0;
async function newThread(extra: Record<string, unknown> = {}, token = F.tokens.asker): Promise<Thread> {
  const res = await apiCall("POST", "/api/v1/threads", token, {
    title: `Something to act on, number ${++made}`,
    body: "What do you do?",
    tagIds: [F.tag],
    ...extra,
  });
  if (res.status !== 201) throw new Error(`thread: ${res.status} ${JSON.stringify(res.body)}`);
  const t = res.body.thread as { id: number; slug: string; url: string };
  return { id: t.id, slug: t.slug, path: t.url };
}
async function newReply(threadId: number, token = F.tokens.helper): Promise<number> {
  const res = await apiCall("POST", `/api/v1/threads/${threadId}/replies`, token, { body: "A reply to act on." });
  if (res.status !== 201) throw new Error(`reply: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body.reply as { id: number }).id;
}
/** Replies for moderators to act on, a dozen to a thread (a page of hundreds would slow every probe that renders it). */
const replyHomes = { thread: null as Promise<Thread> | null, used: 0 };
async function replyToModerate(): Promise<{ id: string; path: string }> {
  if (!replyHomes.thread || replyHomes.used++ >= 12) {
    replyHomes.thread = newThread({ title: `Hostile fixture: replies to moderate, ${++made}` });
    replyHomes.used = 1;
  }
  const home = await replyHomes.thread;
  return { id: String(await newReply(home.id)), path: home.path };
}
async function newPendingResource(): Promise<number> {
  const n = ++made;
  const res = await apiCall("POST", "/api/v1/resources", F.tokens.helper, {
    title: `Pending resource ${n}`,
    url: `https://pending${n}.example.org/`,
    abstract: ABSTRACT,
    type: "article",
    tagIds: [F.tag],
  });
  if (res.status !== 201) throw new Error(`resource: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body.resource as { id: number }).id;
}
const moderate = (t: Thread, form: Form) => postData(F.mod, t.path, "t.$id.($slug).tsx", form);

/** A valid portfolio entry: a three-hour workshop a month ago, for Technology. */
const PORTFOLIO_ENTRY = {
  type: "workshop",
  title: "A workshop",
  startedOn: inDays(-30),
  quantity: "3",
  unit: "hours",
  area: "technology",
  "hours-technology": "3",
};
/** The same entry as the API takes it. */
const PORTFOLIO_API_ENTRY = {
  type: "workshop",
  title: "A workshop",
  startedOn: inDays(-30),
  quantity: 3,
  unit: "hours",
  areas: [{ area: "technology", hours: 3 }],
};
const PORTFOLIO_API_FIELDS = ["type", "title", "provider", "startedOn", "endedOn", "quantity", "unit", "reflection", "areas"];
/** The profiler's entry that the API's PATCH probes change (made on first use). */
let apiPortfolioEntry: Promise<number> | undefined;
/** The profiler's entry the API's evidence links are added to (made once). */
let apiEvidenceEntry: Promise<number> | undefined;
/** An entry in the profiler's portfolio (who follows LSSC, so its progress page and badge form are theirs); its id. */
async function portfolioEntry(): Promise<number> {
  await postData(F.profiler, "/me/portfolio", "me.portfolio._index.tsx", { program: "lssc" });
  const page = await send(F.profiler, "POST", "/me/portfolio/new", { form: { ...PORTFOLIO_ENTRY, title: "A fixture workshop" } });
  const id = /\/me\/portfolio\/entries\/(\d+)/.exec(page.headers.get("location") ?? "")?.[1];
  if (!id) throw new Error(`portfolio entry: ${page.status}`);
  return Number(id);
}

/** The profiler's reviewer links in use, revoked (a member may have only so many at once; each probe that passes makes one). */
async function revokeProfilerShares() {
  await execute(
    server.database,
    `UPDATE "PortfolioShare" SET "revokedAt" = ? WHERE "ownerId" = ? AND "revokedAt" IS NULL`,
    new Date(),
    await userId("hprofiler"),
  );
}
/** A reviewer's link to the profiler's LSSC portfolio, made through the form: its path (shown once) and its id. */
async function profilerShare(label = `A reviewer ${++made}`): Promise<{ path: string; id: string }> {
  await postData(F.profiler, "/me/portfolio", "me.portfolio._index.tsx", { program: "lssc" });
  await revokeProfilerShares();
  const page = await postData(F.profiler, "/me/portfolio/programs/lssc", "me.portfolio.programs.$slug.tsx", { intent: "share", label, days: "7" });
  const link = (JSON.parse(page.body) as { link?: string }).link;
  if (page.status !== 200 || !link) throw new Error(`reviewer's link: ${page.status} ${page.body.slice(0, 300)}`);
  const path = new URL(link).pathname;
  const hash = createHash("sha256").update(path.split("/").pop()!).digest("hex");
  return { path, id: String((await db<{ id: number }>(`SELECT "id" FROM "PortfolioShare" WHERE "tokenHash" = ?`, hash))[0].id) };
}
/** A request to verify an entry of the profiler's, by email: the token of the link mailed for it (read from the mail queue). */
async function mailedVerification(): Promise<{ token: string }> {
  await resetLimits();
  const entry = await portfolioEntry();
  const address = `verifier${++made}@library.example`;
  await postData(F.profiler, `/me/portfolio/entries/${entry}`, "me.portfolio.entries.$id.tsx", {
    intent: "ask-verification",
    verifierEmail: address,
    verifierName: "Val Verifier",
  });
  for (let tries = 0; tries < 200; tries++) {
    const [job] = await db<{ message: string }>(`SELECT "message" FROM "MailJob" WHERE "toAddress" = ?`, address);
    const token = job && /\/verify\/([A-Za-z0-9_-]{43})/.exec(job.message)?.[1];
    if (token) return { token };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no request to verify was mailed to ${address}`);
}
/** A request to verify an entry of the profiler's, made to the helper's account: its id. */
async function memberVerification(): Promise<{ id: string }> {
  await resetLimits();
  const entry = await portfolioEntry();
  await postData(F.profiler, `/me/portfolio/entries/${entry}`, "me.portfolio.entries.$id.tsx", { intent: "ask-verification", verifierHandle: "hhelper" });
  const [row] = await db<{ id: number }>(`SELECT "id" FROM "Verification" WHERE "entryId" = ?`, entry);
  if (!row) throw new Error("no request to verify was made to @hhelper");
  return { id: String(row.id) };
}

// ---------------------------------------------------------------------------
// The plan: forms

type FormSpec = {
  route: string;
  label: string;
  as: (t: Target) => Visitor;
  path: (t: Target) => string;
  /** Each receives every sample. "?name" is a query parameter of the post; "{x}" is filled in from the target. */
  fields: string[];
  /** Fields that receive every sample together, in one request (each is also probed alone on another form). */
  together?: string[];
  /** Fields of this form that hold a choice (see CHOICES). */
  choices?: string[];
  /** Valid values for everything (the field under test then gets the sample; "*" when all do). */
  base: (t: Target, n: number, field: string) => Form;
  /** A fresh thing to act on, for each probe. */
  target?: (field: string) => Promise<Target>;
  /** A target that a refused probe left as it was serves the next probe of the same field. */
  reuse?: boolean;
  /** Fields that take the same sample as this one (a new password and its confirmation). */
  also?: Record<string, string[]>;
  /** One probe at a time: a success changes what the next one acts on. */
  serial?: boolean;
  after?: (page: Page, t: Target, form: Form, problems: Problems) => Promise<void>;
  /** Fields whose text a refused submission must show again (checked with markup samples). */
  echo?: string[];
  /** A resource route answering JSON: no page to render. */
  json?: boolean;
};

async function liftIfSuspended() {
  const row = (await db<{ s: string | null }>(`SELECT "suspendedUntil" AS s FROM "User" WHERE "id" = ?`, F.users.victim))[0];
  if (row.s) await postData(F.mod, "/u/hvictim", "u.$handle.tsx", { intent: "lift", reason: "Reset for the next probe." });
}

/** Links in HITs not yet sent to the clearinghouse: a probe takes one, and gives it back unless it was sent. */
const hitLinks: Target[] = [];
async function makeHitLinks(count: number) {
  for (let h = 0; hitLinks.length < count; h++) {
    const body = Array.from({ length: 10 }, (_, k) => `- [Guide ${k}](https://hit${h}-${k}.example.org/guide) for weeding a small collection`).join("\n");
    const hit = await newThread({ kind: "hit", title: `HIT: weeding guides, part ${h}`, body });
    for (let i = 0; i < 10; i++) hitLinks.push({ hit: String(hit.id), i: String(i) });
  }
}
/** A certification program's definition, the smallest the schema takes (one category, one level, renewal). */
const programJson = (name: string) =>
  JSON.stringify({
    name,
    measure: "points",
    categories: [{ key: "all", name: "All activity", required: true, minimum: 10 }],
    levels: [{ name: "Level one", threshold: 10 }],
    renewal: { everyYears: 2, amount: 20, minimumIn: { category: "all", amount: 5 } },
  });
const HOSTILE_PROGRAM = "hostile-program";
const redirected = (page: Page) => (page.status >= 300 && page.status < 400) || !!page.headers.get("x-remix-redirect");

const FORMS: FormSpec[] = [
  // Accounts
  {
    route: "join.tsx",
    label: "join",
    as: () => nobody(),
    path: () => "/join",
    fields: ["email", "handle", "password", "worksite", "memberKind", "libraryType", "yearsInLibraryWork", "hasMlis", "hasLssc", "guidelines"],
    together: ["displayName", "jobTitle", "region", "stateCertification", "otherCredentials"],
    base: (_t, n) => member(`hj${n}`),
    echo: ["displayName"],
  },
  {
    route: "login.tsx",
    label: "log in",
    as: () => nobody(),
    path: () => "/login",
    fields: ["email", "password", "redirectTo"],
    base: () => ({ email: "hloginuser@example.org", password: PASSWORD, redirectTo: "/" }),
    echo: ["email"],
  },
  {
    route: "reset-password.tsx",
    label: "choose a new password",
    as: () => nobody(),
    path: () => `/reset-password?token=${F.resetToken}`,
    fields: ["newPassword", "confirmPassword", "?token"],
    // Matching valid passwords: a sample in one field never matches the other, so the link stays unused.
    base: () => ({ newPassword: "a fresh passphrase", confirmPassword: "a fresh passphrase" }),
  },
  {
    route: "logout.tsx",
    label: "log out (reads no field: an unexpected one)",
    as: () => nobody(),
    path: () => "/logout",
    fields: ["unexpected"],
    base: () => ({}),
  },
  // Mail
  {
    route: "forgot-password.tsx",
    label: "ask for a reset link",
    as: () => nobody(),
    path: () => "/forgot-password",
    fields: ["email"],
    base: () => ({ email: "nobody@example.org" }),
  },
  {
    route: "me.settings_.email.tsx",
    label: "email settings",
    as: () => F.asker,
    path: () => "/me/settings/email",
    fields: ["mode", "notifications", "vacationUntil", "intent"],
    choices: ["mode", "notifications", "vacationUntil", "intent"],
    base: () => ({ mode: "daily", notifications: "on", vacationUntil: "" }),
  },
  {
    route: "me.settings_.email.tsx",
    label: "change of email address (a wrong password: nothing may change, whatever the address)",
    as: () => F.asker,
    path: () => "/me/settings/email",
    fields: ["newEmail", "password"],
    base: () => ({ intent: "change-email", newEmail: "a-new-address@example.org", password: "not the right password" }),
  },
  {
    route: "email.unsubscribe.tsx",
    label: "one-click unsubscribe",
    as: () => nobody(),
    path: () => "/email/unsubscribe?token=1-list-00000000000000000000",
    fields: ["?token", "List-Unsubscribe"],
    base: () => ({ "List-Unsubscribe": "One-Click" }),
  },
  {
    route: "admin.outbox.tsx",
    label: "retry failed mail (reads no field: an unexpected one)",
    as: () => F.admin,
    path: () => "/admin/outbox",
    fields: ["unexpected"],
    base: () => ({}),
  },
  {
    route: "guidelines.tsx",
    label: "acknowledge the guidelines",
    as: () => F.asker,
    path: () => "/guidelines",
    fields: ["redirectTo"],
    base: () => ({ redirectTo: "/" }),
  },
  {
    route: "markdown-preview.tsx",
    label: "live preview",
    as: () => F.asker,
    path: () => "/markdown-preview",
    fields: ["body"],
    base: () => ({ body: "Some *text*" }),
    json: true,
  },
  // Settings
  {
    route: "me.settings.tsx",
    label: "profile",
    as: () => F.profiler,
    path: () => "/me/settings",
    fields: [
      "displayName",
      "jobTitle",
      "worksite",
      "memberKind",
      "libraryType",
      "region",
      "yearsInLibraryWork",
      "hasMlis",
      "hasLssc",
      "stateCertification",
      "otherCredentials",
      "about",
      "intent",
    ],
    base: (_t, n) => ({ intent: "profile", ...identification(n), about: "I run a K-5 library alone." }),
    echo: ["displayName", "about"],
  },
  {
    route: "me.settings.tsx",
    label: "password",
    as: () => F.passworder,
    path: () => "/me/settings",
    fields: ["currentPassword", "newPassword", "confirmPassword", "revokeApiTokens"],
    also: { newPassword: ["confirmPassword"] },
    base: (_t, n) => ({
      intent: "password",
      currentPassword: F.passworderPassword,
      newPassword: `another passphrase ${n}`,
      confirmPassword: `another passphrase ${n}`,
    }),
    target: async () => {
      await resetLimits();
      return {};
    },
    serial: true,
    after: async (page, _t, form) => {
      if (page.status === 200) F.passworderPassword = String(form.newPassword);
    },
  },
  {
    route: "me.settings.tsx",
    label: "API tokens",
    as: () => F.tokener,
    path: () => "/me/settings",
    fields: ["name"],
    base: (_t, n) => ({ intent: "create-token", name: `script ${n}` }),
    serial: true,
    // Each token made is shown in the list, then revoked (ten at most).
    after: async (page, _t, _form, problems) => {
      const token = page.headers.get("content-type")?.includes("json")
        ? (JSON.parse(page.body) as { token?: string }).token
        : /value="(pnt_[^"]+)"/.exec(page.body)?.[1];
      if (!token) return;
      await look(problems, F.tokener, "/me/settings");
      await postData(F.tokener, "/me/settings", "me.settings.tsx", { intent: "revoke-token", tokenId: createHash("sha256").update(token).digest("hex") });
    },
  },
  {
    route: "me.settings.tsx",
    label: "revoke a token",
    as: () => F.tokener,
    path: () => "/me/settings",
    fields: ["tokenId"],
    base: () => ({ intent: "revoke-token", tokenId: "0".repeat(64) }),
  },
  {
    route: "me.following.tsx",
    label: "unfollow",
    as: () => F.asker,
    path: () => "/me/following",
    fields: ["threadId", "tag"],
    base: () => ({ threadId: String(F.threads.q.id), tag: "reference" }),
  },
  // The certification portfolio (issue 19): every field of an entry, following a program, a badge.
  {
    route: "me.portfolio._index.tsx",
    label: "follow a program",
    as: () => F.profiler,
    path: () => "/me/portfolio",
    fields: ["program"],
    base: () => ({ program: "montana" }),
  },
  {
    route: "me.portfolio.new.tsx",
    label: "add an activity",
    as: () => F.profiler,
    path: () => "/me/portfolio/new",
    fields: ["type", "title", "provider", "startedOn", "endedOn", "quantity", "unit", "reflection", "area", "hours-technology", "source"],
    base: (_t, n) => ({ ...PORTFOLIO_ENTRY, title: `A workshop ${n}` }),
    echo: ["title", "reflection"],
  },
  {
    route: "me.portfolio.entries.$id.tsx",
    label: "edit an activity",
    as: () => F.profiler,
    path: (t) => `/me/portfolio/entries/${t.id}`,
    fields: ["type", "title", "provider", "startedOn", "endedOn", "quantity", "unit", "reflection", "area", "hours-technology", "intent"],
    base: (_t, n) => ({ ...PORTFOLIO_ENTRY, title: `An edited workshop ${n}` }),
    target: async () => ({ id: String(await portfolioEntry()) }),
    reuse: true,
    echo: ["title", "reflection"],
  },
  // Evidence (issue 19): a link's fields, and the delete button's (the upload, a multipart body, has a probe of its own: probeEvidenceUploads).
  {
    route: "me.portfolio.entries.$id.evidence.tsx",
    label: "add a link as evidence",
    as: () => F.profiler,
    path: (t) => `/me/portfolio/entries/${t.id}/evidence`,
    fields: ["url", "label"],
    base: (_t, n) => ({ url: `https://example.org/certificates/${n}`, label: `Certificate ${n}` }),
    target: async () => ({ id: String(await portfolioEntry()) }),
    reuse: true,
    echo: ["url", "label"],
  },
  {
    route: "me.portfolio.entries.$id.evidence.tsx",
    label: "delete evidence",
    as: () => F.profiler,
    path: (t) => `/me/portfolio/entries/${t.id}/evidence`,
    fields: ["intent", "evidenceId"],
    choices: ["evidenceId"],
    // An entry without evidence: whatever the id, nothing is deleted, so one entry serves every probe.
    base: () => ({ intent: "delete", evidenceId: "1" }),
    target: async () => ({ id: String((F.emptyEntry ||= await portfolioEntry())) }),
  },
  // Verification (issue 19): asking (by handle, or by address with a name), and deciding by a mailed link (no account) or as the member asked.
  {
    route: "me.portfolio.entries.$id.tsx",
    label: "ask for verification",
    as: () => F.profiler,
    path: (t) => `/me/portfolio/entries/${t.id}`,
    fields: ["verifierHandle", "verifierEmail", "verifierName", "message"],
    // A handle and an address exclude each other: the handle's probes name no address.
    base: (_t, n, field) =>
      field === "verifierHandle"
        ? { intent: "ask-verification", verifierHandle: "hhelper", verifierEmail: "", verifierName: "", message: "" }
        : { intent: "ask-verification", verifierHandle: "", verifierEmail: `boss${n}@library.example`, verifierName: "Sam Supervisor", message: "Please." },
    // Each request counts against the member's limit: a fresh entry, and the counters reset.
    target: async () => {
      await resetLimits();
      return { id: String(await portfolioEntry()) };
    },
    reuse: true,
    echo: ["verifierName", "message"],
  },
  {
    route: "verify.$token.tsx",
    label: "decide by a mailed link",
    as: () => nobody(),
    path: (t) => `/verify/${t.token}`,
    fields: ["intent", "name", "note"],
    base: () => ({ intent: "confirm", name: "Val Verifier", note: "Seen." }),
    target: mailedVerification,
    reuse: true,
    echo: ["name", "note"],
  },
  {
    route: "me.verifications.$id.tsx",
    label: "decide as the member asked",
    as: () => F.helper,
    path: (t) => `/me/verifications/${t.id}`,
    fields: ["intent", "note"],
    base: () => ({ intent: "decline", note: "Not me." }),
    target: memberVerification,
    reuse: true,
    echo: ["note"],
  },
  {
    route: "me.portfolio.programs.$slug.tsx",
    label: "a program's badge",
    as: () => F.profiler,
    path: () => "/me/portfolio/programs/lssc",
    fields: ["intent", "badge"],
    base: () => ({ intent: "badge", badge: "LSSC candidate" }),
  },
  {
    route: "me.portfolio.programs.$slug.tsx",
    label: "share with a reviewer",
    as: () => F.profiler,
    path: () => "/me/portfolio/programs/lssc",
    fields: ["intent", "label", "days"],
    choices: ["days"],
    base: (_t, n) => ({ intent: "share", label: `A reviewer ${n}`, days: "30" }),
    // Links that were made are revoked before each probe, so the limit of links in use never answers for the field.
    target: async () => {
      await revokeProfilerShares();
      return {};
    },
    echo: ["label"],
  },
  {
    route: "me.portfolio.programs.$slug.tsx",
    label: "revoke a reviewer's link",
    as: () => F.profiler,
    path: () => "/me/portfolio/programs/lssc",
    fields: ["shareId"],
    base: (t) => ({ intent: "revoke-share", shareId: t.id }),
    target: async () => ({ id: (await profilerShare()).id }),
    reuse: true,
  },
  {
    route: "notifications.tsx",
    label: "mark read",
    as: () => F.asker,
    path: () => "/notifications",
    fields: ["id", "upTo"],
    base: () => ({ id: "", upTo: "" }),
  },
  // Threads
  {
    route: "threads.new.tsx",
    label: "ask",
    as: () => F.asker,
    path: () => "/threads/new",
    fields: ["title", "body", "kind", "tagIds", "libraryTypes", "jobLocation", "jobClosesOn", "hitExpectedBy", "intent"],
    base: (_t, n, field) => ({
      title: `Hostile input question ${n}`,
      body: "What do you do?",
      tagIds: String(F.tag),
      ...(field === "jobLocation" || field === "jobClosesOn"
        ? { kind: "job", jobLocation: "Springfield" }
        : field === "hitExpectedBy"
          ? { kind: "target" }
          : { kind: "question" }),
    }),
    echo: ["title", "body"],
  },
  {
    route: "threads.new.tsx",
    label: "preview without JavaScript",
    as: () => F.asker,
    path: () => "/threads/new",
    fields: ["body", "title"],
    base: () => ({ intent: "preview", title: "A title to keep", body: "Some *emphasis*" }),
    echo: ["title"],
  },
  {
    route: "t.$id.($slug).tsx",
    label: "reply",
    as: () => F.helper,
    path: () => F.threads.r.path,
    fields: ["body"],
    base: () => ({ intent: "reply", body: "Try the state library." }),
    echo: ["body"],
  },
  {
    route: "t.$id.($slug).tsx",
    label: "edit one's thread",
    as: () => F.asker,
    path: () => F.threads.e.path,
    fields: ["title", "body"],
    base: (_t, n) => ({ intent: "edit-thread", title: `An edited title ${n}`, body: "Edited body." }),
    echo: ["title"],
  },
  {
    route: "t.$id.($slug).tsx",
    label: "a moderator edits a thread (title and body: as its author does, above)",
    as: () => F.mod,
    path: () => F.threads.e2.path,
    fields: ["reason"],
    base: (_t, n) => ({ intent: "edit-thread", title: `Edited by a moderator ${n}`, body: "Tidied.", reason: "Fixed the formatting." }),
  },
  {
    route: "t.$id.($slug).tsx",
    label: "edit one's reply",
    as: () => F.helper,
    path: () => F.threads.q.path,
    fields: ["replyId", "body"],
    base: () => ({ intent: "edit-reply", replyId: String(F.reply), body: "Edited reply." }),
  },
  {
    route: "t.$id.($slug).tsx",
    label: "a moderator edits a reply",
    as: () => F.mod,
    path: () => F.threads.q.path,
    fields: ["reason"],
    base: () => ({ intent: "edit-reply", replyId: String(F.reply), body: "Edited by a moderator.", reason: "Removed a phone number." }),
  },
  {
    route: "t.$id.($slug).tsx",
    label: "remove a reply",
    as: () => F.helper,
    path: () => F.threads.q.path,
    fields: ["replyId"],
    base: () => ({ intent: "delete-reply", replyId: "0" }),
  },
  {
    route: "t.$id.($slug).tsx",
    label: "helpful",
    as: () => F.asker,
    path: () => F.threads.q.path,
    fields: ["replyId"],
    base: () => ({ intent: "helpful", replyId: String(F.reply) }),
  },
  {
    route: "t.$id.($slug).tsx",
    label: "accept",
    as: () => F.asker,
    path: () => F.threads.q.path,
    fields: ["replyId"],
    base: () => ({ intent: "accept", replyId: String(F.reply) }),
  },
  { route: "t.$id.($slug).tsx", label: "intent", as: () => F.asker, path: () => F.threads.q.path, fields: ["intent"], base: () => ({ intent: "follow" }) },
  {
    route: "t.$id.($slug).tsx",
    label: "flag",
    as: () => F.flagger,
    target: async (field) => {
      if (field !== "note" && field !== "*") return { id: String(F.threads.f.id), path: F.threads.f.path };
      await resetLimits();
      const t = await newThread();
      return { id: String(t.id), path: t.path };
    },
    path: (t) => t.path,
    fields: ["target", "reason", "note"],
    choices: ["reason"],
    base: (t) => ({ intent: "flag", target: `thread:${t.id}`, reason: "off_topic", note: "Please look." }),
    reuse: true,
  },
  ...(["mod-hide", "mod-delete", "mod-restore", "mod-dismiss"] as const).map((intent): FormSpec => ({
    route: "t.$id.($slug).tsx",
    label: intent,
    as: () => F.mod,
    target: async () => {
      const t = await replyToModerate();
      if (intent === "mod-restore")
        await postData(F.mod, t.path, "t.$id.($slug).tsx", { intent: "mod-hide", target: `reply:${t.id}`, reason: "Hidden to restore." });
      if (intent === "mod-dismiss") {
        await resetLimits();
        await postData(F.flagger, t.path, "t.$id.($slug).tsx", { intent: "flag", target: `reply:${t.id}`, reason: "spam" });
      }
      return t;
    },
    path: (t) => t.path,
    fields: intent === "mod-hide" ? ["target", "reason"] : ["reason"],
    base: (t) => ({ intent, target: `reply:${t.id}`, reason: "Off topic for this community." }),
    reuse: true,
  })),
  {
    route: "t.$id.($slug).tsx",
    label: "move a reply",
    as: () => F.mod,
    target: replyToModerate,
    path: (t) => t.path,
    fields: ["toThread", "reason"],
    base: (t) => ({ intent: "mod-move", target: `reply:${t.id}`, toThread: String(F.threads.q3.id), reason: "It answers the other question." }),
    reuse: true,
  },
  // Lock and unlock (pin and unpin) one thread, set the other way before each probe.
  ...(["lock", "unlock", "pin", "unpin"] as const).map((intent): FormSpec => ({
    route: "t.$id.($slug).tsx",
    label: intent,
    as: () => F.mod,
    target: async () => {
      const action = intent.replace(/^un/, "") as "lock" | "pin";
      const t = action === "lock" ? F.threads.l : F.threads.p;
      const on = boolOf(
        (await db<{ on: unknown }>(`SELECT "${action === "lock" ? "lockedAt" : "pinnedAt"}" IS NOT NULL AS "on" FROM "Thread" WHERE "id" = ?`, t.id))[0].on,
      );
      if (on === (intent === action)) await moderate(t, { intent: on ? `un${action}` : action, reason: "Set up for the probe." });
      return {};
    },
    path: () => (intent.endsWith("lock") ? F.threads.l : F.threads.p).path,
    fields: ["reason"],
    base: () => ({ intent, reason: "Settled; see the accepted answer." }),
    serial: true,
  })),
  {
    route: "t.$id.($slug).tsx",
    label: "close as duplicate",
    as: () => F.mod,
    path: () => F.threads.d.path,
    fields: ["duplicateOf", "reason"],
    base: () => ({ intent: "duplicate", duplicateOf: String(F.threads.q.id), reason: "Asked and answered there." }),
  },
  {
    route: "t.$id.($slug).tsx",
    label: "retag",
    as: () => F.mod,
    path: () => F.threads.rt.path,
    fields: ["tagIds", "reason"],
    base: () => ({ intent: "retag", tagIds: String(F.tag), reason: "Better tags." }),
  },
  {
    route: "threads.$id.hit.tsx",
    label: "choose replies for a HIT",
    as: () => F.asker,
    target: async () => ({ r: String(F.targetReply) }),
    path: () => `/threads/${F.threads.target.id}/hit`,
    fields: ["include", "credit-{r}"],
    base: (t) => ({ intent: "draft", include: t.r, [`credit-${t.r}`]: "named" }),
  },
  {
    route: "threads.$id.hit.tsx",
    label: "post the HIT",
    as: () => F.asker,
    path: () => `/threads/${F.threads.target.id}/hit`,
    fields: ["title", "body", "tagIds", "kind", "libraryTypes", "jobLocation", "jobClosesOn", "hitExpectedBy", "intent"],
    base: (_t, n) => ({ title: `HIT: what we learned ${n}`, body: "A summary of the replies.", tagIds: String(F.tag) }),
    echo: ["title"],
  },
  {
    route: "threads.$id.clearinghouse.tsx",
    label: "send a HIT's links",
    as: () => F.asker,
    target: async () => {
      const link = hitLinks.shift();
      if (!link) throw new Error("the HITs' links to send ran out");
      return link;
    },
    path: (t) => `/threads/${t.hit}/clearinghouse`,
    fields: ["send-{i}", "title-{i}", "abstract-{i}", "type-{i}", "region-{i}", "cost-{i}", "tagIds"],
    base: (t) => ({
      [`send-${t.i}`]: "on",
      [`title-${t.i}`]: "A weeding guide",
      [`abstract-${t.i}`]: ABSTRACT,
      [`type-${t.i}`]: "toolkit",
      [`region-${t.i}`]: "national",
      [`cost-${t.i}`]: "free",
      tagIds: String(F.tag),
    }),
    after: async (page, t) => {
      if (!redirected(page)) hitLinks.push(t);
    },
  },
  // Resources
  {
    route: "resources.new.tsx",
    label: "suggest a resource",
    as: () => F.helper,
    path: () => "/resources/new",
    fields: ["title", "url", "abstract", "type", "tagIds", "libraryTypes", "region", "cost", "provider", "ceHours", "publishedOn"],
    base: (_t, n) => ({
      title: `Hostile resource ${n}`,
      url: `https://suggested${n}.example.org/guide`,
      abstract: ABSTRACT,
      type: "article",
      tagIds: String(F.tag),
      region: "national",
      cost: "free",
      provider: "",
      ceHours: "",
      publishedOn: "",
    }),
    echo: ["title", "abstract"],
  },
  {
    route: "resources.$id.tsx",
    label: "reject",
    as: () => F.mod,
    target: async () => ({ id: String(await newPendingResource()) }),
    reuse: true,
    path: (t) => `/resources/${t.id}`,
    fields: ["reason"],
    base: () => ({ intent: "reject", reason: "Not about library support work." }),
  },
  {
    route: "resources.$id.tsx",
    label: "merge",
    as: () => F.mod,
    target: async () => ({ id: String(await newPendingResource()) }),
    reuse: true,
    path: (t) => `/resources/${t.id}`,
    fields: ["intoId"],
    base: () => ({ intent: "merge", intoId: String(F.resource) }),
  },
  {
    route: "resources.$id.tsx",
    label: "approve, back to",
    as: () => F.mod,
    target: async () => ({ id: String(await newPendingResource()) }),
    reuse: true,
    path: (t) => `/resources/${t.id}`,
    fields: ["?back", "intent"],
    base: () => ({ intent: "approve" }),
  },
  {
    route: "resources.$id.tsx",
    label: "flag a resource",
    as: () => F.flagger,
    target: async (field) => {
      if (field !== "note" && field !== "*") return { id: String(F.flagResource) };
      await resetLimits();
      const id = F.resourcePool.pop();
      if (!id) throw new Error("the pool of approved resources to flag ran out");
      return { id: String(id) };
    },
    path: (t) => `/resources/${t.id}`,
    reuse: true,
    fields: ["target", "reason", "note"],
    choices: ["reason"],
    base: (t) => ({ intent: "flag", target: `resource:${t.id}`, reason: "spam", note: "Looks like an advert." }),
  },
  {
    route: "moderate.resources.$id.edit.tsx",
    label: "edit a resource",
    as: () => F.mod,
    path: () => `/moderate/resources/${F.resource}/edit`,
    fields: ["title", "url", "abstract", "type", "tagIds", "libraryTypes", "region", "cost", "provider", "ceHours", "publishedOn", "curatorNote", "intent"],
    base: (_t, n) => ({
      intent: "save",
      title: `Curated resource ${n}`,
      url: "https://curated.example.org/guide",
      abstract: ABSTRACT,
      type: "toolkit",
      tagIds: String(F.tag),
      region: "national",
      cost: "free",
      provider: "State Library",
      ceHours: "1.5",
      publishedOn: "2024-05-01",
      curatorNote: "Updated yearly.",
    }),
    echo: ["title"],
  },
  {
    route: "moderate.resources.import.tsx",
    label: "paste CSV",
    as: () => F.mod,
    path: () => "/moderate/resources/import",
    fields: ["csv"],
    base: (_t, n) => ({ csv: `title,url,abstract,type,competencies\nPasted ${n},https://pasted${n}.example.org/,"${ABSTRACT}",article,reference` }),
  },
  {
    route: "moderate._index.tsx",
    label: "review queue decision",
    as: () => F.mod,
    target: replyToModerate,
    reuse: true,
    path: () => "/moderate?index",
    fields: ["intent", "target", "reason"],
    base: (t) => ({ intent: "mod-hide", target: `reply:${t.id}`, reason: "Spam." }),
  },
  {
    route: "moderate._index.tsx",
    label: "review queue batch",
    as: () => F.mod,
    // A flagged reply, so the batch has a queue item to decide.
    target: async () => {
      const t = await replyToModerate();
      await resetLimits();
      await postData(F.flagger, t.path, "t.$id.($slug).tsx", { intent: "flag", target: `reply:${t.id}`, reason: "spam" });
      return t;
    },
    reuse: true,
    path: () => "/moderate?index",
    fields: ["items", "reason"],
    base: (t) => ({ intent: "batch-reject", items: `reply:${t.id}`, reason: "Spam." }),
  },
  // Members and admin
  {
    route: "u.$handle.tsx",
    label: "suspend",
    as: () => F.mod,
    path: () => "/u/hvictim",
    fields: ["until", "reason", "intent"],
    base: () => ({ intent: "suspend", until: inDays(30), reason: "Repeated spam links." }),
    serial: true,
    after: liftIfSuspended,
  },
  {
    route: "u.$handle.tsx",
    label: "lift a suspension",
    as: () => F.mod,
    target: async () => {
      await postData(F.mod, "/u/hvictim", "u.$handle.tsx", { intent: "suspend", until: inDays(30), reason: "Suspended to lift." });
      return {};
    },
    path: () => "/u/hvictim",
    fields: ["reason"],
    base: () => ({ intent: "lift", reason: "Appeal accepted." }),
    serial: true,
    after: liftIfSuspended,
  },
  {
    route: "admin.settings.tsx",
    label: "community settings",
    as: () => F.admin,
    path: () => "/admin/settings",
    fields: ["holdFirstPosts", "flagsToHide", "postLimit", "worksiteRequired"],
    base: () => ({ worksiteRequired: "on", holdFirstPosts: "0", flagsToHide: "3", postLimit: "1000" }),
  },
  {
    route: "admin.tags.tsx",
    label: "create a tag",
    as: () => F.mod,
    path: () => "/admin/tags",
    fields: ["name", "scopeNote", "intent"],
    base: (_t, n) => ({ intent: "create", name: `Hostile tag ${n}`, scopeNote: "What belongs here." }),
    echo: ["name"],
  },
  {
    route: "admin.tags.tsx",
    label: "rename a tag",
    as: () => F.mod,
    path: () => "/admin/tags",
    fields: ["id", "name", "scopeNote"],
    base: (_t, n) => ({ intent: "update", id: String(F.tagIds.update), name: `Renamed tag ${n}`, scopeNote: "Renamed." }),
  },
  ...(["synonym", "merge"] as const).map((intent): FormSpec => ({
    route: "admin.tags.tsx",
    label: `${intent} tags`,
    as: () => F.mod,
    target: async () => {
      const n = ++made;
      await postData(F.mod, "/admin/tags", "admin.tags.tsx", { intent: "create", name: `Expendable ${n}`, scopeNote: "" });
      return { id: String((await db<{ id: number }>(`SELECT "id" FROM "Tag" WHERE "slug" = ?`, `expendable-${n}`))[0].id) };
    },
    path: () => "/admin/tags",
    reuse: true,
    fields: ["id", "otherId"],
    base: (t) => ({ intent, id: t.id, otherId: String(intent === "merge" ? F.tagIds.mergeInto : F.tagIds.synonymOf) }),
  })),
  ...(["delete", "unsynonym", "accept", "decline"] as const).map((intent): FormSpec => ({
    route: "admin.tags.tsx",
    label: `${intent} (a tag or suggestion)`,
    as: () => F.mod,
    path: () => "/admin/tags",
    fields: ["id"],
    base: () => ({ intent, id: "0" }),
  })),
  {
    route: "tags.suggest.tsx",
    label: "suggest a tag",
    as: () => F.suggester,
    path: () => "/tags/suggest",
    fields: ["name", "scopeNote"],
    base: (_t, n) => ({ name: `Suggested tag ${n}`, scopeNote: "Threads about it." }),
    serial: true,
    echo: ["name"],
    // A member may have five waiting: each suggestion is decided at once (accepted: its tag is made).
    after: async () => {
      const pending = () => db<{ id: number }>(`SELECT "id" FROM "TagSuggestion" WHERE "status" = 'pending'`);
      for (const { id } of await pending()) if (id % 2) await postData(F.mod, "/admin/tags", "admin.tags.tsx", { intent: "accept", id: String(id) });
      for (const { id } of await pending()) await postData(F.mod, "/admin/tags", "admin.tags.tsx", { intent: "decline", id: String(id) });
    },
  },
  { route: "tags.$slug.tsx", label: "follow a tag", as: () => F.asker, path: () => "/tags/reference", fields: ["intent"], base: () => ({ intent: "follow" }) },
  {
    route: "admin.guidelines.tsx",
    label: "edit the guidelines",
    as: () => F.admin,
    path: () => "/admin/guidelines",
    fields: ["source", "reason"],
    base: (_t, n) => ({ source: `Be kind. (${n})`, reason: "Clarified." }),
  },
  // Certification programs: the edit forms act on a program of their own (made by probeModeration).
  {
    route: "admin.programs._index.tsx",
    label: "import a program",
    as: () => F.admin,
    path: () => "/admin/programs",
    fields: ["slug", "definition"],
    base: (_t, n) => ({ slug: `hostile-import-${n}`, definition: programJson("An imported program") }),
    echo: ["slug", "definition"],
  },
  {
    route: "admin.programs.$slug.tsx",
    label: "edit a program",
    as: () => F.admin,
    target: async () => ({ i: "0" }),
    path: () => `/admin/programs/${HOSTILE_PROGRAM}`,
    fields: [
      "intent",
      "version",
      "name",
      "body",
      "url",
      "summary",
      "checkWithProgram",
      "windowYears",
      "electivesNeeded",
      "categoryName-{i}",
      "categoryMinimum-{i}",
      "categoryRequired-{i}",
      "levelName-{i}",
      "levelThreshold-{i}",
      "levelRemove-{i}",
      "renewalEvery",
      "renewalAmount",
      "renewalCategory",
      "renewalMinimum",
    ],
    choices: [
      "version",
      "windowYears",
      "electivesNeeded",
      "categoryMinimum-{i}",
      "categoryRequired-{i}",
      "levelThreshold-{i}",
      "levelRemove-{i}",
      "renewalEvery",
      "renewalAmount",
      "renewalCategory",
      "renewalMinimum",
    ],
    base: () => ({
      intent: "details",
      name: "A program to probe",
      body: "The hostile input association",
      url: "https://programs.example.org/",
      summary: "Points for everything.",
      checkWithProgram: "Every number here is made up.",
      windowYears: "4",
      electivesNeeded: "0",
      "categoryName-0": "All activity",
      "categoryMinimum-0": "10",
      "categoryRequired-0": "on",
      "levelName-0": "Level one",
      "levelThreshold-0": "10",
      renewalEvery: "2",
      renewalAmount: "20",
      renewalCategory: "all",
      renewalMinimum: "5",
    }),
    echo: ["name", "summary"],
  },
  {
    route: "admin.programs.$slug.tsx",
    label: "edit a program as JSON",
    as: () => F.admin,
    path: () => `/admin/programs/${HOSTILE_PROGRAM}`,
    fields: ["definition", "version"],
    choices: ["version"],
    base: () => ({ intent: "json", definition: programJson("A program to probe") }),
    echo: ["definition"],
  },
  ...(["retire", "restore"] as const).map((intent): FormSpec => ({
    route: "admin.programs.$slug.tsx",
    label: `${intent} a program (reads no field: an unexpected one)`,
    as: () => F.admin,
    path: () => `/admin/programs/${HOSTILE_PROGRAM}`,
    fields: ["unexpected"],
    base: () => ({ intent }),
  })),
  {
    route: "admin.members.tsx",
    label: "change a role",
    as: () => F.admin,
    path: () => "/admin/members",
    fields: ["userId", "role"],
    base: () => ({ userId: String(F.users.roleUser), role: "member" }),
  },
  {
    route: "admin.members.tsx",
    label: "password reset link",
    as: () => F.admin,
    path: () => "/admin/members",
    fields: ["userId", "intent"],
    base: () => ({ intent: "reset", userId: String(F.users.roleUser) }),
  },
];

/** Setup runs before any admin exists; a second, always-invalid field keeps each probe from creating one. */
const SETUP: FormSpec = {
  route: "setup.tsx",
  label: "first admin",
  as: () => nobody(),
  path: () => `/setup?token=${server.setupToken}`,
  fields: ["email", "handle", "password", "worksite", "memberKind", "libraryType", "yearsInLibraryWork", "hasMlis", "hasLssc", "guidelines", "?token"],
  together: ["displayName", "jobTitle", "region", "stateCertification", "otherCredentials"],
  base: (_t, n, field) => ({ ...member(`hs${n}`), ...(field === "password" ? { email: "not an email" } : { password: "short" }) }),
  echo: ["displayName"],
};

/** With HOSTILE_TIMING=1, where the time goes. */
async function timed(label: string, run: () => Promise<void>) {
  const started = Date.now();
  const before = addresses;
  try {
    await run();
  } finally {
    if (process.env.HOSTILE_TIMING) console.log(`TIMING ${label}: ${Date.now() - started} ms, ${addresses - before} requests`);
  }
}

/** How many refused forms were checked for showing the user's text again (the check must not be vacuous). */
let echoesChecked = 0;

const probeForm = (spec: FormSpec, problems: Problems) => timed(`${spec.route} ${spec.label}`, () => probeFormNow(spec, problems));
async function probeFormNow(spec: FormSpec, problems: Problems) {
  const routeId = routeIdOf(spec.route);
  const unused = new Map<string, Target[]>();
  const run = async (fields: string[], s: Sample, mode: "data" | "document" | "json") => {
    const which = fields.length === 1 ? fields[0] : "*";
    const label =
      fields.length === 1 ? `"${fields[0]}"` : fields === spec.together ? `${fields.map((f) => `"${f}"`).join(", ")} together` : "all fields at once";
    const t = unused.get(which)?.pop() ?? (spec.target ? await spec.target(which) : {});
    const form = spec.base(t, ++made, which);
    let target = spec.path(t);
    for (const name of fields.flatMap((f) => [f, ...(spec.also?.[f] ?? [])])) {
      const real = name.replace(/\{(\w+)\}/g, (_m, k: string) => t[k] ?? "");
      if (real.startsWith("?")) target = setParam(target, real.slice(1), s.value);
      else form[real] = s.value;
    }
    const who = spec.as(t);
    const page = await send(who, "POST", mode === "data" ? withParam(target, "_data", routeId) : target, { form });
    const where = `POST ${spec.route} (${spec.label}) ${label}${mode === "document" ? " as a page" : ""}`;
    judge(problems, where, s.name, `POST ${target} ${describeForm(form)}`, page, mode);
    // A refused form comes back with the user's text (what was stored is checked on the pages that show it, at the end).
    if (mode === "document" && page.status >= 400 && page.status < 500 && [SCRIPT, BREAKOUT].includes(s.value) && page.body.includes("<form")) {
      for (const f of (spec.echo ?? []).filter((e) => fields.includes(e))) {
        echoesChecked++;
        if (!page.body.includes(escapeHtml(s.value))) problems.add(where, s.name, `does not show the text of "${f}" again`, `POST ${target}`);
      }
    }
    await spec.after?.(page, t, form, problems);
    if (spec.reuse && page.status >= 400) unused.set(which, [...(unused.get(which) ?? []), t]);
  };
  const singles = spec.fields.flatMap((f) => (f.startsWith("?") ? IN_URLS : samplesFor(f, spec.choices)).map((s) => ({ fields: [f], s })));
  const groups = spec.together ? CORPUS.map((s) => ({ fields: spec.together!, s })) : [];
  await pool([...singles, ...groups], spec.serial ? 1 : PARALLEL, ({ fields, s }) => run(fields, s, spec.json ? "json" : "data"));
  if (spec.json) return;
  const together = [...spec.fields, ...(spec.together ?? [])].filter((f) => f !== "intent");
  await pool(RENDERED, spec.serial ? 1 : PARALLEL, (s) => run(together, s, "document"));
  if (spec.fields.includes("intent")) await pool(RENDERED, spec.serial ? 1 : PARALLEL, (s) => run(["intent"], s, "document"));
}

// ---------------------------------------------------------------------------
// The plan: JSON bodies (the API, and the import page's batches)

type ApiSpec = {
  route: string;
  label: string;
  method: "POST" | "PUT" | "PATCH";
  path: (t: Target) => string;
  token: () => string;
  fields: string[];
  base: (t: Target, n: number, field: string) => Record<string, unknown>;
  target?: (field: string) => Promise<Target>;
  choices?: string[];
};

const APIS: ApiSpec[] = [
  {
    route: "api.v1.threads.ts",
    label: "ask",
    method: "POST",
    path: () => "/api/v1/threads",
    token: () => F.tokens.asker,
    fields: ["title", "body", "kind", "tagIds", "libraryTypes", "jobLocation", "jobClosesOn", "hitExpectedBy"],
    base: (_t, n, field) => ({
      title: `An API question ${n}`,
      body: "What do you do?",
      tagIds: [F.tag],
      ...(field === "jobLocation" || field === "jobClosesOn"
        ? { kind: "job", jobLocation: "Springfield" }
        : field === "hitExpectedBy"
          ? { kind: "target" }
          : {}),
    }),
  },
  {
    route: "api.v1.threads.$id.replies.ts",
    label: "reply",
    method: "POST",
    path: () => `/api/v1/threads/${F.threads.q3.id}/replies`,
    token: () => F.tokens.helper,
    fields: ["body"],
    base: () => ({ body: "An API reply." }),
  },
  {
    route: "api.v1.threads.$id.accept.ts",
    label: "accept",
    method: "PUT",
    path: () => `/api/v1/threads/${F.threads.q.id}/accept`,
    token: () => F.tokens.asker,
    fields: ["replyId"],
    base: () => ({ replyId: F.reply }),
  },
  {
    route: "api.v1.resources.ts",
    label: "suggest",
    method: "POST",
    path: () => "/api/v1/resources",
    token: () => F.tokens.helper,
    fields: ["title", "url", "abstract", "type", "tagIds", "libraryTypes", "region", "cost", "provider", "ceHours", "publishedOn"],
    base: (_t, n) => ({ title: `An API resource ${n}`, url: `https://api${n}.example.org/`, abstract: ABSTRACT, type: "article", tagIds: [F.tag] }),
  },
  {
    route: "api.v1.flags.ts",
    label: "flag",
    method: "POST",
    path: () => "/api/v1/flags",
    token: () => F.tokens.flagger,
    target: async (field) => {
      if (field !== "note") return { target: `thread:${F.threads.f.id}` };
      await resetLimits();
      return { target: `thread:${(await newThread()).id}` };
    },
    fields: ["target", "reason", "note"],
    choices: ["reason"],
    base: (t) => ({ target: t.target, reason: "spam", note: "Please look." }),
  },
  // The portfolio (issue 19): every field of an entry, added and changed (a PATCH changes the profiler's one entry, made once).
  {
    route: "api.v1.portfolio.entries.ts",
    label: "add an activity",
    method: "POST",
    path: () => "/api/v1/portfolio/entries",
    token: () => F.tokens.profiler,
    fields: PORTFOLIO_API_FIELDS,
    choices: ["unit"],
    base: (_t, n) => ({ ...PORTFOLIO_API_ENTRY, title: `An API workshop ${n}` }),
  },
  {
    route: "api.v1.portfolio.entries.$id.ts",
    label: "change an activity",
    method: "PATCH",
    path: (t) => `/api/v1/portfolio/entries/${t.id}`,
    token: () => F.tokens.profiler,
    target: async () => ({ id: String(await (apiPortfolioEntry ??= portfolioEntry())) }),
    fields: PORTFOLIO_API_FIELDS,
    choices: ["unit"],
    base: (_t, n) => ({ title: `A changed API workshop ${n}` }),
  },
  // Evidence: a link's fields (a file, the body itself, has a probe of its own: probeEvidenceUploads).
  {
    route: "api.v1.portfolio.entries.$id.evidence.ts",
    label: "add a link as evidence",
    method: "POST",
    path: (t) => `/api/v1/portfolio/entries/${t.id}/evidence`,
    token: () => F.tokens.profiler,
    target: async () => ({ id: String(await (apiEvidenceEntry ??= portfolioEntry())) }),
    fields: ["url", "title"],
    base: (_t, n) => ({ url: `https://evidence${n}.example.org/certificate`, title: `Certificate ${n}` }),
  },
  {
    route: "moderate.resources.import.batch.ts",
    label: "import a batch",
    method: "POST",
    path: () => "/moderate/resources/import/batch",
    token: () => F.tokens.mod,
    fields: ["firstRow"],
    base: (_t, n) => ({
      rows: [{ title: `Batch ${n}`, url: `https://batch${n}.example.org/`, abstract: ABSTRACT, type: "article", competencies: "reference" }],
      firstRow: 2,
    }),
  },
];

async function probeApi(spec: ApiSpec, problems: Problems) {
  const tasks = spec.fields.flatMap((f) => [...samplesFor(f, spec.choices), ...JSON_ODDITIES].map((v: { name: string; value: unknown }) => ({ f, v })));
  await pool(tasks, PARALLEL, async ({ f, v }) => {
    const t = spec.target ? await spec.target(f) : {};
    const body = { ...spec.base(t, ++made, f), [f]: v.value };
    const page = await send(nobody(), spec.method, spec.path(t), { json: body, token: spec.token() });
    judge(
      problems,
      `${spec.method} ${spec.route} (${spec.label}) "${f}"`,
      v.name,
      `${spec.method} ${spec.path(t)} ${clipText(JSON.stringify(body), 300)}`,
      page,
      "api",
    );
  });
  // Bodies that are not a JSON object at all.
  const raws = [
    ...CORPUS.map((s) => ({ name: `raw ${s.name}`, raw: s.value })),
    ...CORPUS.map((s) => ({ name: `JSON string ${s.name}`, raw: JSON.stringify(s.value) })),
    { name: "JSON null", raw: "null" },
    { name: "JSON array", raw: "[]" },
  ];
  await pool(raws, PARALLEL, async (r) => {
    const t = spec.target ? await spec.target("*") : {};
    const page = await send(nobody(), spec.method, spec.path(t), { raw: r.raw, token: spec.token() });
    judge(problems, `${spec.method} ${spec.route} (${spec.label}) whole body`, r.name, `${spec.method} ${spec.path(t)} ${clipText(r.raw, 100)}`, page, "api");
  });
}

// ---------------------------------------------------------------------------
// The plan: query parameters and path parameters

type GetSpec = {
  route: string;
  as: () => Visitor;
  path: () => string;
  params: string[];
  mode?: "json" | "api";
  /** Every parameter gets every sample as a page too (search). */
  each?: boolean;
  /** Read by the same filter function as that endpoint, where each parameter gets every sample: here the page, with all of them at once. */
  filtersAs?: string;
};

const GETS: GetSpec[] = [
  { route: "_index.tsx", as: nobody, path: () => "/", params: ["kind", "tag", "library", "unanswered", "sort", "after"], filtersAs: "api.v1.threads.ts" },
  {
    route: "tags.$slug.tsx",
    as: () => F.asker,
    path: () => "/tags/reference",
    params: ["kind", "tag", "library", "unanswered", "sort", "after"],
    filtersAs: "api.v1.threads.ts",
  },
  // Where a synonym's address sent the reader (a notice when it names a synonym of this tag).
  { route: "tags.$slug.tsx", as: nobody, path: () => "/tags/reference", params: ["from"] },
  {
    route: "resources._index.tsx",
    as: nobody,
    path: () => "/resources",
    params: ["competency", "tag", "type", "library", "region", "cost", "sort", "page"],
    filtersAs: "api.v1.resources.ts",
  },
  { route: "resources.associations.tsx", as: nobody, path: () => "/resources/associations", params: ["region"] },
  {
    route: "search.tsx",
    as: nobody,
    path: () => "/search",
    params: ["q", "type", "kind", "tag", "library", "author", "from", "to", "answered", "sort", "page"],
    each: true,
  },
  { route: "search.tsx", as: () => F.mod, path: () => "/search", params: ["q"], each: true },
  { route: "email.verify.tsx", as: nobody, path: () => "/email/verify", params: ["token"] },
  { route: "email.unsubscribe.tsx", as: nobody, path: () => "/email/unsubscribe", params: ["token"] },
  { route: "moderate.log.tsx", as: () => F.mod, path: () => "/moderate/log", params: ["actor", "member", "action", "from", "to", "page"] },
  { route: "moderate._index.tsx", as: () => F.mod, path: () => "/moderate", params: ["after"] },
  { route: "moderate.resources._index.tsx", as: () => F.mod, path: () => "/moderate/resources", params: ["done", "resource"] },
  { route: "notifications.tsx", as: () => F.asker, path: () => "/notifications", params: ["before"] },
  { route: "admin.members.tsx", as: () => F.admin, path: () => "/admin/members", params: ["q", "role", "page", "welcome"] },
  { route: "threads.similar.tsx", as: nobody, path: () => "/threads/similar", params: ["title"], mode: "json" },
  { route: "resources.suggest.ts", as: nobody, path: () => "/resources/suggest", params: ["q"], mode: "json" },
  { route: "threads.new.tsx", as: () => F.asker, path: () => "/threads/new", params: ["kind"] },
  { route: "t.$id.($slug).tsx", as: () => F.asker, path: () => F.threads.q.path, params: ["quote", "edit", "page", "reply"] },
  { route: "api.v1.threads.$id.ts", as: nobody, path: () => `/api/v1/threads/${F.threads.q.id}`, params: ["page"], mode: "api" },
  { route: "threads.$id.revisions.tsx", as: () => F.asker, path: () => `/threads/${F.threads.e.id}/revisions`, params: ["reply"] },
  { route: "moderate.resources.export.ts", as: () => F.mod, path: () => "/moderate/resources/export", params: ["format"], mode: "json" },
  { route: "login.tsx", as: nobody, path: () => "/login", params: ["redirectTo"] },
  { route: "login.tsx", as: () => F.asker, path: () => "/login", params: ["redirectTo"] },
  { route: "join.tsx", as: nobody, path: () => "/join", params: ["redirectTo"] },
  { route: "resources.new.tsx", as: () => F.helper, path: () => "/resources/new", params: ["sent", "submitted"] },
  { route: "setup.tsx", as: nobody, path: () => "/setup", params: ["token"] },
  { route: "reset-password.tsx", as: nobody, path: () => "/reset-password", params: ["token"] },
  { route: "u.$handle.tsx", as: () => F.profiler, path: () => "/u/hprofiler", params: ["welcome", "tab", "before"] },
  { route: "me.settings.tsx", as: () => F.profiler, path: () => "/me/settings", params: ["reset"] },
  { route: "me.portfolio._index.tsx", as: () => F.profiler, path: () => "/me/portfolio", params: ["saved", "page"] },
  { route: "me.portfolio.new.tsx", as: () => F.profiler, path: () => "/me/portfolio/new", params: ["resource", "work"] },
  { route: "me.portfolio.entries.$id.tsx", as: () => F.profiler, path: () => `/me/portfolio/entries/${F.entry}`, params: ["evidence", "edit"] },
  { route: "api.v1.threads.ts", as: nobody, path: () => "/api/v1/threads", params: ["kind", "tag", "library", "unanswered", "sort", "after"], mode: "api" },
  {
    route: "api.v1.resources.ts",
    as: nobody,
    path: () => "/api/v1/resources",
    params: ["competency", "tag", "type", "library", "region", "cost", "sort", "page"],
    mode: "api",
  },
  {
    route: "api.v1.search.ts",
    as: nobody,
    path: () => "/api/v1/search",
    params: ["q", "type", "kind", "tag", "library", "author", "from", "to", "answered", "sort", "page"],
    mode: "api",
  },
];

const probeGet = (spec: GetSpec, problems: Problems) => timed(`GET ${spec.route}`, () => probeGetNow(spec, problems));
async function probeGetNow(spec: GetSpec, problems: Problems) {
  const routeId = routeIdOf(spec.route);
  const one = async (params: string[], s: Sample, mode: Mode) => {
    let target = spec.path();
    for (const p of params) target = withParam(target, p, s.value);
    const who = spec.as();
    const page = await send(who, "GET", mode === "data" ? withParam(target, "_data", routeId) : target);
    const where = `GET ${spec.route} ${params.length === 1 ? `"${params[0]}"` : "all parameters at once"}${mode === "document" ? " as a page" : ""}`;
    judge(problems, where, s.name, `GET ${clipText(target, 300)}`, page, mode);
  };
  const mode: Mode = spec.mode ?? "data";
  const inUrl = (p: string) => (spec.each || spec.mode === "api" ? IN_URLS : samplesFor(p).filter((s) => IN_URLS.includes(s)));
  if (!spec.filtersAs)
    await pool(
      spec.params.flatMap((p) => inUrl(p).map((s) => ({ p, s }))),
      PARALLEL,
      ({ p, s }) => one([p], s, mode),
    );
  if (spec.mode) return;
  // Search shows what it found with markup of its own: the query gets every sample as a page, the filters the rendered ones.
  if (spec.each)
    return pool(
      spec.params.flatMap((p) => (p === "q" ? IN_URLS : RENDERED).map((s) => ({ p, s }))),
      PARALLEL,
      ({ p, s }) => one([p], s, "document"),
    );
  // All at once in one address, but a long sample one parameter at a time (a URL has room for one).
  const tasks = RENDERED.flatMap((s) => (s.value.length > 1000 ? spec.params.map((p) => ({ params: [p], s })) : [{ params: spec.params, s }]));
  await pool(tasks, PARALLEL, ({ params, s }) => one(params, s, "document"));
}

type PathSpec = { route: string; method: string; as: () => Visitor; path: (s: string) => string; form?: () => Form; token?: () => string };
const seg = enc;
const PATHS: PathSpec[] = [
  { route: "t.$id.($slug).tsx", method: "GET", as: nobody, path: (s) => `/t/${seg(s)}/x` },
  { route: "t.$id.($slug).tsx", method: "GET", as: nobody, path: (s) => `/t/${F.threads.q.id}/${seg(s)}` },
  { route: "t.$id.($slug).tsx", method: "POST", as: () => F.asker, path: (s) => `/t/${F.threads.q.id}/${seg(s)}`, form: () => ({ intent: "follow" }) },
  { route: "u.$handle.tsx", method: "GET", as: nobody, path: (s) => `/u/${seg(s)}` },
  { route: "me.portfolio.entries.$id.tsx", method: "GET", as: () => F.profiler, path: (s) => `/me/portfolio/entries/${seg(s)}` },
  {
    route: "me.portfolio.entries.$id.tsx",
    method: "POST",
    as: () => F.profiler,
    path: (s) => `/me/portfolio/entries/${seg(s)}`,
    form: () => ({ intent: "delete" }),
  },
  { route: "me.portfolio.entries.$id.evidence.tsx", method: "GET", as: () => F.profiler, path: (s) => `/me/portfolio/entries/${seg(s)}/evidence` },
  {
    route: "me.portfolio.entries.$id.evidence.tsx",
    method: "POST",
    as: () => F.profiler,
    path: (s) => `/me/portfolio/entries/${seg(s)}/evidence`,
    form: () => ({ url: "https://example.org/certificate", label: "" }),
  },
  { route: "me.portfolio.evidence.$id.ts", method: "GET", as: () => F.profiler, path: (s) => `/me/portfolio/evidence/${seg(s)}` },
  { route: "verify.$token.tsx", method: "GET", as: nobody, path: (s) => `/verify/${seg(s)}` },
  { route: "verify.$token.tsx", method: "POST", as: nobody, path: (s) => `/verify/${seg(s)}`, form: () => ({ intent: "confirm", name: "Val", note: "" }) },
  { route: "me.verifications.$id.tsx", method: "GET", as: () => F.helper, path: (s) => `/me/verifications/${seg(s)}` },
  {
    route: "me.verifications.$id.tsx",
    method: "POST",
    as: () => F.helper,
    path: (s) => `/me/verifications/${seg(s)}`,
    form: () => ({ intent: "confirm", note: "" }),
  },
  { route: "me.portfolio.programs.$slug.tsx", method: "GET", as: () => F.profiler, path: (s) => `/me/portfolio/programs/${seg(s)}` },
  // A reviewer's link: no account, and every token but a real one is "no portfolio here".
  { route: "portfolio.shared.$token.tsx", method: "GET", as: nobody, path: (s) => `/portfolio/shared/${seg(s)}` },
  // A file through a reviewer's link: any token and any id but a real pair is "no such file here".
  { route: "portfolio.shared.$token.evidence.$id.ts", method: "GET", as: nobody, path: (s) => `/portfolio/shared/${seg(s)}/evidence/1` },
  { route: "portfolio.shared.$token.evidence.$id.ts", method: "GET", as: nobody, path: (s) => `/portfolio/shared/${"x".repeat(43)}/evidence/${seg(s)}` },
  {
    route: "me.portfolio.programs.$slug.tsx",
    method: "POST",
    as: () => F.profiler,
    path: (s) => `/me/portfolio/programs/${seg(s)}`,
    form: () => ({ intent: "follow" }),
  },
  {
    route: "u.$handle.tsx",
    method: "POST",
    as: () => F.mod,
    path: (s) => `/u/${seg(s)}`,
    form: () => ({ intent: "suspend", until: inDays(3), reason: "Probe." }),
  },
  { route: "tags.$slug.tsx", method: "GET", as: nobody, path: (s) => `/tags/${seg(s)}` },
  { route: "tags.$slug.tsx", method: "POST", as: () => F.asker, path: (s) => `/tags/${seg(s)}`, form: () => ({ intent: "follow" }) },
  { route: "competencies.$slug.tsx", method: "GET", as: nobody, path: (s) => `/competencies/${seg(s)}` },
  { route: "resources.$id.tsx", method: "GET", as: nobody, path: (s) => `/resources/${seg(s)}` },
  { route: "resources.$id.tsx", method: "POST", as: () => F.mod, path: (s) => `/resources/${seg(s)}`, form: () => ({ intent: "feature" }) },
  { route: "threads.$id.hit.tsx", method: "GET", as: () => F.asker, path: (s) => `/threads/${seg(s)}/hit` },
  { route: "threads.$id.hit.tsx", method: "POST", as: () => F.asker, path: (s) => `/threads/${seg(s)}/hit`, form: () => ({ intent: "draft", include: "1" }) },
  { route: "threads.$id.clearinghouse.tsx", method: "GET", as: () => F.asker, path: (s) => `/threads/${seg(s)}/clearinghouse` },
  {
    route: "threads.$id.clearinghouse.tsx",
    method: "POST",
    as: () => F.asker,
    path: (s) => `/threads/${seg(s)}/clearinghouse`,
    form: () => ({ "send-0": "on" }),
  },
  { route: "threads.$id.revisions.tsx", method: "GET", as: () => F.asker, path: (s) => `/threads/${seg(s)}/revisions` },
  { route: "moderate.resources.$id.edit.tsx", method: "GET", as: () => F.mod, path: (s) => `/moderate/resources/${seg(s)}/edit` },
  {
    route: "moderate.resources.$id.edit.tsx",
    method: "POST",
    as: () => F.mod,
    path: (s) => `/moderate/resources/${seg(s)}/edit`,
    form: () => ({ intent: "save" }),
  },
  { route: "notifications.$id.tsx", method: "GET", as: () => F.asker, path: (s) => `/notifications/${seg(s)}` },
  { route: "admin.outbox.$name.ts", method: "GET", as: () => F.admin, path: (s) => `/admin/outbox/${seg(s)}` },
  { route: "admin.programs.$slug.tsx", method: "GET", as: () => F.admin, path: (s) => `/admin/programs/${seg(s)}` },
  { route: "admin.programs.$slug.tsx", method: "POST", as: () => F.admin, path: (s) => `/admin/programs/${seg(s)}`, form: () => ({ intent: "retire" }) },
  { route: "admin.programs.$slug[.]json.ts", method: "GET", as: () => F.admin, path: (s) => `/admin/programs/${seg(s)}.json` },
  { route: "feeds.$name.ts", method: "GET", as: nobody, path: (s) => `/feeds/${seg(s)}` },
  { route: "feeds.tags.$name.ts", method: "GET", as: nobody, path: (s) => `/feeds/tags/${seg(s)}` },
  { route: "feeds.threads.$name.ts", method: "GET", as: nobody, path: (s) => `/feeds/threads/${seg(s)}` },
  { route: "$.tsx", method: "GET", as: nobody, path: (s) => `/${seg(s)}` },
  { route: "api.$.ts", method: "GET", as: nobody, path: (s) => `/api/${seg(s)}` },
  { route: "api.$.ts", method: "POST", as: nobody, path: (s) => `/api/v1/${seg(s)}`, token: () => F.tokens.asker },
  { route: "api.v1.threads.$id.ts", method: "GET", as: nobody, path: (s) => `/api/v1/threads/${seg(s)}` },
  { route: "api.v1.threads.$id.replies.ts", method: "POST", as: nobody, path: (s) => `/api/v1/threads/${seg(s)}/replies`, token: () => F.tokens.helper },
  { route: "api.v1.threads.$id.accept.ts", method: "PUT", as: nobody, path: (s) => `/api/v1/threads/${seg(s)}/accept`, token: () => F.tokens.asker },
  { route: "api.v1.threads.$id.accept.ts", method: "DELETE", as: nobody, path: (s) => `/api/v1/threads/${seg(s)}/accept`, token: () => F.tokens.asker },
  { route: "api.v1.replies.$id.helpful.ts", method: "PUT", as: nobody, path: (s) => `/api/v1/replies/${seg(s)}/helpful`, token: () => F.tokens.asker },
  { route: "api.v1.replies.$id.helpful.ts", method: "DELETE", as: nobody, path: (s) => `/api/v1/replies/${seg(s)}/helpful`, token: () => F.tokens.asker },
  { route: "api.v1.resources.$id.ts", method: "GET", as: nobody, path: (s) => `/api/v1/resources/${seg(s)}` },
  ...["GET", "PATCH", "DELETE"].map((method) => ({
    route: "api.v1.portfolio.entries.$id.ts",
    method,
    as: nobody,
    path: (s: string) => `/api/v1/portfolio/entries/${seg(s)}`,
    token: () => F.tokens.profiler,
  })),
  ...["GET", "POST"].map((method) => ({
    route: "api.v1.portfolio.entries.$id.evidence.ts",
    method,
    as: nobody,
    path: (s: string) => `/api/v1/portfolio/entries/${seg(s)}/evidence`,
    token: () => F.tokens.profiler,
  })),
  ...["GET", "DELETE"].map((method) => ({
    route: "api.v1.portfolio.evidence.$id.ts",
    method,
    as: nobody,
    path: (s: string) => `/api/v1/portfolio/evidence/${seg(s)}`,
    token: () => F.tokens.profiler,
  })),
  {
    route: "api.v1.portfolio.evidence.$id.file.ts",
    method: "GET",
    as: nobody,
    path: (s) => `/api/v1/portfolio/evidence/${seg(s)}/file`,
    token: () => F.tokens.profiler,
  },
  ...["pdf", "csv", "zip"].map((kind) => ({
    route: `me.portfolio.programs.$slug_.export[.]${kind}.ts`,
    method: "GET",
    as: () => F.profiler,
    path: (s: string) => `/me/portfolio/programs/${seg(s)}/export.${kind}`,
  })),
];

/** The API's file upload, and the query parameters of its post that probeEvidenceApiUploads gives every sample (the file's name). */
const UPLOAD_API_ROUTE = "api.v1.portfolio.entries.$id.evidence.ts";
const UPLOAD_QUERY_PARAMS: Record<string, string[]> = { [UPLOAD_API_ROUTE]: ["name"] };

const probePath = (spec: PathSpec, problems: Problems) => timed(`${spec.method} ${spec.route} path`, () => probePathNow(spec, problems));
/** Path parameters that name a record by number (the rest name it by slug, handle or file name). */
const byNumber = (spec: PathSpec) => /\$id\b/.test(spec.route) && !(spec.route.startsWith("t.$id") && spec.path("§").startsWith(`/t/${F.threads.q.id}/`));
async function probePathNow(spec: PathSpec, problems: Problems) {
  const api = spec.route.startsWith("api.");
  const one = async (s: Sample, mode: Mode) => {
    const target = spec.path(s.value);
    const form = spec.form?.();
    const data = mode === "data" && !spec.route.endsWith(".ts");
    const page = await send(spec.as(), spec.method, data ? withParam(target, "_data", routeIdOf(spec.route)) : target, {
      ...(form ? { form } : api && spec.method !== "GET" && spec.method !== "DELETE" ? { json: { body: "An answer.", replyId: 1 } } : {}),
      token: spec.token?.(),
    });
    judge(
      problems,
      `${spec.method} ${spec.route} path${mode === "document" ? " as a page" : ""}`,
      s.name,
      `${spec.method} ${clipText(target, 200)}`,
      page,
      mode,
    );
  };
  const mode: Mode = api ? "api" : spec.route.endsWith(".ts") ? "json" : "data";
  await pool(byNumber(spec) ? FOR_CHOICES.filter((s) => IN_URLS.includes(s)) : IN_URLS, PARALLEL, (s) => one(s, mode));
  if (mode === "data")
    await pool(
      RENDERED.filter((s) => s.value.length <= 10_000),
      PARALLEL,
      (s) => one(s, "document"),
    );
}

// ---------------------------------------------------------------------------
// Checking the plan against the routes

const APP = path.resolve(import.meta.dirname, "../../app");
const read = (...p: string[]) => fs.readFileSync(path.join(APP, ...p), "utf8");
const ROUTE_FILES = fs.readdirSync(path.join(APP, "routes")).filter((f) => /\.tsx?$/.test(f));
const hasAction = (file: string) => /export\s+(async\s+function\s+action\b|const\s+action\b)/.test(read("routes", file));
/** Routes whose action reads nothing from the request but the path (covered by PATHS). */
const NO_BODY: Record<string, string> = {
  "api.v1.inbound-mail.ts": "takes a raw RFC 5322 message with the webhook secret, not fields (the mail tests send it hostile mail)",
  "api.$.ts": "answers every other /api path with a JSON 404",
  "api.v1.replies.$id.helpful.ts": "reads no body: the reply is in the path",
  "api.v1.threads.$id.ts": "its action only answers 405",
  "api.v1.portfolio.programs.ts": "its action only answers 405",
  "api.v1.portfolio.evidence.$id.ts": "reads no body: DELETE names the evidence in the path",
  "api.v1.portfolio.evidence.$id.file.ts": "its action only answers 405",
};

function schemaKeys(name: string, source: string): string[] {
  const schema = (validation as unknown as Record<string, { shape?: Record<string, unknown> } | undefined>)[name];
  if (schema?.shape) return Object.keys(schema.shape);
  const local = new RegExp(`const ${name} = z\\.object\\(\\{([^\\n]*)\\}\\)`).exec(source);
  if (local) return [...local[1].matchAll(/(\w+):\s*z\./g)].map((m) => m[1]);
  throw new Error(`cannot read the fields of ${name}`);
}

/** Every name an action reads from a form or JSON body ("x-{}" for names made from an index). */
function fieldsRead(file: string): Set<string> {
  const src = read("routes", file);
  const names = new Set<string>();
  for (const m of src.matchAll(/(?:form|readForm\(request\)\))\.get(?:All)?\("([^"]+)"\)/g)) names.add(m[1]);
  for (const m of src.matchAll(/(?:form\.get(?:All)?\(|values\[)`([\w-]+)-\$\{/g)) names.add(`${m[1]}-{}`);
  if (src.includes("readJson(")) for (const m of src.matchAll(/\bbody\.(\w+)/g)) names.add(m[1]);
  // A schema parsing the form or body (not an object the route assembled itself from other fields).
  for (const m of src.matchAll(/parseInput\(([A-Z]\w*Schema),(?!\s*\{\s*(?!\.\.\.))/g)) for (const k of schemaKeys(m[1], src)) names.add(k);
  if (/joinSchema\(/.test(src)) for (const k of [...Object.keys(validation.JoinSchema.shape), "guidelines"]) names.add(k);
  if (/profileSchema\(/.test(src)) for (const k of Object.keys(validation.ProfileSchema.shape)) names.add(k);
  return names;
}
const MODERATION_FIELDS = () => {
  const src = read("web", "moderation-form.server.ts");
  return new Set([...src.matchAll(/text\("(\w+)"\)/g), ...src.matchAll(/form\.getAll\("(\w+)"\)/g)].map((m) => m[1]));
};

/** Query parameters a route reads (its loader and action, its page, and the filter function it calls). */
function paramsRead(file: string): Set<string> {
  const src = read("routes", file);
  const names = new Set<string>();
  for (const m of src.matchAll(/searchParams\.get\("(\w+)"\)/g)) names.add(m[1]);
  for (const m of src.matchAll(/\bparams\.get\("(\w+)"\)/g)) names.add(m[1]);
  for (const m of src.matchAll(/\bvalue\("(\w+)"\)/g)) names.add(m[1]);
  for (const m of src.matchAll(/\b(\w+FiltersFrom)\(/g)) {
    for (const model of fs.readdirSync(path.join(APP, "models"))) {
      const body = new RegExp(`export function ${m[1]}\\([\\s\\S]*?\\n}\\n`).exec(read("models", model))?.[0];
      if (body) for (const p of body.matchAll(/\bp\.get\("(\w+)"\)/g)) names.add(p[1]);
    }
  }
  return names;
}
const normalize = (field: string) => field.replace(/\{\w+\}/g, "{}");

// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// The probes, a function per group. Each file of the hostile project runs some
// of them against a server (and database copy) of its own, so the groups run
// in parallel; each file ends with the sweep over what it stored.

/** This file's server: started before its tests, stopped after. */
export function hostileServer() {
  beforeAll(async () => {
    server = await startServer({ env: { TRUST_PROXY: "loopback", API_RATE_LIMIT: "1000000" } });
    url = server.url;
  });
  afterAll(async () => {
    if (process.env.HOSTILE_TIMING && server) {
      const pid = /"pid":(\d+),"msg":"listening"/.exec(server.output())?.[1];
      const stat = pid ? fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ") : [];
      console.log(`TIMING server CPU: ${(Number(stat[11]) + Number(stat[12])) / 100} s; test process CPU: ${process.cpuUsage().user / 1e6} s`);
    }
    const code = await server?.stop();
    // A server that stopped on its own is the worst answer of all: say what it printed last.
    if (code !== 0 && server)
      console.warn(
        `the server exited with ${code}; its last output:\n${server
          .output()
          .split("\n")
          .filter((l) => !l.includes('"msg":"request"'))
          .slice(-40)
          .join("\n")}`,
      );
  });
}

/** The plan covers every form, field, query parameter, path parameter and API body. */
export function checkPlan() {
  const covered = new Map<string, Set<string>>();
  const add = (route: string, names: string[]) => {
    const set = covered.get(route) ?? new Set<string>();
    for (const n of names) set.add(normalize(n));
    covered.set(route, set);
  };
  for (const spec of [SETUP, ...FORMS]) add(spec.route, [...spec.fields, ...(spec.together ?? [])]);
  for (const spec of APIS) add(spec.route, spec.fields);
  const missing: string[] = [];
  for (const file of ROUTE_FILES.filter(hasAction)) {
    if (!covered.has(file) && !NO_BODY[file]) missing.push(`${file}: has an action and no plan`);
    const mine = covered.get(file) ?? new Set<string>();
    for (const f of fieldsRead(file)) {
      if (f === "rows") continue; // the import batch's rows: every column gets the corpus (see the resources test)
      if (!mine.has(f) && !mine.has(`?${f}`)) missing.push(`${file}: reads "${f}", which gets no samples`);
    }
  }
  const moderationRoutes = ROUTE_FILES.filter((f) => read("routes", f).includes("runModerationIntent("));
  const moderationCovered = new Set(moderationRoutes.flatMap((f) => [...(covered.get(f) ?? [])]));
  for (const f of MODERATION_FIELDS()) if (!moderationCovered.has(f)) missing.push(`web/moderation-form.server.ts: reads "${f}", which gets no samples`);
  for (const spec of [SETUP, ...FORMS, ...APIS]) if (!ROUTE_FILES.includes(spec.route)) missing.push(`${spec.route}: planned, but there is no such route`);

  const queried = new Map<string, Set<string>>();
  for (const g of GETS) queried.set(g.route, new Set([...(queried.get(g.route) ?? []), ...g.params]));
  for (const [route, params] of Object.entries(UPLOAD_QUERY_PARAMS)) queried.set(route, new Set([...(queried.get(route) ?? []), ...params]));
  for (const spec of [SETUP, ...FORMS])
    for (const f of spec.fields) if (f.startsWith("?")) queried.set(spec.route, new Set([...(queried.get(spec.route) ?? []), f.slice(1)]));
  for (const file of ROUTE_FILES) {
    for (const p of paramsRead(file)) if (!queried.get(file)?.has(p)) missing.push(`${file}: reads the query parameter "${p}", which gets no samples`);
    if (file.includes("$") && !PATHS.some((s) => s.route === file)) missing.push(`${file}: has a path parameter that gets no samples`);
  }
  expect(missing).toEqual([]);
  // What the plan amounts to, for the record.
  const fields = [SETUP, ...FORMS].reduce((n, s) => n + s.fields.length + (s.together?.length ?? 0), 0) + APIS.reduce((n, s) => n + s.fields.length, 0);
  const params = GETS.reduce((n, s) => n + s.params.length, 0);
  console.log(`plan: ${fields} form and JSON fields, ${params} query parameters and ${PATHS.length} path parameters × ${CORPUS.length} samples`);
}

/** The live-markup check flags what would run and passes what would not. */
export function checkLiveMarkupCheck() {
  const live = [
    "<p><script>alert(1)</script></p>",
    '<img src=x onerror="alert(1)">',
    "<svg/onload=alert(1)>",
    '<a href=" jav&#x09;ascript:alert(1)">x</a>',
    "<a href=JAVASCRIPT:alert(1)>x</a>",
    '<iframe srcdoc="x"></iframe>',
    '<div style="background:url(javascript:alert(1))">',
    '<input value="x"><script nonce="other">alert(1)</script>',
  ];
  for (const html of live) expect(liveMarkup(html, { nonce: "mine" }), html).not.toEqual([]);
  const inert = [
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    '<input value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">',
    "<textarea>&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea><textarea></p><b onclick=x></textarea>",
    '<p>&lt;a href="javascript:alert(1)"&gt;</p>',
    '<script nonce="mine">window.__remixContext = {"t":"\\u003cscript\\u003e"}</script>',
    '<a href="/t/1/x" class="mention">@x</a> <img src="https://img.example.org/a.png" alt="">',
    '<svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24"><circle cx="11" cy="11" r="8"></circle></svg>',
  ];
  for (const html of inert) expect(liveMarkup(html, { nonce: "mine" }), html).toEqual([]);
  // Feeds: text that closes a CDATA section and adds an element, HTML titles, raw < in attributes.
  const item = (title: string) =>
    `<rss><channel><title>T</title><item><title><![CDATA[${title}]]></title><description><![CDATA[<p>ok</p>]]></description></item></channel></rss>`;
  expect(feedProblems(item("A plain title"))).toEqual([]);
  expect(feedProblems(item(']]]]><![CDATA[>]]><img src="x" onerror="alert(1)"/><![CDATA['))).not.toEqual([]);
  expect(feedProblems('<feed><entry><title type="html"><![CDATA[<script>alert(1)</script>]]></title></entry></feed>')).not.toEqual([]);
  expect(feedProblems('<feed><entry><title type="html">&lt;script&gt;</title><category label="<b>"/></entry></feed>')).not.toEqual([]);
  expect(feedProblems('<feed><entry><title type="text">&lt;script&gt;alert(1)&lt;/script&gt;</title></entry></feed>')).toEqual([]);
}

/** The one-time admin form, probed while there is no admin yet. */
export async function probeSetupForm() {
  const problems = new Problems();
  await probeForm(SETUP, problems);
  expect(await db(`SELECT "id" FROM "User"`)).toEqual([]);
  report(problems);
}

/** The community the other probes act in: the first admin, members, threads, tags, resources. */
export async function buildCommunity() {
  const problems = new Problems();
  // The first admin, whose identification is itself hostile (it shows beside everything they do).
  F.admin = nobody();
  const setup = await send(F.admin, "POST", `/setup?token=${server.setupToken}`, {
    form: member("hadmin", { displayName: SCRIPT, jobTitle: BREAKOUT, worksite: "<svg onload=alert(1)>", guidelines: "" }),
  });
  expect(setup.status).toBe(302);
  F.mod = await joinAs("hmod", { displayName: "javascript:alert(1)" });
  const promoted = await postData(F.admin, "/admin/members", "admin.members.tsx", { userId: String(await userId("hmod")), role: "moderator" });
  expect(promoted.status).toBe(200);
  F.asker = await joinAs("hasker", { displayName: "Asker </script><script>alert(1)</script>", worksite: sample("CDATA breakout") });
  F.helper = await joinAs("hhelper", { displayName: `Helper ${BREAKOUT}`, jobTitle: sample("SQL: drop table") });
  F.flagger = await joinAs("hflagger");
  F.victim = await joinAs("hvictim");
  F.profiler = await joinAs("hprofiler");
  F.passworder = await joinAs("hpassworder");
  F.tokener = await joinAs("htokener");
  F.suggester = await joinAs("hsuggester");
  await joinAs("hloginuser");
  await joinAs("hresetuser");
  await joinAs("hroleuser");
  F.users = { victim: await userId("hvictim"), roleUser: await userId("hroleuser") };
  F.tokens = {
    asker: await createToken(F.asker),
    helper: await createToken(F.helper),
    flagger: await createToken(F.flagger),
    mod: await createToken(F.mod),
    profiler: await createToken(F.profiler),
  };
  F.tag = (await db<{ id: number }>(`SELECT "id" FROM "Tag" WHERE "slug" = 'reference'`))[0].id;

  const [q, r, q3, e, e2, d, rt, f, l, p] = await Promise.all([
    newThread({ title: "Hostile fixture: replies are voted on, accepted, edited" }),
    newThread({ title: "Hostile fixture: where replies go" }),
    newThread({ title: "Hostile fixture: where moved replies land" }),
    newThread({ title: "Hostile fixture: edited by its author" }),
    newThread({ title: "Hostile fixture: edited by a moderator" }),
    newThread({ title: "Hostile fixture: closed as a duplicate" }),
    newThread({ title: "Hostile fixture: retagged" }),
    newThread({ title: "Hostile fixture: flagged" }),
    newThread({ title: "Hostile fixture: locked and unlocked" }),
    newThread({ title: "Hostile fixture: pinned and unpinned" }),
  ]);
  const target = await newThread({ title: "TARGET: hostile fixture", kind: "target" });
  F.threads = { q, r, q3, e, e2, d, rt, f, l, p, target };
  F.reply = await newReply(q.id);
  F.targetReply = await newReply(target.id);

  // Tags the tag forms act on.
  for (const name of ["Updatable", "Main tag", "Merge into"]) await postData(F.mod, "/admin/tags", "admin.tags.tsx", { intent: "create", name, scopeNote: "" });
  const tagId = async (slug: string) => (await db<{ id: number }>(`SELECT "id" FROM "Tag" WHERE "slug" = ?`, slug))[0].id;
  F.tagIds = { update: await tagId("updatable"), synonymOf: await tagId("main-tag"), mergeInto: await tagId("merge-into") };

  // Approved resources: one to curate and merge into, and a pool for flags (one flag per member and resource).
  const rows = Array.from({ length: 90 }, (_, k) => ({
    title: `Approved resource ${k}`,
    url: `https://approved${k}.example.org/`,
    abstract: ABSTRACT,
    type: "article",
    competencies: "reference",
  }));
  const imported = await send(F.mod, "POST", "/moderate/resources/import/batch", { json: { rows } });
  expect(imported.status).toBe(200);
  const ids = (await db<{ id: number }>(`SELECT "id" FROM "Resource" WHERE "title" LIKE 'Approved resource %' ORDER BY "id"`)).map((r) => r.id);
  [F.resource, F.flagResource, ...F.resourcePool] = ids;

  // A portfolio entry, whose page's query parameters are probed.
  F.entry = await portfolioEntry();

  // A reset link for the reset form.
  const reset = await postData(F.admin, "/admin/members", "admin.members.tsx", { intent: "reset", userId: String(await userId("hresetuser")) });
  F.resetToken = /token=([^"&\s]+)/.exec(reset.body)![1];
  report(problems);
}

/** Query parameters and path parameters of every page, feed and endpoint (search again, over everything stored, at the end). */
export async function probeGetsAndPaths() {
  const problems = new Problems();
  for (const spec of GETS) await probeGet(spec, problems);
  for (const spec of PATHS) await probePath(spec, problems);
  report(problems);
}

/** Account forms: join, log in, choose a new password, log out, guidelines, preview. */
export async function probeAccountForms() {
  const problems = new Problems();
  for (const spec of FORMS.filter((s) =>
    ["join.tsx", "login.tsx", "reset-password.tsx", "logout.tsx", "guidelines.tsx", "markdown-preview.tsx"].includes(s.route),
  ))
    await probeForm(spec, problems);
  // The reset link still works, and a hostile (but valid) password is a password like any other.
  const done = await send(nobody(), "POST", `/reset-password?token=${F.resetToken}`, { form: { newPassword: SCRIPT, confirmPassword: SCRIPT } });
  expect(done.status).toBe(302);
  expect((await send(nobody(), "POST", "/login", { form: { email: "hresetuser@example.org", password: SCRIPT } })).status).toBe(302);
  report(problems);
}

/** Settings: profile, password, API tokens, following, notifications; the portfolio and its verification. */
export async function probeSettings() {
  const problems = new Problems();
  for (const spec of FORMS.filter(
    (s) =>
      ["me.settings.tsx", "me.following.tsx", "notifications.tsx", "verify.$token.tsx"].includes(s.route) ||
      s.route.startsWith("me.portfolio") ||
      s.route.startsWith("me.verifications"),
  ))
    await probeForm(spec, problems);
  report(problems);
}

/**
 * The one upload (a portfolio entry's evidence, multipart/form-data): every
 * sample as a file's name, written raw into the part's header as a careless
 * client would; contents that are not what they claim; bodies that are not
 * well-formed multipart. Each answer is a page or a 4xx with a message; each
 * stored name comes back as text on the entry's page and as a well-formed
 * Content-Disposition on its download.
 */
export async function probeEvidenceUploads() {
  const problems = new Problems();
  const routeId = routeIdOf("me.portfolio.entries.$id.evidence.tsx");
  const entry = await portfolioEntry();
  const target = `/me/portfolio/entries/${entry}/evidence`;
  const upload = (body: string, mode: Mode, boundary: string | null = "hostileB0undary") =>
    send(F.profiler, "POST", mode === "data" ? withParam(target, "_data", routeId) : target, {
      raw: body,
      headers: { "Content-Type": boundary === null ? "multipart/form-data" : `multipart/form-data; boundary=${boundary}` },
    });
  const part = (filename: string, content: string, type = "application/pdf") =>
    `--hostileB0undary\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n${content}\r\n--hostileB0undary--\r\n`;
  const PDF = "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";

  // Names: every sample, as data and (the rendered ones) as a page.
  await pool(CORPUS, PARALLEL, async (s) => {
    const page = await upload(part(s.value, PDF), "data");
    judge(problems, `POST ${target} (upload) file name`, s.name, `a PDF named ${clipText(JSON.stringify(s.value), 80)}`, page, "data");
  });
  await pool(RENDERED, PARALLEL, async (s) => {
    const page = await upload(part(s.value, PDF), "document");
    judge(problems, `POST ${target} (upload) file name as a page`, s.name, `a PDF named ${clipText(JSON.stringify(s.value), 80)}`, page, "document");
  });
  // Contents that are not a PDF, PNG or JPEG, whatever their names and declared types say: refused with the message.
  const contents: [string, string, string, string][] = [
    ["HTML named .png", "photo.png", "<!doctype html><script>alert(1)</script>", "image/png"],
    ["SVG named .svg", "badge.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"],
    ["SVG named .pdf", "certificate.pdf", "<svg onload=alert(1)>", "application/pdf"],
    ["script as JavaScript", "x.js", "alert(1)", "text/javascript"],
    ["empty", "empty.pdf", "", "application/pdf"],
  ];
  for (const [name, filename, content, type] of contents)
    for (const mode of ["data", "document"] as const) {
      const page = await upload(part(filename, content, type), mode);
      judge(problems, `POST ${target} (upload) content${mode === "document" ? " as a page" : ""}`, name, `${filename} (${type})`, page, mode);
      if (page.status !== 400) problems.add(`POST ${target} (upload) content`, name, `answers ${page.status}, not 400`, `${filename} (${type})`);
    }
  // Bodies that are not well-formed multipart.
  const bodies: [string, string, string | null][] = [
    ["no boundary parameter", part("a.pdf", PDF), null],
    ["another boundary", part("a.pdf", PDF), "somethingElse"],
    ["cut short", part("a.pdf", PDF).slice(0, 120), "hostileB0undary"],
    ["no parts", "--hostileB0undary--\r\n", "hostileB0undary"],
    ["garbage", "\u0000\u0001 not multipart at all", "hostileB0undary"],
    [
      "a part without a name",
      '--hostileB0undary\r\nContent-Disposition: form-data; filename="a.pdf"\r\n\r\n%PDF-1.4\r\n--hostileB0undary--\r\n',
      "hostileB0undary",
    ],
    ["a header injected in the name", part('a.pdf"\r\nContent-Type: text/html\r\nX-Evil: "1', PDF), "hostileB0undary"],
    ["a 20,000-character part header", part("x".repeat(20_000), PDF), "hostileB0undary"],
    [
      "two hundred parts",
      `${'--hostileB0undary\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n'.repeat(200)}${part("a.pdf", PDF)}`,
      "hostileB0undary",
    ],
    ["two files", part("a.pdf", PDF).replace("--hostileB0undary--\r\n", "") + part("b.pdf", PDF), "hostileB0undary"],
    ["a boundary of markup", part("a.pdf", PDF).replaceAll("hostileB0undary", "<script>alert(1)</script>"), '"<script>alert(1)</script>"'],
  ];
  for (const [name, body, boundary] of bodies)
    for (const mode of ["data", "document"] as const) {
      const page = await upload(body, mode, boundary);
      judge(problems, `POST ${target} (upload) body${mode === "document" ? " as a page" : ""}`, name, clipText(JSON.stringify(body), 120), page, mode);
    }

  // What was stored: the entry's page shows every name as text, and each download names it in a well-formed header.
  await look(problems, F.profiler, `/me/portfolio/entries/${entry}`);
  const stored = await db<{ id: number }>(`SELECT "id" FROM "Evidence" WHERE "entryId" = ? AND "kind" = 'file' ORDER BY "id"`, entry);
  if (stored.length < CORPUS.length / 2) problems.add(`POST ${target} (upload)`, "(stored)", `only ${stored.length} of the named PDFs were stored`, target);
  const DISPOSITION = /^attachment; filename="[\x20-\x7E]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]*$/;
  await pool(stored, PARALLEL, async ({ id }) => {
    const page = await send(F.profiler, "GET", `/me/portfolio/evidence/${id}`);
    const disposition = page.headers.get("content-disposition") ?? "";
    if (page.status !== 200 || page.headers.get("content-type") !== "application/pdf" || !DISPOSITION.test(disposition))
      problems.add(
        `GET /me/portfolio/evidence/<id>`,
        "(stored)",
        "not a well-formed PDF attachment",
        `${page.status} ${page.headers.get("content-type")} ${disposition}`,
      );
  });
  report(problems);
}

/**
 * A file sent to the API as the request's whole body (the evidence endpoint):
 * every sample as its name, by ?name= and in Content-Disposition (both forms);
 * contents that are not what their Content-Type says; bodies of other types,
 * multipart included. Each answer is the API's JSON (a 4xx with a message);
 * each stored name comes back as text in the evidence list and as a
 * well-formed Content-Disposition on its download.
 */
export async function probeEvidenceApiUploads() {
  const problems = new Problems();
  const entry = await portfolioEntry();
  const target = `/api/v1/portfolio/entries/${entry}/evidence`;
  const PDF = "%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n";
  const sendFile = (path: string, body: string, type: string, headers: Record<string, string> = {}) =>
    send(nobody(), "POST", path, { raw: body, token: F.tokens.profiler, headers: { "Content-Type": type, ...headers } });
  const where = (how: string) => `POST ${UPLOAD_API_ROUTE} (a file as the body) ${how}`;

  // Names: every sample as ?name=, and in Content-Disposition's UTF-8 form and (where a header can carry it) its plain one.
  await pool(IN_URLS, PARALLEL, async (s) => {
    const page = await sendFile(withParam(target, "name", s.value), PDF, "application/pdf");
    judge(problems, where('"?name"'), s.name, `a PDF named ${clipText(JSON.stringify(s.value), 80)}`, page, "api");
  });
  await pool(IN_URLS, PARALLEL, async (s) => {
    const page = await sendFile(target, PDF, "application/pdf", { "Content-Disposition": `attachment; filename*=UTF-8''${enc(s.value)}` });
    judge(problems, where("Content-Disposition filename*"), s.name, `a PDF named ${clipText(JSON.stringify(s.value), 80)}`, page, "api");
  });
  await pool(
    IN_URLS.filter((s) => /^[\x20-\x7e]*$/.test(s.value)),
    PARALLEL,
    async (s) => {
      const page = await sendFile(target, PDF, "application/pdf", { "Content-Disposition": `attachment; filename="${s.value}"` });
      judge(problems, where("Content-Disposition filename"), s.name, `a PDF named ${clipText(JSON.stringify(s.value), 80)}`, page, "api");
    },
  );
  // Contents that are not a PDF, PNG or JPEG whatever the Content-Type says (400), and types that are none of them (415).
  const contents: [string, string, string, number][] = [
    ["HTML as a PNG", "<!doctype html><script>alert(1)</script>", "image/png", 400],
    ["SVG as a PDF", "<svg onload=alert(1)>", "application/pdf", 400],
    ["a zip as a JPEG", "PK\u0003\u0004 a zip archive", "image/jpeg", 400],
    ["empty", "", "application/pdf", 400],
    ["SVG as SVG", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml", 415],
    ["script as JavaScript", "alert(1)", "text/javascript", 415],
    ["a PDF as bytes of no type", PDF, "application/octet-stream", 415],
    [
      "a PDF as a multipart form",
      `--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n${PDF}\r\n--b--\r\n`,
      "multipart/form-data; boundary=b",
      415,
    ],
  ];
  for (const [name, body, type, status] of contents) {
    const page = await sendFile(withParam(target, "name", "certificate.pdf"), body, type);
    judge(problems, where("content"), name, `${type}: ${clipText(JSON.stringify(body), 80)}`, page, "api");
    if (page.status !== status) problems.add(where("content"), name, `answers ${page.status}, not ${status}`, type);
  }

  // What was stored: listed as JSON text, and each download names it in a well-formed header.
  await look(problems, F.profiler, target);
  const stored = await db<{ id: number }>(`SELECT "id" FROM "Evidence" WHERE "entryId" = ? AND "kind" = 'file' ORDER BY "id"`, entry);
  if (stored.length < IN_URLS.length) problems.add(where("(stored)"), "(stored)", `only ${stored.length} of the named PDFs were stored`, target);
  const DISPOSITION = /^attachment; filename="[\x20-\x7E]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]*$/;
  await pool(stored, PARALLEL, async ({ id }) => {
    const page = await send(nobody(), "GET", `/api/v1/portfolio/evidence/${id}/file`, { token: F.tokens.profiler });
    const disposition = page.headers.get("content-disposition") ?? "";
    if (page.status !== 200 || page.headers.get("content-type") !== "application/pdf" || !DISPOSITION.test(disposition))
      problems.add(
        "GET /api/v1/portfolio/evidence/<id>/file",
        "(stored)",
        "not a well-formed PDF attachment",
        `${page.status} ${page.headers.get("content-type")} ${disposition}`,
      );
  });
  report(problems);
}

/** Thread forms (of the routes named): asking, previews, the thread page's forms, HITs and their links. */
export async function probeThreads(routes: string[]) {
  const problems = new Problems();
  if (routes.includes("threads.$id.clearinghouse.tsx")) await makeHitLinks(120);
  for (const spec of FORMS.filter((s) => routes.includes(s.route))) await probeForm(spec, problems);
  report(problems);
}

/** Resources: suggesting, curating, flagging, editing and importing. */
export async function probeResources() {
  const problems = new Problems();
  for (const spec of FORMS.filter((s) => s.route.startsWith("resources.") || s.route.startsWith("moderate.resources"))) await probeForm(spec, problems);
  // Every CSV column gets every sample: one import per column, a row per sample (pasted, and sent in batches).
  const columns = ["title", "url", "abstract", "type", "competencies", "tags", "library_types", "region", "cost", "provider", "ce_hours", "published_on"];
  for (const column of columns) {
    const rows = CORPUS.map((s, k) => ({
      title: `Imported ${column} ${k}`,
      url: `https://import-${column.replace(/_/g, "-")}-${k}.example.org/`,
      abstract: ABSTRACT,
      type: "article",
      competencies: "reference",
      tags: "",
      library_types: "",
      region: "",
      cost: "",
      provider: "",
      ce_hours: "",
      published_on: "",
      [column]: s.value,
    }));
    const csv = Papa.unparse(rows.map((r) => ({ ...r, url: r.url.replace("import-", "pasted-") })));
    const pasted = await send(F.mod, "POST", "/moderate/resources/import", { form: { csv } });
    judge(
      problems,
      `POST moderate.resources.import.tsx column "${column}" as a page`,
      "(every sample, a row each)",
      `POST /moderate/resources/import csv=…`,
      pasted,
      "document",
    );
    expect(textOf(pasted.body)).toMatch(/\d+ imported, \d+ skipped as duplicates, \d+ rejected, of \d+ rows/);
    const batch = await send(F.mod, "POST", "/moderate/resources/import/batch", { json: { rows, firstRow: 2 } });
    judge(
      problems,
      `POST moderate.resources.import.batch.ts column "${column}"`,
      "(every sample, a row each)",
      `POST /moderate/resources/import/batch`,
      batch,
      "api",
    );
    const oddRows = JSON_ODDITIES.map((o, k) => ({ ...rows[0], url: `https://odd-${column.replace(/_/g, "-")}-${k}.example.org/`, [column]: o.value }));
    const odd = await send(F.mod, "POST", "/moderate/resources/import/batch", { json: { rows: [...oddRows, null, 7, "a row", [SCRIPT]] } });
    judge(
      problems,
      `POST moderate.resources.import.batch.ts column "${column}"`,
      "(values of the wrong type)",
      `POST /moderate/resources/import/batch`,
      odd,
      "api",
    );
  }
  report(problems);
}

/** Moderation and admin: review queue, suspensions, settings, tags, guidelines, members, certification programs. */
export async function probeModeration() {
  const problems = new Problems();
  const routes = [
    "moderate._index.tsx",
    "u.$handle.tsx",
    "admin.settings.tsx",
    "admin.tags.tsx",
    "tags.suggest.tsx",
    "tags.$slug.tsx",
    "admin.guidelines.tsx",
    "admin.members.tsx",
    "admin.programs._index.tsx",
    "admin.programs.$slug.tsx",
  ];
  const made = await postData(F.admin, "/admin/programs", "admin.programs._index.tsx", {
    slug: HOSTILE_PROGRAM,
    definition: programJson("A program to probe"),
  });
  expect(made.status, made.body.slice(0, 300)).toBe(200);
  for (const spec of FORMS.filter((s) => routes.includes(s.route))) await probeForm(spec, problems);
  // The probes did reach the code: the base form saves (each save a version) and the import adds.
  expect((await db<{ version: number }>(`SELECT "version" FROM "Program" WHERE "slug" = ?`, HOSTILE_PROGRAM))[0].version).toBeGreaterThan(10);
  report(problems);
}

/** JSON API: every body field (and values of the wrong type), whole bodies, tokens. */
export async function probeJsonApi() {
  const problems = new Problems();
  for (const spec of APIS) await probeApi(spec, problems);
  // Bearer tokens: every sample a header can carry.
  const headerSafe = IN_URLS.filter((s) => /^[\x20-\x7e]*$/.test(s.value));
  await pool(headerSafe, PARALLEL, async (s) => {
    for (const header of [`Bearer ${s.value}`, s.value]) {
      const page = await send(nobody(), "GET", "/api/v1/threads", { headers: { Authorization: header } });
      judge(
        problems,
        `GET /api/v1/threads with Authorization "${header.startsWith("Bearer") ? "Bearer …" : "…"}"`,
        s.name,
        `GET /api/v1/threads Authorization: ${clipText(header, 60)}`,
        page,
        "api",
      );
    }
  });
  report(problems);
}

/** Bodies over 1 MiB are refused with 413 and a message, on every form and endpoint. */
export async function probeOversizedBodies() {
  const problems = new Problems();
  const targets = new Map<string, string>();
  for (const spec of [...FORMS, ...APIS]) targets.set(spec.route, spec.path({ id: "1", hit: "1", i: "0", path: F.threads.q.path }));
  for (const [route, target] of targets) {
    const isApi = APIS.some((a) => a.route === route);
    const headers: Record<string, string> = isApi
      ? { "Content-Type": "application/json", Accept: "application/json" }
      : { "Content-Type": "application/x-www-form-urlencoded" };
    const page = await postOversized(F.asker, target, 1_100_000, headers);
    if (page.status !== 413) problems.add(`POST ${route}`, "1.1 MiB body", `answers ${page.status}, not 413`, `POST ${target}`);
    judge(problems, `POST ${route} with a 1.1 MiB body`, "1.1 MiB body", `POST ${target}`, page, isApi ? "api" : "document");
  }
  report(problems);
}

/** No stored string renders as live markup: pages, lists, queues, logs, feeds, search and the API. */
export async function sweepStored(minEchoes: number) {
  const problems = new Problems();
  // Hostile text in the places that show it to others, as a last word.
  await postData(F.admin, "/admin/guidelines", "admin.guidelines.tsx", { source: RENDERED.map((s) => s.value).join("\n\n"), reason: SCRIPT });
  await postData(F.profiler, "/me/settings", "me.settings.tsx", {
    intent: "profile",
    ...identification(1),
    displayName: BREAKOUT,
    jobTitle: SCRIPT,
    worksite: sample("CDATA breakout"),
    about: RENDERED.map((s) => s.value).join("\n"),
  });
  await postData(F.mod, "/u/hvictim", "u.$handle.tsx", { intent: "suspend", until: inDays(30), reason: SCRIPT });
  await postData(F.admin, "/admin/programs", "admin.programs._index.tsx", {
    slug: "hostile-last-words",
    definition: JSON.stringify({
      name: SCRIPT,
      body: BREAKOUT,
      summary: RENDERED.map((s) => s.value).join("\n"),
      checkWithProgram: sample("closing script"),
      measure: "points",
      categories: [{ key: "all", name: BREAKOUT, minimum: 1 }],
      levels: [{ name: SCRIPT, threshold: 1 }],
      sections: [{ title: sample("CDATA breakout"), categories: ["all"] }],
    }),
  });
  const hostileHit = await newThread({
    kind: "hit",
    title: `HIT: ${SCRIPT}`,
    body: `- [${SCRIPT}](https://hostile-link.example.org/a) ${BREAKOUT}\n- [x](https://hostile-link.example.org/b"onmouseover="alert(1)) ${sample("closing script")}`,
  });
  const flaggedNote = await newThread();
  await resetLimits();
  await postData(F.flagger, flaggedNote.path, "t.$id.($slug).tsx", { intent: "flag", target: `thread:${flaggedNote.id}`, reason: "spam", note: SCRIPT });
  // The newest threads (so the feeds carry them): a title and a body per sample, tagged with markup too.
  await postData(F.mod, "/admin/tags", "admin.tags.tsx", { intent: "create", name: `${SCRIPT} tag`, scopeNote: BREAKOUT });
  const hostileTag = String((await db<{ id: number }>(`SELECT "id" FROM "Tag" WHERE "slug" = 'script-alert-1-script-tag'`))[0].id);
  for (const s of LAST_WORDS) {
    const form = { title: `${s.value.slice(0, 140)} (last)`, body: s.value, kind: "question", tagIds: [String(F.tag), hostileTag], libraryTypes: "school" };
    const made = await send(F.asker, "POST", "/threads/new", { form });
    expect(made.status, s.name).toBe(302);
  }

  // A reviewer's link to the profiler's portfolio: a hostile label (on their program page) and a hostile badge (on
  // the identification card the link shows, and beside their posts).
  await postData(F.profiler, "/me/portfolio", "me.portfolio._index.tsx", { program: "lssc" });
  await postData(F.profiler, "/me/portfolio/programs/lssc", "me.portfolio.programs.$slug.tsx", { intent: "badge", badge: SCRIPT });
  const sharedLink = (await profilerShare(BREAKOUT)).path;

  const guest = nobody();
  // Every thread, resource, profile and tag whose stored text has a character of markup or beyond
  // printable ASCII (plain text cannot turn into markup), and the API's and feeds' view of them.
  // `holds(column)`: the column holds a character of the class (SQLite: GLOB; PostgreSQL: a regular expression).
  const pg = server.database.engine === "postgres";
  const holds = (column: string) => `"${column}" ${pg ? "~" : "GLOB"} ?`;
  const containing = (characterClass: string) => (pg ? characterClass : `*${characterClass}*`);
  const M = containing(`[^ !#-%(-;=?-~]`);
  const threads = await db<{ id: number; slug: string }>(
    `SELECT "id", "slug" FROM "Thread" WHERE ${holds("title")} OR ${holds("bodySource")} OR ${holds("jobLocation")} OR "id" IN (SELECT "threadId" FROM "Reply" WHERE ${holds("bodySource")}) ORDER BY "id"`,
    M,
    M,
    M,
    M,
  );
  const withMarkup = containing(`[<>"'&]`);
  const apiThreads = await db<{ id: number }>(
    `SELECT "id" FROM "Thread" WHERE ${holds("title")} OR ${holds("bodySource")} OR "id" IN (SELECT "threadId" FROM "Reply" WHERE ${holds("bodySource")})`,
    withMarkup,
    withMarkup,
    withMarkup,
  );
  const apiResources = await db<{ id: number }>(
    `SELECT "id" FROM "Resource" WHERE "status" <> 'merged' AND (${holds("title")} OR ${holds("abstractSource")} OR ${holds("provider")})`,
    withMarkup,
    withMarkup,
    withMarkup,
  );
  const resources = await db<{ id: number }>(
    `SELECT "id" FROM "Resource" WHERE "status" <> 'merged' AND (${holds("title")} OR ${holds("abstractSource")} OR ${holds("provider")} OR ${holds("region")} OR ${holds("curatorNote")} OR ${holds("rejectionReason")} OR ${holds("url")})`,
    M,
    M,
    M,
    M,
    M,
    M,
    M,
  );
  const users = await db<{ handle: string }>(
    `SELECT "handle" FROM "User" WHERE ${holds("displayName")} OR ${holds("jobTitle")} OR ${holds("worksite")} OR ${holds("region")} OR ${holds("stateCertification")} OR ${holds("otherCredentials")} OR ${holds("about")} OR ${holds("suspensionReason")} OR ${holds("badges")} ORDER BY "id"`,
    M,
    M,
    M,
    M,
    M,
    M,
    M,
    M,
    M,
  );
  const tags = await db<{ slug: string }>(
    `SELECT "slug" FROM "Tag" WHERE ${holds("name")} OR ${holds("scopeNote")} OR "slug" = 'reference' ORDER BY "id"`,
    M,
    M,
  );
  const count = async (sql: string) => (await db<{ n: number }>(sql))[0].n;
  const pagesOf = (n: number, size: number) => Array.from({ length: Math.max(1, Math.ceil(n / size)) }, (_, i) => i + 1);
  const pages: [Visitor, string][] = [
    ...threads.map((t): [Visitor, string] => [guest, `/t/${t.id}/${t.slug}`]),
    // Each thread's own feed carries its replies: every stored string there too.
    ...threads.flatMap((t): [Visitor, string][] => [
      [guest, `/feeds/threads/${t.id}.rss`],
      [guest, `/feeds/threads/${t.id}.atom`],
    ]),
    ...Object.values(F.threads).map((t): [Visitor, string] => [F.mod, `${t.path}?as=moderator`]),
    [F.asker, `${F.threads.target.path}?as=asker`],
    ...resources.map((r): [Visitor, string] => [F.mod, `/resources/${r.id}`]),
    ...users.map((u): [Visitor, string] => [guest, `/u/${u.handle}`]),
    [F.mod, "/u/hvictim?as=moderator"],
    ...tags.map((t): [Visitor, string] => [guest, `/tags/${t.slug}`]),
    ...tags.flatMap((t): [Visitor, string][] => [
      [guest, `/feeds/tags/${t.slug}.rss`],
      [guest, `/feeds/tags/${t.slug}.atom`],
    ]),
    ...(await db<{ slug: string }>(`SELECT "slug" FROM "Tag" WHERE "kind" = 'competency'`)).map((t): [Visitor, string] => [guest, `/competencies/${t.slug}`]),
    ...apiThreads.map((t): [Visitor, string] => [nobody(), `/api/v1/threads/${t.id}`]),
    ...apiResources.map((r): [Visitor, string] => [F.mod, `/api/v1/resources/${r.id}`]),
    [guest, "/"],
    [F.mod, "/"],
    [guest, "/?kind=job"],
    [guest, "/?kind=hit"],
    [guest, "/?sort=newest"],
    [guest, "/tags"],
    [guest, "/resources"],
    [guest, "/resources/associations"],
    [guest, "/guidelines"],
    [guest, "/join"],
    [F.mod, "/moderate"],
    [F.mod, "/moderate/resources"],
    [F.mod, "/admin/tags"],
    [F.admin, "/admin/settings"],
    [F.admin, "/admin/guidelines"],
    [F.admin, "/admin/programs"],
    ...(await db<{ slug: string }>(`SELECT "slug" FROM "Program" ORDER BY "id"`)).map((p): [Visitor, string] => [F.admin, `/admin/programs/${p.slug}`]),
    [F.asker, "/notifications"],
    [F.helper, "/notifications"],
    [F.victim, "/notifications"],
    [F.asker, "/me/following"],
    [F.profiler, "/me/settings"],
    [F.tokener, "/me/settings"],
    // The portfolio: the log, a program's page (entries listed by category) and each entry with stored markup.
    [F.profiler, "/me/portfolio"],
    [F.profiler, "/me/portfolio/programs/lssc"],
    [F.profiler, "/me/portfolio/new"],
    // What a reviewer's link shows, to someone with no account.
    [guest, sharedLink],
    [F.profiler, "/api/v1/portfolio/entries"],
    [F.profiler, "/api/v1/portfolio/programs"],
    ...(
      await db<{ id: number }>(
        `SELECT "id" FROM "PortfolioEntry" WHERE ${holds("title")} OR ${holds("provider")} OR ${holds("reflection")} ORDER BY "id"`,
        M,
        M,
        M,
      )
    ).map((e): [Visitor, string] => [F.profiler, `/me/portfolio/entries/${e.id}`]),
    // …and each entry whose evidence (a link's address or label, a file's name) holds it.
    ...(
      await db<{ entryId: number }>(`SELECT DISTINCT "entryId" FROM "Evidence" WHERE ${holds("url")} OR ${holds("originalName")} ORDER BY "entryId"`, M, M)
    ).flatMap((e): [Visitor, string][] => [
      [F.profiler, `/me/portfolio/entries/${e.entryId}`],
      [F.profiler, `/api/v1/portfolio/entries/${e.entryId}/evidence`],
    ]),
    // Requests to verify: the owner's entry pages (who was asked, their note), the helper's list and each request made to them.
    ...(
      await db<{ entryId: number; id: number }>(
        `SELECT "entryId", "id" FROM "Verification" WHERE ${holds("verifierName")} OR ${holds("message")} OR ${holds("note")} ORDER BY "id"`,
        M,
        M,
        M,
      )
    ).map((v): [Visitor, string] => [F.profiler, `/me/portfolio/entries/${v.entryId}`]),
    [F.helper, "/me/verifications"],
    ...(
      await db<{ id: number }>(`SELECT v."id" FROM "Verification" v JOIN "User" u ON u."id" = v."verifierId" WHERE u."handle" = 'hhelper' ORDER BY v."id"`)
    ).map((v): [Visitor, string] => [F.helper, `/me/verifications/${v.id}`]),
    [F.helper, "/resources/new"],
    [F.asker, `/threads/${F.threads.target.id}/hit`],
    [F.asker, `/threads/${hostileHit.id}/clearinghouse`],
    [F.asker, `/threads/${F.threads.e.id}/revisions`],
    [F.mod, `/threads/${F.threads.e2.id}/revisions`],
    [F.helper, `/threads/${F.threads.q.id}/revisions?reply=${F.reply}`],
    [F.asker, `${F.threads.e.path}?edit=thread`],
    [F.helper, `${F.threads.q.path}?edit=reply-${F.reply}`],
    [F.victim, `${F.threads.q.path}?as=victim`],
    [F.victim, "/?as=victim"],
    [guest, "/feeds/latest.rss"],
    [guest, "/feeds/latest.atom"],
    [guest, "/feeds/hits.rss"],
    [guest, "/feeds/hits.atom"],
    [guest, "/api/v1/threads"],
    [guest, "/api/v1/threads?kind=hit"],
    [guest, "/api/v1/resources"],
    [F.mod, "/moderate/resources/export?format=json"],
    ...["alert", "script", "onerror", "javascript", "img", "CDATA", "DROP", "passwd", "Hostile", "Approved"].flatMap((q): [Visitor, string][] => [
      [guest, `/search?q=${q}`],
      [F.mod, `/search?q=${q}&type=replies`],
      [guest, `/search?q=${q}&type=resources`],
      [guest, `/api/v1/search?q=${q}`],
      [guest, `/resources/suggest?q=${q}`],
      [guest, `/threads/similar?title=${q}%20${q}%20${q}`],
    ]),
  ];
  // Search's highlighting, with every sample as the query, over everything stored.
  for (const s of IN_URLS) pages.push([guest, withParam("/search", "q", s.value)], [F.mod, withParam("/api/v1/search?type=replies", "q", s.value)]);
  // Every page of the long lists.
  for (const n of pagesOf(await count(`SELECT COUNT(*) AS n FROM "AuditEvent"`), 50)) pages.push([F.mod, `/moderate/log?page=${n}`]);
  for (const n of pagesOf(await count(`SELECT COUNT(*) AS n FROM "Resource" WHERE "status" = 'approved'`), 20)) pages.push([guest, `/resources?page=${n}`]);
  for (const n of pagesOf(await count(`SELECT COUNT(*) AS n FROM "User"`), 50)) pages.push([F.admin, `/admin/members?page=${n}`]);
  const seen = new Map<string, Page>();
  await timed(`the sweep: ${pages.length} pages (${threads.length} threads, ${resources.length} resources, ${users.length} members, ${tags.length} tags)`, () =>
    pool(pages, PARALLEL, async ([who, target]) => {
      const page = await send(who, "GET", target);
      seen.set(target, page);
      const feed = /^\/feeds\//.test(target);
      const where = `GET ${target.replace(/\/\d+(?=\/|$|\?)/g, "/:id").replace(/(tags|u|competencies)\/[^/?]+/, "$1/:name")}`;
      judge(
        problems,
        where,
        "(stored)",
        `GET ${target}`,
        page,
        target.startsWith("/api/")
          ? "api"
          : feed || target.includes("suggest?") || target.includes("similar?") || target.includes("export?")
            ? "json"
            : "document",
      );
      if (feed) for (const f of feedProblems(page.body)) problems.add(where, "(stored)", f, `GET ${target}`);
    }),
  );
  // Home pages beyond the first, following the list's own links.
  let next: string | null = "/";
  for (let i = 0; next && i < 60; i++) {
    const page: Page = await send(F.mod, "GET", next);
    judge(problems, "GET / (next pages)", "(stored)", `GET ${next}`, page, "document");
    const after: string | undefined = /href="(\/\?[^"]*after=[^"]+)"/.exec(page.body)?.[1];
    next = after ? decodeEntities(after) : null;
  }

  // The hostile text was stored and is shown — escaped — where people read it.
  const escaped = escapeHtml(SCRIPT);
  // Titled by the thread probes, or (in files without them) by the last words above.
  const scriptThread = (
    await db<{ id: number; slug: string }>(
      `SELECT "id", "slug" FROM "Thread" WHERE "title" IN (?, ?) ORDER BY "id" LIMIT 1`,
      SCRIPT,
      `${SCRIPT.slice(0, 140)} (last)`,
    )
  )[0];
  const shows: [string, string, string][] = [
    ["a thread titled with a script tag", scriptThread ? `/t/${scriptThread.id}/${scriptThread.slug}` : "(no such thread)", escaped],
    ["the review queue (a flag's note)", "/moderate", escaped],
    ["the moderation log (a reason)", "/moderate/log?page=1", escaped],
    ["the guidelines", "/guidelines", escaped],
    ["the programs list (a program's name)", "/admin/programs", escaped],
    ["a program's page (its name, levels and the JSON)", "/admin/programs/hostile-last-words", escaped],
    ["the suspended member's thread page (the reason)", `${F.threads.q.path}?as=victim`, escaped],
    ["the admin's profile (identification)", "/u/hadmin", escaped],
    ["a reviewer's link (the member's badge)", sharedLink, escaped],
    ["the member's program page (a reviewer link's label)", "/me/portfolio/programs/lssc", escapeHtml(BREAKOUT)],
    ["the tag list (a tag made from a suggestion or an import)", "/tags", "&lt;script&gt;"],
    ["search results", "/search?q=alert", "&lt;script&gt;"],
  ];
  for (const [where, target, text] of shows) {
    if (!seen.get(target)?.body.includes(text))
      problems.add(`GET ${target} (${where})`, "script tag", "does not show the stored text escaped, so the check above proves nothing there", "");
  }
  expect(echoesChecked, "refused forms checked for showing the user's text again").toBeGreaterThanOrEqual(minEchoes);
  report(problems);
}
