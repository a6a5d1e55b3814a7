// The hourly housekeeping (server/main.ts): expired sessions, spent rate-limit
// counters, live events past their retention, sent mail after 30 days and the
// record of inbound mail after 90. Rows are written by the code that writes
// them in production, so a prune that compares another format than the one
// stored (ISO text against a number, say) fails here.
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db, prepareDatabase } from "~/db/client.server";
import { LIVE_EVENT_RETENTION_MS, pruneLiveEvents, recordLiveEvent } from "~/models/live-event.server";
import { mailSent, pruneMail, queueMail } from "~/models/mail.server";
import { pruneExpiredHits, recordHit } from "~/models/rate-limit.server";
import { createSession, findSessionUser, pruneExpiredSessions } from "~/models/session.server";
import { createMember } from "~/models/user.server";
import { joinInput } from "../helpers/members";

const DAY = 24 * 60 * 60_000;
let userId: number;

beforeAll(async () => {
  await prepareDatabase();
  const user = await createMember(joinInput("tidy"), "192.0.2.1");
  userId = user.id;
});

describe("housekeeping", () => {
  it("removes expired sessions and keeps live ones", async () => {
    const expired = await createSession(userId);
    const live = await createSession(userId);
    await db.session.update({ where: { id: createHash("sha256").update(expired).digest("hex") }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const before = await db.session.count({ where: { userId } });
    await pruneExpiredSessions();
    expect(await db.session.count({ where: { userId } })).toBe(before - 1);
    expect(await findSessionUser(live)).not.toBeNull();
    expect(await findSessionUser(expired)).toBeNull();
  });

  it("removes rate-limit counters whose window has passed, and only those", async () => {
    await recordHit("test:spent", { limit: 5, windowMs: 1 });
    await recordHit("test:running", { limit: 5, windowMs: 60_000 });
    // Wait on the counter itself, not a guess: its window ends at resetAt.
    const spent = await db.rateLimit.findUniqueOrThrow({ where: { key: "test:spent" } });
    while (Date.now() <= Number(spent.resetAt)) await new Promise((r) => setImmediate(r));
    await pruneExpiredHits();
    const keys = (await db.rateLimit.findMany({ where: { key: { startsWith: "test:" } } })).map((r) => r.key);
    expect(keys).toEqual(["test:running"]);
  });

  it("removes live events (and their rooms) older than the retention, and keeps the rest", async () => {
    const stored = await recordLiveEvent({ ref: { type: "thread.created", threadId: 999_999 }, rooms: ["threads", "test-room"] });
    const id = stored?.event.id ?? (await db.liveEvent.findFirstOrThrow({ orderBy: { id: "desc" } })).id;
    await pruneLiveEvents(Date.now() + LIVE_EVENT_RETENTION_MS - 60_000);
    expect(await db.liveEvent.count({ where: { id } })).toBe(1);
    await pruneLiveEvents(Date.now() + LIVE_EVENT_RETENTION_MS + 60_000);
    expect(await db.liveEvent.count({ where: { id } })).toBe(0);
    expect(await db.liveEventRoom.count({ where: { eventId: id } })).toBe(0);
  });

  it("removes sent mail after 30 days and inbound records after 90, never mail still to send", async () => {
    const message = { to: "tidy@example.org", subject: "Kept for the outbox page", text: "Hello", html: "<p>Hello</p>", headers: {} };
    await queueMail({ key: "test:sent", kind: "notification", userId, message });
    await queueMail({ key: "test:pending", kind: "notification", userId, message });
    const sent = await db.mailJob.findUniqueOrThrow({ where: { key: "test:sent" } });
    await mailSent(sent.id);
    await db.inboundMail.create({ data: { messageId: "<test@example.org>", fromAddress: "tidy@example.org", status: "refused", reason: "test" } });
    const jobs = async () => (await db.mailJob.findMany({ where: { key: { startsWith: "test:" } }, orderBy: { key: "asc" } })).map((j) => j.key);
    const inbound = () => db.inboundMail.count({ where: { messageId: "<test@example.org>" } });

    await pruneMail(Date.now() + 29 * DAY);
    expect(await jobs()).toEqual(["test:pending", "test:sent"]);
    await pruneMail(Date.now() + 31 * DAY);
    expect(await jobs()).toEqual(["test:pending"]);
    expect(await inbound()).toBe(1);
    await pruneMail(Date.now() + 89 * DAY);
    expect(await inbound()).toBe(1);
    await pruneMail(Date.now() + 91 * DAY);
    expect(await inbound()).toBe(0);
    expect(await jobs()).toEqual(["test:pending"]);
  });
});
