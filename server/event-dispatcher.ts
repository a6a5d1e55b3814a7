// Delivers the outbox (decision 0010). Two kinds of subscriber:
//
// - Shared ones (notifier, mailer, realtime, post refresher) do work that
//   must happen once for the whole installation. Each has a cursor row with a
//   short lease: exactly one process at a time delivers its events, in id
//   order, at least once, with retries, backoff and dead letters
//   (app/models/event-outbox.server.ts). The lease is renewed while the
//   process lives; when it dies, another takes over once the lease lapses (at
//   once when it died on this host: its pid is gone).
// - Per-process ones (the guest page cache) hear every event from wherever it
//   was written: each process tails the outbox from the newest id it found at
//   start.
//
// A commit in this process nudges delivery at once; other processes' writes
// are seen by a cheap poll, or sooner when they nudge through Redis.
import { randomBytes } from "node:crypto";
import os from "node:os";
import { onNudge, type DomainEvent, type OutboxEntry } from "~/lib/events.server";
import { logger } from "~/lib/logger.server";
import {
  claimCursors,
  DEFAULT_DELIVERY,
  deliverEntries,
  ensureCursors,
  eventsAfter,
  latestEventId,
  otherLeaseOwners,
  releaseLeases,
  saveProgress,
  type CursorState,
  type Subscriber,
} from "~/models/event-outbox.server";

const BATCH = 200;

export type EventDispatcher = {
  /** Per-process listeners: every committed event once this process sees it, and a hint as soon as this process records one (`committed` false). */
  onLocalEvent(listener: (event: DomainEvent, committed: boolean) => void): void;
  /** Called when this process has committed new events: tell the other processes to look. */
  onCommittedHere(listener: () => void): void;
  /** Look at the outbox now (another process said it wrote). */
  poke(): void;
  /** Wait until everything seen so far was handled (tests, shutdown). */
  idle(): Promise<void>;
  /** The name this process holds leases under. */
  owner: string;
  stop(): Promise<void>;
};

export type DispatcherOptions = {
  subscribers: Subscriber[];
  /** False: only tail for per-process listeners, deliver nothing (TEST_ONLY_PAUSE_EVENT_DELIVERY). */
  deliver: boolean;
  pollMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
  backoffMs?: (failures: number) => number;
  /** Tests only: SIGKILL this process once the nth event was handled, before its cursor moves (TEST_ONLY_CRASH_AT_DELIVERY). */
  crashAtDelivery?: number;
};

/** A lease owner on this host whose process is gone (owners are "host:pid:random"). */
function diedOnThisHost(owner: string): boolean {
  const [host, pid] = owner.split(":");
  if (host !== os.hostname() || !/^\d+$/.test(pid ?? "") || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

export async function startEventDispatcher(options: DispatcherOptions): Promise<EventDispatcher> {
  const owner = `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const pollMs = options.pollMs ?? 500;
  const delivery = {
    owner,
    leaseMs: options.leaseMs ?? DEFAULT_DELIVERY.leaseMs,
    maxAttempts: options.maxAttempts ?? DEFAULT_DELIVERY.maxAttempts,
    backoffMs: options.backoffMs ?? DEFAULT_DELIVERY.backoffMs,
  };
  let handled = 0;
  const crashing = (s: Subscriber): Subscriber => ({
    name: s.name,
    deliver: async (entry) => {
      await s.deliver(entry);
      if (++handled === options.crashAtDelivery) process.kill(process.pid, "SIGKILL");
    },
  });
  const subscribers = new Map(options.subscribers.map((s) => [s.name, options.crashAtDelivery ? crashing(s) : s]));
  const names = [...subscribers.keys()];
  const localListeners: ((event: DomainEvent, committed: boolean) => void)[] = [];
  const committedListeners: (() => void)[] = [];
  const held = new Map<string, CursorState>();

  let tail = await latestEventId();
  if (options.deliver) await ensureCursors(names);

  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let wroteHere = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let retryAt = 0;

  const tellLocal = (event: DomainEvent, committed: boolean) => {
    for (const listener of localListeners) {
      try {
        listener(event, committed);
      } catch (err) {
        logger.error({ err, event: event.type }, "local event listener failed");
      }
    }
  };

  /** Claim free or lapsed leases and renew ours; cursors newly won start from their stored state. */
  async function claim() {
    if (!options.deliver || stopped) return;
    const now = new Date();
    if (held.size < names.length) {
      for (const other of await otherLeaseOwners(owner, now)) {
        if (diedOnThisHost(other) && (await releaseLeases(other))) logger.info({ owner: other }, "took over event delivery from a process that died");
      }
    }
    const mine = await claimCursors(names, owner, now, delivery.leaseMs);
    const won = new Set(mine.map((c) => c.subscriber));
    for (const name of [...held.keys()]) if (!won.has(name)) held.delete(name);
    for (const cursor of mine) if (!held.has(cursor.subscriber)) held.set(cursor.subscriber, cursor);
  }

  /** Look again when a retry is due (the earliest of the subscribers waiting; the poll covers the rest). */
  function scheduleRetry(at: Date) {
    if (retryTimer && retryAt <= at.getTime()) return;
    if (retryTimer) clearTimeout(retryTimer);
    retryAt = at.getTime();
    retryTimer = setTimeout(
      () => {
        retryTimer = null;
        void kick();
      },
      Math.max(0, retryAt - Date.now()),
    );
    retryTimer.unref();
  }

  /** Deliver one batch to a subscriber; returns its new position when it moved and waits for nothing. */
  async function deliverTo(name: string, cursor: CursorState, entries: OutboxEntry[]): Promise<{ subscriber: string; lastEventId: number } | null> {
    const result = await deliverEntries(subscribers.get(name)!, cursor, entries, delivery);
    if (!result.cursor) {
      // Another process holds it now.
      held.delete(name);
      return null;
    }
    held.set(name, result.cursor);
    if (result.retryAt) {
      scheduleRetry(result.retryAt);
      return null;
    }
    return result.cursor.lastEventId > cursor.lastEventId ? { subscriber: name, lastEventId: result.cursor.lastEventId } : null;
  }

  /**
   * One look at the outbox: each batch of events is read once for this
   * process's own tail and every subscriber it delivers, and their cursors are
   * stored in one write.
   */
  async function round() {
    const latest = await latestEventId();
    const behind = () => {
      const now = new Date();
      return [...held].filter(([, cursor]) => {
        if (cursor.lastEventId >= latest) return false;
        if (cursor.nextAttemptAt && cursor.nextAttemptAt > now) return (void scheduleRetry(cursor.nextAttemptAt), false);
        return true;
      });
    };
    let from = Math.min(tail, ...behind().map(([, cursor]) => cursor.lastEventId));
    while (from < latest && !stopped) {
      const entries = await eventsAfter(from, BATCH);
      if (!entries.length) break;
      // The per-process tail first: the guest cache clears as soon as possible.
      for (const entry of entries) if (entry.id > tail) tellLocal(entry.event, true);
      tail = Math.max(tail, entries[entries.length - 1]!.id);
      if (wroteHere) {
        wroteHere = false;
        for (const listener of committedListeners) listener();
      }
      const moved = (await Promise.all(behind().map(([name, cursor]) => deliverTo(name, cursor, entries)))).filter((m) => m !== null);
      const saved = await saveProgress(owner, moved, delivery.leaseMs);
      for (const { subscriber } of moved) if (!saved.has(subscriber)) held.delete(subscriber);
      for (const { subscriber, lastEventId } of moved) if (held.has(subscriber)) held.set(subscriber, { ...held.get(subscriber)!, lastEventId });
      if (entries.length < BATCH) break;
      from = entries[entries.length - 1]!.id;
    }
    if (wroteHere) {
      wroteHere = false;
      for (const listener of committedListeners) listener();
    }
  }

  function kick(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = round()
      .catch((err) => logger.error({ err }, "event dispatch failed"))
      .finally(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          void kick();
        }
      });
    return running;
  }

  // Events recorded here are read from the outbox once their transaction
  // commits (a read before it would find nothing on PostgreSQL).
  let recordedHere = false;
  const stopNudges = onNudge((n) => {
    if (n.kind === "event.recorded") {
      tellLocal(n.event, false);
      wroteHere = recordedHere = true;
    } else if (n.kind === "transaction.committed" && recordedHere) {
      recordedHere = false;
      void kick();
    }
  });

  const poll = setInterval(() => void kick(), pollMs);
  poll.unref();
  const leases = setInterval(
    () =>
      void claim().then(
        () => kick(),
        (err) => logger.error({ err }, "claiming event delivery failed"),
      ),
    Math.max(200, Math.floor(delivery.leaseMs / 3)),
  );
  leases.unref();
  await claim();
  logger.info({ owner, delivering: options.deliver ? [...held.keys()] : "paused", from: tail }, "event dispatcher started");
  void kick();

  return {
    owner,
    onLocalEvent: (listener) => void localListeners.push(listener),
    onCommittedHere: (listener) => void committedListeners.push(listener),
    poke: () => void kick(),
    idle: async () => {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      stopNudges();
      clearInterval(poll);
      clearInterval(leases);
      if (retryTimer) clearTimeout(retryTimer);
      while (running) await running;
      // Another process may take over at once.
      if (options.deliver) await releaseLeases(owner).catch((err) => logger.warn({ err }, "releasing event leases failed"));
    },
  };
}
