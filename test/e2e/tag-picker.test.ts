// The ask form's tag picker in Chromium: picking with the keyboard alone
// (a synonym finds its main tag), chips, Escape and Backspace, posting; axe
// with the list open; and the checkbox fallback without JavaScript, at phone
// and desktop widths.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { browserSuite, joinInBrowser, SHOTS } from "../helpers/browser";
import { makeVocabulary } from "../helpers/tag-vocabulary";
import { axeViolations } from "../helpers/axe";

const suite = browserSuite();
const url = () => suite.server().url;
const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 900 };

let members = 0;
/** A new member in a context of their own; a page error fails the test. bypassCSP: axe is injected as an inline script. */
async function askerPage(browser: Browser, viewport: { width: number; height: number }, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ viewport, javaScriptEnabled, bypassCSP: true });
  const page = await context.newPage();
  page.on("pageerror", (err) => {
    throw err;
  });
  members += 1;
  return joinInBrowser(page, url(), { handle: `picker${members}`, name: `Picker ${members}` });
}

/** The ask form, once its script has run (the typeahead appears only then). */
async function openAskForm(page: Page) {
  await page.goto(`${url()}/threads/new`);
  const combobox = page.getByRole("combobox", { name: "Find a tag" });
  await combobox.waitFor();
  return combobox;
}

const liveRegion = (page: Page) => page.locator(".tag-picker [role=status]");
const chips = (page: Page) => page.getByRole("list", { name: /^Chosen tags/ }).getByRole("listitem");

beforeAll(async () => {
  await makeVocabulary(suite.server());
});

describe("the tag picker with JavaScript", () => {
  for (const viewport of [PHONE, DESKTOP]) {
    it(`picks tags with the keyboard alone, and posts them (${viewport.width} px)`, async () => {
      const page = await askerPage(suite.browser(), viewport);
      const combobox = await openAskForm(page);
      const fieldHeight = (await page.locator("fieldset.tag-picker").boundingBox())!.height;
      const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
      console.log(`ask form at ${viewport.width} px with JavaScript: tag field ${Math.round(fieldHeight)} px, page ${pageHeight} px`);
      expect(fieldHeight).toBeLessThan(800);
      // The field is in the tab order, right after the hint's link.
      await page.getByRole("link", { name: "Suggest a tag" }).focus();
      await page.keyboard.press("Tab");
      await expect.poll(() => combobox.evaluate((el) => el === document.activeElement)).toBe(true);

      // A synonym finds its main tag, shown with the synonym and its scope note.
      await page.keyboard.type("must");
      const listbox = page.getByRole("listbox", { name: "Matching tags" });
      await listbox.waitFor();
      expect(await combobox.getAttribute("aria-expanded")).toBe("true");
      const options = listbox.getByRole("option");
      expect(await options.count()).toBe(1);
      expect(await options.first().innerText()).toMatch(/^Weeding \(also: MUSTIE\)\s+Deselecting worn, dated or unused items/);
      await expect.poll(() => liveRegion(page).innerText()).toBe("1 tag matches. Use the arrow keys to move through them.");
      if (viewport === PHONE) await page.screenshot({ path: path.join(SHOTS, "tag-picker-open-375.png"), fullPage: false });

      await page.keyboard.press("ArrowDown");
      const optionId = await options.first().getAttribute("id");
      expect(await combobox.getAttribute("aria-activedescendant")).toBe(optionId);
      expect(await options.first().getAttribute("aria-selected")).toBe("true");
      await page.keyboard.press("Enter");
      await expect.poll(() => chips(page).allInnerTexts()).toEqual([expect.stringMatching(/^Weeding\b/)]);
      expect(await combobox.inputValue()).toBe("");
      expect(await combobox.getAttribute("aria-expanded")).toBe("false");
      expect(await page.getByRole("checkbox", { name: "Weeding (also: MUSTIE)", includeHidden: true }).isChecked()).toBe(true);
      expect(await liveRegion(page).innerText()).toBe("Weeding chosen. 1 of 5 tags chosen.");

      // Escape closes the list, a second Escape empties the field; Enter on a half-typed tag posts nothing.
      await page.keyboard.type("xyzzy");
      await page.locator(".tag-picker__none").getByText("No tag matches “xyzzy”.", { exact: true }).waitFor();
      await expect.poll(() => liveRegion(page).innerText()).toBe("No tag matches “xyzzy”.");
      await page.keyboard.press("Enter");
      expect(page.url()).toBe(`${url()}/threads/new`);
      await page.keyboard.press("Escape");
      await page.keyboard.press("Escape");
      expect(await combobox.inputValue()).toBe("");
      await page.keyboard.type("ref");
      await listbox.waitFor();
      await page.keyboard.press("Escape");
      await listbox.waitFor({ state: "hidden" });
      expect(await combobox.inputValue()).toBe("ref");
      await page.keyboard.press("Escape");
      expect(await combobox.inputValue()).toBe("");

      // Backspace in the empty field removes the last chip, and unticks its box.
      await page.keyboard.press("Backspace");
      await expect.poll(() => chips(page).count()).toBe(0);
      expect(await page.getByRole("checkbox", { name: "Weeding (also: MUSTIE)", includeHidden: true }).isChecked()).toBe(false);
      expect(await liveRegion(page).innerText()).toBe("Weeding removed. 0 of 5 tags chosen.");

      // Pick it again, and a competency area.
      await page.keyboard.type("weed");
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Enter");
      await page.keyboard.type("collection");
      await listbox.waitFor();
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Enter");
      await expect.poll(() => chips(page).allInnerTexts()).toEqual([expect.stringMatching(/^Weeding/), expect.stringMatching(/^Collection Management/)]);
      if (viewport === PHONE) await page.screenshot({ path: path.join(SHOTS, "tag-picker-chips-375.png"), fullPage: false });

      // The rest of the form with the keyboard too; Enter in the title posts it.
      const title = `Weeding with MUSTIE at ${viewport.width} px`;
      await page.getByLabel("Your question or message").focus();
      await page.keyboard.type("How strictly do you apply MUSTIE?");
      await page.getByLabel("Title").focus();
      await page.keyboard.type(title);
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/t\/\d+\//);
      await page.getByRole("heading", { name: title }).waitFor();
      const tagLinks = await page.locator('a[href^="/tags/"]').allInnerTexts();
      expect(tagLinks).toEqual(expect.arrayContaining(["Weeding", "Collection Management"]));
      expect(tagLinks).not.toContain("MUSTIE");
      await page.context().close();
    });
  }

  it("caps the choice at five and says so", async () => {
    const page = await askerPage(suite.browser(), DESKTOP);
    const combobox = await openAskForm(page);
    await combobox.focus();
    for (const word of ["reference", "youth", "storytime", "budget", "grants"]) {
      await page.keyboard.type(word);
      await page.getByRole("listbox", { name: "Matching tags" }).waitFor();
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Enter");
    }
    await expect.poll(() => chips(page).count()).toBe(5);
    await page.keyboard.type("weed");
    await page.locator(".tag-picker__none").getByText("5 tags chosen: remove one to choose another.").waitFor();
    await expect.poll(() => liveRegion(page).innerText()).toBe("You have chosen 5 tags, the most a thread takes. Remove one to choose another.");
    expect(await combobox.getAttribute("aria-expanded")).toBe("false");
    // A chip's remove button frees a place and leaves the keyboard in the field.
    await page.getByRole("button", { name: "Remove Budget" }).click();
    await expect.poll(() => chips(page).count()).toBe(4);
    expect(await combobox.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.context().close();
  });

  it("has no axe violations with the list open, at 375 and 1280 px", async () => {
    for (const viewport of [PHONE, DESKTOP]) {
      const page = await askerPage(suite.browser(), viewport);
      const combobox = await openAskForm(page);
      await combobox.focus();
      await page.keyboard.type("weed");
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Enter");
      await page.keyboard.type("re");
      await page.getByRole("listbox", { name: "Matching tags" }).waitFor();
      await page.keyboard.press("ArrowDown");
      expect(await axeViolations(page), `${viewport.width} px, list open`).toEqual([]);
      // Browsing every tag: ↓ in the empty field.
      await combobox.fill("");
      await page.keyboard.press("Escape");
      await page.keyboard.press("ArrowDown");
      expect(await page.getByRole("listbox", { name: "Matching tags" }).getByRole("option").count()).toBe(10 + 39 - 1); // every main tag but the chosen one
      expect(await axeViolations(page), `${viewport.width} px, browsing`).toEqual([]);
      await page.context().close();
    }
  });
});

describe("the tag field without JavaScript", () => {
  it("is a short list of checkboxes on a phone that still posts tags", async () => {
    const page = await askerPage(suite.browser(), PHONE, false);
    await page.goto(`${url()}/threads/new`);
    expect(await page.getByRole("combobox").count()).toBe(0);
    // A synonym is no box of its own: it is named beside its main tag.
    expect(await page.getByRole("checkbox", { name: /MUSTIE/, includeHidden: true }).count()).toBe(1);
    const field = page.locator("fieldset.tag-picker");
    const fieldHeight = (await field.boundingBox())!.height;
    const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    console.log(`ask form at 375 px without JavaScript: tag field ${Math.round(fieldHeight)} px, page ${pageHeight} px`);
    // The flat list of 49 boxes was about 1,800 px of a 3,708 px page.
    expect(fieldHeight).toBeLessThan(700);
    await page.screenshot({ path: path.join(SHOTS, "tag-picker-no-js-375.png"), fullPage: true });

    await page.getByLabel("Title").fill("Weeding without JavaScript");
    await page.getByLabel("Your question or message").fill("Does anyone weed by circulation alone?");
    await page.getByLabel("Reference").check();
    await page.getByText("Topics (39)").click();
    await page.getByRole("checkbox", { name: "Weeding (also: MUSTIE)" }).check();
    await page.getByRole("button", { name: "Post thread" }).click();
    await page.waitForURL(/\/t\/\d+\//);
    const tagLinks = await page.locator('a[href^="/tags/"]').allInnerTexts();
    expect(tagLinks).toEqual(expect.arrayContaining(["Weeding", "Reference"]));
    await page.context().close();
  });
});
