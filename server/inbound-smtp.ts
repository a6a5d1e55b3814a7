// The reply-by-email receiver: an SMTP server (smtp-server) on
// INBOUND_SMTP_PORT that accepts mail only for ParaNet reply, mailto
// unsubscribe and bounce (VERP envelope sender) addresses and hands each
// message to receiveReplyMail. A bounce report is always accepted (250). A
// refusal is answered in the SMTP conversation (550 with the reason), so the
// sender's mail server bounces it to the member with that reason; a throttled
// one gets a temporary 451. Automatic mail (auto-replies, bounces, loops) is
// accepted and dropped in silence.
import { SMTPServer } from "smtp-server";
import type { Env } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { MAX_INBOUND_BYTES, receiveReplyMail } from "~/models/inbound-mail.server";

export async function startInboundSmtp(env: Env): Promise<{ port: number; stop: () => Promise<void> } | null> {
  if (env.inboundSmtpPort === undefined) return null;
  const domain = `@${env.mailDomain}`;
  const server = new SMTPServer({
    name: env.mailDomain,
    banner: "ParaNet reply-by-email",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: MAX_INBOUND_BYTES,
    logger: false,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      if (!(to.startsWith("reply+") || to.startsWith("unsubscribe+") || to.startsWith("bounce+")) || !to.endsWith(domain)) {
        return callback(Object.assign(new Error("ParaNet accepts mail only at its reply, unsubscribe and bounce addresses."), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_INBOUND_BYTES) chunks.push(chunk);
      });
      stream.on("end", () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded || size > MAX_INBOUND_BYTES) {
          return callback(Object.assign(new Error("This message is too large: reply with text only (up to 1 MB)."), { responseCode: 552 }));
        }
        const rcptTo = session.envelope.rcptTo.map((r) => r.address);
        // Over SMTP there is always an envelope sender ("" for a bounce).
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        receiveReplyMail(Buffer.concat(chunks), { rcptTo, mailFrom })
          .then((result) => {
            logger.info({ status: result.status, code: "code" in result ? result.code : undefined }, "reply by email");
            // Automatic mail is accepted and dropped: a refusal would be bounced to an autoresponder, which may answer again.
            if (result.status === "dropped" || result.status === "bounce") return callback(null, "Accepted");
            if (result.status === "unsubscribed") return callback(null, "Unsubscribed");
            if (result.status === "posted") {
              return callback(
                null,
                result.duplicate ? "Already posted" : result.held ? "Posted to ParaNet; a moderator will approve it first" : "Posted to ParaNet",
              );
            }
            callback(Object.assign(new Error(result.reason), { responseCode: result.code === "throttled" ? 451 : 550 }));
          })
          .catch((err) => {
            logger.error({ err }, "reply by email failed");
            callback(Object.assign(new Error("Temporary failure; please try again later."), { responseCode: 451 }));
          });
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.inboundSmtpPort, env.inboundSmtpHost, () => {
      const address = server.server.address();
      resolve(typeof address === "object" && address ? address.port : env.inboundSmtpPort!);
    });
  });
  server.on("error", (err) => logger.error({ err }, "inbound smtp"));
  logger.info({ port }, "reply-by-email SMTP receiver listening");
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
