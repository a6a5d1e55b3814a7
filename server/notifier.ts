// Turns domain events into stored notifications, off the request's path: a
// slow or failing notifier never slows or fails posting. A shared outbox
// subscriber (server/event-dispatcher.ts): each event reaches it at least
// once, and the outbox id it carries makes a second delivery add nothing.
// Also sends "HIT expected by" reminders periodically.
import { logger } from "~/lib/logger.server";
import type { Subscriber } from "~/models/event-outbox.server";
import { notifyFor, sendHitReminders } from "~/models/notification.server";

export const notifier: Subscriber = {
  name: "notifier",
  deliver: async ({ id, event }) => void (await notifyFor(event, id)),
};

export function startHitReminders(): () => void {
  const remind = () =>
    sendHitReminders()
      .then((n) => n && logger.info({ reminded: n }, "HIT reminders sent"))
      .catch((err) => logger.error({ err }, "HIT reminders failed"));
  const timer = setInterval(remind, 10 * 60_000);
  timer.unref();
  setTimeout(remind, 5_000).unref();
  return () => clearInterval(timer);
}
