// Real socket.io clients for tests: a LiveConnection (the same client logic
// the browser runs) on a real socket.io-client socket, with the visitor's
// session cookie and the site's own Origin, as a browser page would send.
import { io, type Socket } from "socket.io-client";
import { LiveConnection } from "~/ui/live-connection";
import type { LiveEvent } from "~/lib/live";
import type { Visitor } from "./client";

export type LiveTestClient = {
  socket: Socket;
  connection: LiveConnection;
  /** Every event handed to this client's watches, in the order received. */
  events: LiveEvent[];
  notifications: number;
  unread: number | null;
  watchThread(threadId: number, floor?: number): () => void;
  watchNewThreads(floor?: number): () => void;
  close(): void;
};

export function connectLive(
  baseUrl: string,
  options: { visitor?: Visitor; origin?: string; reconnection?: boolean; transports?: ("websocket" | "polling")[] } = {},
): Promise<LiveTestClient> {
  const headers: Record<string, string> = { Origin: options.origin ?? baseUrl };
  const cookie = options.visitor?.cookieHeader();
  if (cookie) headers.Cookie = cookie;
  const socket = io(baseUrl, {
    path: "/socket.io",
    // Browsers open a WebSocket; "polling" makes every exchange a new HTTP request (a new connection each, in Node).
    transports: options.transports ?? ["websocket"],
    extraHeaders: headers,
    reconnection: options.reconnection ?? true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    forceNew: true,
  });
  const connection = new LiveConnection(socket);
  const client: LiveTestClient = {
    socket,
    connection,
    events: [],
    notifications: 0,
    unread: null,
    watchThread: (threadId, floor = 0) =>
      connection.watch({ threadId, floor, onEvent: (e) => client.events.push(e), onResync: () => client.events.push({ id: -1 } as LiveEvent) }),
    watchNewThreads: (floor = 0) => connection.watch({ newThreads: true, floor, onEvent: (e) => client.events.push(e), onResync: () => undefined }),
    close: () => socket.close(),
  };
  connection.onUnread((change) => {
    if (change.added) client.notifications += change.added;
    if (change.unread !== undefined) client.unread = change.unread;
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(client));
    socket.once("connect_error", (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Polls until `check` passes (it throws, or rejects, until then), or fails with its last error. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** Runs `change` (which watches or stops watching) and waits until the server has acknowledged it. */
export async function subscribed(client: LiveTestClient, change: () => void): Promise<void> {
  const before = client.connection.subscriptions;
  change();
  await eventually(() => {
    if (!(client.connection.idle && client.connection.subscriptions > before)) throw new Error("subscription not acknowledged");
  });
}
