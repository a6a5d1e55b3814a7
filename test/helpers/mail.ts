// A real SMTP server in the test process that keeps what ParaNet sends, and
// a way to send mail to ParaNet's own receiver, as a member's mail client would.
import { simpleParser, type ParsedMail } from "mailparser";
import nodemailer, { type SendMailOptions } from "nodemailer";
import { SMTPServer } from "smtp-server";

/** A message as the sink got it, with its SMTP envelope (envelopeFrom: "" for a null sender). */
export type Received = ParsedMail & { raw: string; envelopeTo: string[]; envelopeFrom: string };

export type MailSink = {
  port: number;
  url: string;
  messages: Received[];
  /** Resolves with the first message (arrived or arriving) that matches, or fails after `timeoutMs`. */
  waitFor(match: (m: Received) => boolean, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
};

export async function startMailSink(): Promise<MailSink> {
  const messages: Received[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks);
        const parsed = await simpleParser(raw);
        messages.push(
          Object.assign(parsed, {
            raw: raw.toString("utf8"),
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          }),
        );
        waiters.forEach((w) => w());
        callback();
      });
    },
  });
  // A sender that stops mid-conversation (a ParaNet server shut down at the end of a test) resets its connection;
  // smtp-server reports that as an 'error' event (with the peer's remoteAddress), which unheard would end the run.
  server.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "ECONNRESET" && err.code !== "EPIPE") console.warn(`mail sink: ${err.message}`);
  });
  const port = await new Promise<number>((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(match, timeoutMs = 8000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching mail within ${timeoutMs} ms; got: ${messages.map((m) => `${m.subject} → ${m.envelopeTo.join(",")}`).join(" | ")}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The port ParaNet's reply-by-email receiver listens on, from its start-up log line. */
export function inboundPortOf(output: string): number {
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const entry = JSON.parse(line) as { msg?: string; inboundSmtpPort?: number };
      if (entry.msg === "listening" && entry.inboundSmtpPort) return entry.inboundSmtpPort;
    } catch {
      // not a log line
    }
  }
  throw new Error("the server did not report an inbound SMTP port (set INBOUND_SMTP_PORT)");
}

/** Send a message to ParaNet's SMTP receiver; resolves with its answer, or rejects with its refusal. */
export async function sendToParaNet(port: number, mail: SendMailOptions): Promise<string> {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail(mail);
    return info.response;
  } finally {
    transport.close();
  }
}
