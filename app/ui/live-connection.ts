// The client side of the live protocol, without React: one socket.io
// connection shared by everything on the page that watches. Watchers say
// what they watch (a thread, the new-threads feed) and from which event id
// their data is current; the connection subscribes to the union, replays
// what was missed after every (re)connect (also after a server restart:
// ids come from the database), and hands each event to each watcher once.
// Used by the browser (use-live.ts) and, with a real socket, by the tests.
import type { Socket } from "socket.io-client";
import type { LiveEvent } from "~/lib/live";

export type Watch = {
  threadId?: number;
  newThreads?: boolean;
  /** Events up to this id are already in the watcher's data. */
  floor: number;
  onEvent(event: LiveEvent): void;
  /** The watcher is too far behind to catch up by events: reload its data. */
  onResync(): void;
};

export type UnreadChange = { unread?: number; added?: number };

type SubscribeAck = { ok: true; events: LiveEvent[]; resync: boolean; unread: number } | { ok: false; error: { code: string; message: string } };

/** The server refuses more per connection. */
export const MAX_WATCHED_THREADS = 20;

/** What the connection knows about one watcher. */
type WatchState = {
  /** The newest id this watcher has everything up to: where a replay for it starts. */
  lastId: number;
  /** Whether the server's current subscription includes this watcher. Only then do arriving ids advance `lastId`. */
  confirmed: boolean;
  /** Ids already handed to this watcher (an event can arrive live and again in a replay). Bounded. */
  seen: Set<number>;
};

export class LiveConnection {
  private watches = new Map<Watch, WatchState>();
  private unreadListeners = new Set<(change: UnreadChange) => void>();
  private notificationIds = new Set<number>();
  // While a subscribe is in flight, live events wait so that replayed and
  // live events are applied together, in id order.
  private pending = false;
  private buffered: LiveEvent[] = [];
  private again = false;
  /** Subscriptions acknowledged so far (tests wait on it). */
  subscriptions = 0;

  constructor(readonly socket: Socket) {
    socket.on("connect", () => void this.resubscribe());
    socket.on("live", (e: LiveEvent) => (this.pending ? this.buffered.push(e) : this.dispatch([e])));
    socket.on("notification", (m: { id?: unknown }) => {
      // Each carries the id of the event it came from: one delivered twice (after a server crash) counts once.
      if (typeof m?.id === "number") {
        if (this.notificationIds.has(m.id)) return;
        this.notificationIds.add(m.id);
        if (this.notificationIds.size > 200) this.notificationIds.delete(this.notificationIds.values().next().value!);
      }
      this.unreadListeners.forEach((l) => l({ added: 1 }));
    });
    socket.on("unread", (m: { unread?: unknown }) => {
      if (typeof m?.unread === "number") this.unreadListeners.forEach((l) => l({ unread: m.unread as number }));
    });
    socket.on("disconnect", (reason) => {
      // Until the next subscribe is acknowledged, nothing proves what was missed.
      for (const state of this.watches.values()) state.confirmed = false;
      // The server ends connections when their session ends or the member's
      // role changes; come back as whoever the cookie now says.
      if (reason === "io server disconnect") setTimeout(() => socket.connect(), 300 + Math.random() * 1200);
    });
  }

  /** Start watching; returns the function that stops. */
  watch(watch: Watch): () => void {
    this.watches.set(watch, { lastId: watch.floor, confirmed: false, seen: new Set() });
    void this.resubscribe();
    return () => {
      this.watches.delete(watch);
      void this.resubscribe();
    };
  }

  onUnread(listener: (change: UnreadChange) => void): () => void {
    this.unreadListeners.add(listener);
    return () => this.unreadListeners.delete(listener);
  }

  /** Reconnect, so the server reads the session cookie again (after logging in or out). */
  reauthenticate() {
    this.socket.disconnect();
    this.socket.connect();
  }

  /** No subscribe is in flight or queued: the server knows what this page watches. */
  get idle(): boolean {
    return !this.pending && !this.again;
  }

  private concerns(watch: Watch, e: LiveEvent): boolean {
    if (e.type === "thread.created") return !!watch.newThreads;
    return watch.threadId !== undefined && e.threadId === watch.threadId;
  }

  private dispatch(events: LiveEvent[]) {
    for (const e of [...events].sort((a, b) => a.id - b.id)) {
      for (const [watch, state] of this.watches) {
        if (e.id > watch.floor && this.concerns(watch, e) && !state.seen.has(e.id)) {
          state.seen.add(e.id);
          if (state.seen.size > 1000) state.seen.delete(state.seen.values().next().value!);
          watch.onEvent(e);
        }
        // Events arrive in id order on a subscribed connection, so this one
        // proves the watcher has everything before it.
        if (state.confirmed) state.lastId = Math.max(state.lastId, e.id);
      }
    }
  }

  /** Tell the server what this page watches, and apply what it missed. */
  private async resubscribe() {
    if (!this.socket.connected) return;
    if (this.pending) {
      this.again = true;
      return;
    }
    this.pending = true;
    const included = [...this.watches];
    const request = {
      threads: [...new Set(included.flatMap(([w]) => (w.threadId ? [w.threadId] : [])))].slice(0, MAX_WATCHED_THREADS),
      newThreads: included.some(([w]) => w.newThreads),
      // With nothing watched there is nothing to replay (the unread count still syncs).
      ...(included.length ? { since: Math.min(...included.map(([, s]) => s.lastId)) } : {}),
    };
    try {
      const ack = (await this.socket.timeout(10_000).emitWithAck("subscribe", request)) as SubscribeAck;
      if (ack.ok) {
        this.subscriptions++;
        this.unreadListeners.forEach((l) => l({ unread: ack.unread }));
        // Watchers that were part of this request (and still are) now have
        // everything up to the replay; later arrivals advance them.
        for (const [watch] of included) {
          const state = this.watches.get(watch);
          if (state) state.confirmed = true;
        }
        if (ack.resync) included.forEach(([w]) => this.watches.has(w) && w.onResync());
        else this.dispatch(ack.events);
      }
    } catch {
      // No answer in time: the next (re)connect subscribes again.
    } finally {
      this.pending = false;
      const live = this.buffered;
      this.buffered = [];
      this.dispatch(live);
      if (this.again) {
        this.again = false;
        void this.resubscribe();
      }
    }
  }
}
