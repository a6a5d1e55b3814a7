// Evidence in a real browser (issue 19), with JavaScript and without: a member
// uploads a PDF certificate through the entry page's form, sees a file that is
// not what it claims refused beside the field, downloads the certificate back
// as it was, adds a link and deletes the certificate; no sideways scrolling on
// a phone, and no axe-core violations on the entry page (with evidence, and
// with a refused upload) at 375 and 1280 px.
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { aMember, join, Visitor } from "../helpers/client";
import { axeViolations } from "../helpers/axe";
import { browserSuite, loggedInPage, SHOTS } from "../helpers/browser";
import { tinyPdf } from "../helpers/evidence";

const suite = browserSuite();
const server = () => suite.server();
const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
const entries: Record<string, number> = {};
const certificate = tinyPdf("Certificate of completion: Library technology essentials");

async function logIn(handle: string, javaScript: boolean): Promise<Page> {
  const page = await loggedInPage(suite.browser(), server().url, `member${handle}@example.org`, aMember(handle).password, { javaScript });
  await page.setViewportSize(PHONE);
  return page;
}

beforeAll(async () => {
  for (const handle of ["ada", "bea"]) {
    const member = new Visitor(server().url);
    await join(member, aMember(handle, { handle }));
    const res = await member.post("/me/portfolio/new", {
      type: "workshop",
      title: "Library technology essentials",
      startedOn: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10),
      quantity: "3",
      unit: "hours",
      area: "technology",
    });
    entries[handle] = Number(/\/me\/portfolio\/entries\/(\d+)/.exec(res.location ?? "")?.[1]);
  }
}, 60_000);

/** The message beside the file field. */
const fileError = (page: Page) => page.locator("#evidence-file-error").innerText();

describe("evidence in the browser", () => {
  for (const javaScript of [true, false]) {
    it(`uploads a PDF, refuses a file that is not one, downloads it back, adds a link and deletes (${javaScript ? "with" : "without"} JavaScript)`, async () => {
      const handle = javaScript ? "ada" : "bea";
      const page = await logIn(handle, javaScript);
      const entryPage = `${server().url}/me/portfolio/entries/${entries[handle]}`;
      await page.goto(entryPage);

      // An HTML page named .png: refused beside the field, on the entry's page.
      await page
        .locator("#evidence-file")
        .setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: Buffer.from("<!doctype html><script>alert(1)</script>") });
      await page.getByRole("button", { name: "Upload" }).click();
      await expect.poll(() => page.locator("#evidence-file-error").count()).toBe(1);
      expect(await fileError(page)).toContain("Only PDF, PNG or JPEG files");
      expect(await page.locator("#evidence-file").getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Library technology essentials");

      // The certificate: uploaded, listed with its type and size.
      await page.locator("#evidence-file").setInputFiles({ name: "Certificate of completion.pdf", mimeType: "application/pdf", buffer: certificate });
      await page.getByRole("button", { name: "Upload" }).click();
      await page.waitForURL(/\?evidence=added#evidence$/);
      await expect.poll(() => page.getByText("Evidence added.").count()).toBe(1);
      expect(await page.locator(".evidence-item").first().innerText()).toContain(`PDF, ${certificate.length} bytes`);

      // Downloaded back as it was, under its name.
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Certificate of completion.pdf (download)" }).click(),
      ]);
      expect(download.suggestedFilename()).toBe("Certificate of completion.pdf");
      expect(fs.readFileSync((await download.path())!).equals(certificate)).toBe(true);

      // A link, typed as people type addresses.
      await page.locator("#evidence-url").fill("ala.org/pla");
      await page.locator("#evidence-label").fill("PLA course record");
      await page.getByRole("button", { name: "Add the link" }).click();
      await expect.poll(() => page.getByRole("link", { name: "PLA course record" }).count()).toBe(1);
      expect(await page.getByRole("link", { name: "PLA course record" }).getAttribute("href")).toBe("https://ala.org/pla");
      expect(await page.locator("#evidence-url").inputValue()).toBe(""); // the form starts afresh

      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(sideways).toBeLessThanOrEqual(0);
      await page.locator("#evidence").screenshot({ path: path.join(SHOTS, `evidence-375-${javaScript ? "js" : "nojs"}.png`) });

      await page.getByRole("button", { name: "Delete Certificate of completion.pdf" }).click();
      await page.waitForURL(/\?evidence=deleted#evidence$/);
      await expect.poll(() => page.getByText("Evidence deleted.").count()).toBe(1);
      expect(await page.getByRole("link", { name: "Certificate of completion.pdf (download)" }).count()).toBe(0);
      await page.context().close();
    });
  }

  it("has no axe violations on an entry's evidence at 375 and 1280 px, listed and refused", async () => {
    const page = await logIn("ada", true);
    const entryPage = `${server().url}/me/portfolio/entries/${entries.ada}`;
    await page.goto(entryPage);
    await page.locator("#evidence-file").setInputFiles({ name: "certificate.pdf", mimeType: "application/pdf", buffer: certificate });
    await page.getByRole("button", { name: "Upload" }).click();
    await page.waitForURL(/\?evidence=added#evidence$/);
    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      await page.goto(entryPage);
      expect(await axeViolations(page), `the entry with evidence at ${viewport.width} px`).toEqual([]);
      await page.locator("#evidence-file").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a certificate") });
      await page.getByRole("button", { name: "Upload" }).click();
      await expect.poll(() => page.locator("#evidence-file-error").count()).toBe(1);
      expect(await axeViolations(page), `a refused upload at ${viewport.width} px`).toEqual([]);
      await page.locator("#evidence-url").fill("not an address");
      await page.getByRole("button", { name: "Add the link" }).click();
      await expect.poll(() => page.locator("#evidence-url-error").count()).toBe(1);
      expect(await axeViolations(page), `a refused link at ${viewport.width} px`).toEqual([]);
    }
    await page.context().close();
  });
});
