// /admin/outbox/:name — one outbox message as written (RFC 5322 text), for admins.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/auth.server";
import { orErrorPage } from "~/lib/http.server";
import { readOutboxMessage } from "~/models/mail.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["admin"]);
  const text = await orErrorPage(() => readOutboxMessage(user, params.name ?? ""));
  return new Response(text, { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" } });
}
