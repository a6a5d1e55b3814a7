// Starts the real, built ParaNet server as a child process on an ephemeral
// port, against its own copy of the migrated base database.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { BASE_DB, testTempDir } from "../setup/global";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const ENTRY = path.join(ROOT, "build", "server", "index.js");

export type RunningServer = {
  url: string;
  port: number;
  dataDir: string;
  dbPath: string;
  /** Everything the process printed, stdout and stderr. */
  output: () => string;
  setupToken: string | null;
  /** Sends a signal and waits for the process to exit; resolves to its exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

export function freshDataDir(): string {
  const dir = testTempDir("paranet-it-");
  fs.copyFileSync(BASE_DB, path.join(dir, "paranet.db"));
  return dir;
}

export async function startServer(options: { dataDir?: string; env?: Record<string, string> } = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? freshDataDir();
  const child = spawn(process.execPath, [ENTRY], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: "0",
      DATA_DIR: dataDir,
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
    dbPath: path.join(dataDir, "paranet.db"),
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

/** Runs the server entry expecting it to exit (e.g. bad configuration). */
export function runServerExpectingExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ENTRY], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: "production", HOST: "127.0.0.1", DATA_DIR: freshDataDir(), ...env },
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
