// `postinstall` and `npm run typecheck`: generate both Prisma clients (SQLite and PostgreSQL), offline.
import { ensurePrismaClient } from "./lib.mjs";

ensurePrismaClient({ force: process.argv.includes("--force") });
