// Sticky socket.io sessions inside a cluster (decision 0013). A live
// connection's session lives in the worker that opened it. A WebSocket is one
// TCP connection and stays there; but HTTP long-polling sends every poll as a
// new request, and the cluster hands each TCP connection to any worker. So
// each session id names its worker ("<worker id>.<random>"), and a worker
// that receives a poll, or the upgrade of a polling session to a WebSocket,
// for another worker's session forwards it to that worker over a Unix socket
// in the cluster's private folder. Nothing else is routed: pages, the API and
// new connections go to whichever worker the cluster picked, and the primary
// never reads a request.
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import type { Duplex } from "node:stream";
import { logger } from "~/lib/logger.server";

/** The part of an Engine.IO server this needs (socket.io's `io.engine`). */
export type EngineLike = {
  generateId: (req: http.IncomingMessage) => string | PromiseLike<string>;
  handleRequest(req: http.IncomingMessage, res: http.ServerResponse): void;
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
};

const SESSION_ID = /^(\d+)\.[A-Za-z0-9_-]{20}$/;
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);

export const socketPathOf = (dir: string, workerId: number) => path.join(dir, `w${workerId}.sock`);

/** The worker a request's session belongs to, or null (a new connection, or an id not made here). */
export function sessionWorker(url: string | undefined): number | null {
  const query = url?.split("?")[1];
  const sid = query ? new URLSearchParams(query).get("sid") : null;
  const match = sid ? SESSION_ID.exec(sid) : null;
  return match ? Number(match[1]) : null;
}

const endToEnd = (headers: http.IncomingHttpHeaders | http.OutgoingHttpHeaders) =>
  Object.fromEntries(Object.entries(headers).filter(([name, value]) => value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())));

/** Engine.IO's own answer to a session it does not know: the client then starts a new one. */
function unknownSession(res: http.ServerResponse) {
  if (res.headersSent) return void res.destroy();
  res.writeHead(400, { "Content-Type": "application/json" }).end(JSON.stringify({ code: 1, message: "Session ID unknown" }));
}

export async function shareLiveSessions(engine: EngineLike, options: { workerId: number; socketDir: string; path: string }): Promise<{ close(): void }> {
  const { workerId, socketDir } = options;
  const isEnginePath = (req: http.IncomingMessage) => req.url?.startsWith(options.path) ?? false;
  const handleRequest = engine.handleRequest.bind(engine);
  const handleUpgrade = engine.handleUpgrade.bind(engine);
  // Idle forwarding connections are closed by this side first (the other keeps them a minute), so none is reused as it closes.
  const agent = new http.Agent({ keepAlive: true, timeout: 30_000 });

  engine.generateId = () => `${workerId}.${crypto.randomBytes(15).toString("base64url")}`;

  engine.handleRequest = (req, res) => {
    const owner = sessionWorker(req.url);
    if (owner === null || owner === workerId) return handleRequest(req, res);
    const upstream = http.request(
      { socketPath: socketPathOf(socketDir, owner), agent, method: req.method, path: req.url, headers: endToEnd(req.headers) },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        answer.pipe(res);
      },
    );
    // The owner is gone (it died, or was replaced): its sessions went with it.
    upstream.on("error", () => unknownSession(res));
    // A long poll whose client left: let the owner know.
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };

  engine.handleUpgrade = (req, socket, head) => {
    const owner = sessionWorker(req.url);
    if (owner === null || owner === workerId) return handleUpgrade(req, socket, head);
    // The request is replayed to the owner as it came, then bytes flow both ways for the WebSocket's life.
    const upstream = net.connect(socketPathOf(socketDir, owner));
    const end = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on("error", end);
    socket.on("error", end);
    upstream.on("close", end);
    socket.on("close", end);
    upstream.on("connect", () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
  };

  // What other workers forward here: only Engine.IO requests, handled as if they had come straight in.
  const inbound = http.createServer((req, res) => (isEnginePath(req) ? handleRequest(req, res) : res.writeHead(404).end()));
  inbound.on("upgrade", (req, socket: Duplex, head: Buffer) => (isEnginePath(req) ? handleUpgrade(req, socket, head) : socket.destroy()));
  inbound.keepAliveTimeout = 60_000;
  const socketPath = socketPathOf(socketDir, workerId);
  fs.rmSync(socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    inbound.once("error", reject);
    // exclusive: this worker's own socket, not one the cluster shares.
    inbound.listen({ path: socketPath, exclusive: true }, resolve);
  });
  inbound.on("error", (err) => logger.error({ err }, "live session forwarding"));
  return {
    close() {
      agent.destroy();
      inbound.close();
      inbound.closeAllConnections();
    },
  };
}
