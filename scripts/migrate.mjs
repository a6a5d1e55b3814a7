// `npm run db:migrate`: apply committed migrations to DATABASE_URL.
import { migrate } from "./lib.mjs";

await migrate();
