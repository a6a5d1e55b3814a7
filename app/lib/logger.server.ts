// Structured logs. Never log passwords, tokens, cookies or session ids: the
// request logger records the path without its query string for that reason.
import pino from "pino";

const store = globalThis as unknown as { __paranetLogger?: pino.Logger };

export const logger: pino.Logger = (store.__paranetLogger ??= pino({
  level: process.env.LOG_LEVEL || "info",
  base: { app: "paranet" },
  redact: {
    paths: ["password", "*.password", "token", "*.token", "headers.cookie", "*.headers.cookie", "sessionId"],
    censor: "[redacted]",
  },
}));
