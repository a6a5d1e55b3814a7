import http from "node:http";
import { describe, expect, it } from "vitest";
import { aMember, join, Visitor } from "../helpers/client";
import { freshInstallation, runServerExpectingExit, startServer } from "../helpers/server";

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
    const body = new URLSearchParams(aMember(3)).toString();
    // Send the headers and half the body, signal the server, then the rest.
    const response = new Promise<number>((resolve, reject) => {
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
        exited = server.stop("SIGINT");
        setTimeout(() => req.end(body.slice(20)), 300);
      }, 200);
    });
    let exited: Promise<number | null> | undefined;
    expect(await response).toBe(302);
    expect(await exited).toBe(0);
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
