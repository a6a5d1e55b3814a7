// `npm run bench:lighthouse`: Lighthouse scores (performance, accessibility,
// best practices, SEO) of the six pages a newcomer meets first — home, a
// thread, search, resources, a profile and join — as a guest on Lighthouse's
// default phone (a mid-range device on slow 4G), on the demo community in a
// fresh installation. Prints each score and, for the last three categories,
// every audit that did not pass. Lighthouse is a measurement, not a test: the
// figures go in bench/RESULTS.md with the /healthz rate of the same run.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { buildIfNeeded, migrate, ROOT } from "../scripts/lib.mjs";
import { healthzFigure, machine, startServer } from "./lib.mjs";

await buildIfNeeded();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "paranet-lighthouse-"));
const databaseUrl = `file:${path.join(dataDir, "paranet.db")}`;
await migrate(databaseUrl);
execFileSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "prisma/seed-demo.ts"], {
  cwd: ROOT,
  env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
  stdio: "ignore",
});
const server = await startServer({ dataDir, databaseUrl });
const { base } = server;
const thread = new URL((await fetch(`${base}/t/2`, { redirect: "manual" })).headers.get("location") ?? "/t/2", base).pathname;
const pages = { home: "/", thread, search: "/search?q=weeding", resources: "/resources", profile: "/u/rosa", join: "/join" };

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const rows = [];
const misses = [];
try {
  for (const [name, pagePath] of Object.entries(pages)) {
    const { lhr } = await lighthouse(`${base}${pagePath}`, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: CATEGORIES });
    rows.push([name, pagePath, ...CATEGORIES.map((c) => Math.round((lhr.categories[c]?.score ?? 0) * 100))]);
    for (const c of CATEGORIES.slice(1)) {
      for (const ref of lhr.categories[c].auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) misses.push(`${name} · ${c}: ${audit.title}`);
      }
    }
  }
} finally {
  await chrome.kill();
}
const health = await healthzFigure(base);
await server.stop();
fs.rmSync(dataDir, { recursive: true, force: true });

console.log(
  `Lighthouse ${(await import("lighthouse/package.json", { with: { type: "json" } })).default.version}, its default phone (slow 4G), guest, demo community`,
);
console.log(machine());
console.log(health);
console.log("| page | path | performance | accessibility | best practices | SEO |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
console.log(misses.length ? `\nNot passed:\n${misses.map((m) => `- ${m}`).join("\n")}` : "\nEvery accessibility, best-practices and SEO audit passed.");
