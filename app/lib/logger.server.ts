// Structured logs. Never log passwords, tokens, cookies or session ids: the
// request logger records the path without its query string for that reason.
import cluster from "node:cluster";
import pino from "pino";

/**
 * Standard output, written synchronously (pino's fast sonic-boom). When
 * whoever read it is gone (a closed pipe: the shell or log collector
 * stopped), the server keeps serving and stops writing; without this,
 * sonic-boom's flush retries the write forever at exit and SIGTERM never
 * ends the process.
 */
function stdout(): pino.DestinationStream & { flushSync(): void } {
  const stream = pino.destination({ dest: 1, sync: true });
  let gone = false;
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE" || err.code === "EBADF") gone = true;
    else process.stderr.write(`log output failed: ${err.message}\n`);
  });
  return {
    write: (line: string) => (gone ? undefined : stream.write(line)),
    flushSync: () => {
      if (!gone) stream.flushSync();
    },
  };
}

const store = globalThis as unknown as { __paranetLogger?: pino.Logger };

export const logger: pino.Logger = (store.__paranetLogger ??= pino(
  {
    level: process.env.LOG_LEVEL || "info",
    // A cluster's web workers (WEB_CONCURRENCY) say which one wrote each line.
    base: cluster.isWorker ? { app: "paranet", worker: cluster.worker?.id, pid: process.pid } : { app: "paranet" },
    redact: {
      paths: ["password", "*.password", "token", "*.token", "headers.cookie", "*.headers.cookie", "sessionId"],
      censor: "[redacted]",
    },
  },
  stdout(),
));
