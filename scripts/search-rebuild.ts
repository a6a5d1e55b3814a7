// `npm run search:rebuild`: refill the full-text indexes (public and private)
// from the tables, on SQLite or PostgreSQL. The database's triggers keep
// them current on every write; this is for an index that was damaged or a
// database restored from elsewhere. Safe while the server runs (one
// transaction: searches read the old rows until it commits).
import { closeDatabase, prepareDatabase } from "~/db/client.server";
import { rebuildSearchIndex } from "~/models/search.server";

await prepareDatabase();
const started = Date.now();
const rows = await rebuildSearchIndex();
console.log(`Search index rebuilt: ${rows} threads, replies and resources in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
// Closes the PostgreSQL pool too, so the process ends now rather than when idle connections time out.
await closeDatabase();
