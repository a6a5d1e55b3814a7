// Requests a browser would never send, or an attacker would: each gets a 4xx
// or a safe result, never a 500. (Findings of the foundation's security review.)
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, Visitor } from "../helpers/client";
import { execute } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("odd header combinations never cause a 500", () => {
  const cases: Record<string, string>[] = [
    { "Sec-Fetch-Site": "same-origin", Origin: "http://evil.example" },
    { "Sec-Fetch-Site": "none", Origin: "garbage" },
    { "Sec-Fetch-Site": "same-origin", Origin: "null" },
    { Origin: "http://[::1" },
    { "X-Forwarded-Host": "evil.example" },
    { "X-Forwarded-Host": "evil.example", "Sec-Fetch-Site": "same-origin" },
  ];
  for (const headers of cases) {
    it(JSON.stringify(headers), async () => {
      const res = await new Visitor(server.url).post("/login", { email: "a@b.org", password: "whatever it is" }, { ...headers, ...(headers.Origin ? {} : {}) });
      expect(res.status).toBeLessThan(500);
      expect([401, 403]).toContain(res.status);
    });
  }
});

describe("bodies that are not forms", () => {
  it("answers 415 for text/plain and a missing content type", async () => {
    for (const type of ["text/plain", ""]) {
      const res = await fetch(`${server.url}/login`, {
        method: "POST",
        headers: type ? { "Content-Type": type, Origin: server.url } : { Origin: server.url },
        body: "email=a@b.org&password=x",
      });
      expect(res.status).toBe(415);
    }
  });

  it("refuses multipart bodies (uploads) anywhere with 415, well-formed or not", async () => {
    for (const body of [
      '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\nunterminated',
      '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--xyz--\r\n',
    ]) {
      for (const path of ["/join", "/threads/new", "/api/v1/threads"]) {
        const res = await fetch(`${server.url}${path}`, {
          method: "POST",
          headers: { "Content-Type": "multipart/form-data; boundary=xyz", Origin: server.url },
          body,
        });
        expect(res.status).toBe(415);
        expect(await res.text()).toContain("does not accept uploads");
      }
    }
  });

  it("answers 413 for a form over 1 MiB", async () => {
    const res = await new Visitor(server.url).post("/join", { ...aMember(1), about: "x".repeat(1_100_000) });
    expect(res.status).toBe(413);
  });
});

describe("redirects after logging in stay on this site", () => {
  it("refuses tab, newline and backslash tricks", async () => {
    const member = aMember(2);
    await join(new Visitor(server.url), member);
    for (const redirectTo of ["/\t/evil.example/x", "/\n/evil.example", "/\\evil.example", "//evil.example", "/%09/evil.example"]) {
      const res = await new Visitor(server.url).post("/login", { email: member.email, password: member.password, redirectTo });
      expect(res.status).toBe(302);
      const location = new URL(res.location!, server.url);
      expect(location.host, redirectTo).toBe(new URL(server.url).host);
    }
  });
});

describe("parallel log-in attempts", () => {
  it("are all counted: 30 at once against one account lets at most 10 through", async () => {
    const member = aMember(3);
    await join(new Visitor(server.url), member);
    const statuses = await Promise.all(
      Array.from({ length: 30 }, () => new Visitor(server.url).post("/login", { email: member.email, password: "wrong guess!" }).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });
});

describe("session cookie", () => {
  it("is re-sent with a fresh lifetime when an active session is extended", async () => {
    const visitor = new Visitor(server.url);
    await join(visitor, aMember(4));
    // Pretend the session was last seen two hours ago.
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await execute(server.database, `UPDATE "Session" SET "lastSeenAt" = ?`, twoHoursAgo);
    const page = await visitor.get("/me/settings");
    expect(page.status).toBe(200);
    const cookie = page.headers.getSetCookie().find((c) => c.startsWith("paranet_session="));
    expect(cookie).toMatch(/Max-Age=2592000/);
    const again = await visitor.get("/me/settings");
    expect(again.headers.getSetCookie()).toEqual([]);
  });
});

describe("with PUBLIC_URL set", () => {
  it("a browser on the server's direct address can still post (no 500)", async () => {
    const pinned = await startServer({ env: { PUBLIC_URL: "https://forum.example.org" } });
    try {
      const res = await new Visitor(pinned.url).post("/join", aMember(5), { "Sec-Fetch-Site": "same-origin" });
      expect(res.status).toBe(302);
    } finally {
      await pinned.stop();
    }
  });
});

describe("sockets", () => {
  it("refuse a handshake from another origin", async () => {
    const status = (origin: string) =>
      new Promise<number>((resolve, reject) => {
        http
          .get(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { Origin: origin } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on("error", reject);
      });
    expect(await status(server.url)).toBe(200);
    expect(await status("http://evil.example")).toBe(403);
  });
});
