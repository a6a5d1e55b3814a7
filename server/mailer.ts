// The mailer: sends the queued messages (MailJob) off the request path, with
// retries and backoff, through SMTP_URL — or, without it, writes each one as
// an .eml file under DATA_DIR/outbox, so mail is never silently dropped. It
// also turns domain events into mail (posts for mailing-list mode,
// notifications) as a shared outbox subscriber, and queues the digests when
// they are due. Queueing is idempotent (every job's key names its post or
// notification and its member), so an event delivered twice queues nothing new.
//
// Delivery is at least once: a job is claimed (status "sending", with a lock
// that expires) before it is sent and marked sent after. A process that dies
// mid-send leaves the claim to expire and the job is sent again with the
// same Message-ID (and, in the outbox, the same file), so nothing is lost
// and receivers can tell a repeat. Every message's envelope sender is a
// signed bounce+ (VERP) address; the From header stays MAIL_FROM.
import fs from "node:fs";
import path from "node:path";
import nodemailer, { type SendMailOptions, type Transporter } from "nodemailer";
import type { Env } from "~/lib/env.server";
import { onNudge } from "~/lib/events.server";
import { toFlowed } from "~/lib/flowed";
import { bounceAddress } from "~/lib/mail-tokens.server";
import { logger } from "~/lib/logger.server";
import { mailNewReply, mailNewThread, mailNotifications, queueDueDigests } from "~/models/mail-delivery.server";
import type { Subscriber } from "~/models/event-outbox.server";
import { claimDueMail, mailFailed, mailSent, type MailJobToSend as Job } from "~/models/mail.server";
import { mailVerificationRequest } from "~/models/portfolio-verification.server";

const POLL_MS = 1000;
const DIGEST_CHECK_MS = 60_000;

export function outboxDir(env: Env): string {
  return path.join(env.dataDir, "outbox");
}

/** `text` is the plain-text part as written (before format=flowed and the transfer encoding). */
type Transport = { send: (job: Job, mail: SendMailOptions, text: string) => Promise<void>; close: () => void };

function transportFor(env: Env): Transport {
  if (env.smtpUrl) {
    const smtp: Transporter = nodemailer.createTransport(env.smtpUrl, { pool: true, maxConnections: 5 } as never);
    return { send: async (_job, mail) => void (await smtp.sendMail(mail)), close: () => smtp.close() };
  }
  const dir = outboxDir(env);
  fs.mkdirSync(dir, { recursive: true });
  const render = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const writeWhole = (name: string, content: Buffer | string) => {
    const tmp = path.join(dir, `.${name}.tmp`);
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, path.join(dir, name));
  };
  return {
    send: async (job, mail, text) => {
      const { message } = (await render.sendMail(mail)) as { message: Buffer };
      // Named by the job: sending it again after a crash rewrites the same files.
      const name = `${job.createdAt.slice(0, 19).replace(/[-:T]/g, "")}-${String(job.id).padStart(7, "0")}`;
      // Beside the message, its text as a person reads it: the .eml's quoted-printable body breaks
      // long links over lines and writes every "=" as "=3D", so a link copied from it does not work.
      writeWhole(`${name}.txt`, outboxText(mail, text));
      writeWhole(`${name}.eml`, message);
    },
    close: () => render.close(),
  };
}

/** A message's headers a person looks for, then its plain text, links whole (DATA_DIR/outbox/<name>.txt). */
function outboxText(mail: Pick<SendMailOptions, "from" | "to" | "replyTo" | "subject">, text: string): string {
  const line = (name: string, value: unknown) => (typeof value === "string" && value ? `${name}: ${value}\n` : "");
  return `${line("From", mail.from)}${line("To", mail.to)}${line("Reply-To", mail.replyTo)}${line("Subject", mail.subject)}\n${text.replace(/\r\n?/g, "\n")}\n`;
}

/** `digests`: queue the digests when due (one process of a cluster does, its lead; queueing is idempotent anyway). */
export function startMailer(
  env: Env,
  options: { digests: boolean } = { digests: true },
): { stop: () => Promise<void>; drain: () => Promise<number>; subscriber: Subscriber } {
  const transport = transportFor(env);
  let stopped = false;
  let running: Promise<number> | null = null;
  let again = false;

  async function sendOne(job: Job) {
    const body = JSON.parse(job.message) as { text: string; html: string; headers: Record<string, string>; replyTo?: string };
    const mail: SendMailOptions = {
      from: env.mailFrom,
      to: job.toAddress,
      // VERP: bounces come back to an address that names this message and its member (mail-bounce.server.ts).
      envelope: { from: bounceAddress(job.id, job.userId ?? 0), to: job.toAddress },
      subject: job.subject,
      // Text first, then HTML (the last alternative is the preferred one); the text wrapped as format=flowed.
      alternatives: [
        { contentType: "text/plain; charset=utf-8; format=flowed", content: toFlowed(body.text) },
        { contentType: "text/html; charset=utf-8", content: body.html },
      ],
      replyTo: body.replyTo,
      messageId: job.messageId,
      headers: body.headers,
    };
    try {
      await transport.send(job, mail, body.text);
      await mailSent(job.id);
    } catch (err) {
      const failed = await mailFailed(job, String((err as Error).message ?? err));
      logger.warn({ jobId: job.id, attempt: job.attempts, failed, err: (err as Error).message }, "mail delivery failed");
    }
  }

  /** Send everything due now; returns how many were attempted. */
  async function drainOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const jobs = await claimDueMail(new Date());
      if (!jobs.length) return total;
      total += jobs.length;
      await Promise.all(jobs.map(sendOne));
      if (stopped) return total;
    }
  }
  function drain(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = drainOnce()
      .catch((err) => {
        logger.error({ err }, "mailer");
        return 0;
      })
      .finally(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          void drain();
        }
      });
    return running;
  }

  const log = (what: string) => (err: unknown) => logger.error({ err }, what);
  const unsubscribe = onNudge((n) => {
    if (n.kind === "mail.queued") void drain();
  });
  // A failure throws, so the dispatcher retries the event (and what was queued before the failure stays queued once).
  const subscriber: Subscriber = {
    name: "mailer",
    async deliver({ event }) {
      if (event.type === "reply.created" && !event.isPrivate) await mailNewReply(event.replyId);
      else if (event.type === "thread.created") await mailNewThread(event.threadId);
      else if (event.type === "notification.created") for (const userId of new Set(event.userIds)) await mailNotifications(userId);
      else if (event.type === "portfolio.verification_requested") await mailVerificationRequest(event.verificationId);
    },
  };
  const poll = setInterval(() => void drain(), POLL_MS);
  const digests = () =>
    void queueDueDigests(new Date(), env.digestHour)
      .then((n) => n.daily + n.weekly + n.catchUp && logger.info(n, "digests queued"))
      .catch(log("digests"));
  const digestTimer = options.digests ? setInterval(digests, DIGEST_CHECK_MS) : undefined;
  if (options.digests) setTimeout(digests, 2000).unref();
  poll.unref();
  digestTimer?.unref();
  return {
    drain,
    subscriber,
    stop: async () => {
      stopped = true;
      unsubscribe();
      clearInterval(poll);
      clearInterval(digestTimer);
      await running;
      transport.close();
    },
  };
}
