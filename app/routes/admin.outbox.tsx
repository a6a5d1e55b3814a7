// /admin/outbox — the mail queue's depth and failures, mail received and not
// posted (refused replies, dropped auto-replies and bounces), members' addresses
// that bounce (score, and whether delivery stopped), (without SMTP_URL)
// the messages written to DATA_DIR/outbox instead of being sent, and how
// domain event delivery is doing (each subscriber's lag, dead letters).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Time } from "~/components/ThreadBits";
import { requireRole } from "~/web/auth.server";
import { getEnv } from "~/lib/env.server";
import { outboxStatus } from "~/models/event-outbox.server";
import { listUnpostedInboundMail } from "~/models/inbound-mail.server";
import { BOUNCE_THRESHOLD, listBouncingAddresses } from "~/models/mail-bounce.server";
import { listOutbox, mailQueueStatus, retryFailedMail } from "~/models/mail.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Outbox — Admin — ParaNet");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["admin"]);
  return json({
    queue: await mailQueueStatus(user),
    outbox: await listOutbox(user),
    smtp: !!getEnv().smtpUrl,
    events: await outboxStatus(user),
    inbound: await listUnpostedInboundMail(user),
    bouncing: await listBouncingAddresses(user),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["admin"]);
  const count = await retryFailedMail(user);
  return json({ message: count ? `${count} failed ${count === 1 ? "message is" : "messages are"} back in the queue.` : "No failed messages to retry." });
}

export default function Outbox() {
  const { queue, outbox, smtp, events, inbound, bouncing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="stack">
      {result ? (
        <p className="notice notice--success" role="status">
          {result.message}
        </p>
      ) : null}
      <section className="card stack" aria-labelledby="queue-heading">
        <h2 id="queue-heading">Mail queue</h2>
        <p>
          {smtp ? "Sending through SMTP_URL." : "No SMTP_URL: every message is written to the outbox below instead of being sent."} Waiting:{" "}
          <strong>{queue.stats.pending}</strong> · sending: <strong>{queue.stats.sending}</strong> · sent: <strong>{queue.stats.sent}</strong> · failed:{" "}
          <strong>{queue.stats.failed}</strong>
        </p>
        {queue.problems.length ? (
          <>
            <table className="table log-table">
              <thead>
                <tr>
                  <th scope="col">Message</th>
                  <th scope="col">To</th>
                  <th scope="col">State</th>
                  <th scope="col">Last error</th>
                </tr>
              </thead>
              <tbody>
                {queue.problems.map((p) => (
                  <tr key={p.id}>
                    <td>{p.subject}</td>
                    <td>{p.toAddress}</td>
                    <td>{p.status === "failed" ? "failed" : `retrying (attempt ${p.attempts})`}</td>
                    <td>{p.lastError}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Form method="post">
              <button type="submit" className="button button--secondary">
                Retry failed messages
              </button>
            </Form>
          </>
        ) : (
          <p className="muted">No failures.</p>
        )}
      </section>
      <section className="card stack" aria-labelledby="inbound-heading">
        <h2 id="inbound-heading">Mail received and not posted</h2>
        <p className="muted">
          Replies by email that were refused (the sender was told why), and automatic mail dropped in silence: out-of-office replies, bounces, and
          ParaNet&apos;s own mail coming back. Nothing here was posted or answered.
        </p>
        {inbound.length ? (
          <table className="table log-table">
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">From</th>
                <th scope="col">What happened</th>
              </tr>
            </thead>
            <tbody>
              {inbound.map((m) => (
                <tr key={m.messageId}>
                  <td>
                    <Time at={m.receivedAt} />
                  </td>
                  <td>{m.fromAddress || "(no sender)"}</td>
                  <td>
                    {m.status === "dropped" ? "Dropped" : "Refused"} ({m.code}): {m.reason}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">Nothing refused or dropped.</p>
        )}
      </section>
      <section className="card stack" aria-labelledby="bouncing-heading">
        <h2 id="bouncing-heading">Addresses that bounce</h2>
        <p className="muted">
          Bounces come back to each message&apos;s bounce+ envelope address. A hard bounce counts 2, a soft one 1 (at most once a day); a month without bounces
          starts again from 0. At {BOUNCE_THRESHOLD}, ParaNet stops list, digest and notification mail to the address (account mail still goes) until the member
          confirms it again or changes it; their email settings page tells them why.
        </p>
        {bouncing.length ? (
          <table className="table log-table">
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Address</th>
                <th scope="col">Score</th>
                <th scope="col">Last bounce</th>
                <th scope="col">Delivery</th>
              </tr>
            </thead>
            <tbody>
              {bouncing.map((b) => (
                <tr key={b.id}>
                  <td>
                    <Link to={`/u/${b.handle}`}>{b.displayName}</Link>
                  </td>
                  <td>{b.email}</td>
                  <td>{b.bounceScore}</td>
                  <td>{b.lastBounceAt ? <Time at={b.lastBounceAt} /> : "—"}</td>
                  <td>{b.stopped ? "Stopped" : "Still sending"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No address bounces.</p>
        )}
      </section>
      <section className="card stack" aria-labelledby="events-heading">
        <h2 id="events-heading">Event delivery</h2>
        <p className="muted">
          Every change records a domain event; these parts act on each one (notifications, mail, live updates, resource cards). An event one of them failed to
          handle five times is set aside below, and the rest carry on.
        </p>
        <table className="table log-table">
          <thead>
            <tr>
              <th scope="col">Subscriber</th>
              <th scope="col">Events behind</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {events.subscribers.map((s) => (
              <tr key={s.subscriber}>
                <td>{s.subscriber}</td>
                <td>{s.behind}</td>
                <td>{s.attempts ? `retrying event #${s.lastEventId + 1} (failed ${s.attempts} times): ${s.lastError}` : "ok"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {events.deadLetters.length ? (
          <table className="table log-table">
            <caption>Events given up on</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Subscriber</th>
                <th scope="col">Event</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {events.deadLetters.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Time at={d.createdAt} />
                  </td>
                  <td>{d.subscriber}</td>
                  <td>
                    #{d.eventId} {d.type}
                  </td>
                  <td>{d.error}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">No events given up on.</p>
        )}
      </section>
      <section className="stack" aria-labelledby="outbox-heading">
        <h2 id="outbox-heading">Outbox</h2>
        {smtp && outbox.length ? <p className="muted">These were written while no SMTP_URL was set: they were never sent.</p> : null}
        {outbox.length === 0 ? (
          <p className="card empty">{smtp ? "Mail is sent through SMTP; nothing is written here." : "No messages yet."}</p>
        ) : (
          <table className="table log-table">
            <thead>
              <tr>
                <th scope="col">Written</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
              </tr>
            </thead>
            <tbody>
              {outbox.map((m) => (
                <tr key={m.name}>
                  <td>{m.date ? <Time at={new Date(m.date).toISOString()} /> : m.name.slice(0, 14)}</td>
                  <td>{m.to}</td>
                  <td>
                    <Link to={`/admin/outbox/${m.name}`} reloadDocument>
                      {m.subject || "(no subject)"}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
