// Entry point: validate configuration first, so a bad value stops start-up
// with a message naming the variable, before anything else is loaded.
import cluster from "node:cluster";
import { fileURLToPath } from "node:url";
import { ConfigError, getEnv, type Env } from "~/lib/env.server";

// Whoever reads standard output may go away (a closed pipe: the shell or log
// collector stopped). Keep serving: the logger stops writing by itself, and
// the setup banner must not crash the server either.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE") throw err;
});

let env: Env;
try {
  env = getEnv();
  // React and Remix read process.env.NODE_ENV directly: without this, a plain
  // `npm start` would run React's slow development build.
  process.env.NODE_ENV = env.nodeEnv === "development" ? "development" : "production";
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(`ParaNet cannot start.\n${e.message}`);
    process.exit(1);
  }
  throw e;
}

// WEB_CONCURRENCY above 1 (not in development, where the server restarts on
// every change): this process becomes the cluster's primary and forks that
// many web workers, each of which runs this file again and serves.
if (cluster.isPrimary && env.webConcurrency > 1 && env.nodeEnv !== "development") {
  const { runCluster } = await import("./cluster-primary");
  runCluster(env, fileURLToPath(import.meta.url));
} else {
  const { startServer } = await import("./main");
  await startServer();
}
