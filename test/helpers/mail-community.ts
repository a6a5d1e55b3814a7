// What the mail tests share: a community on a real server whose mail goes to
// an in-process SMTP sink. Members join and confirm their address by the
// link mailed to them; `mailSettled` waits until every queued message has
// reached the sink (so what is not there was never queued); `runDigests` runs
// `npm run mail:digests` as cron would.
import { spawn } from "node:child_process";
import path from "node:path";
import { expect } from "vitest";
import { aMember, join, textOf, Visitor } from "./client";
import { execute, queryAll } from "./db";
import { eventually } from "./live";
import type { MailSink, Received } from "./mail";
import { installationEnv, type RunningServer } from "./server";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** A member whose handle is `name`, at name@example.org. */
export const person = (name: string) => aMember(name, { handle: name, email: `${name}@example.org` });
/** Mail delivered to this address. */
export const to = (address: string) => (m: Received) => m.envelopeTo.includes(address);
/** A message's header block, unfolded (long headers are wrapped onto continuation lines). */
export const headerBlock = (m: Received) => m.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " ");
/** The first link in a message's text part to a path starting so. */
export function linkIn(m: Received, pathPrefix: string): URL {
  const found = new RegExp(`https?://[^\\s"<>]+${pathPrefix.replace(/[/?]/g, "\\$&")}[^\\s"<>]*`).exec(m.text ?? "")?.[0];
  if (!found) throw new Error(`no ${pathPrefix} link in: ${m.text}`);
  return new URL(found);
}
/** Save a member's email settings (notifications on, no hold, unless the fields say otherwise). */
export const emailSettings = (v: Visitor, fields: Record<string, string>) =>
  v.post("/me/settings/email", { notifications: "on", vacationUntil: "", ...fields });

/** A question in one tag, posted through the form; its id and path. */
export async function postQuestion(visitor: Visitor, tagId: string, fields: Record<string, string>) {
  const res = await visitor.post("/threads/new", { kind: "question", tagIds: tagId, body: "What do you do about this in your library?", ...fields });
  if (res.status !== 302) throw new Error(`posting failed ${res.status}: ${textOf(res.body).slice(0, 200)}`);
  return { id: Number(res.location!.split("/")[2]), path: res.location! };
}
/** A reply posted through the thread's form; its id. */
export async function replyIn(visitor: Visitor, threadPath: string, body: string) {
  const res = await visitor.post(threadPath, { intent: "reply", body });
  if (res.status !== 302) throw new Error(`replying failed ${res.status}`);
  return Number(/#reply-(\d+)$/.exec(res.location!)![1]);
}

/** The helpers for one test file's server and sink (read when called: both are made in beforeAll). */
export function mailCommunity(current: () => { server: RunningServer; sink: MailSink }) {
  /** Rows of a query, or the result of a write. */
  async function sql<T = unknown>(query: string, ...params: unknown[]): Promise<T> {
    const { database } = current().server;
    return (/^\s*(SELECT|WITH)\b/i.test(query) ? await queryAll(database, query, ...params) : await execute(database, query, ...params)) as T;
  }

  /**
   * Every queued message has been handed to the mail server: what is not in the
   * sink by now was never queued. (The mailer marks a job sent after the sink
   * has it.) Call it once a row or message proves the work at hand was done.
   */
  async function mailSettled() {
    await eventually(async () => {
      const [{ open, sent }] = await sql<{ open: number; sent: number }[]>(
        `SELECT COUNT(*) FILTER (WHERE "status" IN ('pending', 'sending')) AS "open", COUNT(*) FILTER (WHERE "status" = 'sent') AS "sent" FROM "MailJob"`,
      );
      expect(Number(open)).toBe(0);
      expect(current().sink.messages.length).toBeGreaterThanOrEqual(Number(sent));
    }, 10_000);
  }

  /** A new member who has followed the confirmation link mailed to them. */
  async function joinAndConfirm(name: string): Promise<Visitor> {
    const { server, sink } = current();
    const v = new Visitor(server.url);
    await join(v, person(name));
    const mail = await sink.waitFor((m) => to(`${name}@example.org`)(m) && m.subject === "[ParaNet] Confirm your email address");
    const link = linkIn(mail, "/email/verify?token=");
    expect(textOf((await v.get(link.pathname + link.search)).body)).toContain("your address is confirmed");
    return v;
  }

  /**
   * Runs `npm run mail:digests` on the server's installation. Spawned, not
   * spawnSync: the mail sink lives in this process and must keep receiving
   * what the server sends meanwhile.
   */
  function runDigests(now: Date, digestHour: number): Promise<string> {
    const child = spawn(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/mail-digests.ts", "--now", now.toISOString()], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        ...installationEnv(current().server),
        DIGEST_HOUR: String(digestHour),
        MAIL_DOMAIN: "paranet.test",
        LOG_LEVEL: "silent",
        NODE_ENV: "production",
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    return new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`mail:digests exited with ${code}: ${stderr}`))));
    });
  }

  return { sql, mailSettled, joinAndConfirm, runDigests };
}
