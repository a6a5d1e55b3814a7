// The clearinghouse journey in a real browser: a member suggests a resource,
// a moderator approves it, the member is notified, and it appears under its
// competency area.
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserSuite, fillIdentification, joinInBrowser, SHOTS } from "../helpers/browser";

const suite = browserSuite();
const url = () => suite.server().url;

async function newPage(): Promise<Page> {
  const context = await suite.browser().newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (err) => {
    throw err;
  });
  return page;
}

describe("suggesting and curating a resource", () => {
  it("goes from a member's suggestion to an approved entry under its competency area", async () => {
    const moderator = await newPage();
    await moderator.goto(`${url()}/setup?token=${suite.server().setupToken}`);
    await fillIdentification(moderator, { handle: "curator", name: "Cora Curator", jobTitle: "Library Director", worksite: "Central Library" });
    await moderator.getByRole("button", { name: /Create/ }).click();
    await moderator.waitForURL("**/admin/members?welcome=1");

    const member = await joinInBrowser(await newPage(), url(), { handle: "sam", name: "Sam Patel", jobTitle: "Library Technician" });

    await member.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Resources" }).click();
    await member.getByRole("link", { name: "Suggest a resource" }).first().click();
    await member.waitForURL("**/resources/new");
    await member.getByRole("textbox", { name: /^Title/ }).fill("Weeding with CREW");
    await member.getByLabel("Web address").fill("https://crew.example.org/manual");
    // A short abstract is refused with the reason beside the field, and nothing typed is lost.
    await member.getByLabel("Abstract").fill("Too short.");
    await member.getByLabel("Type").selectOption("toolkit");
    await member.getByLabel("Collection Management").check();
    await member.getByRole("button", { name: "Send for review" }).click();
    await member.getByText("Abstract must be at least 50 characters").waitFor();
    expect(await member.getByRole("textbox", { name: /^Title/ }).inputValue()).toBe("Weeding with CREW");
    await member
      .getByLabel("Abstract")
      .fill("The CREW method for weeding: continuous review, evaluation and weeding, with MUSTIE criteria for each Dewey range.");
    await member.getByRole("button", { name: "Send for review" }).click();
    await member.getByText("your suggestion is waiting for a moderator").waitFor();
    await member.getByText("Weeding with CREW — Waiting for a moderator").waitFor();

    await moderator.goto(`${url()}/moderate/resources`);
    await moderator.getByRole("heading", { name: /Weeding with CREW/ }).waitFor();
    await moderator.screenshot({ path: path.join(SHOTS, "resources-queue.png"), fullPage: true });
    await moderator.getByRole("button", { name: "Approve Weeding with CREW" }).click();
    await moderator.getByText("Nothing is waiting. Thank you!").waitFor();

    // The member hears about it live (badge), then finds it under its competency area.
    await member.getByTestId("unread-badge").waitFor({ timeout: 5000 });
    await member.goto(`${url()}/notifications`);
    await member.getByRole("link", { name: "Your submission “Weeding with CREW” is now in the clearinghouse" }).click();
    await member.getByRole("heading", { level: 1, name: "Weeding with CREW" }).waitFor();
    await member.getByRole("link", { name: "Collection Management" }).first().click();
    await member.waitForURL("**/competencies/collection-management");
    await member.getByRole("link", { name: "Weeding with CREW" }).waitFor();
    await member.screenshot({ path: path.join(SHOTS, "competency-page.png"), fullPage: true });

    // Citing it from a post with the picker shows its card, and the entry lists the thread.
    await member.goto(`${url()}/threads/new`);
    await member.getByLabel("Title").fill("How often do you weed picture books?");
    await member.getByLabel("Your question or message").fill("We are starting with this method:");
    await member.getByRole("button", { name: "Cite a clearinghouse resource" }).click();
    await member.getByLabel("Find a resource").fill("CREW");
    await member.getByRole("button", { name: "Insert “Weeding with CREW”" }).click();
    expect(await member.getByLabel("Your question or message").inputValue()).toContain("https://crew.example.org/manual");
    await member.getByLabel("Collection Management").check();
    await member.getByRole("button", { name: "Post thread" }).click();
    await member.waitForURL("**/t/**");
    await member.locator(".resource-card").getByRole("link", { name: "Weeding with CREW" }).click();
    await member.getByRole("link", { name: "How often do you weed picture books?" }).waitFor();
  });

  it("imports a CSV file chosen in the browser, in batches with progress, and reports each row", async () => {
    const moderator = await newPage();
    await moderator.goto(`${url()}/login`);
    await moderator.getByLabel("Email").fill("curator@example.org");
    await moderator.getByLabel("Password").fill("a long enough passphrase");
    await moderator.getByRole("button", { name: "Log in" }).click();
    await moderator.waitForURL((u) => !u.pathname.startsWith("/login"));
    const header = "title,url,abstract,type,competencies,tags,library_types,region,cost,provider,ce_hours,published_on";
    const abstract = "A practical guide for support staff, with checklists and examples drawn from small libraries.";
    const rows = Array.from({ length: 600 }, (_, i) => `File row ${i},https://filerow${i}.example.org/,"${abstract}",article,reference,,,,free,,,`);
    rows.push(`Bad row,not-a-url,"${abstract}",article,reference,,,,free,,,`);
    await moderator.goto(`${url()}/moderate/resources/import`);
    await moderator
      .getByLabel("Choose a CSV file")
      .setInputFiles({ name: "resources.csv", mimeType: "text/csv", buffer: Buffer.from([header, ...rows].join("\n")) });
    await moderator.getByText("Done: 601 of 601 rows").waitFor({ timeout: 30_000 });
    await moderator.getByText("600 imported, 0 skipped as duplicates, 1 rejected, of 601 rows.").waitFor();
    await moderator.getByRole("cell", { name: /url: Enter a full web address/ }).waitFor();
    await moderator.screenshot({ path: path.join(SHOTS, "resources-import.png"), fullPage: true });
  });
});
