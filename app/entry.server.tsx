// Server rendering. No part of a page waits for data (no Suspense, no
// deferred loader data), so the shell is the whole page: it is gathered and
// sent in one piece, not streamed in React's 2 KB chunks (each of which took
// a trip through Node and web streams: 15–30 % more member pages a second).
import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { getCurrentUser, takeSessionCookieRenewal } from "~/web/auth.server";
import { logger } from "~/lib/logger.server";
import { hadDatabaseOutage, markDatabaseOutage, renderOnlyBodies } from "~/lib/request-scope.server";
import { RenderOnlyBodies } from "~/components/ThreadBits";
import { noteDatabaseError, OUTAGE_RETRY_SECONDS } from "~/models/health.server";
import { NonceContext } from "~/ui/nonce";

const ABORT_DELAY = 5_000;

/** A body of one chunk: the page as gathered (a Response made from a Buffer would copy it first). */
function oneChunk(body: Buffer): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(body);
      controller.close();
    },
  });
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  if (hadDatabaseOutage()) {
    // The error page, as 503: a moment's outage (a database failover), not a fault.
    responseStatusCode = 503;
    responseHeaders.set("Retry-After", String(OUTAGE_RETRY_SECONDS));
  } else {
    const renewal = await takeSessionCookieRenewal(request);
    if (renewal) responseHeaders.append("Set-Cookie", renewal);
    if (await getCurrentUser(request)) responseHeaders.set("Cache-Control", "private, no-store");
  }
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const nonce = loadContext.cspNonce;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RenderOnlyBodies.Provider value={renderOnlyBodies()}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />
        </RenderOnlyBodies.Provider>
      </NonceContext.Provider>,
      {
        nonce,
        onAllReady() {
          shellRendered = true;
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          const chunks: Buffer[] = [];
          pipe(
            new Writable({
              write(chunk: Buffer, _encoding, done) {
                chunks.push(chunk);
                done();
              },
              final(done) {
                resolve(new Response(oneChunk(Buffer.concat(chunks)), { headers: responseHeaders, status: responseStatusCode }));
                done();
              },
            }),
          );
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logger.error({ err: error }, "render error");
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

// Client-side navigations fetch loader data; renew the cookie there too.
export async function handleDataRequest(response: Response, { request }: { request: Request }) {
  if (hadDatabaseOutage()) {
    const headers = new Headers(response.headers);
    headers.set("Retry-After", String(OUTAGE_RETRY_SECONDS));
    return new Response(response.body, { status: 503, headers });
  }
  const renewal = await takeSessionCookieRenewal(request);
  if (renewal) response.headers.append("Set-Cookie", renewal);
  if (await getCurrentUser(request)) response.headers.set("Cache-Control", "private, no-store");
  return response;
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  if (noteDatabaseError(error)) {
    markDatabaseOutage();
    logger.warn({ err: error, path: new URL(request.url).pathname }, "database unavailable");
    return;
  }
  logger.error({ err: error, path: new URL(request.url).pathname }, "unhandled error");
}
