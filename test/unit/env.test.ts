import { testTempDir } from "../setup/global";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "~/lib/env.server";

const tmp = () => testTempDir("paranet-env-");

describe("configuration", () => {
  it("has working defaults", () => {
    const dir = tmp();
    const env = parseEnv({ DATA_DIR: dir });
    expect(env.port).toBe(3000);
    expect(env.host).toBe("0.0.0.0");
    expect(env.databasePath).toBe(path.join(dir, "paranet.db"));
    expect(env.databaseUrl).toBe(`file:${path.join(dir, "paranet.db")}`);
    expect(env.secureCookies).toBe(false);
    expect(env.trustProxy).toBe(false);
    expect(env.guestCacheBytes).toBe(64 * 1024 * 1024);
  });

  it("reads GUEST_CACHE_MB as the guest cache's memory limit", () => {
    expect(parseEnv({ DATA_DIR: tmp(), GUEST_CACHE_MB: "0.5" }).guestCacheBytes).toBe(524288);
    expect(() => parseEnv({ GUEST_CACHE_MB: "lots" })).toThrow(/GUEST_CACHE_MB must be a number of megabytes/);
    expect(() => parseEnv({ GUEST_CACHE_MB: "0" })).toThrow(/GUEST_CACHE_MB must be more than 0/);
  });

  it("reads WEB_CONCURRENCY: one process by default, a number of workers, or one per core", () => {
    expect(parseEnv({ DATA_DIR: tmp() }).webConcurrency).toBe(1);
    expect(parseEnv({ DATA_DIR: tmp(), WEB_CONCURRENCY: "1" }).webConcurrency).toBe(1);
    expect(parseEnv({ DATA_DIR: tmp(), WEB_CONCURRENCY: "4" }).webConcurrency).toBe(4);
    expect(parseEnv({ DATA_DIR: tmp(), WEB_CONCURRENCY: "auto" }).webConcurrency).toBe(os.availableParallelism());
    expect(parseEnv({ DATA_DIR: tmp(), WEB_CONCURRENCY: "AUTO" }).webConcurrency).toBe(os.availableParallelism());
    for (const bad of ["0", "-1", "two", "1.5", "1000"]) {
      expect(() => parseEnv({ WEB_CONCURRENCY: bad })).toThrow(/WEB_CONCURRENCY must be auto \(one web process per CPU core\) or a number/);
    }
  });

  it("generates a session secret once and keeps it in the data directory", () => {
    const dir = tmp();
    const first = parseEnv({ DATA_DIR: dir }).sessionSecret;
    expect(first.length).toBeGreaterThanOrEqual(48);
    expect(parseEnv({ DATA_DIR: dir }).sessionSecret).toBe(first);
    expect(fs.readFileSync(path.join(dir, "session-secret"), "utf8").trim()).toBe(first);
    expect(fs.statSync(path.join(dir, "session-secret")).mode & 0o777).toBe(0o600);
    expect(parseEnv({ DATA_DIR: tmp() }).sessionSecret).not.toBe(first);
  });

  it("uses SESSION_SECRET when given", () => {
    const secret = "x".repeat(40);
    expect(parseEnv({ DATA_DIR: tmp(), SESSION_SECRET: secret }).sessionSecret).toBe(secret);
  });

  it("chooses the engine from DATABASE_URL: SQLite by default, PostgreSQL for a postgresql:// URL", () => {
    const dir = tmp();
    expect(parseEnv({ DATA_DIR: dir }).engine).toBe("sqlite");
    expect(parseEnv({ DATA_DIR: dir, DATABASE_URL: "file:./x.db" })).toMatchObject({ engine: "sqlite", databasePath: path.resolve("x.db") });
    for (const url of ["postgresql://paranet@db.example.org/paranet", "postgres://u:p@127.0.0.1:5432/x?sslmode=require"]) {
      expect(parseEnv({ DATA_DIR: dir, DATABASE_URL: url })).toMatchObject({ engine: "postgres", databaseUrl: url, databasePath: "", pgPoolSize: 10 });
    }
    expect(parseEnv({ DATA_DIR: dir, DATABASE_URL: "postgresql://h/x", PG_POOL_SIZE: "25" }).pgPoolSize).toBe(25);
  });

  it("names the variable and what is expected", () => {
    expect(() => parseEnv({ PORT: "abc" })).toThrow(ConfigError);
    expect(() => parseEnv({ PORT: "abc" })).toThrow(/PORT must be a whole number from 0 to 65535 \(got "abc"\)/);
    expect(() => parseEnv({ PORT: "70000" })).toThrow(/PORT/);
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must be a SQLite file URL such as file:.*, or a PostgreSQL URL/);
    expect(() => parseEnv({ PG_POOL_SIZE: "0" })).toThrow(/PG_POOL_SIZE must be a whole number of connections/);
    expect(() => parseEnv({ TRUST_PROXY: "maybe; rm" })).toThrow(/TRUST_PROXY must be false, the number of proxies/);
    expect(() => parseEnv({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
  });

  it("marks cookies Secure and pins the origin for an https PUBLIC_URL", () => {
    const env = parseEnv({ DATA_DIR: tmp(), PUBLIC_URL: "https://forum.example.org/" });
    expect(env.secureCookies).toBe(true);
    expect(env.publicUrl).toBe("https://forum.example.org");
    expect(env.publicOrigin).toBe("https://forum.example.org");
  });

  it("reads TRUST_PROXY as false, a hop count, or proxy addresses", () => {
    const dir = tmp();
    expect(parseEnv({ DATA_DIR: dir }).trustProxy).toBe(false);
    expect(parseEnv({ DATA_DIR: dir, TRUST_PROXY: "true" }).trustProxy).toBe(1);
    expect(parseEnv({ DATA_DIR: dir, TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(parseEnv({ DATA_DIR: dir, TRUST_PROXY: "loopback, 10.0.0.0/8" }).trustProxy).toBe("loopback, 10.0.0.0/8");
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATA_DIR: tmp(), PORT: "", PUBLIC_URL: "" }).port).toBe(3000);
  });
});
