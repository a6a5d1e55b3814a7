// The Markdown editor's formatting toolbar in Chromium (issue 18): buttons and
// Ctrl+B/I/K wrap the selection (or a selected placeholder), lists and quotes
// prefix each selected line, Ctrl+Z undoes, the preview follows; the WAI-ARIA
// toolbar pattern (one tab stop, arrow keys, Home, End) with tooltips naming
// the shortcuts; big enough buttons at 375 and 1280 px; no toolbar without
// JavaScript; and axe-core finds nothing on the ask form and the review queue.
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserSuite, joinInBrowser, SHOTS } from "../helpers/browser";
import { aMember, join, Visitor } from "../helpers/client";
import { axeViolations } from "../helpers/axe";

const suite = browserSuite();
const url = () => suite.server().url;
const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
const TOOLS = ["Bold", "Italic", "Link", "Bulleted list", "Numbered list", "Quote", "Code"];
let writer: Page;

/** A page in a context of its own; axe is injected as a script, which the site's CSP (rightly) refuses, so it is bypassed. */
async function newPage(viewport = DESKTOP, javaScriptEnabled = true): Promise<Page> {
  const page = await (await suite.browser().newContext({ viewport, bypassCSP: true, javaScriptEnabled })).newPage();
  page.on("pageerror", (err) => {
    throw err;
  });
  return page;
}

const editor = (page: Page) => page.getByLabel("Your question or message");
const tool = (page: Page, name: string) => page.getByRole("toolbar", { name: "Formatting" }).getByRole("button", { name, exact: true });
const focusedTool = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.tagName);
/** Types `text` fresh into the editor and selects [from, to) (to the end when omitted). */
async function write(area: Locator, text: string, from = 0, to = text.length) {
  await area.fill(text);
  await area.evaluate((el: HTMLTextAreaElement, [a, b]) => (el.focus(), el.setSelectionRange(a, b)), [from, to] as const);
}
const selection = (area: Locator) => area.evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd));

async function openAskForm(page: Page) {
  await page.goto(`${url()}/threads/new`);
  // The toolbar appears once the page is hydrated.
  await page.getByRole("toolbar", { name: "Formatting" }).waitFor();
}

beforeAll(async () => {
  const admin = new Visitor(url());
  await admin.post(`/setup?token=${suite.server().setupToken}`, aMember("admin", { handle: "admin" }));
  // A newcomer's first posts wait in the review queue: something to look at there.
  await admin.post("/admin/settings", { worksiteRequired: "on", holdFirstPosts: "2", flagsToHide: "3", postLimit: "100" });
  const newcomer = new Visitor(url());
  await join(newcomer, aMember("new", { handle: "newcomer" }));
  const form = await newcomer.get("/threads/new");
  const tagId = /name="tagIds"[^>]*value="(\d+)"/.exec(form.body)![1];
  const held = await newcomer.post("/threads/new", {
    kind: "question",
    title: "Weeding: what do you do with the **MUSTIE** pile?",
    body: "We have **no budget**.\n\n> quoted from the policy, a long line that goes on and on to fill more than a phone's width of text\n\n- one\n- two",
    tagIds: tagId,
  });
  expect(held.status).toBe(302);
  await newcomer.post(held.location!, { intent: "reply", body: "And a held reply with `code` and a [link](https://example.org/)." });

  writer = await newPage();
  await joinInBrowser(writer, url(), { handle: "writer", name: "Wren Writer" });
  await openAskForm(writer);
});

describe("the formatting toolbar", () => {
  it("wraps the selection in bold by button and by Ctrl+B, unwraps it when pressed again, and Ctrl+Z undoes", async () => {
    const area = editor(writer);
    await write(area, "We weed every spring", 3, 7);
    await tool(writer, "Bold").click();
    expect(await area.inputValue()).toBe("We **weed** every spring");
    expect(await selection(area)).toBe("weed");
    // The textarea keeps focus (and its selection) when a button is clicked.
    expect(await writer.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");

    await area.press("Control+b");
    expect(await area.inputValue()).toBe("We weed every spring");
    await area.press("Control+b");
    expect(await area.inputValue()).toBe("We **weed** every spring");
    await area.press("Control+z");
    expect(await area.inputValue()).toBe("We weed every spring");

    // Spaces around a selection stay outside the marks.
    await write(area, "We weed every spring", 2, 8);
    await area.press("Control+b");
    expect(await area.inputValue()).toBe("We **weed** every spring");
  });

  it("inserts a selected placeholder when nothing is selected, and the preview follows", async () => {
    const area = editor(writer);
    await write(area, "Spring cleaning ", 16, 16);
    await area.press("Control+i");
    expect(await area.inputValue()).toBe("Spring cleaning *italic text*");
    expect(await selection(area)).toBe("italic text");
    await writer.keyboard.type("really");
    await writer.keyboard.press("End");
    await writer.keyboard.type(" and ");
    await tool(writer, "Bold").click();
    await writer.keyboard.type("weeding");
    expect(await area.inputValue()).toBe("Spring cleaning *really* and **weeding**");
    const preview = writer.getByRole("region", { name: "Preview" });
    await preview.locator("strong", { hasText: "weeding" }).waitFor();
    await expect.poll(() => preview.locator("em").textContent()).toBe("really");
  });

  it("prefixes each selected line for lists and quotes, and makes links and code blocks", async () => {
    const area = editor(writer);
    await write(area, "first\nsecond");
    await tool(writer, "Bulleted list").click();
    expect(await area.inputValue()).toBe("- first\n- second");

    await write(area, "Intro\nfirst\nsecond\nOutro", 7, 15);
    await tool(writer, "Numbered list").click();
    // A blank line keeps "Outro" from joining the last item.
    expect(await area.inputValue()).toBe("Intro\n1. first\n2. second\n\nOutro");
    const preview = writer.getByRole("region", { name: "Preview" });
    await expect.poll(() => preview.locator("ol li").allTextContents()).toEqual(["first", "second"]);

    await write(area, "one line\n\nanother");
    await tool(writer, "Quote").click();
    expect(await area.inputValue()).toBe("> one line\n>\n> another");

    await write(area, "", 0, 0);
    await tool(writer, "Bulleted list").click();
    expect(await area.inputValue()).toBe("- List item");
    expect(await selection(area)).toBe("List item");

    await write(area, "the ALA site");
    await area.press("Control+k");
    expect(await area.inputValue()).toBe("[the ALA site](https://)");
    expect(await selection(area)).toBe("https://");
    await writer.keyboard.type("https://www.ala.org/");
    expect(await area.inputValue()).toBe("[the ALA site](https://www.ala.org/)");

    await write(area, "let x = 1;\nlet y = 2;");
    await tool(writer, "Code").click();
    expect(await area.inputValue()).toBe("```\nlet x = 1;\nlet y = 2;\n```");
  });

  it("is one tab stop that arrow keys, Home and End move along, with tooltips naming the shortcuts", async () => {
    const area = editor(writer);
    await write(area, "Tab order");
    await tool(writer, "Bold").focus();
    expect(await focusedTool(writer)).toBe("Bold");
    await writer.keyboard.press("ArrowRight");
    expect(await focusedTool(writer)).toBe("Italic");
    await writer.keyboard.press("ArrowLeft");
    await writer.keyboard.press("ArrowLeft");
    expect(await focusedTool(writer)).toBe("Code");
    await writer.keyboard.press("Home");
    expect(await focusedTool(writer)).toBe("Bold");
    await writer.keyboard.press("End");
    expect(await focusedTool(writer)).toBe("Code");
    await writer.keyboard.press("ArrowRight");
    expect(await focusedTool(writer)).toBe("Bold");
    await writer.keyboard.press("ArrowRight");
    // Roving tabindex: only the current button is in the tab order.
    const tabIndexes = await writer
      .getByRole("toolbar", { name: "Formatting" })
      .getByRole("button")
      .evaluateAll((bs) => bs.map((b) => b.getAttribute("tabindex")));
    expect(tabIndexes).toEqual(["-1", "0", "-1", "-1", "-1", "-1", "-1"]);
    // Tab leaves the toolbar for the textarea; Shift+Tab comes back to the same button.
    await writer.keyboard.press("Tab");
    expect(await writer.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");
    await writer.keyboard.press("Shift+Tab");
    expect(await focusedTool(writer)).toBe("Italic");

    // The focused button's tooltip shows; Escape hides it.
    const italicTip = writer.getByRole("tooltip", { name: "Italic (Ctrl+I)" });
    await expect.poll(() => italicTip.isVisible()).toBe(true);
    await writer.keyboard.press("Escape");
    await expect.poll(() => italicTip.isVisible()).toBe(false);
    // Hovering shows a button's tooltip too; each names its shortcut where it has one.
    await tool(writer, "Link").hover();
    await expect.poll(() => writer.getByRole("tooltip", { name: "Link (Ctrl+K)" }).isVisible()).toBe(true);
    const tips = await writer.getByRole("toolbar", { name: "Formatting" }).locator('[role="tooltip"]').allTextContents();
    expect(tips).toEqual(["Bold (Ctrl+B)", "Italic (Ctrl+I)", "Link (Ctrl+K)", "Bulleted list", "Numbered list", "Quote", "Code"]);
    // Each button is named, described by its tooltip and announces its shortcut.
    const bold = tool(writer, "Bold");
    expect(await bold.getAttribute("aria-keyshortcuts")).toBe("Control+B");
  });
});

describe("at phone and desktop widths", () => {
  // WCAG 2.5.8 asks for 24 px; on a phone, 44 px tall buttons in one row.
  for (const [name, viewport, wide, tall] of [
    ["375 px", PHONE, 40, 44],
    ["1280 px", DESKTOP, 32, 32],
  ] as const) {
    it(`${name}: every button is at least ${wide} × ${tall} px, in one row, nothing scrolls sideways, and axe finds nothing on the ask form`, async () => {
      await writer.setViewportSize(viewport);
      await openAskForm(writer);
      const tops = new Set<number>();
      for (const label of TOOLS) {
        const box = (await tool(writer, label).boundingBox())!;
        expect(box.width, label).toBeGreaterThanOrEqual(wide);
        expect(box.height, label).toBeGreaterThanOrEqual(tall);
        tops.add(Math.round(box.y));
      }
      expect(tops.size, "buttons on one row").toBe(1);
      const toolbar = (await writer.getByRole("toolbar", { name: "Formatting" }).boundingBox())!;
      expect(toolbar.x + toolbar.width).toBeLessThanOrEqual(viewport.width);
      expect(await writer.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await write(editor(writer), "Does **anyone** weed in spring?");
      await writer.getByRole("region", { name: "Preview" }).locator("strong").waitFor();
      await writer.screenshot({ path: path.join(SHOTS, `editor-toolbar-${viewport.width}.png`) });
      expect(await axeViolations(writer), `ask form at ${name}`).toEqual([]);
    });
  }

  it("the review queue has no axe violations at 375 and 1280 px, with items, checkboxes and the batch form", async () => {
    const mod = await newPage(PHONE);
    await mod.goto(`${url()}/login`);
    await mod.getByLabel("Email").fill("memberadmin@example.org");
    await mod.getByLabel("Password").fill("correct horse battery");
    await mod.getByRole("button", { name: "Log in" }).click();
    await mod.waitForURL((u) => !u.pathname.startsWith("/login"));
    for (const viewport of [PHONE, DESKTOP]) {
      await mod.setViewportSize(viewport);
      await mod.goto(`${url()}/moderate`);
      await mod.getByRole("heading", { name: "Decide the selected items" }).waitFor();
      expect(await mod.getByRole("checkbox", { name: /Select for the batch/ }).count()).toBe(2);
      // Plain text in the queue: no Markdown markers, no scrolling quote.
      const excerpts = await mod.locator(".queue-item__text").allTextContents();
      expect(excerpts.join(" ")).toContain("We have no budget. quoted from the policy");
      expect(excerpts.join(" ")).not.toMatch(/\*\*|`|\]\(/);
      expect(await mod.locator("main blockquote").count()).toBe(0);
      expect(await mod.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await mod.screenshot({ path: path.join(SHOTS, `review-queue-${viewport.width}.png`), fullPage: true });
      expect(await axeViolations(mod), `review queue at ${viewport.width} px`).toEqual([]);
    }
    // Deciding both at once in the browser.
    await mod
      .getByRole("checkbox", { name: /Select for the batch/ })
      .first()
      .check();
    await mod
      .getByRole("checkbox", { name: /Select for the batch/ })
      .last()
      .check();
    await mod.getByRole("button", { name: "Approve selected" }).click();
    await mod.getByText("Approved 2 items.").waitFor();
    await mod.getByText("Nothing needs a moderator. Thank you!").waitFor();
  });
});

describe("the resources list (its filters, folded on phones)", () => {
  it("shows the first resource on a phone's first screen with the filters folded, and opens them on a wide screen", async () => {
    const admin = new Visitor(url());
    await admin.post("/login", { email: "memberadmin@example.org", password: "correct horse battery" });
    const abstract = `**Bold** words about weeding, ${"then more about collections and their care ".repeat(10)}to the end.`;
    const rows = Array.from({ length: 3 }, (_, i) => `Folded filters ${i},https://folded${i}.example.org/,"${abstract}",article,reference`);
    expect((await admin.post("/moderate/resources/import", { csv: `title,url,abstract,type,competencies\n${rows.join("\n")}` })).status).toBe(200);
    const page = await newPage(PHONE);
    await page.goto(`${url()}/resources`);
    const filters = page.locator("details.filter-panel");
    await page.getByRole("heading", { name: "Folded filters 2" }).waitFor();
    expect(await filters.evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);
    const first = (await page.locator(".resource").first().boundingBox())!;
    expect(first.y).toBeLessThan(PHONE.height);
    expect(await page.locator(".resource__excerpt").first().textContent()).not.toContain("**");
    await page.screenshot({ path: path.join(SHOTS, "resources-375.png") });
    expect(await axeViolations(page), "resources at 375 px").toEqual([]);
    // Opened, the filters work as before.
    await page.getByText("Filters", { exact: false }).first().click();
    await page.getByLabel("Type").selectOption("webinar");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL("**/resources?*type=webinar*");
    await page.getByText("Nothing matches these filters yet.").waitFor();

    await page.setViewportSize(DESKTOP);
    await page.goto(`${url()}/resources`);
    await expect.poll(() => filters.evaluate((d: HTMLDetailsElement) => d.open)).toBe(true);
    expect(await page.getByRole("combobox", { name: "Competency area" }).isVisible()).toBe(true);
    expect(await axeViolations(page), "resources at 1280 px").toEqual([]);
  });
});

describe("without JavaScript", () => {
  it("there is no toolbar, and the textarea takes Markdown as before", async () => {
    const page = await newPage(DESKTOP, false);
    await joinInBrowser(page, url(), { handle: "nojs", name: "Nora Nojs" });
    await page.goto(`${url()}/threads/new`);
    await editor(page).fill("Typed **by hand**");
    expect(await page.getByRole("toolbar").count()).toBe(0);
    expect(await editor(page).inputValue()).toBe("Typed **by hand**");
  });
});
