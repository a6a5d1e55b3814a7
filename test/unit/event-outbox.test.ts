// The transactional outbox on a real database copy (SQLite or PostgreSQL): events exist exactly when
// their change committed; delivery is in order, retried with backoff,
// dead-lettered after N failures, and one owner at a time holds a
// subscriber's lease; subscribers' writes remember the event they came from.
import { joinInput } from "../helpers/members";
import { beforeAll, describe, expect, it } from "vitest";
import { db, prepareDatabase } from "~/db/client.server";
import type { DomainEvent, OutboxEntry } from "~/lib/events.server";
import { parseInput, ThreadSchema } from "~/lib/validation";
import {
  deliverDue,
  ensureCursors,
  latestEventId,
  OUTBOX_RETENTION_MS,
  pruneOutbox,
  recordEvent,
  releaseLeases,
  type DeliveryOptions,
  type Subscriber,
} from "~/models/event-outbox.server";
import { liveMessagesFor, recordLiveEvent } from "~/models/live-event.server";
import { notifyFor } from "~/models/notification.server";
import { createReply } from "~/models/reply.server";
import { ensureCompetencyAreas } from "~/models/tag.server";
import { createThread } from "~/models/thread.server";
import { createMember } from "~/models/user.server";
import type { Actor } from "~/lib/domain";

beforeAll(async () => {
  await prepareDatabase();
  await ensureCompetencyAreas();
});

async function member(n: string): Promise<Actor> {
  const m = await createMember(joinInput(n), "127.0.0.1");
  return { id: m.id, role: "member" };
}

/** Three events committed now, each in its own transaction; returns their ids. */
async function threeEvents(): Promise<number[]> {
  const ids: number[] = [];
  for (const event of [{ type: "tags.changed" }, { type: "settings.changed" }, { type: "moderation.changed" }] as DomainEvent[]) {
    const [row] = await db.$transaction([recordEvent(db, event)]);
    ids.push(row.id);
  }
  return ids;
}

/** A clock the test moves by hand. */
function clock(start = Date.now()) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms), at: () => t };
}

describe("recording events", () => {
  it("keeps an event exactly when its transaction commits", async () => {
    const before = await latestEventId();
    await expect(
      db.$transaction(async (tx) => {
        await recordEvent(tx, { type: "tags.changed" });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await latestEventId()).toBe(before);

    await db.$transaction(async (tx) => {
      await tx.setting.create({ data: { key: "outbox-test", value: "1" } });
      await recordEvent(tx, { type: "settings.changed" });
    });
    const row = await db.outboxEvent.findFirstOrThrow({ where: { id: { gt: before } } });
    expect(row.type).toBe("settings.changed");
    expect(JSON.parse(row.payload)).toEqual({ type: "settings.changed" });
  });

  it("records a reply's event with the reply, in its transaction", async () => {
    const asker = await member("outbox-asker");
    const helper = await member("outbox-helper");
    const tagId = (await db.tag.findFirstOrThrow({ where: { kind: "competency" } })).id;
    const input = parseInput(ThreadSchema, { title: "Which barcode scanners last?", body: "Ours break yearly.", kind: "question", tagIds: [String(tagId)] });
    if (!input.ok) throw new Error("bad input");
    const thread = await createThread(asker, input.data);
    const before = await latestEventId();
    const reply = await createReply(helper, thread.id, { body: "The corded ones outlive us all." });
    const events = await db.outboxEvent.findMany({ where: { id: { gt: before } }, select: { payload: true } });
    expect(events.map((e) => JSON.parse(e.payload))).toEqual([{ type: "reply.created", threadId: thread.id, replyId: reply.id, isPrivate: false }]);
  });
});

describe("delivering events", () => {
  it("delivers in order, retries a failure with backoff (nothing after it first), then dead-letters it and carries on", async () => {
    const [first, poison, third] = await threeEvents();
    const delivered: number[] = [];
    const attempts: number[] = [];
    const name = "test-failing";
    const subscriber: Subscriber = {
      name,
      deliver: async (entry: OutboxEntry) => {
        if (entry.id < first) return; // earlier tests' events
        if (entry.id === poison) {
          attempts.push(entry.id);
          throw new Error("the mail server is on fire");
        }
        delivered.push(entry.id);
      },
    };
    await ensureCursors([name]);
    const time = clock();
    const options: DeliveryOptions = { owner: "a", leaseMs: 60_000, maxAttempts: 3, backoffMs: (n) => 1000 * n, now: time.now };

    let result = await deliverDue(subscriber, options);
    expect(delivered).toEqual([first]);
    expect(attempts).toEqual([poison]);
    expect(result?.retryAt?.getTime()).toBe(time.at() + 1000);
    let cursor = await db.outboxCursor.findUniqueOrThrow({ where: { subscriber: name } });
    expect(cursor).toMatchObject({ lastEventId: first, attempts: 1 });
    expect(cursor.lastError).toContain("the mail server is on fire");

    // Before the backoff is over: no attempt at all.
    time.advance(999);
    result = await deliverDue(subscriber, options);
    expect(attempts).toEqual([poison]);
    expect(result?.delivered).toBe(0);

    time.advance(1);
    result = await deliverDue(subscriber, options);
    expect(attempts).toEqual([poison, poison]);
    expect(result?.retryAt?.getTime()).toBe(time.at() + 2000);
    expect(delivered).toEqual([first]);

    time.advance(2000);
    result = await deliverDue(subscriber, options);
    expect(attempts).toEqual([poison, poison, poison]);
    expect(result).toMatchObject({ deadLettered: 1, delivered: 1, retryAt: null });
    expect(delivered).toEqual([first, third]);
    cursor = await db.outboxCursor.findUniqueOrThrow({ where: { subscriber: name } });
    expect(cursor).toMatchObject({ lastEventId: await latestEventId(), attempts: 0, nextAttemptAt: null });
    const letters = await db.outboxDeadLetter.findMany({ where: { subscriber: name } });
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ eventId: poison, type: "settings.changed", attempts: 3 });
    expect(letters[0]!.error).toContain("the mail server is on fire");
    expect(JSON.parse(letters[0]!.payload)).toEqual({ type: "settings.changed" });
  });

  it("resumes normally when a retry succeeds", async () => {
    const [first, flaky] = await threeEvents();
    const name = "test-flaky";
    let failuresLeft = 1;
    const delivered: number[] = [];
    const subscriber: Subscriber = {
      name,
      deliver: async ({ id }) => {
        if (id === flaky && failuresLeft-- > 0) throw new Error("timeout");
        if (id >= first) delivered.push(id);
      },
    };
    await ensureCursors([name]);
    const time = clock();
    const options: DeliveryOptions = { owner: "a", leaseMs: 60_000, maxAttempts: 3, backoffMs: () => 500, now: time.now };
    await deliverDue(subscriber, options);
    time.advance(500);
    await deliverDue(subscriber, options);
    expect(delivered).toEqual([first, flaky, flaky + 1]);
    expect(await db.outboxDeadLetter.count({ where: { subscriber: name } })).toBe(0);
  });

  it("lets one owner at a time deliver a subscriber's events; another takes over when the lease lapses or is released", async () => {
    await threeEvents();
    const name = "test-lease";
    const seenBy: string[] = [];
    const as = (owner: string): Subscriber => ({ name, deliver: async () => void seenBy.push(owner) });
    await ensureCursors([name]);
    const time = clock();
    const options = (owner: string): DeliveryOptions => ({ owner, leaseMs: 5000, maxAttempts: 3, backoffMs: () => 1000, now: time.now });

    expect(await deliverDue(as("a"), options("a"))).not.toBeNull();
    const all = seenBy.length;
    expect(all).toBeGreaterThanOrEqual(3);
    await threeEvents();
    // B cannot claim while A's lease runs.
    expect(await deliverDue(as("b"), options("b"))).toBeNull();
    expect(seenBy.filter((o) => o === "b")).toEqual([]);
    // A renews by delivering; the lease then lapses and B delivers only what A had not.
    time.advance(4000);
    expect(await deliverDue(as("a"), options("a"))).not.toBeNull();
    expect(seenBy).toHaveLength(all + 3);
    await threeEvents();
    time.advance(4999);
    expect(await deliverDue(as("b"), options("b"))).toBeNull();
    time.advance(1);
    expect(await deliverDue(as("b"), options("b"))).not.toBeNull();
    expect(seenBy.slice(all + 3)).toEqual(["b", "b", "b"]);
    // Released (B stopping): A takes over at once.
    await releaseLeases("b");
    await threeEvents();
    expect(await deliverDue(as("a"), options("a"))).not.toBeNull();
    expect(seenBy.slice(all + 6)).toEqual(["a", "a", "a"]);
  });

  it("prunes only events every subscriber has passed, once a day old", async () => {
    const [old] = await threeEvents();
    await db.outboxEvent.updateMany({ where: { id: { lte: old } }, data: { createdAt: new Date(Date.now() - OUTBOX_RETENTION_MS - 60_000) } });
    const slowest = await db.outboxCursor.aggregate({ _min: { lastEventId: true } });
    await pruneOutbox();
    const left = await db.outboxEvent.aggregate({ _min: { id: true } });
    // Everything up to the slowest cursor that was old is gone; nothing it has yet to see.
    expect(left._min.id).toBe(Math.min(old, slowest._min.lastEventId!) + 1);
    expect(await db.outboxEvent.count({ where: { id: { gt: slowest._min.lastEventId! } } })).toBeGreaterThan(0);
  });
});

describe("subscribers delivered the same event twice", () => {
  it("create each notification once, and record notification.created only for the new ones", async () => {
    const asker = await member("twice-asker");
    const helper = await member("twice-helper");
    const tagId = (await db.tag.findFirstOrThrow({ where: { kind: "competency" } })).id;
    const input = parseInput(ThreadSchema, { title: "Overdue fines, yes or no?", body: "Thoughts?", kind: "question", tagIds: [String(tagId)] });
    if (!input.ok) throw new Error("bad input");
    const thread = await createThread(asker, input.data);
    const reply = await createReply(helper, thread.id, { body: "We dropped them." });
    const source = await db.outboxEvent.findFirstOrThrow({ where: { type: "reply.created" }, orderBy: { id: "desc" } });
    const event = JSON.parse(source.payload) as DomainEvent;
    expect(event).toMatchObject({ replyId: reply.id });

    expect(await notifyFor(event, source.id)).toBe(1);
    const created = await latestEventId();
    expect(await notifyFor(event, source.id)).toBe(0);
    expect(await db.notification.count({ where: { userId: asker.id, replyId: reply.id } })).toBe(1);
    // The second delivery recorded no second notification.created.
    expect(await latestEventId()).toBe(created);
  });

  it("store and send a live event once, with the same id and rooms", async () => {
    const asker = await member("live-asker");
    const helper = await member("live-helper");
    const tagId = (await db.tag.findFirstOrThrow({ where: { kind: "competency" } })).id;
    const input = parseInput(ThreadSchema, { title: "Self-checkout stations", body: "Worth it?", kind: "question", tagIds: [String(tagId)] });
    if (!input.ok) throw new Error("bad input");
    const thread = await createThread(asker, input.data);
    const reply = await createReply(helper, thread.id, { body: "Ours are loved." });
    const event: DomainEvent = { type: "reply.created", threadId: thread.id, replyId: reply.id, isPrivate: false };
    const [message] = await liveMessagesFor(event);
    const first = await recordLiveEvent(message!, { eventId: 987_654, part: 0 });
    const again = await recordLiveEvent((await liveMessagesFor(event))[0]!, { eventId: 987_654, part: 0 });
    expect(first?.event.id).toBeGreaterThan(0);
    expect(again?.event.id).toBe(first?.event.id);
    expect(again?.rooms).toEqual([`thread:${thread.id}`]);
    expect(await db.liveEvent.count({ where: { sourceEventId: 987_654 } })).toBe(1);
  });
});
