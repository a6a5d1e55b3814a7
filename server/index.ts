// Entry point: validate configuration first, so a bad value stops start-up
// with a message naming the variable, before anything else is loaded.
import { ConfigError, getEnv } from "~/lib/env.server";

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
