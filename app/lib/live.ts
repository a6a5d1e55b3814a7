// What live (socket) events carry, shared by the server that sends them and
// the pages that apply them, and the pure functions that apply them to a
// page's data. Applying is idempotent: an event seen twice, or one already
// reflected in the page's data, changes nothing.
import { LIBRARY_TYPES, THREAD_KINDS, type Identification } from "./domain";

/** A reply as every permitted viewer sees it; viewer-specific controls are derived in the browser. */
export type LiveReply = {
  id: number;
  threadId: number;
  isPrivate: boolean;
  bodyHtml: string;
  helpfulCount: number;
  createdAt: string;
  edited: boolean;
  removed: boolean;
  author: Identification & { id: number };
};

export type LiveThread = { id: number; slug: string; title: string; kind: string; tags: string[]; libraryTypes: string[] };

/** What travels on the "live" socket event. */
export type LivePayload =
  | { type: "reply.created" | "reply.edited"; threadId: number; reply: LiveReply }
  | { type: "reply.deleted"; threadId: number; replyId: number }
  | { type: "reply.accepted"; threadId: number; replyId: number | null }
  | { type: "vote.changed"; threadId: number; replyId: number; helpfulCount: number }
  | { type: "thread.created"; thread: LiveThread }
  | { type: "thread.edited"; threadId: number; title: string; bodyHtml: string };

/** Ids increase with every event stored; a client resumes from the last it saw. */
export type LiveEvent = LivePayload & { id: number };

export type LiveViewer = { id: number; role: string } | null;

/** The reply fields the thread page shows (the loader's shape, serialized). */
export type PageReply = Omit<LiveReply, "threadId"> & {
  bodySource: string | null;
  votedHelpful: boolean;
  canVote: boolean;
  canEdit: boolean;
  accepted: boolean;
};

type PageLike<R extends PageReply> = {
  thread: { id: number; title: string; bodyHtml: string; answered: boolean };
  replies: R[];
  acceptedReply: R | null;
};

const isStaffRole = (role: string) => role === "moderator" || role === "admin";

/** A reply that arrived live, with the controls this viewer gets (the same rules as the loader). */
export function pageReplyFrom(reply: LiveReply, viewer: LiveViewer): PageReply {
  const { threadId: _threadId, ...shown } = reply;
  const mayModify = !!viewer && (viewer.id === reply.author.id || isStaffRole(viewer.role));
  return {
    ...shown,
    // The source is fetched when the author opens the editor.
    bodySource: null,
    votedHelpful: false,
    canVote: !!viewer && viewer.id !== reply.author.id && !reply.removed,
    canEdit: !reply.removed && mayModify,
    accepted: false,
  };
}

/** The thread page's data with live events applied, in id order. */
export function applyThreadEvents<R extends PageReply, P extends PageLike<R>>(
  page: P,
  events: LiveEvent[],
  viewer: LiveViewer,
  /** False on any page of a thread but its last: new replies belong on the last page, not this one. */
  appendNew = true,
): P {
  const mine = events.filter((e) => ("threadId" in e ? e.threadId === page.thread.id : false)).sort((a, b) => a.id - b.id);
  if (!mine.length) return page;
  let replies = [...page.replies];
  const thread = { ...page.thread };
  const update = (id: number, change: (r: R) => R) => {
    replies = replies.map((r) => (r.id === id ? change(r) : r));
  };
  for (const e of mine) {
    switch (e.type) {
      case "reply.created":
      case "reply.edited": {
        const existing = replies.find((r) => r.id === e.reply.id);
        if (!existing) {
          if (!appendNew) break;
          const added = { ...pageReplyFrom(e.reply, viewer), accepted: false } as R;
          replies.push(added);
          replies.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
        } else if (e.type === "reply.edited") {
          update(e.reply.id, (r) => ({ ...r, bodyHtml: e.reply.bodyHtml, edited: e.reply.edited, removed: e.reply.removed }));
        }
        break;
      }
      case "reply.deleted":
        update(e.replyId, (r) => ({ ...r, removed: true, bodyHtml: "", bodySource: null, canEdit: false, canVote: false, accepted: false }));
        break;
      case "vote.changed":
        update(e.replyId, (r) => ({ ...r, helpfulCount: e.helpfulCount }));
        break;
      case "reply.accepted":
        replies = replies.map((r) => (r.accepted === (r.id === e.replyId) ? r : { ...r, accepted: r.id === e.replyId }));
        break;
      case "thread.edited":
        thread.title = e.title;
        thread.bodyHtml = e.bodyHtml;
        break;
    }
  }
  const acceptedReply = replies.find((r) => r.accepted && !r.removed) ?? null;
  return { ...page, thread: { ...thread, answered: acceptedReply !== null }, replies, acceptedReply };
}

/**
 * Whether a new thread belongs in a list filtered by these search params,
 * read as the lists read them (threadFiltersFrom and listThreads): unknown
 * kinds and library types are ignored, "unanswered" alone means questions,
 * and a thread for no particular library type shows under every one.
 */
export function threadMatchesFilters(thread: LiveThread, params: URLSearchParams): boolean {
  const kind = THREAD_KINDS.find((k) => k === params.get("kind"));
  const library = LIBRARY_TYPES.find((l) => l === params.get("library"));
  const tag = params.get("tag")?.slice(0, 80);
  const unanswered = params.get("unanswered") === "1" || params.get("unanswered") === "true";
  if (kind && thread.kind !== kind) return false;
  if (unanswered && !kind && thread.kind !== "question") return false;
  if (tag && !thread.tags.includes(tag)) return false;
  if (library && thread.libraryTypes.length && !thread.libraryTypes.includes(library)) return false;
  // A new thread has no accepted answer and no votes yet, so every sort includes it.
  return true;
}

/** A short sentence for screen readers about an event on the thread page. */
export function describeThreadEvent(e: LiveEvent): string | null {
  switch (e.type) {
    case "reply.created":
      return `New ${e.reply.isPrivate ? "private reply" : "reply"} from ${e.reply.author.displayName}.`;
    case "reply.edited":
      return `${e.reply.author.displayName} edited a reply.`;
    case "reply.deleted":
      return "A reply was removed.";
    case "reply.accepted":
      return e.replyId ? "An answer was accepted." : null;
    case "thread.edited":
      return "The question was edited.";
    default:
      return null;
  }
}
