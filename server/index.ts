// Entry point: validate configuration first, so a bad value stops start-up
// with a message naming the variable, before anything else is loaded.
import { ConfigError, getEnv } from "~/lib/env.server";

// Whoever reads standard output may go away (a closed pipe: the shell or log
// collector stopped). Keep serving: the logger stops writing by itself, and
// the setup banner must not crash the server either.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE") throw err;
});

try {
  // React and Remix read process.env.NODE_ENV directly: without this, a plain
  // `npm start` would run React's slow development build.
  process.env.NODE_ENV = getEnv().nodeEnv === "development" ? "development" : "production";
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(`ParaNet cannot start.\n${e.message}`);
    process.exit(1);
  }
  throw e;
}

const { startServer } = await import("./main");
await startServer();
