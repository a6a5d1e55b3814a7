// `npm run search:rebuild`: refill the full-text index from the tables. The
// database's triggers keep it current on every write; this is for an index
// that was damaged or a database restored from elsewhere. Safe while the
// server runs (one transaction).
import { db, prepareDatabase } from "~/db/client.server";
import { rebuildSearchIndex } from "~/models/search.server";

await prepareDatabase();
const started = Date.now();
const rows = await rebuildSearchIndex();
console.log(`Search index rebuilt: ${rows} threads, replies and resources in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
await db.$disconnect();
