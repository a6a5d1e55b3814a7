// Starts the real, built ParaNet server as a child process on an ephemeral
// port, against its own copy of the migrated base database.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { BASE_DB, testTempDir } from "../setup/global";
import { freshDatabase, type TestDatabase } from "../setup/databases";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const ENTRY = path.join(ROOT, "build", "server", "index.js");
// SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the test servers (where a suite's CPU goes).
const SERVER_ARGS = [...(process.env.SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? []), ENTRY];

/** What a server runs on: its data folder (secrets, the mail outbox) and its database. */
export type Installation = { dataDir: string; database: TestDatabase };

export type RunningServer = Installation & {
  url: string;
  port: number;
  /** The SQLite file ("" under test:postgres): for the few tests about the file itself. */
  dbPath: string;
  /** Everything the process printed, stdout and stderr. */
  output: () => string;
  setupToken: string | null;
  /** Sends a signal and waits for the process to exit; resolves to its exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

/** A new installation: an empty data folder and a copy of the migrated base database (SQLite, or PostgreSQL under test:postgres). */
export async function freshInstallation(): Promise<Installation> {
  const dataDir = testTempDir("paranet-it-");
  return { dataDir, database: await freshDatabase(dataDir, BASE_DB) };
}

/** The environment a server (or a script) needs to run on an installation. */
export const installationEnv = (i: Installation): Record<string, string> => ({ DATA_DIR: i.dataDir, DATABASE_URL: i.database.url });

export async function startServer(options: { installation?: Installation; env?: Record<string, string> } = {}): Promise<RunningServer> {
  const installation = options.installation ?? (await freshInstallation());
  const { dataDir, database } = installation;
  const child = spawn(process.execPath, SERVER_ARGS, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: "0",
      ...installationEnv(installation),
      LOG_LEVEL: "info",
      ...options.env,
    } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const port = await waitForListening(child, () => output);
  const url = `http://127.0.0.1:${port}`;
  const token = /\/setup\?token=([A-Za-z0-9_-]+)/.exec(output)?.[1] ?? null;
  return {
    url,
    port,
    dataDir,
    database,
    dbPath: database.path,
    output: () => output,
    setupToken: token,
    stop: (signal = "SIGTERM") => stopChild(child, signal),
  };
}

function waitForListening(child: ChildProcess, output: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30s:\n${output()}`)), 30_000);
    const check = () => {
      for (const line of output().split("\n")) {
        if (!line.startsWith("{")) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === "listening" && entry.port) {
            clearTimeout(timer);
            child.stdout!.off("data", check);
            // The setup banner is written right after the listening line.
            setTimeout(() => resolve(entry.port!), 50);
            return;
          }
        } catch {
          /* not a JSON line */
        }
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code}:\n${output()}`));
    });
  });
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.kill(signal);
  });
}

/**
 * Waits until the server's shared event subscribers (notifier, mailer,
 * realtime, post refresher) have handled every event committed so far, as
 * its /healthz reports: proof that the work a request left to them is done.
 */
export async function eventsDelivered(server: { url: string }, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { events: { behind: number } };
    if (health.events.behind === 0) return;
    if (Date.now() > deadline) throw new Error(`${health.events.behind} events not yet delivered after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Posts a join form in halves with a stop signal between them: the headers and
 * 20 bytes, then `signal` to the server, then the rest 300 ms later. Resolves
 * to the response's status and the server's exit code: a graceful stop
 * finishes the request it was in the middle of.
 */
export async function joinWhileStopping(
  server: RunningServer,
  member: Record<string, string>,
  signal: NodeJS.Signals,
): Promise<{ status: number; exitCode: number | null }> {
  const body = new URLSearchParams(member).toString();
  let exited: Promise<number | null> | undefined;
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request(`${server.url}/join`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body), Origin: server.url },
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.write(body.slice(0, 20));
    setTimeout(() => {
      exited = server.stop(signal);
      setTimeout(() => req.end(body.slice(20)), 300);
    }, 200);
  });
  return { status, exitCode: await exited! };
}

/** Runs the server entry expecting it to exit (e.g. bad configuration). */
export async function runServerExpectingExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const installation = await freshInstallation();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, SERVER_ARGS, {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: "production", HOST: "127.0.0.1", ...installationEnv(installation), ...env },
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
