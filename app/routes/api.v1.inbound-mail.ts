// POST /api/v1/inbound-mail — reply by email through a mail provider's
// webhook: the raw message (RFC 5322) as the body, authenticated with
// `Authorization: Bearer <INBOUND_MAIL_SECRET>`. Off (404) unless that is set.
// 201 posted, 202 a bounce report to a bounce+ (VERP) address or dropped (automatic mail: an auto-reply, a bounce, a loop),
// 200 a duplicate or an unsubscribe, 4xx refused with the reason.
import crypto from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { api, json, methodNotAllowed } from "~/web/api.server";
import { getEnv } from "~/lib/env.server";
import { apiError } from "~/web/http.server";
import { runInRequestScope } from "~/lib/request-scope.server";
import { MAX_INBOUND_BYTES, receiveReplyMail } from "~/models/inbound-mail.server";

export const loader = () => api(async () => methodNotAllowed(["POST"]));

function authorized(header: string | null, secret: string): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1] ?? "";
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(secret).digest();
  return crypto.timingSafeEqual(a, b);
}

export const action = ({ request }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed(["POST"]);
    const secret = getEnv().inboundMailSecret;
    if (!secret) return apiError(404, "not_found", "Reply by email through a webhook is not enabled here (INBOUND_MAIL_SECRET is unset).");
    if (!authorized(request.headers.get("Authorization"), secret))
      return apiError(401, "invalid_token", "Send the inbound mail secret as `Authorization: Bearer …`.");
    const raw = Buffer.from(await request.arrayBuffer());
    if (!raw.length) return apiError(400, "invalid_input", "Send the raw message (RFC 5322) as the request body.");
    if (raw.length > MAX_INBOUND_BYTES) return apiError(413, "too_large", "This message is too large: reply with text only (up to 1 MB).");
    // The provider's address is not the member's: only the member's own posting limit applies.
    const result = await runInRequestScope("POST", () => receiveReplyMail(raw));
    if (result.status === "posted") return json({ reply: { id: result.replyId, duplicate: result.duplicate } }, { status: result.duplicate ? 200 : 201 });
    // Accepted and dropped: an error here would make the provider bounce it, and an automatic sender answer again.
    if (result.status === "dropped") return json({ dropped: { code: result.code, reason: result.reason } }, { status: 202 });
    if (result.status === "bounce") return json({ bounce: { code: result.code, reason: result.reason } }, { status: 202 });
    if (result.status === "unsubscribed") return json({ unsubscribed: { kind: result.kind } }, { status: 200 });
    return apiError(result.code === "throttled" ? 429 : 422, result.code, result.reason);
  });
