import { json } from "@remix-run/node";
import { databaseAnswers, outboxHealth } from "~/models/health.server";

// For load balancers and uptime checks: 200 only when the database answers.
// `events`: how many domain events the slowest subscriber has yet to handle,
// and how many were given up on (dead letters, listed at /admin/outbox).
export async function loader() {
  const ok = await databaseAnswers();
  const events = ok ? await outboxHealth().catch(() => null) : null;
  return json(
    { status: ok ? "ok" : "unavailable", database: ok ? "ok" : "error", events, uptimeSeconds: Math.round(process.uptime()) },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
