// `npm start`: build if sources changed, apply migrations, then serve in this process.
import { buildIfNeeded, migrate, ROOT } from "./lib.mjs";

process.chdir(ROOT);
await buildIfNeeded();
await migrate();
await import("../build/server/index.js");
