// Models against a real database (a private copy of the migrated base: a SQLite file, or a PostgreSQL database).
import type { JoinInput } from "~/lib/validation";
import { joinInput } from "../helpers/members";
import { beforeAll, describe, expect, it } from "vitest";
import { db, prepareDatabase } from "~/db/client.server";
import { COMPETENCY_AREAS } from "~/lib/domain";
import { ConflictError, ForbiddenError, TooManyRequestsError, ValidationError } from "~/lib/errors";
import { clearHits, countAttempt, recordHit, refundHit } from "~/models/rate-limit.server";
import { createSession, findSessionUser } from "~/models/session.server";
import { issueSetupTokenIfNeeded, isSetupTokenValid, updateCommunitySettings } from "~/models/setting.server";
import { ensureCompetencyAreas, listCompetencyAreas } from "~/models/tag.server";
import {
  authenticate,
  createFirstAdmin,
  createMember,
  LOGIN_LIMIT_PER_ACCOUNT_AND_IP,
  LOGIN_LIMIT_PER_IP,
  setMemberRole,
  updateIdentification,
} from "~/models/user.server";
import type { Actor } from "~/lib/domain";

const input = (n: number, extra: Partial<JoinInput> = {}) =>
  joinInput(`m${n}`, { displayName: `Member ${n}`, jobTitle: "Library Assistant", worksite: "Oak School", ...extra });

beforeAll(async () => {
  await prepareDatabase();
});

describe("database connection", () => {
  // The engine's own settings are in models.sqlite.test.ts and models.postgres.test.ts.
  it("refuses a row whose foreign keys point nowhere", async () => {
    await expect(db.threadFollow.create({ data: { userId: 987_654, threadId: 987_654 } })).rejects.toMatchObject({ code: "P2003" });
  });
});

describe("competency areas", () => {
  it("creates the ten LSSC areas once, in order", async () => {
    await ensureCompetencyAreas();
    await ensureCompetencyAreas();
    const areas = await listCompetencyAreas();
    expect(areas.map((a) => a.name)).toEqual(COMPETENCY_AREAS.map((a) => a.name));
    expect(areas).toHaveLength(10);
    expect(areas.every((a) => a.scopeNote.length > 20)).toBe(true);
  });
});

describe("setup token and first admin", () => {
  it("issues a token while no admin exists; it creates one admin, once", async () => {
    // Two processes starting at once each print a link: both work, until one is used.
    const other = (await issueSetupTokenIfNeeded())!;
    const token = (await issueSetupTokenIfNeeded())!;
    expect(token).toBeTruthy();
    expect(other).not.toBe(token);
    expect(await isSetupTokenValid(token)).toBe(true);
    expect(await isSetupTokenValid(other)).toBe(true);
    expect(await isSetupTokenValid(token + "x")).toBe(false);
    // Both used at once (by the same person, twice): one admin, whichever link wins.
    const results = await Promise.allSettled([createFirstAdmin(token, input(1)), createFirstAdmin(other, input(1))]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = (results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason;
    expect(loser instanceof ForbiddenError || loser instanceof ValidationError, String(loser)).toBe(true);
    expect(await db.user.count({ where: { role: "admin" } })).toBe(1);
    const admin = (results.find((r) => r.status === "fulfilled") as PromiseFulfilledResult<{ role: string; handle: string }>).value;
    expect(admin.role).toBe("admin");
    await expect(createFirstAdmin(token, input(3))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createFirstAdmin(other, input(3))).rejects.toBeInstanceOf(ForbiddenError);
    expect(await isSetupTokenValid(other)).toBe(false);
    expect(await issueSetupTokenIfNeeded()).toBeNull();
  });
});

describe("roles", () => {
  it("only admins change roles, and the last admin stays", async () => {
    const admin = await db.user.findUniqueOrThrow({ where: { handle: "m1" } });
    const actor: Actor = { id: admin.id, role: "admin" };
    const member = await createMember(input(3), "10.0.0.1");
    await expect(setMemberRole({ id: member.id, role: "member" }, member.id, "admin")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setMemberRole({ id: member.id, role: "moderator" }, member.id, "admin")).rejects.toBeInstanceOf(ForbiddenError);
    expect((await setMemberRole(actor, member.id, "moderator")).role).toBe("moderator");
    await expect(setMemberRole(actor, admin.id, "member")).rejects.toBeInstanceOf(ConflictError);
    const audit = await db.auditEvent.findFirst({ where: { action: "member.role_changed", subjectId: member.id } });
    expect(audit).toMatchObject({ actorId: admin.id, detail: "member → moderator" });
  });

  it("members edit only their own identification", async () => {
    const a = await createMember(input(4), "10.0.0.1");
    const b = await createMember(input(5), "10.0.0.1");
    await expect(updateIdentification({ id: a.id, role: "member" }, b.id, { ...input(5), about: "" })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("worksite is required unless an admin makes it optional", async () => {
    await expect(createMember(input(6, { worksite: "" }), "10.0.0.1")).rejects.toBeInstanceOf(ValidationError);
    const admin = await db.user.findUniqueOrThrow({ where: { handle: "m1" } });
    await expect(updateCommunitySettings({ id: 99, role: "moderator" }, { worksiteRequired: false })).rejects.toBeInstanceOf(ForbiddenError);
    await updateCommunitySettings({ id: admin.id, role: "admin" }, { worksiteRequired: false });
    expect((await createMember(input(6, { worksite: "" }), "10.0.0.1")).worksite).toBe("");
    await updateCommunitySettings({ id: admin.id, role: "admin" }, { worksiteRequired: true });
  });
});

describe("authentication", () => {
  it("returns the member for the right password and null otherwise", async () => {
    await createMember(input(7), "10.0.0.1");
    expect((await authenticate("M7@example.org", "correct horse battery", "1.1.1.1"))?.handle).toBe("m7");
    expect(await authenticate("m7@example.org", "wrong", "1.1.1.1")).toBeNull();
    expect(await authenticate("nobody@example.org", "wrong", "1.1.1.1")).toBeNull();
  });

  it("throttles one address guessing one account, without locking the member out elsewhere", async () => {
    await createMember(input(9), "10.0.0.1");
    for (let i = 0; i < LOGIN_LIMIT_PER_ACCOUNT_AND_IP.limit; i++) expect(await authenticate("m9@example.org", "wrong", "6.6.6.6")).toBeNull();
    await expect(authenticate("m9@example.org", "correct horse battery", "6.6.6.6")).rejects.toBeInstanceOf(TooManyRequestsError);
    expect((await authenticate("m9@example.org", "correct horse battery", "7.7.7.7"))?.handle).toBe("m9");
  });

  it("counts parallel attempts: none slips past the limit", async () => {
    await createMember(input(10), "10.0.0.1");
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => authenticate("m10@example.org", "wrong", "8.8.8.8")));
    const throttled = results.filter((r) => r.status === "rejected" && r.reason instanceof TooManyRequestsError);
    expect(throttled).toHaveLength(30 - LOGIN_LIMIT_PER_ACCOUNT_AND_IP.limit);
  });

  it("does not count correct passwords against a shared address", async () => {
    await createMember(input(11), "10.0.0.1");
    for (let i = 0; i < LOGIN_LIMIT_PER_IP.limit + 5; i++) {
      expect((await authenticate("m11@example.org", "correct horse battery", "9.9.9.9"))?.handle).toBe("m11");
    }
  });
});

describe("rate limits", () => {
  it("counts within a window and resets after it", async () => {
    // A window long enough for five round trips to a database server on a busy machine; then wait for its end.
    const w = { limit: 2, windowMs: 1000 };
    const first = await recordHit("k", w);
    expect(first.count).toBe(1);
    expect((await recordHit("k", w)).count).toBe(2);
    await expect(countAttempt([["k", w]], (m) => `wait ${m}`)).rejects.toThrow("wait 1");
    await refundHit("k");
    expect((await recordHit("k", w)).count).toBe(3);
    expect(Date.now()).toBeLessThan(first.resetAt);
    await new Promise((r) => setTimeout(r, first.resetAt - Date.now() + 5));
    expect((await recordHit("k", w)).count).toBe(1);
    await clearHits("k");
    expect(await db.rateLimit.count({ where: { key: "k" } })).toBe(0);
  });

  it("throttles joining from one address", async () => {
    const results = await Promise.allSettled(Array.from({ length: 32 }, (_, i) => createMember(input(100 + i), "5.5.5.5")));
    expect(results.filter((r) => r.status === "rejected" && r.reason instanceof TooManyRequestsError)).toHaveLength(2);
  });
});

describe("sessions", () => {
  it("keeps only a hash of the token", async () => {
    const member = await createMember(input(8), "10.0.0.1");
    const token = await createSession(member.id);
    expect(await db.session.count({ where: { id: token } })).toBe(0);
    expect((await findSessionUser(token))?.user.handle).toBe("m8");
    expect(await findSessionUser(token + "x")).toBeNull();
  });
});
