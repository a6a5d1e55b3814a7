import { json } from "@remix-run/node";
import { databaseAnswers } from "~/models/health.server";

// For load balancers and uptime checks: 200 only when the database answers.
export async function loader() {
  const ok = await databaseAnswers();
  return json(
    { status: ok ? "ok" : "unavailable", database: ok ? "ok" : "error", uptimeSeconds: Math.round(process.uptime()) },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
