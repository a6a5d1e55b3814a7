import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { queryOne } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
const admin = aMember("admin", { handle: "first-admin", displayName: "Avery Admin" });

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

async function userId(handle: string): Promise<number> {
  return (await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "User" WHERE "handle" = ?`, handle)).id;
}

describe("first admin via the one-time setup link", () => {
  it("prints a setup link at start-up", () => {
    expect(server.setupToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(server.output()).toContain(`/setup?token=${server.setupToken}`);
  });

  it("refuses the setup page without the right token", async () => {
    expect((await new Visitor(server.url).get("/setup")).status).toBe(403);
    expect((await new Visitor(server.url).get("/setup?token=wrong")).status).toBe(403);
  });

  it("creates the first admin, then refuses a second use of the link", async () => {
    const visitor = new Visitor(server.url);
    const page = await visitor.get(`/setup?token=${server.setupToken}`);
    expect(page.status).toBe(200);
    expect(textOf(page.body)).toContain("Create the first admin account");

    const bad = await visitor.post(`/setup?token=${server.setupToken}`, { ...admin, password: "short" });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('value="Avery Admin"');

    const res = await visitor.post(`/setup?token=${server.setupToken}`, admin);
    expect(res.status).toBe(302);
    expect(res.location).toBe("/admin/members?welcome=1");
    expect((await visitor.get("/admin/members")).status).toBe(200);

    const again = new Visitor(server.url);
    expect((await again.get(`/setup?token=${server.setupToken}`)).status).toBe(403);
    const reuse = await again.post(`/setup?token=${server.setupToken}`, aMember(99));
    expect(reuse.status).toBe(403);
    expect(await queryOne(server.database, `SELECT COUNT(*) AS "n" FROM "User" WHERE "role" = 'admin'`)).toEqual({ n: 1 });
  });
});

describe("roles", () => {
  let adminVisitor: Visitor;
  let memberVisitor: Visitor;
  beforeAll(async () => {
    adminVisitor = new Visitor(server.url);
    await adminVisitor.post("/login", { email: admin.email, password: admin.password });
    memberVisitor = new Visitor(server.url);
    await join(memberVisitor, aMember(1));
  });

  it("lets an admin promote a member to moderator and demote them again", async () => {
    const id = await userId("member1");
    const promote = await adminVisitor.post("/admin/members", { userId: String(id), role: "moderator" });
    expect(promote.status).toBe(200);
    expect(textOf(promote.body)).toContain("@member1 is now moderator.");
    expect(textOf((await new Visitor(server.url).get("/u/member1")).body)).toContain("Moderator");
    const list = textOf((await adminVisitor.get("/admin/members")).body);
    expect(list).toContain("@first-admin changed @member1 (member → moderator)");

    const demote = await adminVisitor.post("/admin/members", { userId: String(id), role: "member" });
    expect(textOf(demote.body)).toContain("@member1 is now member.");
  });

  it("refuses members and guests", async () => {
    expect((await memberVisitor.get("/admin/members")).status).toBe(403);
    const post = await memberVisitor.post("/admin/members", { userId: String(await userId("member1")), role: "admin" });
    expect(post.status).toBe(403);
    const guest = await new Visitor(server.url).get("/admin/members");
    expect(guest.status).toBe(302);
    expect(guest.location).toContain("/login?redirectTo=");
    expect(textOf((await new Visitor(server.url).get("/u/member1")).body)).not.toContain("Admin");
  });

  it("refuses removing the only admin", async () => {
    const res = await adminVisitor.post("/admin/members", { userId: String(await userId("first-admin")), role: "member" });
    expect(res.status).toBe(409);
    expect(textOf(res.body)).toContain("This is the only admin.");
  });

  it("rejects an unknown role with a message", async () => {
    const res = await adminVisitor.post("/admin/members", { userId: String(await userId("member1")), role: "overlord" });
    expect(res.status).toBe(400);
    expect(textOf(res.body)).toContain("Choose member, moderator or admin.");
  });

  it("lets an admin make the worksite optional for new members", async () => {
    expect((await new Visitor(server.url).post("/join", aMember(2, { worksite: "" }))).status).toBe(400);
    const saved = await adminVisitor.post("/admin/settings", {});
    expect(textOf(saved.body)).toContain("Settings saved.");
    expect((await new Visitor(server.url).post("/join", aMember(2, { worksite: "" }))).status).toBe(302);
    expect((await memberVisitor.post("/admin/settings", { worksiteRequired: "on" })).status).toBe(403);
  });
});

describe("password reset links", () => {
  it("an admin issues a one-time link; the member chooses a new password with it", async () => {
    const adminVisitor = new Visitor(server.url);
    await adminVisitor.post("/login", { email: admin.email, password: admin.password });
    const member = aMember(50);
    const memberBrowser = new Visitor(server.url);
    await join(memberBrowser, member);

    const made = await memberBrowser.post("/me/settings", { intent: "create-token", name: "newsletter script" });
    const apiToken = /value="(pnt_[A-Za-z0-9_-]+)"/.exec(made.body)![1];
    const apiStatus = async () => (await fetch(`${server.url}/api/v1/threads`, { headers: { Authorization: `Bearer ${apiToken}` } })).status;
    expect(await apiStatus()).toBe(200);

    const notAdmin = await memberBrowser.post("/admin/members", { intent: "reset", userId: String(await userId("member50")) });
    expect(notAdmin.status).toBe(403);

    const issued = await adminVisitor.post("/admin/members", { intent: "reset", userId: String(await userId("member50")) });
    expect(issued.status).toBe(200);
    expect(textOf(issued.body)).toContain("Send this one-time link to @member50");
    const link = /value="(http[^"]+\/reset-password\?token=[^"]+)"/.exec(issued.body)?.[1];
    expect(link).toBeTruthy();
    const path = new URL(link!).pathname + new URL(link!).search;

    const guest = new Visitor(server.url);
    const page = await guest.get(path);
    expect(page.status).toBe(200);
    expect(textOf(page.body)).toContain("@member50");
    const mismatch = await guest.post(path, { newPassword: "a fresh passphrase", confirmPassword: "different" });
    expect(mismatch.status).toBe(400);
    expect(textOf(mismatch.body)).toContain("The two new passwords do not match.");

    const done = await guest.post(path, { newPassword: "a fresh passphrase", confirmPassword: "a fresh passphrase" });
    expect(done.status).toBe(302);
    expect(done.location).toBe("/me/settings?reset=1");
    expect((await guest.get("/me/settings")).status).toBe(200);

    // The old password, the member's other sessions and API tokens stop working; the link is spent.
    expect((await memberBrowser.get("/me/settings")).status).toBe(302);
    expect(await apiStatus()).toBe(401);
    expect((await new Visitor(server.url).post("/login", { email: member.email, password: member.password })).status).toBe(401);
    expect((await new Visitor(server.url).post("/login", { email: member.email, password: "a fresh passphrase" })).status).toBe(302);
    expect((await new Visitor(server.url).get(path)).status).toBe(403);
    expect((await new Visitor(server.url).post(path, { newPassword: "another passphrase", confirmPassword: "another passphrase" })).status).toBe(403);
    expect((await new Visitor(server.url).get("/reset-password?token=forged")).status).toBe(403);
  });
});
