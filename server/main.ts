// One Node HTTP server carrying Express (static files, security), the Remix
// request handler (pages, actions, API) and socket.io (real-time).
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { closeDatabase, prepareDatabase } from "~/db/client.server";
import { remixHandler } from "./remix-handler";
import { getEnv } from "~/lib/env.server";
import { isRawUploadRequest, isUploadRequest, MAX_BODY_BYTES } from "~/web/http.server";
import { logger } from "~/lib/logger.server";
import { runInRequestScope } from "~/lib/request-scope.server";
import { pruneOutbox } from "~/models/event-outbox.server";
import { pruneLiveEvents } from "~/models/live-event.server";
import { pruneIncomingEvidence } from "~/models/evidence.server";
import { pruneExpiredHits } from "~/models/rate-limit.server";
import { pruneExpiredSessions } from "~/models/session.server";
import { issueSetupTokenIfNeeded } from "~/models/setting.server";
import { ensureCompetencyAreas } from "~/models/tag.server";
import { ensurePrograms } from "~/models/program.server";
import { crossOriginProtection } from "./cross-origin-protection";
import { canonicalHost } from "./origin";
import { attachRealtime } from "./realtime";
import { bodyLimit } from "./body-limit";
import { compression, precompressedAssets } from "./compression";
import { guestCache } from "./guest-cache";
import { startEventDispatcher } from "./event-dispatcher";
import { notifier, startHitReminders } from "./notifier";
import { postRefresher } from "./post-refresher";
import { requestLog } from "./request-log";
import { securityHeaders } from "./security-headers";
import { oddPaths } from "./odd-paths";
import { databaseOutageGuard } from "./database-outage";
import { startInboundSmtp } from "./inbound-smtp";
import { startMailer } from "./mailer";
import { reportReady, workerHeader, workerRole } from "./cluster-worker";
import { pruneMail, setListeningOrigin } from "~/models/mail.server";

/** The project root: the nearest folder with package.json above this file (bundled or not). */
function findRoot(from: string): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}`);
    dir = parent;
  }
  return dir;
}
const ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
const REMIX_BUILD = path.join(ROOT, "build", "remix", "index.js");

async function loadBuild(): Promise<ServerBuild> {
  const version = fs.statSync(REMIX_BUILD).mtimeMs;
  return import(`${pathToFileURL(REMIX_BUILD).href}?v=${version}`);
}

/**
 * The files at the top of public/ (the favicon), each at its own path. Only
 * those paths are looked up: express.static on its own would ask the disk
 * about every page address first.
 */
function topLevelPublicFiles(dir: string): express.RequestHandler {
  const names = new Set(
    fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `/${entry.name}`),
  );
  const serve = express.static(dir, { maxAge: "1h", index: false });
  return (req, res, next) => (names.has(req.path) ? serve(req, res, next) : next());
}

export async function startServer() {
  const env = getEnv();
  const dev = env.nodeEnv === "development";
  // One of several web workers (WEB_CONCURRENCY), or null: the only process.
  // The lead worker (or the only process) does what is once per installation.
  const worker = workerRole();
  const lead = !worker || worker.lead;

  await prepareDatabase();
  await ensureCompetencyAreas();
  await ensurePrograms();
  const setupToken = !worker || (worker.lead && worker.firstStart) ? await issueSetupTokenIfNeeded() : null;
  const stopHitReminders = lead ? startHitReminders() : () => undefined;

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", env.trustProxy);
  app.use(requestLog());
  app.use(compression());
  if (worker) app.use(workerHeader(worker));
  // One scope per HTTP request, shared by all its loaders (one session lookup per page).
  app.use((req, _res, next) => runInRequestScope(req.method, next, req.ip ?? "unknown", req.url));
  app.use(securityHeaders({ httpsOnly: env.secureCookies }));
  app.use(oddPaths());
  app.use(canonicalHost(env));
  app.use(crossOriginProtection(env));
  // The uploads (a form's, the API's) enforce limits of their own, saying how large the file was.
  app.use(
    bodyLimit(MAX_BODY_BYTES, {
      except: (req) => isUploadRequest(req.method, req.path, req.get("content-type")) || isRawUploadRequest(req.method, req.path, req.get("content-type")),
    }),
  );
  app.use("/build", precompressedAssets(path.join(ROOT, "public", "build"), { immutable: true, maxAge: "1y" }));
  app.use("/build", express.static(path.join(ROOT, "public", "build"), { immutable: true, maxAge: "1y" }));
  app.use(topLevelPublicFiles(path.join(ROOT, "public")));
  app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));
  const cache = guestCache({ ttlMs: env.guestCacheSeconds * 1000, maxBytes: env.guestCacheBytes });
  app.use(cache);
  // After the guest cache: guests still read what it holds while the database is away.
  app.use(databaseOutageGuard());

  // In development the build is re-imported whenever `remix watch` rewrites it.
  const build = dev ? loadBuild : await loadBuild();
  app.all(
    "*",
    remixHandler({
      build,
      mode: dev ? "development" : "production",
      getLoadContext: (req, res) => ({ clientIp: req.ip ?? "unknown", requestId: String(res.locals.requestId), cspNonce: String(res.locals.cspNonce) }),
    }),
  );

  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  const realtime = await attachRealtime(server, env, app.get("trust proxy fn"), worker);

  // From the moment it listens, a stop asked for while the rest starts (a
  // supervisor that sends SIGTERM as soon as /healthz answers) is kept and
  // carried out once started, rather than killing the process half-way.
  let stopAskedWhileStarting: string | null = null;
  let shutdown = (reason: string) => void (stopAskedWhileStarting ??= reason);
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  // A worker whose primary is gone (killed) stops too, rather than serve on alone.
  if (worker) process.on("disconnect", () => shutdown("primary exited"));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.port, env.host, resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.port;
  const shownHost = env.host === "0.0.0.0" || env.host === "::" ? "localhost" : env.host;
  const url = env.publicUrl ?? `http://${shownHost}:${port}`;
  await setListeningOrigin(url);
  const mailer = startMailer(env, { digests: lead });
  // Domain events from the outbox: shared subscribers (one process delivers
  // each), and this process's guest cache (every process hears every event).
  const dispatcher = await startEventDispatcher({
    subscribers: [notifier, mailer.subscriber, realtime.subscriber, postRefresher],
    deliver: !env.pauseEventDelivery,
    crashAtDelivery: env.crashAtDelivery,
  });
  dispatcher.onLocalEvent((event) => cache.onEvent(event));
  dispatcher.onCommittedHere(realtime.nudgeOthers);
  realtime.onRemoteNudge(dispatcher.poke);
  const inbound = await startInboundSmtp(env);
  const mail = env.smtpUrl ? "smtp" : "outbox";
  // In a cluster the primary prints the one "listening" line (and the setup link) once every worker is ready.
  if (worker) reportReady({ url, port, inboundSmtpPort: inbound?.port, mail, setupToken });
  else logger.info({ url, port, pid: process.pid, inboundSmtpPort: inbound?.port, mail }, "listening");
  if (setupToken && !worker) {
    // Printed, not logged: the link is a secret meant for the person starting the server.
    process.stdout.write(
      `\n  ParaNet has no admin yet. Create the first admin account here (the link works once):\n\n    ${url}/setup?token=${setupToken}\n\n`,
    );
  }

  const housekeeping = lead
    ? setInterval(() => {
        Promise.all([pruneExpiredSessions(), pruneExpiredHits(), pruneLiveEvents(), pruneMail(), pruneOutbox(), pruneIncomingEvidence()]).catch((err) =>
          logger.warn({ err }, "housekeeping failed"),
        );
      }, 60 * 60_000)
    : undefined;
  housekeeping?.unref();

  let stopping = false;
  shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    clearInterval(housekeeping);
    const dispatching = dispatcher.stop();
    void mailer.stop();
    void inbound?.stop();
    stopHitReminders();
    // Give slow requests ten seconds, then cut them off.
    setTimeout(() => server.closeAllConnections(), 10_000).unref();
    // Closing socket.io disconnects every socket, then closes the HTTP server,
    // which stops accepting and waits for in-flight requests.
    realtime.close(() => {
      dispatching
        .then(closeDatabase)
        .catch((err) => logger.error({ err }, "closing the database failed"))
        .finally(() => {
          logger.info("stopped");
          process.exit(0);
        });
    });
    server.closeIdleConnections();
  };
  if (stopAskedWhileStarting) shutdown(stopAskedWhileStarting);

  return { server, io: realtime.io, port };
}
