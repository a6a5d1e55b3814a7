// Talking to a cluster (WEB_CONCURRENCY): the cluster hands each new TCP
// connection to the next web worker, and every response says which worker
// answered (X-Worker). A request on a connection of its own lands wherever
// the cluster sends it; a kept-alive connection stays with one worker.
import http from "node:http";
import type { RunningServer } from "./server";

export type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string; worker: number | null };
type Init = { method?: string; headers?: Record<string, string>; body?: string };

function send(url: URL, init: Init, agent: http.Agent | false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? "GET", headers: init.headers, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => {
        const worker = res.headers["x-worker"];
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, worker: worker ? Number(worker) : null });
      });
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

/** One request on a new connection of its own (closed after). */
export const onNewConnection = (baseUrl: string, path: string, init: Init = {}): Promise<Answer> => send(new URL(path, baseUrl), init, false);

export type PinnedConnection = {
  worker: number;
  request(path: string, init?: Init): Promise<Answer>;
  /** Posts a form as a same-origin page would, with the given session cookie. */
  post(path: string, form: Record<string, string>, cookie?: string): Promise<Answer>;
  close(): void;
};

/** A kept-alive connection to a worker that `accept` takes (tried on new connections until one is). */
export async function connectionTo(baseUrl: string, accept: (worker: number) => boolean): Promise<PinnedConnection> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const { worker } = await send(new URL("/healthz", baseUrl), {}, agent);
    if (worker !== null && accept(worker)) {
      const request = (path: string, init: Init = {}) => send(new URL(path, baseUrl), init, agent);
      return {
        worker,
        request,
        post: (path, form, cookie) =>
          request(path, {
            method: "POST",
            body: new URLSearchParams(form).toString(),
            headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl, ...(cookie ? { Cookie: cookie } : {}) },
          }),
        close: () => agent.destroy(),
      };
    }
    agent.destroy();
  }
  throw new Error(`no connection reached an acceptable worker of ${baseUrl}`);
}

/** The server's log lines (JSON) with this message. */
export function logLines(server: RunningServer, msg: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of server.output().split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.msg === msg) lines.push(entry);
    } catch {
      /* a line still being written */
    }
  }
  return lines;
}

/** The "listening" line a cluster's primary prints once. */
export function listeningLine(server: RunningServer): { port: number; pid: number; workers: number; workerPids: number[]; inboundSmtpPort?: number } {
  const lines = logLines(server, "listening");
  if (lines.length !== 1) throw new Error(`expected one "listening" line, found ${lines.length}`);
  return lines[0] as never;
}

/** The worker a live client's session lives in (session ids name it: "<worker>.<random>"). */
export const workerOfSession = (sid: string | undefined): number => Number(/^(\d+)\./.exec(sid ?? "")?.[1] ?? NaN);
