// WEB_CONCURRENCY above 1: this process is the primary of a Node cluster
// (decision 0013). It loads none of the app (no database, no Remix, no
// models: ESLint holds it to that) and serves nothing itself. It
//
// - forks the web workers (the same server entry, each a whole ParaNet
//   process), which share the port: the primary accepts connections and
//   hands them to the workers in turn, keep-alive and all;
// - relays socket.io broadcasts between them (@socket.io/cluster-adapter),
//   unless REDIS_URL shares socket rooms through Redis instead;
// - gives the duties that are once per installation to the worker in slot 0,
//   the lead (server/cluster-worker.ts): the setup link, housekeeping, HIT
//   reminders, digests;
// - prints the "listening" line and the setup link once, when every worker
//   is ready;
// - replaces a worker that dies (at once after a good run, with a growing
//   delay when it keeps dying), logging how it ended;
// - on SIGTERM or SIGINT stops every worker the way one process stops
//   (in-flight requests finish, up to 10 s) and exits.
import cluster, { type Worker } from "node:cluster";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setupPrimary as relaySocketBroadcasts } from "@socket.io/cluster-adapter";
import type { Env } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { CLUSTER_ENV, isReadyMessage, type ReadyMessage } from "./cluster-worker";

/** A worker that lived this long before dying is restarted at once; one that dies sooner waits longer each time. */
const STABLE_MS = 60_000;
const MAX_BACKOFF_MS = 30_000;
/** Workers get 10 s for in-flight requests (server/main.ts); after this they are killed. */
const STOP_DEADLINE_MS = 15_000;

type Slot = {
  index: number;
  worker: Worker | null;
  startedAt: number;
  /** Deaths in a row, each sooner than STABLE_MS after its start. */
  quickDeaths: number;
  restartTimer: NodeJS.Timeout | null;
};

/** How long to wait before starting a slot's worker again. */
export function restartDelayMs(livedMs: number, quickDeaths: number): number {
  if (livedMs >= STABLE_MS) return 0;
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, quickDeaths - 1)); // 1 s, 2 s, 4 s … 30 s
}

export function runCluster(env: Env, entry: string): void {
  const count = env.webConcurrency;
  // Each worker listens on a Unix socket here for the socket.io requests other workers forward to it (server/live-affinity.ts).
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), "paranet-"));
  // Round robin on every platform (Windows defaults to letting the workers race for connections).
  cluster.schedulingPolicy = cluster.SCHED_RR;
  cluster.setupPrimary({ exec: entry, serialization: "advanced" });
  if (!env.redisUrl) relaySocketBroadcasts();

  const slots: Slot[] = Array.from({ length: count }, (_, index) => ({ index, worker: null, startedAt: 0, quickDeaths: 0, restartTimer: null }));
  const slotOf = new Map<number, Slot>();
  const readyOnce = new Map<number, ReadyMessage>();
  let listening = false;
  let stopping = false;

  const start = (slot: Slot) => {
    slot.restartTimer = null;
    slot.startedAt = Date.now();
    const worker = cluster.fork({
      [CLUSTER_ENV.slot]: String(slot.index),
      // Only the first lead of this start issues a setup link; a lead that replaces one that died does not print another.
      [CLUSTER_ENV.firstStart]: listening ? "0" : "1",
      [CLUSTER_ENV.socketDir]: socketDir,
    });
    slot.worker = worker;
    slotOf.set(worker.id, slot);
    worker.on("message", (message: unknown) => {
      if (!isReadyMessage(message)) return;
      logger.info({ worker: worker.id, pid: worker.process.pid, slot: slot.index }, "web worker ready");
      if (!listening) {
        readyOnce.set(slot.index, message);
        if (readyOnce.size === count) announce();
      }
    });
  };

  /** The one "listening" line (and setup link) for the whole installation. */
  const announce = () => {
    listening = true;
    const lead = readyOnce.get(0)!;
    logger.info(
      {
        url: lead.url,
        port: lead.port,
        pid: process.pid,
        workers: count,
        workerPids: slots.map((s) => s.worker?.process.pid),
        inboundSmtpPort: lead.inboundSmtpPort,
        mail: lead.mail,
      },
      "listening",
    );
    if (lead.setupToken) {
      // Printed, not logged: the link is a secret meant for the person starting the server.
      process.stdout.write(
        `\n  ParaNet has no admin yet. Create the first admin account here (the link works once):\n\n    ${lead.url}/setup?token=${lead.setupToken}\n\n`,
      );
    }
  };

  cluster.on("exit", (worker, code, signal) => {
    const slot = slotOf.get(worker.id);
    slotOf.delete(worker.id);
    fs.rmSync(path.join(socketDir, `w${worker.id}.sock`), { force: true });
    if (!slot || slot.worker !== worker) return;
    slot.worker = null;
    if (stopping) return finishIfAllStopped();
    const lived = Date.now() - slot.startedAt;
    if (!listening) {
      // As one process would: a server that cannot start (the port is taken, the database is unreachable) stops.
      logger.fatal({ worker: worker.id, pid: worker.process.pid, slot: slot.index, code, signal }, "a web worker failed to start; stopping");
      stop("start-up failed", 1);
      return;
    }
    slot.quickDeaths = lived >= STABLE_MS ? 0 : slot.quickDeaths + 1;
    const delay = restartDelayMs(lived, slot.quickDeaths);
    logger.error(
      { worker: worker.id, pid: worker.process.pid, slot: slot.index, code, signal, livedSeconds: Math.round(lived / 1000), restartInMs: delay },
      signal ? `web worker killed by ${signal}; starting another` : `web worker exited with code ${code}; starting another`,
    );
    slot.restartTimer = setTimeout(() => start(slot), delay);
  });

  let exitCode = 0;
  let deadline: NodeJS.Timeout | null = null;
  const finishIfAllStopped = () => {
    if (slots.some((s) => s.worker)) return;
    if (deadline) clearTimeout(deadline);
    fs.rmSync(socketDir, { recursive: true, force: true });
    logger.info("stopped");
    process.exit(exitCode);
  };
  const stop = (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    logger.info({ reason, workers: slots.filter((s) => s.worker).length }, "shutting down: stopping the web workers");
    for (const slot of slots) {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      // Each worker stops as one process does: no new connections, in-flight requests finish, the database closes.
      slot.worker?.process.kill("SIGTERM");
    }
    deadline = setTimeout(() => {
      for (const slot of slots) {
        if (!slot.worker) continue;
        logger.warn({ worker: slot.worker.id, pid: slot.worker.process.pid }, "web worker did not stop in time; killing it");
        slot.worker.process.kill("SIGKILL");
      }
    }, STOP_DEADLINE_MS);
    deadline.unref();
    finishIfAllStopped();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  logger.info({ pid: process.pid, workers: count }, "starting web workers");
  for (const slot of slots) start(slot);
}
