// Turns domain events into stored notifications, after the write committed,
// off the request's path: a slow or failing notifier never slows or fails
// posting. Also sends "HIT expected by" reminders periodically.
import { subscribe } from "~/lib/events.server";
import { logger } from "~/lib/logger.server";
import { notifyFor, sendHitReminders } from "~/models/notification.server";

export function startNotifier(): () => void {
  const unsubscribe = subscribe((event) => {
    setImmediate(() => {
      notifyFor(event).catch((err) => logger.error({ err, event: event.type }, "notifying failed"));
    });
  });
  const remind = () =>
    sendHitReminders()
      .then((n) => n && logger.info({ reminded: n }, "HIT reminders sent"))
      .catch((err) => logger.error({ err }, "HIT reminders failed"));
  const timer = setInterval(remind, 10 * 60_000);
  timer.unref();
  setTimeout(remind, 5_000).unref();
  return () => {
    unsubscribe();
    clearInterval(timer);
  };
}
