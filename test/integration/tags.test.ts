// Tag pages, following, tag management by role, and suggestions, over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aMember, join, textOf, Visitor } from "../helpers/client";
import { execute, queryOne } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
let member: Visitor, moderator: Visitor, guest: Visitor;

beforeAll(async () => {
  server = await startServer();
  [member, moderator, guest] = [new Visitor(server.url), new Visitor(server.url), new Visitor(server.url)];
  await join(member, aMember("member"));
  await join(moderator, aMember("moderator"));
  await execute(server.database, `UPDATE "User" SET "role" = 'moderator' WHERE "handle" = 'membermoderator'`);
});
afterAll(async () => {
  await server?.stop();
});

describe("tag pages", () => {
  it("are listed at /tags", async () => {
    const text = textOf((await guest.get("/tags")).body);
    expect(text).toContain("The ten LSSC competency areas");
    expect(text).toContain("Youth Services");
  });

  it("show the competency area's scope note and its threads; 404 for unknown tags", async () => {
    const page = await guest.get("/tags/cataloging-classification");
    expect(page.status).toBe(200);
    expect(textOf(page.body)).toContain("Cataloging and Classification");
    expect(textOf(page.body)).toContain("MARC, RDA, Dewey");
    expect((await guest.get("/tags/no-such-tag")).status).toBe(404);
  });

  it("can be followed, and appear on /me/following until unfollowed", async () => {
    expect((await member.post("/tags/reference", { intent: "follow" })).status).toBe(302);
    expect(textOf((await member.get("/tags/reference")).body)).toContain("Following ✓");
    expect(textOf((await member.get("/me/following")).body)).toContain("Reference");
    await member.post("/me/following", { tag: "reference" });
    expect(textOf((await member.get("/me/following")).body)).toContain("No tags yet.");
    expect((await guest.post("/tags/reference", { intent: "follow" })).location).toContain("/login");
  });
});

describe("tag management", () => {
  it("is for moderators and admins only", async () => {
    expect((await member.get("/admin/tags")).status).toBe(403);
    expect((await member.post("/admin/tags", { intent: "create", name: "Sneaky", scopeNote: "" })).status).toBe(403);
    expect((await moderator.get("/admin/tags")).status).toBe(200);
    expect((await moderator.get("/admin/members")).status).toBe(403);
    expect((await moderator.get("/admin")).location).toBe("/admin/tags");
  });

  it("takes suggestions from members and lets a moderator accept them", async () => {
    const bad = await member.post("/tags/suggest", { name: "x", scopeNote: "kept text" });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("kept text");
    const sent = await member.post("/tags/suggest", { name: "Book fairs", scopeNote: "Running book fairs" });
    expect(textOf(sent.body)).toContain("A moderator will look at “Book fairs”.");
    const queue = await moderator.get("/admin/tags");
    expect(textOf(queue.body)).toContain("Book fairs — Running book fairs (from @membermember)");
    const id = /name="id" value="(\d+)"[^]*?Accept/.exec(queue.body)![1];
    const accepted = await moderator.post("/admin/tags", { intent: "accept", id });
    expect(textOf(accepted.body)).toContain("Suggestion accepted");
    expect((await guest.get("/tags/book-fairs")).status).toBe(200);
  });

  it("creates, renames and deletes topic tags with messages on bad input", async () => {
    const dup = await moderator.post("/admin/tags", { intent: "create", name: "Book Fairs", scopeNote: "" });
    expect(dup.status).toBe(409);
    expect(textOf(dup.body)).toContain("That tag already exists.");
    expect(textOf((await moderator.post("/admin/tags", { intent: "create", name: "Makerspaces", scopeNote: "" })).body)).toContain("created");
    const id = String((await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "Tag" WHERE "slug" = 'makerspaces'`)).id);
    const competency = String((await queryOne<{ id: number }>(server.database, `SELECT "id" FROM "Tag" WHERE "slug" = 'reference'`)).id);
    expect(textOf((await moderator.post("/admin/tags", { intent: "update", id, name: "Makerspaces and STEM", scopeNote: "3D printers" })).body)).toContain(
      "Tag saved.",
    );
    expect((await guest.get("/tags/makerspaces-and-stem")).status).toBe(200);
    expect((await moderator.post("/admin/tags", { intent: "delete", id: competency })).status).toBe(409);
    for (const bad of ["abc", "Infinity", "-1"])
      expect((await moderator.post("/admin/tags", { intent: "update", id: bad, name: "Xy", scopeNote: "" })).status).toBe(404);
    expect(textOf((await moderator.post("/admin/tags", { intent: "delete", id })).body)).toContain("Tag deleted.");
  });
});
