import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("cross-site request forgery", () => {
  it("refuses a form POST from another origin with 403 and changes nothing", async () => {
    const visitor = new Visitor(server.url);
    const res = await visitor.post("/join", aMember(1), { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(textOf(res.body)).toContain("came from another website");
    // The account was not created: joining from the real site still works.
    await join(new Visitor(server.url), aMember(1));
  });

  it("refuses when the browser labels the request cross-site", async () => {
    const res = await new Visitor(server.url).post(
      "/login",
      { email: "a@b.org", password: "xxxxxxxxxxxx" },
      {
        Origin: "https://evil.example",
        "Sec-Fetch-Site": "cross-site",
      },
    );
    expect(res.status).toBe(403);
  });

  it("refuses a logged-in member's settings change posted by another site", async () => {
    const visitor = new Visitor(server.url);
    await join(visitor, aMember(2));
    const res = await visitor.post(
      "/me/settings",
      { intent: "profile", displayName: "Hacked", jobTitle: "Hacked", worksite: "Hacked" },
      { Origin: "http://127.0.0.1.evil.example", "Sec-Fetch-Site": "cross-site" },
    );
    expect(res.status).toBe(403);
    expect(textOf((await visitor.get("/u/member2")).body)).not.toContain("Hacked");
  });

  it("refuses an opaque (null) origin", async () => {
    const res = await new Visitor(server.url).post("/logout", {}, { Origin: "null" });
    expect(res.status).toBe(403);
  });

  it("answers API clients with the JSON error shape", async () => {
    const res = await new Visitor(server.url).post("/join", aMember(3), {
      Origin: "https://evil.example",
      Accept: "application/json",
    });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual({
      error: { code: "cross_origin_refused", message: expect.any(String), fields: {} },
    });
  });

  it("accepts same-origin posts labelled by the browser", async () => {
    const res = await new Visitor(server.url).post("/join", aMember(4), { "Sec-Fetch-Site": "same-origin" });
    expect(res.status).toBe(302);
  });
});

describe("pages and headers", () => {
  it("answers unknown pages with the site's 404 page", async () => {
    const res = await new Visitor(server.url).get("/no/such/page");
    expect(res.status).toBe(404);
    expect(textOf(res.body)).toContain("Page not found");
    expect(res.body).toContain('<nav aria-label="Main"');
  });

  it("answers an unknown member's profile with 404", async () => {
    const res = await new Visitor(server.url).get("/u/nobody-here");
    expect(res.status).toBe(404);
  });

  it("sends security headers and a request id on every response", async () => {
    const res = await new Visitor(server.url).get("/");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("x-powered-by")).toBeNull();
  });

  it("never writes passwords, tokens or session cookies to the log", async () => {
    const visitor = new Visitor(server.url);
    await join(visitor, aMember(5, { password: "a very secret passphrase" }));
    await visitor.get(`/setup?token=${server.setupToken}`);
    const cookieValue = visitor.cookieHeader().split("=")[1];
    const logs = server
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .join("\n");
    expect(logs).toContain('"path":"/join"');
    expect(logs).not.toContain("a very secret passphrase");
    expect(logs).not.toContain(server.setupToken!);
    expect(logs).not.toContain(decodeURIComponent(cookieValue));
  });
});

describe("secure cookies behind https", () => {
  it("marks the session cookie Secure when PUBLIC_URL is https, and accepts that origin only", async () => {
    const secure = await startServer({ env: { PUBLIC_URL: "https://forum.example.org" } });
    try {
      const visitor = new Visitor(secure.url);
      const refused = await visitor.post("/join", aMember(6));
      expect(refused.status).toBe(403); // Origin is http://127.0.0.1:port, not the public origin
      const res = await visitor.post("/join", aMember(6), { Origin: "https://forum.example.org" });
      expect(res.status).toBe(302);
      expect(res.headers.getSetCookie().find((c) => c.startsWith("paranet_session="))).toMatch(/;\s*Secure/i);
      expect(secure.output()).toContain("https://forum.example.org/setup?token=");
    } finally {
      await secure.stop();
    }
  });
});
