// `npm run dev`: rebuild the app on change (remix watch) and restart the
// server when server code changes (tsx watch). The server re-imports the
// Remix build whenever it changes, so page edits need only a browser reload.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildIfNeeded, migrate, ROOT } from "./lib.mjs";

process.chdir(ROOT);
await buildIfNeeded();
await migrate();
// `remix watch` writes a development build over build/: make the next
// `npm start` (or test run) rebuild for production.
fs.rmSync(path.join(ROOT, "build", ".stamp"), { force: true });
const env = { ...process.env, NODE_ENV: "development" };
const children = [
  spawn(process.execPath, [path.join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "watch"], { stdio: "inherit", env }),
  spawn(
    process.execPath,
    [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "watch", "--clear-screen=false", "--ignore", "build/**", "--ignore", "app/**", "server/index.ts"],
    { stdio: "inherit", env },
  ),
];
const stop = () => {
  for (const child of children) child.kill("SIGTERM");
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
for (const child of children) child.on("exit", (code) => code && stop());
