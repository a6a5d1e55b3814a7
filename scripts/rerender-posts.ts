// `npm run posts:rerender [-- --all]`: after changing the Markdown rules (and
// bumping RENDERER_VERSION in app/lib/markdown.server.ts), re-render every
// stored post that an older version rendered; `--all` re-renders everything.
// Safe while the server runs; guests may see the old HTML for up to
// GUEST_CACHE_SECONDS.
import { closeDatabase, prepareDatabase } from "~/db/client.server";
import { rerenderPosts } from "~/models/post-rendering.server";

await prepareDatabase();
const started = Date.now();
const counts = await rerenderPosts({ all: process.argv.includes("--all") });
console.log(`Re-rendered ${counts.threads} threads and ${counts.replies} replies in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
await closeDatabase();
