import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { queryAll, queryOne } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("joining", () => {
  it("creates an account, logs in, and shows the identification card on the profile", async () => {
    const visitor = new Visitor(server.url);
    const res = await join(visitor, aMember(1, { handle: "Dana_K", displayName: "Dana Kowalski" }));
    expect(res.location).toBe("/u/dana_k?welcome=1");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("paranet_session="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);

    const profile = await visitor.get("/u/dana_k");
    expect(profile.status).toBe(200);
    const text = textOf(profile.body);
    expect(text).toContain("Dana Kowalski");
    expect(text).toContain("@dana_k");
    expect(text).toContain("Library Media Assistant · Lincoln Elementary School");
    expect(profile.body).toContain('data-testid="identification-card"');
    // The header shows the member, not the log-in link.
    expect(text).toContain("Log out");
  });

  it("re-renders the form with messages beside the fields and keeps what was typed", async () => {
    const visitor = new Visitor(server.url);
    const res = await visitor.post("/join", {
      email: "not-an-email",
      handle: "x",
      password: "tiny-pw1",
      displayName: "Pat Lee",
      jobTitle: "",
      worksite: "Oak Branch Library",
    });
    expect(res.status).toBe(400);
    const text = textOf(res.body);
    expect(text).toContain("Enter an email address like name@example.org.");
    expect(text).toContain("Handle must be at least 3 characters.");
    expect(text).toContain("Password must be at least 10 characters.");
    expect(text).toContain("Job title is required.");
    expect(text).not.toContain("Worksite is required"); // a worksite was given
    // The user's text is kept (the password is deliberately not echoed back).
    expect(res.body).toContain('value="not-an-email"');
    expect(res.body).toContain('value="Pat Lee"');
    expect(res.body).toContain('value="Oak Branch Library"');
    expect(res.body).not.toContain("tiny-pw1");
    expect(res.body).toMatch(/<input[^>]*name="email"[^>]*aria-invalid="true"[^>]*aria-describedby="email-hint email-error"/);
    expect(visitor.hasCookie("paranet_session")).toBe(false);
  });

  it("refuses a taken email or handle with a message on that field", async () => {
    const first = new Visitor(server.url);
    await join(first, aMember(2));
    const second = new Visitor(server.url);
    const res = await second.post("/join", aMember(2, { email: "MEMBER2@example.org" }));
    expect(res.status).toBe(409);
    const text = textOf(res.body);
    expect(text).toContain("An account with this email already exists.");
    expect(text).toContain("That handle is taken.");
  });

  it("requires a worksite by default, reported together with the other mistakes", async () => {
    const res = await new Visitor(server.url).post("/join", aMember(3, { worksite: "", jobTitle: "" }));
    expect(res.status).toBe(400);
    expect(textOf(res.body)).toContain("Worksite is required");
    expect(textOf(res.body)).toContain("Job title is required.");
  });

  it("stores a password hash, never the password", async () => {
    await join(new Visitor(server.url), aMember(4, { password: "my secret library phrase" }));
    const row = await queryOne<{ passwordHash: string }>(server.database, `SELECT "passwordHash" FROM "User" WHERE "handle" = ?`, "member4");
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain("my secret library phrase");
    const sessions = await queryAll<{ id: string }>(server.database, `SELECT "id" FROM "Session"`);
    expect(sessions.length).toBeGreaterThan(0);
    for (const s of sessions) expect(s.id).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("logging in and out", () => {
  const member = aMember(10);
  beforeAll(async () => {
    await join(new Visitor(server.url), member);
  });

  it("logs in with the right password and returns to where the member was going", async () => {
    const visitor = new Visitor(server.url);
    const res = await visitor.post("/login", { email: "Member10@Example.org", password: member.password, redirectTo: "/me/settings" });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/me/settings");
    const settings = await visitor.get("/me/settings");
    expect(settings.status).toBe(200);
    expect(textOf(settings.body)).toContain("member10@example.org");
  });

  it("never redirects to another site after logging in", async () => {
    const visitor = new Visitor(server.url);
    const res = await visitor.post("/login", { email: member.email, password: member.password, redirectTo: "//evil.example/x" });
    expect(res.location).toBe("/");
  });

  it("gives one generic message for a wrong password and for an unknown email", async () => {
    const wrong = await new Visitor(server.url).post("/login", { email: member.email, password: "wrong password!" });
    const unknown = await new Visitor(server.url).post("/login", { email: "nobody@example.org", password: "wrong password!" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = "That email and password don't match an account.";
    expect(textOf(wrong.body)).toContain(message);
    expect(textOf(unknown.body)).toContain(message);
    expect(wrong.body).toContain(`value="${member.email}"`);
  });

  it("logs out with a POST, and the old session cookie stops working", async () => {
    const visitor = new Visitor(server.url);
    await visitor.post("/login", { email: member.email, password: member.password });
    const stolenCookie = visitor.cookieHeader();
    expect((await visitor.get("/me/settings")).status).toBe(200);

    // A GET only asks to confirm.
    expect((await visitor.get("/logout")).status).toBe(200);
    expect((await visitor.get("/me/settings")).status).toBe(200);

    const out = await visitor.post("/logout", {});
    expect(out.status).toBe(302);
    expect(visitor.hasCookie("paranet_session")).toBe(false);
    const again = await visitor.get("/me/settings");
    expect(again.status).toBe(302);
    expect(again.location).toBe("/login?redirectTo=%2Fme%2Fsettings");

    const replay = await fetch(`${server.url}/me/settings`, { headers: { Cookie: stolenCookie }, redirect: "manual" });
    expect(replay.status).toBe(302);
  });
});

describe("log-in throttling", () => {
  it("throttles 30 rapid wrong passwords for one account, even when the right one follows", async () => {
    const member = aMember(20);
    await join(new Visitor(server.url), member);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await new Visitor(server.url).post(
        "/login",
        { email: member.email, password: `guess number ${i}` },
        { "X-Forwarded-For": `10.0.0.${i}` }, // ignored: TRUST_PROXY is off
      );
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);

    const right = await new Visitor(server.url).post("/login", { email: member.email, password: member.password });
    expect(right.status).toBe(429);
    expect(right.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(textOf(right.body)).toContain("Too many log-in attempts");
  });
});

describe("settings", () => {
  const member = aMember(30);
  let visitor: Visitor;
  beforeAll(async () => {
    visitor = new Visitor(server.url);
    await join(visitor, member);
  });

  it("saves identification and shows it on the profile", async () => {
    const res = await visitor.post("/me/settings", {
      intent: "profile",
      displayName: "Member Thirty",
      jobTitle: "Circulation Clerk",
      worksite: "Maple Public Library",
      memberKind: "support_staff",
      libraryType: "public",
      region: "Ohio",
      yearsInLibraryWork: "12",
      hasLssc: "on",
      stateCertification: "PARA level 2",
      otherCredentials: "",
      about: "I run circulation and love readers' advisory.",
    });
    expect(res.status).toBe(200);
    expect(textOf(res.body)).toContain("Your profile is saved.");
    const text = textOf((await visitor.get("/u/member30")).body);
    expect(text).toContain("Member Thirty");
    expect(text).toContain("Circulation Clerk · Maple Public Library");
    expect(text).toContain("Public library, Ohio");
    expect(text).toContain("12 years in library work");
    expect(text).toContain("LSSC");
    expect(text).toContain("PARA level 2");
    expect(text).toContain("I run circulation and love readers' advisory.");
  });

  it("rejects bad input with messages beside the fields and keeps the text", async () => {
    const res = await visitor.post("/me/settings", {
      intent: "profile",
      displayName: "",
      jobTitle: "Circulation Clerk (evenings)",
      worksite: "Maple Public Library",
      memberKind: "wizard",
      libraryType: "castle",
      region: "Ohio",
      yearsInLibraryWork: "lots",
      about: "Text I typed and do not want to lose.",
    });
    expect(res.status).toBe(400);
    const text = textOf(res.body);
    expect(text).toContain("Display name is required.");
    expect(text).toContain("Choose what best describes you.");
    expect(text).toContain("Choose a library type from the list.");
    expect(text).toContain("Years in library work must be a whole number from 0 to 99.");
    expect(res.body).toContain('value="Circulation Clerk (evenings)"');
    expect(res.body).toContain('value="lots"');
    expect(res.body).toContain("Text I typed and do not want to lose.");
    // Nothing was saved.
    expect(textOf((await visitor.get("/u/member30")).body)).toContain("Member Thirty");
  });

  it("changes the password: wrong current password refused; other browsers logged out", async () => {
    const other = new Visitor(server.url);
    await other.post("/login", { email: member.email, password: member.password });
    expect((await other.get("/me/settings")).status).toBe(200);

    const wrong = await visitor.post("/me/settings", {
      intent: "password",
      currentPassword: "not my password",
      newPassword: "a brand new passphrase",
      confirmPassword: "a brand new passphrase",
    });
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.body)).toContain("That is not your current password.");

    const mismatch = await visitor.post("/me/settings", {
      intent: "password",
      currentPassword: member.password,
      newPassword: "a brand new passphrase",
      confirmPassword: "something else entirely",
    });
    expect(textOf(mismatch.body)).toContain("The two new passwords do not match.");

    const ok = await visitor.post("/me/settings", {
      intent: "password",
      currentPassword: member.password,
      newPassword: "a brand new passphrase",
      confirmPassword: "a brand new passphrase",
    });
    expect(ok.status).toBe(200);
    expect(textOf(ok.body)).toContain("Your password is changed.");
    expect((await visitor.get("/me/settings")).status).toBe(200);
    expect((await other.get("/me/settings")).status).toBe(302);

    expect((await new Visitor(server.url).post("/login", { email: member.email, password: member.password })).status).toBe(401);
    expect((await new Visitor(server.url).post("/login", { email: member.email, password: "a brand new passphrase" })).status).toBe(302);
  });

  it("asks whether a password change also revokes the API tokens (ticked by default), and does what was asked", async () => {
    const newToken = async (browser: Visitor) => {
      const res = await browser.post("/me/settings", { intent: "create-token", name: "my script" });
      return /value="(pnt_[A-Za-z0-9_-]+)"/.exec(res.body)![1];
    };
    const apiStatus = async (token: string) => (await fetch(`${server.url}/api/v1/threads`, { headers: { Authorization: `Bearer ${token}` } })).status;
    const owner = aMember("tokenowner");
    const browser = new Visitor(server.url);
    await join(browser, owner);
    const form = (await browser.get("/me/settings")).body;
    expect(textOf(form)).toContain("Also revoke my API tokens");
    expect(form).toMatch(/<input[^>]*name="revokeApiTokens"[^>]*checked=""|<input[^>]*checked=""[^>]*name="revokeApiTokens"/);

    // Unticked (a browser sends no value): the tokens keep working, and the member is told so.
    const kept = await newToken(browser);
    expect(await apiStatus(kept)).toBe(200);
    const unticked = await browser.post("/me/settings", {
      intent: "password",
      currentPassword: owner.password,
      newPassword: "second passphrase here",
      confirmPassword: "second passphrase here",
    });
    expect(textOf(unticked.body)).toContain("Your API tokens still work.");
    expect(await apiStatus(kept)).toBe(200);

    // A failed change keeps the box as it was.
    const failed = await browser.post("/me/settings", { intent: "password", currentPassword: "wrong", newPassword: "x", confirmPassword: "y" });
    expect(failed.status).toBe(400);
    expect(failed.body).not.toMatch(/<input[^>]*name="revokeApiTokens"[^>]*checked=""|<input[^>]*checked=""[^>]*name="revokeApiTokens"/);

    // Ticked: every token of the member stops working at once.
    const other = await newToken(browser);
    const ticked = await browser.post("/me/settings", {
      intent: "password",
      currentPassword: "second passphrase here",
      newPassword: "third passphrase here",
      confirmPassword: "third passphrase here",
      revokeApiTokens: "on",
    });
    expect(ticked.status).toBe(200);
    expect(textOf(ticked.body)).toContain("Your API tokens (2) are revoked.");
    expect(await apiStatus(kept)).toBe(401);
    expect(await apiStatus(other)).toBe(401);
    expect((await browser.get("/me/settings")).status).toBe(200);
  });
});
