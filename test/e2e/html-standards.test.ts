// Every kind of page is valid HTML by the Nu Html Checker (vnu, the W3C's
// validator, from the vnu-jar package): for a guest, a member and an admin,
// including forms showing errors. It needs Java, like the browser tests need
// Chromium: missing, the test fails with what to install.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, Visitor, type Page } from "../helpers/client";
import { queryOne } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";
import { testTempDir } from "../setup/global";

const VNU_JAR = createRequire(import.meta.url)("vnu-jar") as string;
let server: RunningServer;
let admin: Visitor;
let member: Visitor;
let threadPath = "";
let targetPath = "";

type Message = { type: string; url: string; message: string; extract?: string; lastLine?: number };

/** Nu's errors for each page, as "path: message (line N: extract)". */
function nuErrors(pages: Map<string, string>): string[] {
  const java = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (java.error || java.status !== 0) {
    throw new Error("The Nu Html Checker needs Java 11 or later: install it with `apt-get install -y default-jre-headless`.");
  }
  const dir = testTempDir("paranet-nu-");
  const byFile = new Map<string, string>();
  [...pages].forEach(([name, html], i) => {
    const file = path.join(dir, `page-${i}.html`);
    fs.writeFileSync(file, html);
    byFile.set(`file:${file}`, name);
  });
  const run = spawnSync("java", ["-jar", VNU_JAR, "--errors-only", "--format", "json", ...[...byFile.keys()].map((f) => f.slice(5))], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const { messages } = JSON.parse(run.stderr || run.stdout) as { messages: Message[] };
  expect(
    messages.every((m) => byFile.has(m.url)),
    "every message names a page",
  ).toBe(true);
  return messages
    .filter((m) => m.type === "error" || m.type === "non-document-error")
    .map((m) => `${byFile.get(m.url)}: ${m.message} (line ${m.lastLine}: ${m.extract?.trim()})`);
}

async function collect(visitor: Visitor, paths: string[], into: Map<string, string>, who: string) {
  for (const p of paths) {
    const page: Page = await visitor.get(p);
    expect(page.status, `${who} ${p}`).toBe(200);
    into.set(`${who} ${p}`, page.body);
  }
}

beforeAll(async () => {
  server = await startServer();
  admin = new Visitor(server.url);
  expect((await admin.post(`/setup?token=${server.setupToken}`, aMember("admin", { handle: "admin" }))).status).toBe(302);
  expect((await admin.post("/admin/settings", { worksiteRequired: "on", holdFirstPosts: "0", flagsToHide: "3", postLimit: "1000" })).status).toBe(200);
  member = new Visitor(server.url);
  await join(member, aMember("nucheck", { handle: "nucheck" }));
  const tagId = String((await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "Tag" WHERE "slug" = 'reference'`)).id);
  const ask = async (title: string, kind: string) => {
    const res = await member.post("/threads/new", {
      title,
      body: "A **question** with a [link](https://example.org) and a list:\n\n- one\n- two",
      kind,
      tagIds: tagId,
    });
    expect(res.status).toBe(302);
    return res.location!;
  };
  threadPath = await ask("Valid markup for a question page?", "question");
  targetPath = await ask("TARGET: valid markup for private replies", "target");
  expect((await admin.post(threadPath, { intent: "reply", body: "> A quote\n\nAn answer with `code`." })).status).toBe(302);
  expect((await admin.post(targetPath, { intent: "reply", body: "A private answer." })).status).toBe(302);
});
afterAll(() => server?.stop());

describe("HTML standards (Nu Html Checker)", () => {
  it("finds no errors on any kind of page, for a guest, a member and an admin, nor on forms showing errors", async () => {
    const pages = new Map<string, string>();
    const guest = new Visitor(server.url);
    await collect(
      guest,
      [
        "/",
        "/join",
        "/login",
        "/forgot-password",
        "/guidelines",
        "/resources",
        "/resources/associations",
        "/tags",
        "/tags/reference",
        "/search?q=markup",
        threadPath,
        "/u/nucheck",
      ],
      pages,
      "guest",
    );
    await collect(
      member,
      [
        "/",
        "/threads/new",
        "/resources/new",
        "/tags/suggest",
        "/me/settings",
        "/me/settings/email",
        "/me/following",
        "/notifications",
        threadPath,
        targetPath,
        "/u/nucheck?tab=replies",
      ],
      pages,
      "member",
    );
    await collect(
      admin,
      [
        threadPath,
        targetPath,
        "/moderate",
        "/moderate/log",
        "/moderate/resources",
        "/admin/members",
        "/admin/settings",
        "/admin/tags",
        "/admin/outbox",
        "/admin/guidelines",
      ],
      pages,
      "admin",
    );
    // Forms re-rendered with their errors (as a browser without JavaScript posts them).
    const joinErrors = await new Visitor(server.url).post("/join", { email: "not an address", handle: "x" });
    expect(joinErrors.status).toBe(400);
    pages.set("guest /join with errors", joinErrors.body);
    const askErrors = await member.post("/threads/new", { title: "short", body: "", kind: "question" });
    expect(askErrors.status).toBe(400);
    pages.set("member /threads/new with errors", askErrors.body);
    expect(nuErrors(pages)).toEqual([]);
  });

  it("reports an invalid page (the check can fail)", () => {
    const errors = nuErrors(new Map([["broken", "<!DOCTYPE html><html lang=en><head><title>x</title></head><body><p>ok<div></p></body></html>"]]));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^broken: /);
  });
});
