// A real Chromium driven by playwright-core. Tests that need it fail with a
// clear message when it is missing rather than being skipped.
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { startServer, type RunningServer } from "./server";

/** Where browser tests leave their screenshots. */
export const SHOTS = path.resolve(import.meta.dirname, "..", "..", "test-results");

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export async function launchChromium(): Promise<Browser> {
  const executablePath = CANDIDATES.find((p): p is string => !!p && fs.existsSync(p));
  if (!executablePath) {
    throw new Error(
      "Chromium is needed for the browser tests but was not found. Install it with `apt-get install -y chromium` " +
        "(or set CHROMIUM_PATH to a Chromium/Chrome binary).",
    );
  }
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A real server and a real Chromium for one test file, started together. */
export function browserSuite(): { server: () => RunningServer; browser: () => Browser } {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return { server: () => server, browser: () => browser };
}
