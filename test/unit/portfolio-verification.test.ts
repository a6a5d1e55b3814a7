// Verification of portfolio entries against a real database (issue 19): what
// the outbox subscribers do when an event is delivered twice (after a crash),
// and two decisions at once.
import { beforeAll, describe, expect, it } from "vitest";
import { db, prepareDatabase } from "~/db/client.server";
import type { Actor } from "~/lib/domain";
import { notifyFor } from "~/models/notification.server";
import { createEntry } from "~/models/portfolio.server";
import { askVerification, decideByToken, mailVerificationRequest, verificationFor } from "~/models/portfolio-verification.server";
import { ensureCompetencyAreas } from "~/models/tag.server";
import { createMember } from "~/models/user.server";
import { sha256 } from "~/lib/tokens.server";
import { joinInput } from "../helpers/members";

let owner: Actor;
let verifier: Actor;
let n = 0;

beforeAll(async () => {
  await prepareDatabase();
  await ensureCompetencyAreas();
  const member = async (handle: string): Promise<Actor> => ({ id: (await createMember(joinInput(handle), "10.9.0.1")).id, role: "member" });
  owner = await member("vowner");
  verifier = await member("vverifier");
});

async function entry(): Promise<number> {
  const e = await createEntry(owner, {
    type: "course",
    title: `A course ${++n}`,
    provider: "",
    startedOn: "2026-01-05",
    endedOn: "2026-01-05",
    quantity: 2,
    unit: "hours",
    reflection: "",
    areas: [{ area: "reference", hours: 2 }],
  });
  return e.id;
}
const newest = (entryId: number) => db.verification.findFirstOrThrow({ where: { entryId }, orderBy: { id: "desc" } });
const tokenIn = (message: string) => /\/verify\/([A-Za-z0-9_-]{43})/.exec(message)![1];

describe("the request's mail", () => {
  it("is queued once, with the token whose hash is stored: a second delivery of the event changes nothing", async () => {
    const id = await entry();
    await askVerification(owner, id, { verifier: { email: "boss@library.example", name: "Boss" }, message: "" });
    const v = await newest(id);
    expect(await mailVerificationRequest(v.id)).toBe(true);
    const stored = (await newest(id)).tokenHash;
    expect(stored).not.toBe(v.tokenHash);
    expect(await mailVerificationRequest(v.id)).toBe(false);
    const jobs = await db.mailJob.findMany({ where: { key: `verification:${v.id}` } });
    expect(jobs).toHaveLength(1);
    expect(sha256(tokenIn(jobs[0].message))).toBe(stored);
    expect((await newest(id)).tokenHash).toBe(stored);
  });

  it("is not sent for a request replaced before the mailer came, nor to a member", async () => {
    const id = await entry();
    await askVerification(owner, id, { verifier: { email: "first@library.example", name: "First" }, message: "" });
    const first = await newest(id);
    await askVerification(owner, id, { verifier: { handle: "vverifier" }, message: "" });
    const second = await newest(id);
    expect((await db.verification.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("replaced");
    expect(await mailVerificationRequest(first.id)).toBe(false);
    expect(await mailVerificationRequest(second.id)).toBe(false);
    expect(await db.mailJob.count({ where: { key: { in: [`verification:${first.id}`, `verification:${second.id}`] } } })).toBe(0);
  });
});

describe("notifications", () => {
  it("tell the member asked once, and the owner once, however often the event is delivered", async () => {
    const id = await entry();
    await askVerification(owner, id, { verifier: { handle: "vverifier" }, message: "Please" });
    const v = await newest(id);
    const event = { type: "portfolio.verification_requested" as const, verificationId: v.id };
    expect(await notifyFor(event, 900_001)).toBe(1);
    expect(await notifyFor(event, 900_001)).toBe(0);
    const decided = { type: "portfolio.verification_decided" as const, verificationId: v.id, decision: "declined" as const };
    expect(await notifyFor(decided, 900_002)).toBe(1);
    expect(await notifyFor(decided, 900_002)).toBe(0);
    const told = await db.notification.findMany({
      where: { verificationId: v.id },
      orderBy: { id: "asc" },
      select: { userId: true, kind: true, actorId: true },
    });
    expect(told).toEqual([
      { userId: verifier.id, kind: "verification_requested", actorId: owner.id },
      { userId: owner.id, kind: "verification_declined", actorId: verifier.id },
    ]);
  });
});

describe("deciding", () => {
  it("two decisions at once: one stands, one event is recorded", async () => {
    const id = await entry();
    await askVerification(owner, id, { verifier: { email: "both@library.example", name: "Both" }, message: "" });
    const v = await newest(id);
    await mailVerificationRequest(v.id);
    const job = await db.mailJob.findFirstOrThrow({ where: { key: `verification:${v.id}` } });
    const token = tokenIn(job.message);
    const before = await db.outboxEvent.count({ where: { type: "portfolio.verification_decided" } });
    const pages = await Promise.all([
      decideByToken(token, null, { decision: "confirmed", name: "Yes Person", note: "yes" }),
      decideByToken(token, null, { decision: "declined", name: "No Person", note: "no" }),
    ]);
    expect(pages.every((p) => p.state === "decided")).toBe(true);
    expect(await db.outboxEvent.count({ where: { type: "portfolio.verification_decided" } })).toBe(before + 1);
    const state = await verificationFor(owner, id);
    expect(["confirmed", "declined"]).toContain(state.status);
    const row = await db.verification.findUniqueOrThrow({ where: { id: v.id } });
    // The name and note are the winner's, never a mix of the two.
    expect([row.verifierName, row.note]).toEqual(row.status === "confirmed" ? ["Yes Person", "yes"] : ["No Person", "no"]);
  });
});
