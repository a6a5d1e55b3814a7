// /admin/outbox/:name — one outbox message for admins: its headers, then its
// plain-text part decoded (links whole and clickable when copied), then the
// message exactly as written.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { simpleParser } from "mailparser";
import { requireRole } from "~/web/auth.server";
import { orErrorPage } from "~/web/http.server";
import { readOutboxMessage } from "~/models/mail.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["admin"]);
  const raw = await orErrorPage(() => readOutboxMessage(user, params.name ?? ""));
  const mail = await simpleParser(raw);
  const header = (name: string, value: string | undefined) => (value ? `${name}: ${value}\n` : "");
  const text =
    header("From", mail.from?.text) +
    header("To", Array.isArray(mail.to) ? mail.to.map((t) => t.text).join(", ") : mail.to?.text) +
    header("Reply-To", mail.replyTo?.text) +
    header("Subject", mail.subject) +
    header("Date", mail.date?.toUTCString()) +
    `\n${mail.text ?? ""}\n\n----- The message as written (${params.name}) -----\n\n${raw}`;
  return new Response(text, { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" } });
}
