// The socket.io server, on the same HTTP server as the pages, and the bridge
// from domain events to socket rooms. Models decide what an event carries and
// who may receive it (app/models/live-event.server.ts); this file only
// stores, sends and replays. Nothing else imports socket.io.
//
// Rooms: "thread:<id>" (public events of a thread, joined on request),
// "user:<id>" and "staff" (private replies and notifications, joined at
// handshake from the session), "threads" (new threads, for the home page),
// "session:<key>" (so logging out ends that session's live connections).
import type http from "node:http";
import { createAdapter as clusterAdapter } from "@socket.io/cluster-adapter";
import { createAdapter } from "@socket.io/redis-adapter";
import proxyAddr from "proxy-addr";
import { createClient } from "redis";
import { Server, type Socket } from "socket.io";
import { memberFromCookieHeader } from "~/web/auth.server";
import type { Env } from "~/lib/env.server";
import type { OutboxEntry } from "~/lib/events.server";
import { logger } from "~/lib/logger.server";
import type { Subscriber } from "~/models/event-outbox.server";
import { eventsSince, liveMessagesFor, personalRooms, recordLiveEvent, rooms } from "~/models/live-event.server";
import { countUnread } from "~/models/notification.server";
import type { SessionUser } from "~/models/session.server";
import type { WorkerRole } from "./cluster-worker";
import { shareLiveSessions } from "./live-affinity";
import { isOwnOrigin } from "./origin";

/** A page watches one thread; a few tabs' worth is plenty per connection. */
export const MAX_THREAD_ROOMS = 20;
/** Subscribe requests per connection per 10 seconds. */
const SUBSCRIBE_BUDGET = 20;

type SocketData = {
  user: SessionUser | null;
  address: string;
  threadRooms: Set<string>;
  budget: { left: number; resetAt: number };
};
type LiveSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;

export type Realtime = {
  io: Server;
  /** The shared outbox subscriber that turns domain events into socket messages. */
  subscriber: Subscriber;
  /** Tell the other processes (through Redis, or the cluster's primary) that this one committed events: they look at the outbox at once. */
  nudgeOthers(): void;
  /** Called when another process says it committed events. */
  onRemoteNudge(listener: () => void): void;
  close(done: () => void): void;
};

/** The subscribe request, checked field by field: anything malformed is refused, never trusted. */
function parseInterest(raw: unknown): { threadIds: number[]; newThreads: boolean; since: number | null } | string {
  if (typeof raw !== "object" || raw === null) return "Send an object: { threads, newThreads, since }.";
  const { threads = [], newThreads = false, since = null } = raw as Record<string, unknown>;
  if (!Array.isArray(threads) || !threads.every((t) => Number.isSafeInteger(t) && (t as number) > 0)) return "threads must be a list of thread ids.";
  if (threads.length > MAX_THREAD_ROOMS) return `Watch at most ${MAX_THREAD_ROOMS} threads per connection.`;
  if (typeof newThreads !== "boolean") return "newThreads must be true or false.";
  if (since !== null && (!Number.isSafeInteger(since) || (since as number) < 0)) return "since must be an event id.";
  return { threadIds: [...new Set(threads as number[])], newThreads, since: since as number | null };
}

function spendBudget(data: SocketData): boolean {
  const now = Date.now();
  if (now >= data.budget.resetAt) data.budget = { left: SUBSCRIBE_BUDGET, resetAt: now + 10_000 };
  return data.budget.left-- > 0;
}

/** The client's address, believing X-Forwarded-For exactly as far as Express does (TRUST_PROXY). */
export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * `worker`: this process is one of a cluster's web workers (WEB_CONCURRENCY,
 * decision 0013). Rooms are then shared with the other workers (through
 * Redis when REDIS_URL is set, else through the primary), and long-polling
 * requests reach the worker that holds their session.
 */
export async function attachRealtime(server: http.Server, env: Env, trustProxy: TrustProxy, worker: WorkerRole | null = null): Promise<Realtime> {
  const connectionsPerAddress = new Map<string, number>();
  const io = new Server(server, {
    path: "/socket.io",
    serveClient: false,
    maxHttpBufferSize: 16 * 1024,
    // Connections from another site's pages are refused here: socket.io's
    // `cors` option does not stop a WebSocket from a foreign origin.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      callback(null, origin === undefined || isOwnOrigin(origin, req, env));
    },
  });

  const redisClients: ReturnType<typeof createClient>[] = [];
  if (env.redisUrl) {
    const pub = createClient({ url: env.redisUrl });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) client.on("error", (err) => logger.error({ err }, "redis connection error"));
    await Promise.all([pub.connect(), sub.connect()]);
    redisClients.push(pub, sub);
    io.adapter(createAdapter(pub, sub, { key: `${env.redisPrefix}:socket.io` }));
    logger.info("socket rooms shared through Redis");
  } else if (worker) {
    io.adapter(clusterAdapter());
  }
  const affinity = worker ? await shareLiveSessions(io.engine, { workerId: worker.id, socketDir: worker.socketDir, path: "/socket.io/" }) : null;

  // The handshake reads the session cookie; guests connect too, to watch public threads.
  io.use((socket, next) => {
    const address = proxyAddr(socket.request, trustProxy);
    const open = connectionsPerAddress.get(address) ?? 0;
    // Generous by default (200): a school district or library system may put many staff behind one address.
    if (open >= env.liveConnectionsPerAddress) return next(new Error("Too many live connections from your network; close some tabs and try again."));
    memberFromCookieHeader(socket.request.headers.cookie)
      .then((member) => {
        const data = socket.data as SocketData;
        data.user = member?.user ?? null;
        data.address = address;
        data.threadRooms = new Set();
        data.budget = { left: SUBSCRIBE_BUDGET, resetAt: Date.now() + 10_000 };
        if (member) void socket.join([...personalRooms(member.user), `session:${member.sessionKey}`]);
        next();
      })
      .catch((err) => {
        logger.error({ err }, "socket handshake failed");
        next(new Error("Could not check your session. Try again shortly."));
      });
  });

  io.on("connection", (socket: LiveSocket) => {
    const address = socket.data.address;
    connectionsPerAddress.set(address, (connectionsPerAddress.get(address) ?? 0) + 1);
    socket.on("disconnect", () => {
      const left = (connectionsPerAddress.get(address) ?? 1) - 1;
      if (left > 0) connectionsPerAddress.set(address, left);
      else connectionsPerAddress.delete(address);
    });

    // "subscribe" sets what this connection watches and replays what it
    // missed since `since` (the last event id it saw, or its page's; none
    // when omitted). The ack also carries the exact unread count.
    socket.on("subscribe" as never, async (raw: unknown, ack: unknown) => {
      if (typeof ack !== "function") return;
      if (!spendBudget(socket.data)) return ack({ ok: false, error: { code: "rate_limited", message: "Too many subscribe requests; wait a few seconds." } });
      const interest = parseInterest(raw);
      if (typeof interest === "string") return ack({ ok: false, error: { code: "invalid", message: interest } });
      try {
        // The session is checked again: it may have ended, or the role changed,
        // since the handshake (events that end connections cover the rest).
        if (socket.data.user) {
          const member = await memberFromCookieHeader(socket.request.headers.cookie);
          if (!member || member.user.role !== socket.data.user.role) {
            ack({ ok: false, error: { code: "reauthenticate", message: "Your session changed; reconnecting." } });
            socket.disconnect(true);
            return;
          }
        }
        const wanted = new Set(interest.threadIds.map(rooms.thread));
        if (interest.newThreads) wanted.add(rooms.newThreads);
        for (const room of socket.data.threadRooms) if (!wanted.has(room)) void socket.leave(room);
        // Join before reading the replay, so nothing falls between the two;
        // the client drops an event it receives twice by its id.
        void socket.join([...wanted]);
        socket.data.threadRooms = wanted;
        const user = socket.data.user;
        const [replay, unread] = await Promise.all([
          interest.since === null ? { events: [], resync: false } : eventsSince(user, interest.since, interest),
          user ? countUnread(user) : Promise.resolve(0),
        ]);
        ack({ ok: true, ...replay, unread });
      } catch (err) {
        logger.error({ err }, "socket subscribe failed");
        ack({ ok: false, error: { code: "unavailable", message: "Could not load live updates; they will resume shortly." } });
      }
    });
  });

  // Domain events become socket messages one at a time, in commit order, off
  // the request's path: a slow client or a slow query never slows posting.
  // One process at a time delivers them (the outbox lease); with Redis its
  // emits reach every process's sockets. A redelivered event sends the stored
  // live event again with the same id, and a notification badge message
  // carries its event id: clients drop what they have seen.
  const subscriber: Subscriber = {
    name: "realtime",
    async deliver({ id, event }: OutboxEntry) {
      switch (event.type) {
        case "notification.created":
          // The badge counts up; the exact count is re-read on every (re)connect.
          io.to(event.userIds.map(rooms.user)).emit("notification" as never, { type: "notification.created", id } as never);
          return;
        case "notifications.read":
          // Every tab of the member shows the same count.
          io.to(rooms.user(event.userId)).emit("unread" as never, { unread: await countUnread({ id: event.userId, role: "member" }) } as never);
          return;
        case "session.ended":
          io.in(`session:${event.sessionKey}`).disconnectSockets(true);
          return;
        case "member.access_changed":
          // They reconnect and join the rooms their role now allows.
          io.in(rooms.user(event.userId)).disconnectSockets(true);
          return;
      }
      for (const [part, message] of (await liveMessagesFor(event)).entries()) {
        const sent = await recordLiveEvent(message, { eventId: id, part });
        if (sent) io.to(sent.rooms).emit("live" as never, sent.event as never);
      }
    },
  };
  const remoteListeners: (() => void)[] = [];
  io.on("outbox" as never, () => {
    for (const listener of remoteListeners) listener();
  });

  return {
    io,
    subscriber,
    nudgeOthers: () => {
      if (env.redisUrl || worker) io.serverSideEmit("outbox" as never);
    },
    onRemoteNudge: (listener) => void remoteListeners.push(listener),
    close(done) {
      affinity?.close();
      void io.close(() => {
        void Promise.all(redisClients.map((c) => c.quit().catch(() => undefined))).finally(done);
      });
    },
  };
}
