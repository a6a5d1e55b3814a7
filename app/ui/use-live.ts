// React hooks over the page's one live connection (live-connection.ts). The
// socket.io client is loaded on first use, after the page is interactive;
// without JavaScript none of this runs and pages work by reload.
import { useEffect, useRef } from "react";
import type { LiveEvent } from "~/lib/live";
import type { LiveConnection, UnreadChange } from "~/ui/live-connection";

let connecting: Promise<LiveConnection> | null = null;
let memberId: number | null | undefined;

function connection(): Promise<LiveConnection> {
  connecting ??= Promise.all([import("socket.io-client"), import("~/ui/live-connection")]).then(
    // WebSocket first: several processes behind a load balancer need sticky
    // sessions only for the polling fallback (README, "Running several processes").
    ([{ io }, { LiveConnection }]) => new LiveConnection(io({ path: "/socket.io", transports: ["websocket", "polling"] })),
  );
  return connecting;
}

function useWatch(watch: { threadId?: number; newThreads?: boolean; floor: number }, onEvent: (e: LiveEvent) => void, onResync: () => void) {
  const handlers = useRef({ onEvent, onResync });
  handlers.current = { onEvent, onResync };
  const { threadId, newThreads, floor } = watch;
  useEffect(() => {
    let stop: (() => void) | null = null;
    let cancelled = false;
    void connection().then((live) => {
      if (cancelled) return;
      stop = live.watch({
        threadId,
        newThreads,
        floor,
        onEvent: (e) => handlers.current.onEvent(e),
        onResync: () => handlers.current.onResync(),
      });
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [threadId, newThreads, floor]);
}

/** Live events of one thread (public ones, plus private ones this member may read) newer than the page's data. */
export function useLiveThread(threadId: number, floor: number, onEvent: (e: LiveEvent) => void, onResync: () => void) {
  useWatch({ threadId, floor }, onEvent, onResync);
}

/** New threads newer than the page's data. */
export function useLiveNewThreads(floor: number, onEvent: (e: LiveEvent) => void, onResync: () => void) {
  useWatch({ newThreads: true, floor }, onEvent, onResync);
}

/**
 * The member's unread-notification count as it changes: `added` when one
 * arrives, the exact `unread` after every (re)connect. Also keeps the
 * connection's session in step with who is logged in.
 */
export function useLiveUnread(userId: number | null, onChange: (change: UnreadChange) => void) {
  const handler = useRef(onChange);
  handler.current = onChange;
  useEffect(() => {
    const changedMember = memberId !== undefined && memberId !== userId;
    memberId = userId;
    if (changedMember && connecting) void connecting.then((live) => live.reauthenticate());
    if (userId === null) return;
    let stop: (() => void) | null = null;
    let cancelled = false;
    void connection().then((live) => {
      if (!cancelled) stop = live.onUnread((change) => handler.current(change));
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [userId]);
}
