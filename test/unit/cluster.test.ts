// The cluster's pure parts (decision 0013): how long the primary waits before
// replacing a worker that died, and which worker a live session belongs to.
import { describe, expect, it } from "vitest";
import { restartDelayMs } from "../../server/cluster-primary";
import { sessionWorker } from "../../server/live-affinity";

describe("replacing a worker that died", () => {
  it("starts another at once after a good run, and waits longer each time one keeps dying soon after starting", () => {
    expect(restartDelayMs(5 * 60_000, 0)).toBe(0);
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => restartDelayMs(2_000, n))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });
});

describe("the worker of a live session", () => {
  it("reads it from the session id a cluster worker made, and from nothing else", () => {
    const sid = "12.AbCdEfGhIjKlMnOpQr_-";
    expect(sessionWorker(`/socket.io/?EIO=4&transport=polling&t=x1&sid=${sid}`)).toBe(12);
    expect(sessionWorker(`/socket.io/?EIO=4&transport=websocket&sid=${encodeURIComponent(sid)}`)).toBe(12);
    expect(sessionWorker("/socket.io/?EIO=4&transport=polling")).toBeNull();
    expect(sessionWorker("/socket.io/?EIO=4&transport=polling&sid=AbCdEfGhIjKlMnOpQr_-")).toBeNull();
    expect(sessionWorker("/socket.io/?sid=12.short")).toBeNull();
    expect(sessionWorker(undefined)).toBeNull();
  });
});
