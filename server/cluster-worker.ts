// A web worker's side of the cluster (server/cluster-primary.ts, decision
// 0013): which worker this process is, and what it tells the primary. A
// single process (WEB_CONCURRENCY unset or 1) has no role and does
// everything itself, as before.
import cluster from "node:cluster";
import type { RequestHandler } from "express";

/** Set by the primary for each worker it forks (not configuration: operators set WEB_CONCURRENCY). */
export const CLUSTER_ENV = {
  slot: "PARANET_WORKER_SLOT",
  firstStart: "PARANET_WORKER_FIRST_START",
  socketDir: "PARANET_CLUSTER_DIR",
} as const;

export type WorkerRole = {
  /** The cluster's id for this worker: unique for the primary's life (a replacement gets a new one). */
  id: number;
  /** 0 … WEB_CONCURRENCY − 1; a replacement takes the slot of the worker that died. */
  slot: number;
  /**
   * Slot 0 does what must happen once per installation, not once per worker:
   * the setup link, hourly housekeeping, HIT reminders and queueing digests.
   * (Event delivery, the mail queue and rate limits are shared through the
   * database already, as between any processes.)
   */
  lead: boolean;
  /** Started with the cluster (not a replacement): only then does the lead issue a setup link. */
  firstStart: boolean;
  /** Where workers listen for the socket.io requests other workers forward to them (server/live-affinity.ts). */
  socketDir: string;
};

/** This process's place in the cluster, or null when it is the only web process. */
export function workerRole(): WorkerRole | null {
  if (!cluster.isWorker || !cluster.worker) return null;
  const slot = Number(process.env[CLUSTER_ENV.slot] ?? "0");
  return {
    id: cluster.worker.id,
    slot,
    lead: slot === 0,
    firstStart: process.env[CLUSTER_ENV.firstStart] === "1",
    socketDir: process.env[CLUSTER_ENV.socketDir] ?? "",
  };
}

export type ReadyMessage = {
  paranet: "ready";
  url: string;
  port: number;
  inboundSmtpPort: number | undefined;
  mail: "smtp" | "outbox";
  /** The lead's setup token, for the primary to print once. */
  setupToken: string | null;
};

export const isReadyMessage = (m: unknown): m is ReadyMessage => typeof m === "object" && m !== null && (m as { paranet?: unknown }).paranet === "ready";

/** Tells the primary that this worker is listening (it prints the one "listening" line). */
export function reportReady(message: Omit<ReadyMessage, "paranet">): void {
  process.send?.({ paranet: "ready", ...message } satisfies ReadyMessage);
}

/** `X-Worker: <id>` on every response: which worker answered, for operators (and tests) looking at a cluster. */
export function workerHeader(role: WorkerRole): RequestHandler {
  const id = String(role.id);
  return (_req, res, next) => {
    res.setHeader("X-Worker", id);
    next();
  };
}
