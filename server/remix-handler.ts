// Remix's request handler for Express, as @remix-run/express's own, except
// that it writes the response's body at the pace the client reads it.
//
// @remix-run/express writes each chunk of a body as soon as it is made and
// never waits for the socket (writeReadableStreamToWritable ignores write()'s
// answer), so a client reading slowly makes the server hold the rest in
// memory: a portfolio's zip of 200 MB of evidence, whole, for each slow
// download (issue 19, bench/portfolio.mjs). Here a refused write waits for
// 'drain' before the next chunk is read, and a client that went away stops
// the body (the zip's file reads with it).
import { createReadableStreamFromReadable, createRequestHandler as createRemixHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { Request, RequestHandler, Response } from "express";

type Options = {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: string;
  getLoadContext: (req: Request, res: Response) => AppLoadContext;
};

export function remixHandler({ build, mode, getLoadContext }: Options): RequestHandler {
  const handle = createRemixHandler(build, mode);
  return async (req, res, next) => {
    try {
      const response = await handle(remixRequest(req, res), getLoadContext(req, res));
      await send(res, response);
    } catch (error) {
      next(error);
    }
  };
}

/** The Fetch API request Remix reads, from Express's (as @remix-run/express makes it). */
function remixRequest(req: Request, res: Response): globalThis.Request {
  // req.hostname has no port (and respects "trust proxy"): the port from X-Forwarded-Host or Host.
  const portOf = (header: string | undefined) => Number.parseInt(header?.split(":")[1] ?? "", 10);
  const port = [portOf(req.get("X-Forwarded-Host")), portOf(req.get("host"))].find(Number.isSafeInteger);
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else if (values) headers.set(key, values);
  }
  // Loaders and actions are aborted when the client goes before the response is sent ('close' without 'finish').
  let controller: AbortController | null = new AbortController();
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  return new globalThis.Request(url.href, init);
}

async function send(res: Response, response: globalThis.Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const drained = waitForDrain(res);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await drained();
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
    }
    res.end();
  } catch (error) {
    res.destroy(error as Error);
    throw error;
  }
}

/**
 * A wait for the response's next 'drain' (or its end). One listener for the whole body: server/compression.ts
 * sends 'drain' listeners to its compressor, and a listener added per refused write would pile up there.
 */
function waitForDrain(res: Response): () => Promise<void> {
  let waiting: (() => void) | null = null;
  let listening = false;
  const wake = () => {
    const resolve = waiting;
    waiting = null;
    resolve?.();
  };
  return () => {
    if (!listening) {
      listening = true;
      res.on("drain", wake);
      res.on("close", wake);
    }
    return res.destroyed ? Promise.resolve() : new Promise<void>((resolve) => (waiting = resolve));
  };
}
