// A member's profile beyond the identification card: the record of their
// work (counts, top competency areas) and pages of their threads, replies
// and HITs. Every read goes through the visibility SQL with the VIEWER, so a
// profile shows only what that reader could open anyway: never a private
// TARGET reply that is not theirs to read, a hidden or held post of someone
// else, or anything in a deleted thread (staff excepted, as everywhere).
//
// Counts follow the same rule as the lists (count what the viewer could
// read), rather than "public posts for everyone": a number then always
// matches the list beneath it, a guest's numbers are exactly the public
// record, and the member sees their whole record, private TARGET replies
// included. Nothing hidden is counted for someone who may not see it.
//
// Raw reads through `readQuery` (one statement each, served by the authorId
// indexes), the way the thread lists read; one text for both engines.
import { asBool, asDate, readQuery } from "~/db/client.server";
import { Prisma } from "~/generated/prisma/client";
import { textExcerpt } from "~/lib/html-text.server";
import type { ThreadKind } from "~/lib/domain";
import { replyReadableSql, threadVisibleSql, type Viewer } from "./visibility.server";

export const PROFILE_TABS = ["threads", "replies", "hits"] as const;
export type ProfileTab = (typeof PROFILE_TABS)[number];
export const PROFILE_PAGE_SIZE = 20;
const EXCERPT_LENGTH = 200;
/** textExcerpt reads at most 20 × its length of HTML: fetch no more than that. */
const BODY_PREFIX = Prisma.raw(String(EXCERPT_LENGTH * 20));

export type ProfileView = { tab: ProfileTab; before: number | null };

/**
 * The tab and page from a query string. Unknown values are ignored (the
 * first page of threads), as the thread lists' filters do: a stale or
 * mangled link still shows the profile.
 */
export function profileFiltersFrom(p: URLSearchParams): ProfileView {
  const tab = p.get("tab");
  const before = /^\d{1,10}$/.exec(p.get("before") ?? "") ? Number(p.get("before")) : null;
  return {
    tab: PROFILE_TABS.includes(tab as ProfileTab) ? (tab as ProfileTab) : "threads",
    before: before !== null && before > 0 && before <= 2_147_483_647 ? before : null,
  };
}

type Row = Record<string, unknown>;

/** A post that not everyone sees, as its author and staff are told. */
export type PostState = "held" | "hidden" | "deleted" | null;
function stateOf(row: Row): PostState {
  if (row.hiddenAt === null || row.hiddenAt === undefined) return null;
  if (row.hiddenReason === "held") return "held";
  return row.hiddenReason === "deleted" ? "deleted" : "hidden";
}

export type MemberRecord = {
  helpfulVotes: number;
  acceptedAnswers: number;
  hits: number;
  resources: number;
  threads: number;
  replies: number;
  topAreas: { slug: string; name: string; count: number }[];
};

/** What a member has given the community, as this viewer may see it (see the top of this file). */
export async function getMemberRecord(viewer: Viewer, memberId: number): Promise<MemberRecord> {
  const [[counts], areas] = await Promise.all([
    readQuery<Row>(Prisma.sql`
      SELECT rs."replies", rs."helpful", rs."accepted", ts."threads", ts."hits",
        (SELECT COUNT(*) FROM "Resource" s WHERE s."submitterId" = ${memberId} AND s."status" = 'approved') AS "resources"
      FROM
        (SELECT COUNT(*) AS "replies", COALESCE(SUM(r."helpfulCount"), 0) AS "helpful",
           COALESCE(SUM(CASE WHEN t."acceptedReplyId" = r."id" THEN 1 ELSE 0 END), 0) AS "accepted"
         FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId"
         WHERE r."authorId" = ${memberId} AND ${replyReadableSql(viewer)}) rs,
        (SELECT COALESCE(SUM(CASE WHEN t."kind" = 'hit' THEN 0 ELSE 1 END), 0) AS "threads",
           COALESCE(SUM(CASE WHEN t."kind" = 'hit' THEN 1 ELSE 0 END), 0) AS "hits"
         FROM "Thread" t
         WHERE t."authorId" = ${memberId} AND ${threadVisibleSql(viewer)}) ts`),
    // The competency areas of the threads where their accepted answers are;
    // a synonym counts for its main tag, and a thread once per area.
    readQuery<Row>(Prisma.sql`
      SELECT g."slug", g."name", COUNT(DISTINCT t."id") AS "n"
      FROM "Reply" r
      JOIN "Thread" t ON t."id" = r."threadId" AND t."acceptedReplyId" = r."id"
      JOIN "ThreadTag" tt ON tt."threadId" = t."id"
      JOIN "Tag" tagged ON tagged."id" = tt."tagId"
      JOIN "Tag" g ON g."id" = COALESCE(tagged."synonymOfId", tagged."id")
      WHERE r."authorId" = ${memberId} AND g."kind" = 'competency' AND ${replyReadableSql(viewer)}
      GROUP BY g."id", g."slug", g."name", g."position"
      ORDER BY COUNT(DISTINCT t."id") DESC, g."position" ASC
      LIMIT 3`),
  ]);
  return {
    helpfulVotes: Number(counts?.helpful ?? 0),
    acceptedAnswers: Number(counts?.accepted ?? 0),
    hits: Number(counts?.hits ?? 0),
    resources: Number(counts?.resources ?? 0),
    threads: Number(counts?.threads ?? 0),
    replies: Number(counts?.replies ?? 0),
    topAreas: areas.map((a) => ({ slug: String(a.slug), name: String(a.name), count: Number(a.n) })),
  };
}

export type ThreadItem = {
  type: "thread";
  id: number;
  kind: ThreadKind;
  title: string;
  slug: string;
  excerpt: string;
  createdAt: Date;
  replyCount: number;
  answered: boolean;
  state: PostState;
  /** A HIT's source thread, when this viewer may open it. */
  source: { id: number; slug: string; title: string } | null;
};
export type ReplyItem = {
  type: "reply";
  id: number;
  thread: { id: number; slug: string; title: string; kind: ThreadKind };
  excerpt: string;
  createdAt: Date;
  helpfulCount: number;
  accepted: boolean;
  isPrivate: boolean;
  state: PostState;
};
export type WorkPage = { items: (ThreadItem | ReplyItem)[]; nextBefore: number | null };

/**
 * One page of a member's threads, replies or HITs, newest first, 20 a page.
 * The page key is the id ("before" the last one shown): ids follow posting
 * order, and the authorId index then serves the order without a sort on
 * SQLite.
 */
export async function listMemberWork(viewer: Viewer, memberId: number, view: ProfileView): Promise<WorkPage> {
  const take = PROFILE_PAGE_SIZE + 1;
  const rows = view.tab === "replies" ? await replyRows(viewer, memberId, view.before, take) : await threadRows(viewer, memberId, view, take);
  const page = rows.slice(0, PROFILE_PAGE_SIZE);
  const last = page[page.length - 1];
  return { items: page, nextBefore: rows.length > PROFILE_PAGE_SIZE && last ? last.id : null };
}

async function threadRows(viewer: Viewer, memberId: number, view: ProfileView, take: number): Promise<ThreadItem[]> {
  const kind = view.tab === "hits" ? Prisma.sql`t."kind" = 'hit'` : Prisma.sql`t."kind" <> 'hit'`;
  const before = view.before ? Prisma.sql`AND t."id" < ${view.before}` : Prisma.empty;
  const rows = await readQuery<Row>(Prisma.sql`
    SELECT t."id", t."kind", t."title", t."slug", SUBSTR(t."bodyHtml", 1, ${BODY_PREFIX}) AS "body", t."createdAt",
      t."publicReplyCount", t."privateReplyCount", t."acceptedReplyId", t."hiddenAt", t."hiddenReason",
      s."id" AS "sourceId", s."slug" AS "sourceSlug", s."title" AS "sourceTitle"
    FROM "Thread" t
    LEFT JOIN "Thread" s ON s."id" = t."sourceThreadId" AND ${threadVisibleSql(viewer, "s")}
    WHERE t."authorId" = ${memberId} AND ${kind} AND ${threadVisibleSql(viewer)} ${before}
    ORDER BY t."id" DESC
    LIMIT ${take}`);
  return rows.map((t) => {
    const kind = String(t.kind) as ThreadKind;
    return {
      type: "thread",
      id: Number(t.id),
      kind,
      title: String(t.title),
      slug: String(t.slug),
      excerpt: textExcerpt(String(t.body), EXCERPT_LENGTH),
      createdAt: asDate(t.createdAt)!,
      replyCount: Number(kind === "target" ? t.privateReplyCount : t.publicReplyCount),
      // Accepting a private TARGET reply is private too (as in the thread lists).
      answered: t.acceptedReplyId !== null && kind !== "target",
      state: stateOf(t),
      source: t.sourceId === null ? null : { id: Number(t.sourceId), slug: String(t.sourceSlug), title: String(t.sourceTitle) },
    };
  });
}

async function replyRows(viewer: Viewer, memberId: number, before: number | null, take: number): Promise<ReplyItem[]> {
  const rows = await readQuery<Row>(Prisma.sql`
    SELECT r."id", SUBSTR(r."bodyHtml", 1, ${BODY_PREFIX}) AS "body", r."createdAt", r."helpfulCount", r."isPrivate", r."hiddenAt", r."hiddenReason",
      CASE WHEN t."acceptedReplyId" = r."id" THEN 1 ELSE 0 END AS "accepted",
      t."id" AS "threadId", t."slug", t."title", t."kind"
    FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId"
    WHERE r."authorId" = ${memberId} AND ${replyReadableSql(viewer)} ${before ? Prisma.sql`AND r."id" < ${before}` : Prisma.empty}
    ORDER BY r."id" DESC
    LIMIT ${take}`);
  return rows.map((r) => ({
    type: "reply",
    id: Number(r.id),
    thread: { id: Number(r.threadId), slug: String(r.slug), title: String(r.title), kind: String(r.kind) as ThreadKind },
    excerpt: textExcerpt(String(r.body), EXCERPT_LENGTH),
    createdAt: asDate(r.createdAt)!,
    helpfulCount: Number(r.helpfulCount),
    accepted: Number(r.accepted) === 1,
    isPrivate: asBool(r.isPrivate),
    state: stateOf(r),
  }));
}
