// The socket.io server, on the same HTTP server as the pages. Connections
// from another site's pages are refused in allowRequest: socket.io's `cors`
// option does not stop a WebSocket from a foreign origin.
import type http from "node:http";
import { Server } from "socket.io";
import type { Env } from "~/lib/env.server";
import { isOwnOrigin } from "./origin";

export function attachRealtime(server: http.Server, env: Env): Server {
  return new Server(server, {
    path: "/socket.io",
    serveClient: false,
    maxHttpBufferSize: 16 * 1024,
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      callback(null, origin === undefined || isOwnOrigin(origin, req, env));
    },
  });
}
