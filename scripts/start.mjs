// `npm start`: build if sources changed, apply migrations, then serve in this
// process (with WEB_CONCURRENCY above 1, this process becomes the primary
// that starts the web workers: server/cluster-primary.ts).
import { buildIfNeeded, migrate, ROOT } from "./lib.mjs";

process.chdir(ROOT);
await buildIfNeeded();
await migrate();
await import("../build/server/index.js");
