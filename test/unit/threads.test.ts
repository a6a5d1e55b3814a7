// Threads and replies on a real database copy (SQLite or PostgreSQL): the authorization matrix and the
// TARGET privacy rule, at the model layer where they are enforced.
import { beforeAll, describe, expect, it } from "vitest";
import { db, prepareDatabase } from "~/db/client.server";
import { ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { parseInput, ThreadSchema } from "~/lib/validation";
import { createReply, deleteReply, editReply, listRevisions, setAcceptedReply, setHelpful } from "~/models/reply.server";
import { ensureCompetencyAreas } from "~/models/tag.server";
import { similarThreads } from "~/models/search.server";
import { createThread, editThread, getThreadForViewer, listThreads, slugify } from "~/models/thread.server";
import { createMember } from "~/models/user.server";
import { joinInput } from "../helpers/members";
import type { Actor } from "~/lib/domain";

let asker: Actor, helper: Actor, other: Actor, moderator: Actor;
let tagId: number;

async function member(n: string, role: "member" | "moderator" = "member"): Promise<Actor> {
  const m = await createMember(joinInput(n), "127.0.0.1");
  await db.user.update({ where: { id: m.id }, data: { role } });
  return { id: m.id, role };
}

function threadInput(values: Record<string, unknown>) {
  const parsed = parseInput(ThreadSchema, { tagIds: [String(tagId)], body: "What works for you?", ...values });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fields));
  return parsed.data;
}

beforeAll(async () => {
  await prepareDatabase();
  await ensureCompetencyAreas();
  tagId = (await db.tag.findFirstOrThrow({ where: { slug: "collection-management" } })).id;
  [asker, helper, other, moderator] = [await member("asker"), await member("helper"), await member("other"), await member("mod", "moderator")];
});

describe("asking", () => {
  it("validates the input once: title length, tags, job location, dates", () => {
    const bad = parseInput(ThreadSchema, { title: "Help", body: " ", kind: "job", tagIds: [], jobClosesOn: "31/12/2026" });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.fields).toMatchObject({
      title: "Title must be at least 8 characters: say what you need.",
      body: "The question or message is required.",
      tagIds: "Choose at least one tag (a competency area is a good start).",
      jobClosesOn: "Closing date must be a date like 2026-12-31.",
    });
    const impossible = parseInput(ThreadSchema, { title: "Eight chars", body: "x", tagIds: ["1"], kind: "target", hitExpectedBy: "2026-02-31" });
    expect(!impossible.ok && impossible.fields.hitExpectedBy).toBe("HIT expected by must be a date like 2026-12-31.");
    const six = parseInput(ThreadSchema, { title: "Eight chars", body: "x", tagIds: ["1", "2", "3", "4", "5", "6"] });
    expect(!six.ok && six.fields.tagIds).toBe("Choose at most 5 tags.");
  });

  it("creates a thread with a slug, tags, rendered body, and the asker following it", async () => {
    const t = await createThread(asker, threadInput({ title: "Weeding a 1990s biography section?", body: "Ask @helper please" }));
    expect(t.slug).toBe("weeding-a-1990s-biography-section");
    const page = (await getThreadForViewer(null, t.id))!;
    expect(page.thread.bodyHtml).toContain('<a href="/u/helper" class="mention">@helper</a>');
    expect(page.thread.tags.map((x) => x.slug)).toEqual(["collection-management"]);
    expect(page.thread.bodySource).toBeNull(); // guests do not get the source
    expect(await db.threadFollow.count({ where: { threadId: t.id, userId: asker.id } })).toBe(1);
  });

  it("refuses announcements from members and unknown tags", async () => {
    await expect(createThread(asker, threadInput({ title: "Big news for everyone", kind: "announcement" }))).rejects.toBeInstanceOf(ValidationError);
    await expect(createThread(asker, threadInput({ title: "Some question here", tagIds: ["99999"] }))).rejects.toBeInstanceOf(ValidationError);
    expect((await createThread(moderator, threadInput({ title: "Big news for everyone", kind: "announcement" }))).id).toBeGreaterThan(0);
  });

  it("slugifies accents and punctuation", () => {
    expect(slugify("Préparer l'heure du conte — ¿qué?")).toBe("preparer-l-heure-du-conte-que");
    expect(slugify("!!!")).toBe("thread");
  });
});

describe("answers, votes and acceptance", () => {
  it("follows the rules for each role", async () => {
    const t = await createThread(asker, threadInput({ title: "Best barcode scanner for a small library?" }));
    const r = await createReply(helper, t.id, { body: "We use a cheap USB one." });

    // Helpful: others may vote once, never for their own; undo works.
    expect(await setHelpful(other, r.id, true)).toBe(1);
    expect(await setHelpful(other, r.id, true)).toBe(1);
    expect(await setHelpful(asker, r.id, true)).toBe(2);
    await expect(setHelpful(helper, r.id, true)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await setHelpful(other, r.id, false)).toBe(1);

    // Accept: the asker or a moderator, nobody else.
    await expect(setAcceptedReply(other, t.id, r.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setAcceptedReply(helper, t.id, r.id)).rejects.toBeInstanceOf(ForbiddenError);
    await setAcceptedReply(asker, t.id, r.id);
    let page = (await getThreadForViewer(other, t.id))!;
    expect(page.thread.answered).toBe(true);
    expect(page.acceptedReply?.id).toBe(r.id);
    await setAcceptedReply(moderator, t.id, null);
    expect((await getThreadForViewer(other, t.id))!.thread.answered).toBe(false);

    // Edit: the author or a moderator; history kept, visible to them only.
    await expect(editReply(other, r.id, { body: "vandalism" })).rejects.toBeInstanceOf(ForbiddenError);
    await editReply(helper, r.id, { body: "We use a cheap USB one. It reads 1D and 2D codes." });
    page = (await getThreadForViewer(other, t.id))!;
    expect(page.replies[0].edited).toBe(true);
    expect(page.replies[0].bodySource).toBeNull();
    expect((await listRevisions(helper, { replyId: r.id }))[0].bodySource).toBe("We use a cheap USB one.");
    expect(await listRevisions(moderator, { replyId: r.id })).toHaveLength(1);
    await expect(listRevisions(other, { replyId: r.id })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(editThread(helper, t.id, { title: "Hijacked title here", body: "x" })).rejects.toBeInstanceOf(ForbiddenError);

    // Delete: soft, by the author or a moderator; an accepted reply is unaccepted.
    await setAcceptedReply(asker, t.id, r.id);
    await expect(deleteReply(other, r.id)).rejects.toBeInstanceOf(ForbiddenError);
    await deleteReply(helper, r.id);
    page = (await getThreadForViewer(other, t.id))!;
    expect(page.replies[0]).toMatchObject({ removed: true, bodyHtml: "", canVote: false });
    expect(page.thread.answered).toBe(false);
    await expect(setHelpful(other, r.id, true)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("TARGET privacy", () => {
  it("shows private replies to the asker, their author and moderators only", async () => {
    const t = await createThread(asker, threadInput({ title: "TARGET: your overdue-fine policies", kind: "target", hitExpectedBy: "2026-12-31" }));
    const a = await createReply(helper, t.id, { body: "We dropped fines in 2021." });
    const b = await createReply(other, t.id, { body: "We charge 10 cents a day." });
    expect(a.isPrivate && b.isPrivate).toBe(true);

    const ids = async (viewer: Actor | null) => (await getThreadForViewer(viewer, t.id))!.replies.map((r) => r.id);
    expect(await ids(asker)).toEqual([a.id, b.id]);
    expect(await ids(moderator)).toEqual([a.id, b.id]);
    expect(await ids(helper)).toEqual([a.id]);
    expect(await ids(other)).toEqual([b.id]);
    expect(await ids(null)).toEqual([]);
    expect((await getThreadForViewer(null, t.id))!.hiddenPrivateReplies).toBe(2);
    expect((await getThreadForViewer(helper, t.id))!.hiddenPrivateReplies).toBe(1);

    // Someone who cannot see a private reply cannot act on it either: it "does not exist".
    await expect(setHelpful(helper, b.id, true)).rejects.toBeInstanceOf(NotFoundError);
    await expect(editReply(helper, b.id, { body: "x" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(listRevisions(helper, { replyId: b.id })).rejects.toBeInstanceOf(NotFoundError);
    // The asker can find them helpful and accept one.
    expect(await setHelpful(asker, b.id, true)).toBe(1);
    await setAcceptedReply(asker, t.id, a.id);
    expect((await getThreadForViewer(null, t.id))!.acceptedReply).toBeNull();
    expect((await getThreadForViewer(asker, t.id))!.can.writeHit).toBe(true);
    expect((await getThreadForViewer(helper, t.id))!.can.writeHit).toBe(false);
  });
});

describe("lists", () => {
  it("filters by kind, tag, unanswered, and pages with a keyset cursor", async () => {
    const all = await listThreads({});
    expect(all.threads.length).toBeGreaterThan(3);
    expect((await listThreads({ kind: "target" })).threads.every((t) => t.kind === "target")).toBe(true);
    expect((await listThreads({ unanswered: true })).threads.every((t) => t.kind === "question" && !t.answered)).toBe(true);
    expect((await listThreads({ tag: "youth-services" })).threads).toEqual([]);

    for (let i = 0; i < 30; i++) await createThread(other, threadInput({ title: `Paging test thread number ${i}` }));
    const first = await listThreads({ sort: "newest" });
    expect(first.threads).toHaveLength(25);
    const second = await listThreads({ sort: "newest", after: first.nextCursor! });
    const seen = new Set([...first.threads, ...second.threads].map((t) => t.id));
    expect(seen.size).toBe(first.threads.length + second.threads.length);
    expect(second.threads[0].createdAt <= first.threads[24].createdAt).toBe(true);
    expect((await listThreads({ after: "garbage" })).threads).toHaveLength(25);
  });

  it("puts pinned threads first, filters by library type, leaves hidden threads out, and walks every page once", async () => {
    const pinned = await createThread(other, threadInput({ title: "Pinned: read this first", libraryTypes: ["public"] }));
    await db.thread.update({ where: { id: pinned.id }, data: { pinnedAt: new Date() } });
    const hidden = await createThread(other, threadInput({ title: "A thread a moderator hid" }));
    await db.thread.update({ where: { id: hidden.id }, data: { hiddenAt: new Date(), hiddenReason: "moderator" } });
    const first = await listThreads({});
    expect(first.threads[0]).toMatchObject({ id: pinned.id, pinned: true, tags: [{ slug: "collection-management", name: expect.any(String) }] });
    expect(first.threads[0].author).toEqual({ handle: "other", displayName: expect.any(String), jobTitle: expect.any(String), worksite: expect.any(String) });
    expect(first.threads[0].createdAt).toBeInstanceOf(Date);
    // "Public library" lists threads for public libraries and for any library; not those for school libraries only.
    const school = await createThread(other, threadInput({ title: "School libraries only, please", libraryTypes: ["school"] }));
    const publicOnes = (await listThreads({ libraryType: "public" })).threads.map((t) => t.id);
    expect(publicOnes).toContain(pinned.id);
    expect(publicOnes).not.toContain(school.id);
    // Every public thread exactly once across the pages of each sort; pinned ones only on the first page.
    const total = await db.thread.count({ where: { hiddenAt: null } });
    for (const sort of ["latest", "newest", "helpful"] as const) {
      const seen: number[] = [];
      let after: string | undefined;
      do {
        const page = await listThreads({ sort, after });
        seen.push(...page.threads.map((t) => t.id));
        after = page.nextCursor ?? undefined;
      } while (after);
      expect(new Set(seen).size, sort).toBe(seen.length);
      expect(seen.length, sort).toBe(total);
      expect(seen).not.toContain(hidden.id);
    }
    await db.thread.update({ where: { id: pinned.id }, data: { pinnedAt: null } });
  });

  it("suggests similar earlier threads", async () => {
    const similar = await similarThreads("weeding biography books");
    expect(similar[0].title).toBe("Weeding a 1990s biography section?");
    expect(await similarThreads("a an")).toEqual([]);
  });
});

describe("most helpful", () => {
  it("ranks by helpful votes on public replies only, and pages by that rank", async () => {
    const open = await createThread(asker, threadInput({ title: "Open question with helpful answers" }));
    const r = await createReply(helper, open.id, { body: "A good answer" });
    await setHelpful(other, r.id, true);
    await setHelpful(moderator, r.id, true);
    const target = await createThread(asker, threadInput({ title: "TARGET with a helpful private reply", kind: "target" }));
    const p = await createReply(helper, target.id, { body: "private" });
    await setHelpful(asker, p.id, true);
    const ranked = (await listThreads({ sort: "helpful" })).threads;
    expect(ranked[0].id).toBe(open.id);
    expect(ranked[0].helpfulTotal).toBe(2);
    expect(ranked.find((t) => t.id === target.id)?.helpfulTotal ?? 0).toBe(0);
    const page2 = await listThreads({ sort: "helpful", after: `${ranked[24]?.helpfulTotal ?? 0}_${ranked[24]?.id ?? 0}` });
    expect(page2.threads.every((t) => !ranked.some((x) => x.id === t.id))).toBe(true);
    await deleteReply(helper, r.id);
    expect((await db.thread.findUniqueOrThrow({ where: { id: open.id } })).helpfulTotal).toBe(0);
  });
});

describe("tags and following", () => {
  it("lets staff curate tags, members suggest, and protects the competency areas", async () => {
    const { createTag, decideTagSuggestion, deleteTag, listTagSuggestions, suggestTag, updateTag } = await import("~/models/tag.server");
    await expect(createTag(asker, { name: "Book fairs", scopeNote: "" })).rejects.toBeInstanceOf(ForbiddenError);
    const tag = await createTag(moderator, { name: "Book fairs", scopeNote: "Running and budgeting book fairs." });
    expect(tag.slug).toBe("book-fairs");
    await expect(createTag(moderator, { name: "book FAIRS", scopeNote: "" })).rejects.toThrow("already exists");
    await expect(createTag(moderator, { name: "x", scopeNote: "" })).rejects.toBeInstanceOf(ValidationError);
    await suggestTag(asker, { name: "Makerspaces", scopeNote: "3D printers and more" });
    await expect(suggestTag(asker, { name: "Book Fairs", scopeNote: "" })).rejects.toThrow("already exists");
    const [suggestion] = await listTagSuggestions(moderator);
    await expect(listTagSuggestions(asker)).rejects.toBeInstanceOf(ForbiddenError);
    await decideTagSuggestion(moderator, suggestion.id, true);
    expect(await db.tag.findUnique({ where: { slug: "makerspaces" } })).not.toBeNull();
    await expect(decideTagSuggestion(moderator, suggestion.id, true)).rejects.toBeInstanceOf(NotFoundError);

    const reference = await db.tag.findUniqueOrThrow({ where: { slug: "reference" } });
    await expect(deleteTag(moderator, reference.id)).rejects.toThrow("cannot be deleted");
    await updateTag(moderator, reference.id, { name: "Renamed", scopeNote: "New note" });
    expect(await db.tag.findUniqueOrThrow({ where: { id: reference.id } })).toMatchObject({ name: "Reference", scopeNote: "New note" });
    await deleteTag(moderator, tag.id);
  });

  it("follows threads automatically when replying, and tags on request", async () => {
    const { listFollowing, setTagFollow, setThreadFollow } = await import("~/models/follow.server");
    const t = await createThread(asker, threadInput({ title: "Who follows this thread?" }));
    await createReply(other, t.id, { body: "me" });
    expect((await listFollowing(other)).threads.map((x) => x.id)).toContain(t.id);
    await setThreadFollow(other, t.id, false);
    expect((await listFollowing(other)).threads.map((x) => x.id)).not.toContain(t.id);
    await setTagFollow(other, "youth-services", true);
    await setTagFollow(other, "youth-services", true);
    expect((await listFollowing(other)).tags.map((x) => x.slug)).toEqual(["youth-services"]);
    await expect(setTagFollow(other, "nope", true)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("notifications", () => {
  it("tell the asker, followers and mentioned members, but never about a private reply they cannot read", async () => {
    const { notifyFor, listNotifications, countUnread, markRead } = await import("~/models/notification.server");
    const kinds = async (who: Actor) => (await listNotifications(who)).map((n) => `${n.kind}:${n.thread?.title}`);
    await markRead(asker);
    await markRead(other);
    await markRead(moderator);

    const open = await createThread(asker, threadInput({ title: "Notify me about replies" }));
    await createReply(other, open.id, { body: "first, now I follow it" });
    const r = await createReply(helper, open.id, { body: "Answer for you, cc @mod" });
    expect(await notifyFor({ type: "reply.created", threadId: open.id, replyId: r.id, isPrivate: false })).toBe(3);
    expect(await kinds(asker)).toContain("reply_in_your_thread:Notify me about replies");
    expect(await kinds(other)).toContain("reply_in_followed_thread:Notify me about replies");
    expect(await kinds(moderator)).toContain("mention:Notify me about replies");
    expect(await countUnread(asker)).toBeGreaterThan(0);

    // A private reply mentioning a bystander: only the asker is told.
    const target = await createThread(asker, threadInput({ title: "TARGET: notifications stay private", kind: "target" }));
    await createReply(other, target.id, { body: "following by replying" });
    const p = await createReply(helper, target.id, { body: "secret, cc @other" });
    expect(await notifyFor({ type: "reply.created", threadId: target.id, replyId: p.id, isPrivate: true })).toBe(1);
    expect((await kinds(other)).filter((k) => k.includes("notifications stay private"))).toEqual([]);

    await setAcceptedReply(asker, open.id, r.id);
    expect(await notifyFor({ type: "reply.accepted", threadId: open.id, replyId: r.id, previousReplyId: null })).toBe(1);
    expect(await kinds(helper)).toContain("reply_accepted:Notify me about replies");

    const { setTagFollow } = await import("~/models/follow.server");
    await setTagFollow(other, "youth-services", true);
    const youth = (await db.tag.findUniqueOrThrow({ where: { slug: "youth-services" } })).id;
    const t = await createThread(asker, threadInput({ title: "A youth services question", tagIds: [String(youth)] }));
    expect(await notifyFor({ type: "thread.created", threadId: t.id })).toBe(1);
    expect(await kinds(other)).toContain("new_thread_in_tag:A youth services question");

    const first = (await listNotifications(asker))[0];
    await markRead(asker, first.id);
    expect((await listNotifications(asker))[0].readAt).not.toBeNull();
    await expect(markRead(other, first.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("reminds the asker once when the HIT expected-by date passes without a HIT", async () => {
    const { sendHitReminders, listNotifications } = await import("~/models/notification.server");
    expect(parseInput(ThreadSchema, { title: "TARGET: in the past", body: "x", kind: "target", tagIds: [String(tagId)], hitExpectedBy: "2020-01-01" }).ok).toBe(
      false,
    );
    const due = await createThread(asker, threadInput({ title: "TARGET: reminder due", kind: "target", hitExpectedBy: "2099-01-01" }));
    const done = await createThread(asker, threadInput({ title: "TARGET: HIT already posted", kind: "target", hitExpectedBy: "2099-01-01" }));
    // Time passes: the promised dates are now behind us.
    await db.thread.updateMany({ where: { id: { in: [due.id, done.id] } }, data: { hitExpectedBy: new Date("2020-01-01") } });
    await createThread(asker, threadInput({ title: "HIT: already posted", kind: "hit" }), { sourceThreadId: done.id });
    await createThread(asker, threadInput({ title: "TARGET: not due yet", kind: "target", hitExpectedBy: "2099-01-01" }));
    await sendHitReminders();
    expect(await sendHitReminders()).toBe(0);
    const reminders = (await listNotifications(asker)).filter((n) => n.kind === "hit_reminder").map((n) => n.thread?.id);
    expect(reminders).toContain(due.id);
    expect(reminders).not.toContain(done.id);
  });
});

describe("re-rendering stored posts", () => {
  it("re-renders posts from an older renderer version, or all of them", async () => {
    const { rerenderPosts } = await import("~/models/post-rendering.server");
    const t = await createThread(asker, threadInput({ title: "Rendered long ago", body: "Some **bold** text" }));
    const r = await createReply(helper, t.id, { body: "A *reply*" });
    await db.thread.update({ where: { id: t.id }, data: { bodyHtml: "<p>stale</p>", rendererVersion: 0 } });
    await db.reply.update({ where: { id: r.id }, data: { bodyHtml: "<p>stale</p>", rendererVersion: 0 } });
    expect(await rerenderPosts()).toEqual({ threads: 1, replies: 1 });
    expect((await db.thread.findUniqueOrThrow({ where: { id: t.id } })).bodyHtml).toContain("<strong>bold</strong>");
    expect((await db.reply.findUniqueOrThrow({ where: { id: r.id } })).bodyHtml).toContain("<em>reply</em>");
    expect(await rerenderPosts()).toEqual({ threads: 0, replies: 0 });
    expect((await rerenderPosts({ all: true })).threads).toBeGreaterThan(1);
  });
});
