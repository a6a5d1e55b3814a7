import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { aMember, join, Visitor } from "../helpers/client";
import { freshInstallation, installationEnv, joinWhileStopping, runServerExpectingExit, startServer } from "../helpers/server";

describe("server lifecycle", () => {
  it("answers /healthz with a small JSON body when the database answers", async () => {
    const server = await startServer();
    try {
      const res = await fetch(`${server.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "ok", database: "ok" });
    } finally {
      await server.stop();
    }
  });

  it("keeps serving when whoever read its log is gone, and still stops on SIGTERM", async () => {
    // Standard output is a pipe whose reader closes after the first lines (a
    // shell or log collector that stopped): the server must neither die nor
    // spin retrying the write, and SIGTERM must still end it.
    const installation = await freshInstallation();
    // A free port, chosen here: the server's own announcement of it goes to the closed pipe.
    const port = await new Promise<number>((resolve) => {
      const probe = http.createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const child = spawn(process.execPath, [path.resolve(import.meta.dirname, "..", "..", "build", "server", "index.js")], {
      env: { PATH: process.env.PATH, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), ...installationEnv(installation) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    // The reader is gone before the server writes a line.
    child.stdout!.destroy();
    const deadline = Date.now() + 30_000;
    for (;;) {
      const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (up) break;
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`the server did not come up (exit ${child.exitCode}):\n${stderr}`);
      }
      // Polled often: SIGTERM may then come while the server still starts (it listens first), which must end it cleanly too.
      await new Promise((r) => setTimeout(r, 10));
    }
    // Requests are logged to the closed pipe: they are still answered.
    for (let i = 0; i < 5; i++) expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve("still running 10 s after SIGTERM"), 10_000));
    const result = await Promise.race([exited, timeout]);
    if (typeof result === "string") child.kill("SIGKILL");
    expect(result).toBe(0);
  });

  it("shuts down gracefully on SIGTERM and keeps every account and session across a restart", async () => {
    const installation = await freshInstallation();
    const first = await startServer({ installation });
    const visitor = new Visitor(first.url);
    await join(visitor, aMember(1));
    const member2 = aMember(2);
    await join(new Visitor(first.url), member2);
    const cookie = visitor.cookieHeader();
    expect(await first.stop("SIGTERM")).toBe(0);
    expect(first.output()).toContain("shutting down");
    expect(first.output()).toContain('"msg":"stopped"');

    const second = await startServer({ installation });
    try {
      // Same session secret (kept in data/), same sessions table.
      const settings = await fetch(`${second.url}/me/settings`, { headers: { Cookie: cookie }, redirect: "manual" });
      expect(settings.status).toBe(200);
      const login = await new Visitor(second.url).post("/login", { email: member2.email, password: member2.password });
      expect(login.status).toBe(302);
    } finally {
      await second.stop();
    }
  });

  it("finishes an in-flight request before stopping", async () => {
    const server = await startServer();
    // Headers and half the body, then the signal, then the rest.
    const { status, exitCode } = await joinWhileStopping(server, aMember(3), "SIGINT");
    expect(status).toBe(302);
    expect(exitCode).toBe(0);
  });

  it("stops with a message naming PORT when PORT is not a number", async () => {
    const { code, output } = await runServerExpectingExit({ PORT: "abc" });
    expect(code).toBe(1);
    expect(output).toContain("ParaNet cannot start.");
    expect(output).toMatch(/PORT must be a whole number from 0 to 65535 \(got "abc"\)/);
  });

  it("names every bad variable at once", async () => {
    const { code, output } = await runServerExpectingExit({ PORT: "99999", PUBLIC_URL: "ftp://x", SESSION_SECRET: "short" });
    expect(code).toBe(1);
    expect(output).toContain("PORT");
    expect(output).toContain("PUBLIC_URL must be an http:// or https:// URL");
    expect(output).toContain("SESSION_SECRET must be at least 32 characters");
  });
});
