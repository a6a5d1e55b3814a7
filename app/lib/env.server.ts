// One typed gate for configuration: every environment variable ParaNet reads
// is declared and validated here, once, at start-up. Everything else reads
// the typed result of getEnv().
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";

const port = z
  .string()
  .regex(/^\d+$/, "must be a whole number from 0 to 65535")
  .transform(Number)
  .refine((n) => n <= 65535, "must be a whole number from 0 to 65535");

const EnvSchema = z.object({
  NODE_ENV: z.enum(["production", "development", "test"]).default("production"),
  PORT: port.default(3000),
  WEB_CONCURRENCY: z
    .string()
    .trim()
    .regex(/^(auto|[1-9]\d{0,2})$/i, "must be auto (one web process per CPU core) or a number of web processes, e.g. 2")
    .default("1")
    .transform((v) => (v.toLowerCase() === "auto" ? os.availableParallelism() : Number(v))),
  HOST: z.string().min(1, "must not be empty").default("0.0.0.0"),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL, e.g. https://forum.example.org" }).optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(
      /^(file:.+|postgres(ql)?:\/\/.+)$/,
      "must be a SQLite file URL such as file:./data/paranet.db, or a PostgreSQL URL such as postgresql://paranet@db.example.org/paranet",
    )
    .optional(),
  PG_POOL_SIZE: z
    .string()
    .regex(/^[1-9]\d{0,3}$/, "must be a whole number of connections from 1 (each process opens up to this many)")
    .default("10")
    .transform(Number),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters (or leave it unset to have one generated)").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  GUEST_CACHE_SECONDS: z
    .string()
    .regex(/^\d{1,4}$/, "must be a whole number of seconds (0 turns the guest page cache off)")
    .default("10")
    .transform(Number),
  GUEST_CACHE_MB: z
    .string()
    .regex(/^\d{1,5}(\.\d{1,3})?$/, "must be a number of megabytes, e.g. 64 (the guest page cache's memory limit)")
    .default("64")
    .transform(Number)
    .refine((n) => n > 0, "must be more than 0 (set GUEST_CACHE_SECONDS=0 to turn the guest page cache off)"),
  EVIDENCE_QUOTA_MB: z
    .string()
    .regex(/^\d{1,7}(\.\d{1,3})?$/, "must be a number of megabytes, e.g. 200 (what one member's evidence files may add up to)")
    .default("200")
    .transform(Number)
    .refine((n) => n > 0, "must be more than 0"),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: "must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379" }).optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "must be 1–64 letters, digits or _ . : - (it names this installation's Redis channels)")
    .default("paranet"),
  LIVE_CONNECTIONS_PER_ADDRESS: z
    .string()
    .regex(/^[1-9]\d{0,5}$/, "must be a whole number from 1 to 999999")
    .default("200")
    .transform(Number),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.org:587" }).optional(),
  MAIL_FROM: z.string().trim().min(3).max(200).optional(),
  MAIL_DOMAIN: z
    .string()
    .trim()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$|^localhost$/i, "must be a domain name, e.g. lists.example.org (replies go to reply+…@ it)")
    .optional(),
  INBOUND_SMTP_PORT: z
    .string()
    .regex(/^\d{1,5}$/, "must be a port number (0 picks a free one)")
    .transform(Number)
    .refine((n) => n <= 65535, "must be a port number from 0 to 65535")
    .optional(),
  INBOUND_SMTP_HOST: z.string().trim().min(1).default("0.0.0.0"),
  INBOUND_MAIL_SECRET: z.string().min(24, "must be at least 24 characters: it authenticates your mail provider's webhook").optional(),
  DIGEST_HOUR: z
    .string()
    .regex(/^([01]?\d|2[0-3])$/, "must be an hour from 0 to 23 (UTC)")
    .default("7")
    .transform(Number),
  API_RATE_LIMIT: z
    .string()
    .regex(/^[1-9]\d{0,6}$/, "must be a whole number of API calls a minute per member, from 1 (each address gets three times as many)")
    .default("300")
    .transform(Number),
  // For the crash tests only: the server records events but delivers none, as if it died before delivering.
  TEST_ONLY_PAUSE_EVENT_DELIVERY: z.enum(["1"], { error: "must be 1 (or unset)" }).optional(),
  // For the crash tests only: the process kills itself (SIGKILL) after the nth event a subscriber handled, before its cursor moves.
  TEST_ONLY_CRASH_AT_DELIVERY: z
    .string()
    .regex(/^[1-9]\d{0,6}$/, "must be a whole number from 1 (or unset)")
    .transform(Number)
    .optional(),
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(
      /^(true|false|\d{1,2}|[a-z0-9.:/, ]+)$/i,
      "must be false, the number of proxies in front of ParaNet (e.g. 1), or their addresses (e.g. loopback, 10.0.0.0/8)",
    )
    .default("false")
    .transform((v): false | number | string => {
      if (v === "false" || v === "0") return false;
      if (v === "true") return 1; // "true" means the usual single reverse proxy, never "trust everyone"
      return /^\d+$/.test(v) ? Number(v) : v;
    }),
});

export type Env = {
  /** Outgoing mail server; without it every message is written to DATA_DIR/outbox as .eml. */
  smtpUrl: string | undefined;
  /** The domain of reply addresses (reply+…@) and the default sender. */
  mailDomain: string;
  mailFrom: string;
  /** The reply-by-email SMTP receiver's port (off when unset). */
  inboundSmtpPort: number | undefined;
  inboundSmtpHost: string;
  /** Bearer secret for POST /api/v1/inbound-mail (off when unset). */
  inboundMailSecret: string | undefined;
  /** The hour (UTC) daily and weekly digests go out. */
  digestHour: number;
  /** API calls a minute per member (and three times that per client address), per process. */
  apiRateLimit: number;
  nodeEnv: "production" | "development" | "test";
  /** Web processes sharing the port (WEB_CONCURRENCY; `auto` is one per CPU core): 1 is one process, more a cluster of workers (server/cluster-primary.ts). */
  webConcurrency: number;
  port: number;
  host: string;
  publicUrl: string | undefined;
  /** Origin of PUBLIC_URL, when set: the only origin allowed to post. */
  publicOrigin: string | undefined;
  secureCookies: boolean;
  dataDir: string;
  /** Which database engine DATABASE_URL names: the embedded SQLite file (the default) or a PostgreSQL server. */
  engine: "sqlite" | "postgres";
  databaseUrl: string;
  /** The SQLite file (SQLite only; empty on PostgreSQL). */
  databasePath: string;
  /** PostgreSQL connections per process (the pool's size). */
  pgPoolSize: number;
  sessionSecret: string;
  logLevel: string;
  /** How long guests' pages may be served from memory (0 = off). */
  guestCacheSeconds: number;
  /** The most memory the guest page cache may hold, in bytes (bodies and headers). */
  guestCacheBytes: number;
  /** Express "trust proxy": false, a hop count, or trusted proxy addresses. */
  trustProxy: false | number | string;
  /** What one member's portfolio evidence files may add up to, in bytes (EVIDENCE_QUOTA_MB; a megabyte is 1,048,576 bytes). */
  evidenceQuotaBytes: number;
  /** When set, server processes share socket rooms (and cache invalidation) through Redis. */
  redisUrl: string | undefined;
  /** Names this installation's Redis channels, so installations sharing a Redis never hear each other. */
  redisPrefix: string;
  /** Open socket connections one client address may hold in one process. */
  liveConnectionsPerAddress: number;
  /** Tests only: record domain events but deliver none (TEST_ONLY_PAUSE_EVENT_DELIVERY=1). */
  pauseEventDelivery: boolean;
  /** Tests only: SIGKILL this process after the nth delivery, before the cursor moves (TEST_ONLY_CRASH_AT_DELIVERY). */
  crashAtDelivery: number | undefined;
};

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings count as unset, as in most .env conventions.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        return `${name} ${issue.message} (got ${JSON.stringify(source[name])})`;
      }),
    );
  }
  const e = result.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const databaseUrl = e.DATABASE_URL ?? `file:${path.join(dataDir, "paranet.db")}`;
  const engine = databaseUrl.startsWith("file:") ? "sqlite" : "postgres";
  const databasePath = engine === "sqlite" ? path.resolve(databaseUrl.replace(/^file:/, "")) : "";
  const publicUrl = e.PUBLIC_URL?.replace(/\/+$/, "");
  return {
    nodeEnv: e.NODE_ENV,
    webConcurrency: e.WEB_CONCURRENCY,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    publicOrigin: publicUrl ? new URL(publicUrl).origin : undefined,
    secureCookies: publicUrl?.startsWith("https://") ?? false,
    dataDir,
    engine,
    databaseUrl: engine === "sqlite" ? `file:${databasePath}` : databaseUrl,
    databasePath,
    pgPoolSize: e.PG_POOL_SIZE,
    sessionSecret: e.SESSION_SECRET ?? readOrCreateSecret(dataDir),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    guestCacheSeconds: e.GUEST_CACHE_SECONDS,
    guestCacheBytes: Math.round(e.GUEST_CACHE_MB * 1024 * 1024),
    evidenceQuotaBytes: Math.floor(e.EVIDENCE_QUOTA_MB * 1024 * 1024),
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    liveConnectionsPerAddress: e.LIVE_CONNECTIONS_PER_ADDRESS,
    apiRateLimit: e.API_RATE_LIMIT,
    smtpUrl: e.SMTP_URL,
    mailDomain: (e.MAIL_DOMAIN ?? (publicUrl ? new URL(publicUrl).hostname : "localhost")).toLowerCase(),
    mailFrom: e.MAIL_FROM ?? `ParaNet <paranet@${(e.MAIL_DOMAIN ?? (publicUrl ? new URL(publicUrl).hostname : "localhost")).toLowerCase()}>`,
    inboundSmtpPort: e.INBOUND_SMTP_PORT,
    inboundSmtpHost: e.INBOUND_SMTP_HOST,
    inboundMailSecret: e.INBOUND_MAIL_SECRET,
    digestHour: e.DIGEST_HOUR,
    pauseEventDelivery: e.TEST_ONLY_PAUSE_EVENT_DELIVERY === "1",
    crashAtDelivery: e.TEST_ONLY_CRASH_AT_DELIVERY,
  };
}

/** A generated secret is written once to DATA_DIR and reused on every start. */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = crypto.randomBytes(48).toString("base64url");
    // "wx" fails if another process created it first; then read theirs.
    try {
      fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
      return secret;
    } catch {
      return fs.readFileSync(file, "utf8").trim();
    }
  }
}

const store = globalThis as unknown as { __paranetEnv?: Env };

export function getEnv(): Env {
  store.__paranetEnv ??= parseEnv(process.env);
  return store.__paranetEnv;
}
