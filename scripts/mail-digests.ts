// `npm run mail:digests [-- --now 2026-11-24T08:00:00Z]`: queue the digests
// due now (daily, weekly, and catch-ups after vacation holds). The server
// does this by itself every minute; this is for running it from cron on a
// machine where the server is not always up, or to see what a run queues.
// Idempotent: a member's digest for a period is queued once, however often
// this runs. The running server's mailer sends what is queued. Links use
// PUBLIC_URL, or else the address the server recorded when it last started.
import { closeDatabase, prepareDatabase } from "~/db/client.server";
import { getEnv } from "~/lib/env.server";
import { queueDueDigests } from "~/models/mail-delivery.server";
import { adoptRecordedSiteUrl } from "~/models/mail.server";

const at = process.argv.indexOf("--now");
const now = at > 0 ? new Date(process.argv[at + 1] ?? "") : new Date();
if (Number.isNaN(now.getTime())) {
  console.error("Usage: npm run mail:digests [-- --now 2026-11-24T08:00:00Z]");
  process.exit(2);
}
await prepareDatabase();
// Links point where the server's do (it records its address), or at PUBLIC_URL.
if (!(await adoptRecordedSiteUrl())) console.warn("No PUBLIC_URL, and the server has not run yet: links in these digests point at http://localhost:3000.");
const started = Date.now();
const counts = await queueDueDigests(now, getEnv().digestHour);
console.log(`Digests queued: ${counts.daily} daily, ${counts.weekly} weekly, ${counts.catchUp} catch-up (${((Date.now() - started) / 1000).toFixed(1)} s).`);
// The PostgreSQL pool would keep the process alive for its idle timeout.
await closeDatabase();
