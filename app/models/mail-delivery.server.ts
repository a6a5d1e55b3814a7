// What goes out by mail, and to whom. The same rules as the pages: a hidden
// post mails nobody, a private TARGET reply is never list mail, and a
// notification's mail shows a post only to someone allowed to read it.
// Only members who confirmed their address get list or notification mail;
// a vacation hold stops both until its date.
import { replyHref } from "~/lib/links";
import { db } from "~/db/client.server";
import { escapeHtml } from "~/lib/html";
import { textExcerpt } from "~/lib/html-text.server";
import { replyAddress } from "~/lib/mail-tokens.server";
import { type Prisma } from "~/generated/prisma/client";
import { frame, listHeaders, queueMail, replyMessageId, siteUrl, subjectFor, threadMessageId, type MailMember, type OutgoingMessage } from "./mail.server";
import { canReadReply, isPublicThread, publicReplyWhere, publicThreadWhere } from "./visibility.server";
import type { Role } from "~/lib/domain";

const DAY_MS = 24 * 60 * 60_000;

/**
 * Members who may get list or notification mail now (confirmed, not on hold,
 * not suspended, address not stopped by bounces) and who also match `also`.
 * Combined under AND, so a caller's own `OR` (followers of a thread or a tag,
 * members due a digest) cannot replace the hold's: that is how a member on
 * hold once still got every reply.
 */
const reachable = (now: Date, also: Prisma.UserWhereInput = {}): Prisma.UserWhereInput => ({
  AND: [
    { emailVerifiedAt: { not: null } },
    { OR: [{ vacationUntil: null }, { vacationUntil: { lte: now } }] },
    { OR: [{ suspendedUntil: null }, { suspendedUntil: { lte: now } }] },
    // Mail to the address bounced until delivery stopped (mail-bounce.server.ts): until it is confirmed again or changed.
    { mailStoppedAt: null },
    also,
  ],
});

type Author = { displayName: string; jobTitle: string; worksite: string; handle: string };
/** LM_NET asked every message to say who wrote it and where they work. */
const signedBy = (a: Author) => [a.displayName, a.jobTitle, a.worksite].filter(Boolean).join(", ");

function postMessage(input: {
  to: string;
  member: MailMember;
  thread: { id: number; slug: string; kind: string; title: string; tags: string[] };
  author: Author;
  bodySource: string;
  bodyHtml: string;
  reply: boolean;
  /** The reply the message is about: its link opens the page that holds it. */
  replyId?: number;
}): OutgoingMessage {
  const url = `${siteUrl()}${input.replyId ? replyHref(input.thread, input.replyId) : `/t/${input.thread.id}/${input.thread.slug}`}`;
  const by = signedBy(input.author);
  const framed = frame(
    {
      text: `${by} wrote${input.reply ? " in reply" : ""}:\n\n${input.bodySource}\n\nOn ParaNet: ${url}\nReply to this message to answer on ParaNet.`,
      html: `<p style="color:#4f5b66">${escapeHtml(by)} wrote${input.reply ? " in reply" : ""}:</p>${input.bodyHtml}<p><a href="${escapeHtml(url)}">Read it on ParaNet</a> · Reply to this message to answer there.</p>`,
    },
    { member: input.member, kind: "list", why: "You get every post in the threads and tags you follow (mailing-list mode)." },
  );
  const replyTo = replyAddress(input.thread.id, input.member.id);
  const root = threadMessageId(input.thread.id);
  return {
    to: input.to,
    subject: subjectFor(input.thread, input.reply),
    ...framed,
    replyTo,
    // Every copy of a post has the post's own Message-ID; a reply refers to the thread's first mail, so clients thread them.
    messageId: input.replyId ? replyMessageId(input.replyId) : root,
    headers: {
      ...listHeaders(input.member, "list", input.thread.tags, replyTo),
      "X-ParaNet-Kind": input.thread.kind,
      ...(input.reply ? { "In-Reply-To": root, References: root } : {}),
    },
  };
}

async function loadThread(threadId: number) {
  return db.thread.findUnique({
    where: { id: threadId },
    select: {
      id: true,
      slug: true,
      kind: true,
      title: true,
      authorId: true,
      hiddenAt: true,
      hiddenReason: true,
      bodySource: true,
      bodyHtml: true,
      author: { select: { displayName: true, jobTitle: true, worksite: true, handle: true } },
      tags: { select: { tagId: true, tag: { select: { slug: true } } } },
    },
  });
}

/** A new public reply: to members in mailing-list mode who follow its thread or one of its tags. */
export async function mailNewReply(replyId: number): Promise<number> {
  const reply = await db.reply.findUnique({
    where: { id: replyId },
    select: {
      id: true,
      threadId: true,
      authorId: true,
      isPrivate: true,
      hiddenAt: true,
      hiddenReason: true,
      deletedAt: true,
      bodySource: true,
      bodyHtml: true,
      author: { select: { displayName: true, jobTitle: true, worksite: true, handle: true } },
    },
  });
  // A private TARGET reply is never list mail; a held or hidden one reaches nobody.
  if (!reply) return 0;
  const thread = await loadThread(reply.threadId);
  if (!thread || !canReadReply(null, reply, thread)) return 0;
  const now = new Date();
  const recipients = await db.user.findMany({
    where: reachable(now, {
      emailMode: "every",
      id: { not: reply.authorId },
      OR: [{ threadFollows: { some: { threadId: thread.id } } }, { tagFollows: { some: { tagId: { in: thread.tags.map((t) => t.tagId) } } } }],
    }),
    select: { id: true, email: true, unsubscribeVersion: true },
  });
  let queued = 0;
  for (const r of recipients) {
    const message = postMessage({
      to: r.email,
      member: r,
      thread: { ...thread, tags: thread.tags.map((t) => t.tag.slug) },
      author: reply.author,
      bodySource: reply.bodySource,
      bodyHtml: reply.bodyHtml,
      reply: true,
      replyId: reply.id,
    });
    if (await queueMail({ key: `post:reply:${reply.id}:${r.id}`, kind: "post", userId: r.id, message })) queued++;
  }
  return queued;
}

/** A new visible thread: to members in mailing-list mode who follow one of its tags. */
export async function mailNewThread(threadId: number): Promise<number> {
  const thread = await loadThread(threadId);
  if (!thread || !isPublicThread(thread)) return 0;
  const recipients = await db.user.findMany({
    where: reachable(new Date(), {
      emailMode: "every",
      id: { not: thread.authorId },
      tagFollows: { some: { tagId: { in: thread.tags.map((t) => t.tagId) } } },
    }),
    select: { id: true, email: true, unsubscribeVersion: true },
  });
  let queued = 0;
  for (const r of recipients) {
    const message = postMessage({
      to: r.email,
      member: r,
      thread: { ...thread, tags: thread.tags.map((t) => t.tag.slug) },
      author: thread.author,
      bodySource: thread.bodySource,
      bodyHtml: thread.bodyHtml,
      reply: false,
    });
    if (await queueMail({ key: `post:thread:${thread.id}:${r.id}`, kind: "post", userId: r.id, message })) queued++;
  }
  return queued;
}

/**
 * What notification mail covers: what concerns the member personally. Replies
 * in followed threads and new threads in followed tags are list mail
 * (mailing-list mode) and digest content instead.
 */
const MAILED_KINDS = [
  "reply_in_your_thread",
  "mention",
  "reply_accepted",
  "hit_reminder",
  "resource_approved",
  "resource_rejected",
  "post_hidden",
  "post_hidden_by_flags",
  "verification_requested",
  "verification_confirmed",
  "verification_declined",
];

const NOTIFICATION_WORDS: Record<string, string> = {
  reply_in_your_thread: "replied in your thread",
  mention: "mentioned you",
  reply_accepted: "accepted your answer",
  hit_reminder: "reminds you: your TARGET's HIT is due",
  resource_approved: "approved the resource you suggested",
  resource_rejected: "did not approve the resource you suggested",
  post_hidden: "moderators hid your post: it shows you why on the page",
  post_hidden_by_flags: "hid your post after members flagged it, until a moderator looks at it",
  verification_requested: "asks you to verify an activity in their portfolio",
  verification_confirmed: "verified an activity in your portfolio",
  verification_declined: "declined to verify an activity in your portfolio",
};

/**
 * Mail the member's new notifications (if they want notification mail).
 * Each notification is mailed at most once; one already delivered as a post
 * in mailing-list mode is not mailed again.
 */
export async function mailNotifications(userId: number): Promise<number> {
  const now = new Date();
  const user = await db.user.findFirst({
    where: reachable(now, { id: userId }),
    select: { id: true, email: true, role: true, emailNotifications: true, unsubscribeVersion: true },
  });
  const pending = await db.notification.findMany({
    where: { userId, mailedAt: null, kind: { in: MAILED_KINDS } },
    orderBy: { id: "asc" },
    take: 50,
    select: {
      id: true,
      kind: true,
      threadId: true,
      replyId: true,
      resourceId: true,
      actor: { select: { displayName: true, jobTitle: true, worksite: true, handle: true } },
      thread: {
        select: {
          id: true,
          slug: true,
          kind: true,
          title: true,
          authorId: true,
          hiddenAt: true,
          hiddenReason: true,
          tags: { select: { tag: { select: { slug: true } } } },
        },
      },
      resource: { select: { id: true, title: true, rejectionReason: true } },
      verification: { select: { id: true, status: true, verifierName: true, note: true, entry: { select: { id: true, title: true, ownerId: true } } } },
    },
  });
  if (!pending.length) return 0;
  // Marked mailed only once queued (queueing is idempotent by key): a crash in
  // between leaves them to the next attempt, never unmailed.
  const markMailed = () => db.notification.updateMany({ where: { id: { in: pending.map((n) => n.id) } }, data: { mailedAt: now } });
  if (!user?.emailNotifications) {
    await markMailed();
    return 0;
  }
  let queued = 0;
  for (const n of pending) {
    if (n.replyId && (await db.mailJob.count({ where: { key: `post:reply:${n.replyId}:${userId}` } }))) continue;
    // A verifier asked by email has no account: the name they gave.
    const who = n.actor ? signedBy(n.actor) : n.verification?.verifierName || "ParaNet";
    const what = NOTIFICATION_WORDS[n.kind] ?? "has news for you";
    let text = `${who} ${what}.`;
    let html = `<p>${escapeHtml(who)} ${escapeHtml(what)}.</p>`;
    let subject = "[ParaNet] Notification";
    let url = `${siteUrl()}/notifications`;
    let replyTo: string | undefined;
    const headers: Record<string, string> = {};
    if (n.thread && isPublicThread(n.thread)) {
      url = `${siteUrl()}${n.replyId ? replyHref(n.thread, n.replyId) : `/t/${n.thread.id}/${n.thread.slug}`}`;
      subject = subjectFor(n.thread, !!n.replyId);
      headers["X-ParaNet-Tags"] = n.thread.tags.map((t) => t.tag.slug).join(", ");
      replyTo = replyAddress(n.thread.id, userId);
      // In the thread's conversation, under the reply it is about.
      const root = threadMessageId(n.thread.id);
      headers["In-Reply-To"] = n.replyId ? replyMessageId(n.replyId) : root;
      headers.References = n.replyId ? `${root} ${replyMessageId(n.replyId)}` : root;
      // The post itself, only for a reader allowed to see it (a TARGET's private reply: the asker).
      if (n.replyId) {
        const reply = await db.reply.findUnique({
          where: { id: n.replyId },
          select: { bodySource: true, bodyHtml: true, isPrivate: true, authorId: true, hiddenAt: true, hiddenReason: true, deletedAt: true },
        });
        if (reply && canReadReply({ id: user.id, role: user.role as Role }, reply, n.thread)) {
          text += `\n\n${reply.bodySource}`;
          html += reply.bodyHtml;
        }
      }
      text += `\n\nOn ParaNet: ${url}\nReply to this message to answer there.`;
      html += `<p><a href="${escapeHtml(url)}">Read it on ParaNet</a> · Reply to this message to answer there.</p>`;
    } else if (n.resource) {
      url = `${siteUrl()}/resources/${n.resource.id}`;
      subject = `[ParaNet] Your resource suggestion: ${n.resource.title}`;
      text += `\n\n${n.resource.title}${n.kind === "resource_rejected" && n.resource.rejectionReason ? `\nThe moderator's reason: ${n.resource.rejectionReason}` : ""}\n\n${url}`;
      html += `<p><a href="${escapeHtml(url)}">${escapeHtml(n.resource.title)}</a></p>${n.kind === "resource_rejected" && n.resource.rejectionReason ? `<p>The moderator's reason: ${escapeHtml(n.resource.rejectionReason)}</p>` : ""}`;
    } else if (n.verification) {
      const v = n.verification;
      const owner = v.entry.ownerId === userId;
      // The verifier reads the entry's title while the request stands; after it was replaced or the entry edited, not.
      const title = owner || ["pending", "confirmed", "declined"].includes(v.status) ? v.entry.title : null;
      url = `${siteUrl()}${owner ? `/me/portfolio/entries/${v.entry.id}` : `/me/verifications/${v.id}`}`;
      subject = `[ParaNet] ${owner ? "Your portfolio entry" : "Please verify"}${title ? `: ${title}` : ""}`;
      const note = owner && v.note ? v.note : "";
      text += `${title ? `\n\n${title}` : ""}${note ? `\n\nTheir note: ${note}` : ""}\n\n${url}`;
      html += `${title ? `<p><a href="${escapeHtml(url)}">${escapeHtml(title)}</a></p>` : `<p><a href="${escapeHtml(url)}">Open it on ParaNet</a></p>`}${note ? `<p>Their note: ${escapeHtml(note)}</p>` : ""}`;
    }
    const framed = frame(
      { text, html },
      { member: user, kind: "notify", why: "You get notification mail: replies to you, mentions, accepted answers and resource decisions." },
    );
    const message: OutgoingMessage = { to: user.email, subject, ...framed, replyTo, headers: { ...listHeaders(user, "notify", [], replyTo), ...headers } };
    if (await queueMail({ key: `note:${n.id}`, kind: "notification", userId, message })) queued++;
  }
  await markMailed();
  return queued;
}

// --- Digests -------------------------------------------------------------------

type Window = { from: Date; to: Date };
type DigestShared = {
  hits: { id: number; slug: string; title: string }[];
  answers: { id: number; threadId: number; slug: string; title: string; helpfulCount: number; excerpt: string; author: string }[];
  resources: { id: number; title: string }[];
  /** All approved in the window (the list shows the newest few). */
  resourceCount: number;
  threads: { id: number; slug: string; title: string; kind: string; tagIds: number[] }[];
};

/** New resources a digest names one by one. */
const DIGEST_RESOURCES = 5;

/** What every digest of a window shares (computed once per run, not per member). */
async function digestShared(w: Window): Promise<DigestShared> {
  const newResources = { status: "approved", approvedAt: { gte: w.from, lt: w.to } } satisfies Prisma.ResourceWhereInput;
  const [hits, answers, resources, resourceCount, threads] = await Promise.all([
    db.thread.findMany({
      where: { kind: "hit", ...publicThreadWhere(), createdAt: { gte: w.from, lt: w.to } },
      orderBy: { createdAt: "desc" },
      take: 20,
      select: { id: true, slug: true, title: true },
    }),
    db.reply.findMany({
      where: { ...publicReplyWhere(), helpfulCount: { gt: 0 }, createdAt: { gte: w.from, lt: w.to } },
      orderBy: [{ helpfulCount: "desc" }, { id: "desc" }],
      take: 5,
      select: {
        id: true,
        threadId: true,
        helpfulCount: true,
        bodyHtml: true,
        author: { select: { displayName: true } },
        thread: { select: { slug: true, title: true } },
      },
    }),
    // A few, and how many in all: an import of a thousand resources is one line of a digest, not a thousand.
    db.resource.findMany({ where: newResources, orderBy: { approvedAt: "desc" }, take: DIGEST_RESOURCES, select: { id: true, title: true } }),
    db.resource.count({ where: newResources }),
    db.thread.findMany({
      where: { ...publicThreadWhere(), createdAt: { gte: w.from, lt: w.to } },
      orderBy: { createdAt: "desc" },
      take: 2000,
      select: { id: true, slug: true, title: true, kind: true, tags: { select: { tagId: true } } },
    }),
  ]);
  return {
    hits,
    answers: answers.map((a) => ({
      id: a.id,
      threadId: a.threadId,
      slug: a.thread.slug,
      title: a.thread.title,
      helpfulCount: a.helpfulCount,
      // The words as the site shows them (the Markdown source would show its asterisks).
      excerpt: textExcerpt(a.bodyHtml, 280),
      author: a.author.displayName,
    })),
    resources,
    resourceCount,
    threads: threads.map((t) => ({ id: t.id, slug: t.slug, title: t.title, kind: t.kind, tagIds: t.tags.map((x) => x.tagId) })),
  };
}

/** One member's digest, or null when there is nothing for them. */
export function digestMessage(member: MailMember & { email: string }, followedTags: Set<number>, shared: DigestShared, label: string): OutgoingMessage | null {
  const site = siteUrl();
  const threads = shared.threads.filter((t) => t.tagIds.some((id) => followedTags.has(id))).slice(0, 30);
  if (!threads.length && !shared.hits.length && !shared.answers.length && !shared.resources.length) return null;
  const text: string[] = [`ParaNet ${label}`];
  const html: string[] = [`<h1 style="font-size:1.3rem">ParaNet ${escapeHtml(label)}</h1>`];
  const section = (title: string, items: { line: string; href: string; note?: string }[]) => {
    if (!items.length) return;
    text.push("", title.toUpperCase(), ...items.map((i) => `- ${i.line}${i.note ? `\n  ${i.note}` : ""}\n  ${i.href}`));
    html.push(
      `<h2 style="font-size:1.1rem">${escapeHtml(title)}</h2><ul>${items.map((i) => `<li><a href="${escapeHtml(i.href)}">${escapeHtml(i.line)}</a>${i.note ? `<br><span style="color:#4f5b66">${escapeHtml(i.note)}</span>` : ""}</li>`).join("")}</ul>`,
    );
  };
  section(
    "New threads in tags you follow",
    threads.map((t) => ({ line: subjectFor(t).replace("[ParaNet] ", ""), href: `${site}/t/${t.id}/${t.slug}` })),
  );
  section(
    "New HITs",
    shared.hits.map((t) => ({ line: t.title, href: `${site}/t/${t.id}/${t.slug}` })),
  );
  section(
    "Most helpful answers",
    shared.answers.map((a) => ({
      line: `${a.author} in “${a.title}” (${a.helpfulCount} found it helpful)`,
      href: `${site}${replyHref({ id: a.threadId, slug: a.slug }, a.id)}`,
      note: a.excerpt,
    })),
  );
  const moreResources = shared.resourceCount - shared.resources.length;
  section("New in the clearinghouse", [
    ...shared.resources.map((r) => ({ line: r.title, href: `${site}/resources/${r.id}` })),
    ...(moreResources > 0 ? [{ line: `and ${moreResources} more`, href: `${site}/resources?sort=newest` }] : []),
  ]);
  const framed = frame(
    { text: text.join("\n"), html: html.join("") },
    { member, kind: "list", why: `You get the ParaNet ${label.split(" ")[0].toLowerCase()} digest.` },
  );
  return { to: member.email, subject: `[ParaNet] ${label}`, ...framed, headers: listHeaders(member, "list") };
}

/** The end of the latest digest period at or before `now`: today's digest hour (weekly: Monday's). */
export function periodEnd(now: Date, digestHour: number, weekly: boolean): Date {
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), digestHour));
  if (end > now) end.setUTCDate(end.getUTCDate() - 1);
  if (weekly) while (end.getUTCDay() !== 1) end.setUTCDate(end.getUTCDate() - 1);
  return end;
}

const BATCH = 500;

/**
 * Queue the digests due at `now`: daily and weekly ones for their periods,
 * and a catch-up digest for each member whose vacation hold has ended.
 * Idempotent: a digest's queue key names its member and period, so a run
 * repeated (or resumed after a restart) sends nobody a second one.
 */
export async function queueDueDigests(now: Date, digestHour: number): Promise<{ daily: number; weekly: number; catchUp: number }> {
  const counts = { daily: 0, weekly: 0, catchUp: 0 };
  const sharedByWindow = new Map<string, Promise<DigestShared>>();
  const shared = (w: Window) => {
    const key = `${w.from.toISOString()}|${w.to.toISOString()}`;
    if (!sharedByWindow.has(key)) sharedByWindow.set(key, digestShared(w));
    return sharedByWindow.get(key)!;
  };

  // Holds that have ended: one digest of what was missed, then delivery resumes.
  const returning = await db.user.findMany({
    where: { vacationUntil: { lte: now } },
    select: {
      id: true,
      email: true,
      emailVerifiedAt: true,
      mailStoppedAt: true,
      unsubscribeVersion: true,
      vacationFrom: true,
      vacationUntil: true,
      emailMode: true,
    },
  });
  for (const m of returning) {
    const w = { from: m.vacationFrom ?? new Date(m.vacationUntil!.getTime() - 7 * DAY_MS), to: now };
    // Not through reachable() (the hold is what is ending): its other conditions here, a confirmed address not stopped by bounces.
    if (m.emailVerifiedAt && !m.mailStoppedAt && m.emailMode !== "none") {
      const tags = new Set((await db.tagFollow.findMany({ where: { userId: m.id }, select: { tagId: true } })).map((t) => t.tagId));
      const message = digestMessage(m, tags, await shared(w), `catch-up digest: what you missed since ${w.from.toISOString().slice(0, 10)}`);
      if (message && (await queueMail({ key: `digest:catchup:${m.id}:${m.vacationUntil!.toISOString()}`, kind: "digest", userId: m.id, message })))
        counts.catchUp++;
    }
    await db.user.update({ where: { id: m.id }, data: { vacationFrom: null, vacationUntil: null, lastDigestAt: now } });
  }

  for (const mode of ["daily", "weekly"] as const) {
    const to = periodEnd(now, digestHour, mode === "weekly");
    const length = mode === "weekly" ? 7 * DAY_MS : DAY_MS;
    let after = 0;
    for (;;) {
      // Members due: in this mode, confirmed, not on hold, whose last digest ends before this period does.
      const members = await db.user.findMany({
        where: reachable(now, { emailMode: mode, id: { gt: after }, OR: [{ lastDigestAt: null }, { lastDigestAt: { lt: to } }] }),
        orderBy: { id: "asc" },
        take: BATCH,
        select: { id: true, email: true, unsubscribeVersion: true, lastDigestAt: true },
      });
      if (!members.length) break;
      after = members[members.length - 1].id;
      const follows = await db.tagFollow.findMany({ where: { userId: { in: members.map((m) => m.id) } }, select: { userId: true, tagId: true } });
      const byMember = new Map<number, Set<number>>();
      for (const f of follows) (byMember.get(f.userId) ?? byMember.set(f.userId, new Set()).get(f.userId)!).add(f.tagId);
      for (const m of members) {
        // A period, or since the last digest if that was more recent (one after a hold, say).
        const from = m.lastDigestAt && m.lastDigestAt.getTime() > to.getTime() - length ? m.lastDigestAt : new Date(to.getTime() - length);
        const label = `${mode === "daily" ? "Daily" : "Weekly"} digest, ${to.toISOString().slice(0, 10)}`;
        const message = digestMessage(m, byMember.get(m.id) ?? new Set(), await shared({ from, to }), label);
        if (message && (await queueMail({ key: `digest:${mode}:${to.toISOString().slice(0, 10)}:${m.id}`, kind: "digest", userId: m.id, message })))
          counts[mode]++;
      }
      await db.user.updateMany({ where: { id: { in: members.map((m) => m.id) } }, data: { lastDigestAt: to } });
    }
  }
  return counts;
}
