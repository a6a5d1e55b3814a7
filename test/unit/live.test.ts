// Applying live events to a thread page's data: idempotent, ordered, and
// giving each viewer the controls the server would.
import { describe, expect, it } from "vitest";
import { applyThreadEvents, describeThreadEvent, pageReplyFrom, threadMatchesFilters, type LiveEvent, type LiveReply, type PageReply } from "~/lib/live";

const author = (id: number): LiveReply["author"] => ({
  id,
  handle: `m${id}`,
  displayName: `Member ${id}`,
  role: "member",
  memberKind: "support_staff",
  jobTitle: "Clerk",
  worksite: "Branch",
  libraryType: "public",
  region: "",
  yearsInLibraryWork: null,
  hasMlis: false,
  hasLssc: false,
  stateCertification: "",
  otherCredentials: "",
});

const liveReply = (id: number, authorId = 2, extra: Partial<LiveReply> = {}): LiveReply => ({
  id,
  threadId: 7,
  isPrivate: false,
  bodyHtml: `<p>reply ${id}</p>`,
  helpfulCount: 0,
  createdAt: new Date(Date.UTC(2026, 10, 23, 12, id)).toISOString(),
  edited: false,
  removed: false,
  author: author(authorId),
  ...extra,
});

const page = (replies: PageReply[] = []) => ({
  thread: { id: 7, title: "Q", bodyHtml: "<p>q</p>", answered: false },
  replies,
  acceptedReply: null as PageReply | null,
});

const created = (id: number, r: LiveReply): LiveEvent => ({ id, type: "reply.created", threadId: r.threadId, reply: r });

describe("applyThreadEvents", () => {
  const viewer = { id: 5, role: "member" };

  it("adds a new reply once, whatever the number of times it arrives", () => {
    const r = liveReply(1);
    const out = applyThreadEvents(page(), [created(10, r), created(10, r), created(11, r)], viewer);
    expect(out.replies.map((x) => x.id)).toEqual([1]);
    expect(out.replies[0]).toMatchObject({ canVote: true, canEdit: false, votedHelpful: false, bodySource: null });
  });

  it("ignores events of other threads and returns the same page when nothing applies", () => {
    const p = page();
    const other = { ...liveReply(1), threadId: 8 };
    expect(applyThreadEvents(p, [created(1, other)], viewer)).toBe(p);
  });

  it("applies events in id order, so a late-arriving older event cannot undo a newer one", () => {
    const base = page([pageReplyFrom(liveReply(1), viewer)]);
    const events: LiveEvent[] = [
      { id: 21, type: "vote.changed", threadId: 7, replyId: 1, helpfulCount: 3 },
      { id: 20, type: "vote.changed", threadId: 7, replyId: 1, helpfulCount: 2 },
    ];
    expect(applyThreadEvents(base, events, viewer).replies[0].helpfulCount).toBe(3);
  });

  it("edits in place, removes keeping the place, and moves the accepted answer", () => {
    const base = page([pageReplyFrom(liveReply(1), viewer), pageReplyFrom(liveReply(2), viewer)]);
    let out = applyThreadEvents(base, [{ id: 1, type: "reply.accepted", threadId: 7, replyId: 2 }], viewer);
    expect(out.acceptedReply?.id).toBe(2);
    expect(out.thread.answered).toBe(true);
    out = applyThreadEvents(
      out,
      [
        { id: 2, type: "reply.edited", threadId: 7, reply: liveReply(1, 2, { bodyHtml: "<p>new words</p>", edited: true }) },
        { id: 3, type: "reply.deleted", threadId: 7, replyId: 2 },
      ],
      viewer,
    );
    expect(out.replies.map((r) => [r.id, r.bodyHtml, r.removed])).toEqual([
      [1, "<p>new words</p>", false],
      [2, "", true],
    ]);
    expect(out.acceptedReply).toBeNull();
    expect(out.thread.answered).toBe(false);
  });

  it("gives the author and moderators edit controls, and nobody a vote on their own reply", () => {
    const r = liveReply(1, 5);
    expect(pageReplyFrom(r, { id: 5, role: "member" })).toMatchObject({ canEdit: true, canVote: false });
    expect(pageReplyFrom(r, { id: 9, role: "moderator" })).toMatchObject({ canEdit: true, canVote: true });
    expect(pageReplyFrom(r, null)).toMatchObject({ canEdit: false, canVote: false });
  });

  it("updates the question's title and body when it is edited", () => {
    const out = applyThreadEvents(page(), [{ id: 4, type: "thread.edited", threadId: 7, title: "Better title", bodyHtml: "<p>more</p>" }], viewer);
    expect(out.thread).toMatchObject({ title: "Better title", bodyHtml: "<p>more</p>" });
  });
});

describe("threadMatchesFilters", () => {
  const t = { id: 1, slug: "s", title: "T", kind: "question", tags: ["reference"], libraryTypes: ["school"] };
  it("matches the list's kind, tag and library filters", () => {
    expect(threadMatchesFilters(t, new URLSearchParams(""))).toBe(true);
    expect(threadMatchesFilters(t, new URLSearchParams("kind=question&tag=reference&library=school&unanswered=1"))).toBe(true);
    expect(threadMatchesFilters(t, new URLSearchParams("kind=job"))).toBe(false);
    expect(threadMatchesFilters(t, new URLSearchParams("tag=cataloging"))).toBe(false);
    expect(threadMatchesFilters(t, new URLSearchParams("library=public"))).toBe(false);
  });
  it("reads filters as the lists do: unknown values ignored, unanswered means questions, no library type fits every library", () => {
    const discussion = { ...t, kind: "discussion", libraryTypes: [] };
    expect(threadMatchesFilters(discussion, new URLSearchParams("unanswered=1"))).toBe(false);
    expect(threadMatchesFilters(discussion, new URLSearchParams("unanswered=1&kind=discussion"))).toBe(true);
    expect(threadMatchesFilters(discussion, new URLSearchParams("library=school"))).toBe(true);
    expect(threadMatchesFilters(discussion, new URLSearchParams("kind=JOB&library=nonsense"))).toBe(true);
  });
});

describe("describeThreadEvent", () => {
  it("says who replied, and whether privately", () => {
    expect(describeThreadEvent(created(1, liveReply(1)))).toBe("New reply from Member 2.");
    expect(describeThreadEvent(created(1, liveReply(1, 3, { isPrivate: true })))).toBe("New private reply from Member 3.");
    expect(describeThreadEvent({ id: 2, type: "vote.changed", threadId: 7, replyId: 1, helpfulCount: 1 })).toBeNull();
  });
});
