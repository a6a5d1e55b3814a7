// A HIT compiles what a TARGET (or any thread) gathered: the asker picks the
// replies to quote and, for each, whether to name the replier (anonymous
// unless they choose otherwise). Only the thread's author can compile it.
import { db } from "~/db/client.server";
import { THREAD_KIND_LABELS, type ThreadKind } from "~/lib/domain";
import { ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { quoteMarkdown } from "~/lib/markdown.server";
import { identificationSelect } from "./user.server";
import type { Actor } from "~/lib/domain";
import { canSeeThread, replyReadableWhere } from "./visibility.server";

/** The source thread and every reply its author can quote. */
export async function getHitSource(actor: Actor, threadId: number) {
  const thread = await db.thread.findUnique({
    where: { id: threadId },
    select: {
      id: true,
      kind: true,
      title: true,
      slug: true,
      bodySource: true,
      authorId: true,
      hiddenAt: true,
      hiddenReason: true,
      tags: { select: { tagId: true } },
      replies: {
        // What the asker may read, but never a held or hidden reply (not even their own): a HIT is public.
        where: { AND: [replyReadableWhere(actor), { hiddenAt: null }] },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, bodySource: true, bodyHtml: true, createdAt: true, author: { select: identificationSelect } },
      },
    },
  });
  if (!thread || !canSeeThread(actor, thread)) throw new NotFoundError("That thread does not exist.");
  if (thread.authorId !== actor.id) throw new ForbiddenError("Only the person who asked can compile its HIT.");
  const { tags, hiddenAt: _hiddenAt, hiddenReason: _hiddenReason, ...rest } = thread;
  return { ...rest, tagIds: tags.map((t) => t.tagId) };
}

export type HitSelection = { replyId: number; named: boolean };

/** Pre-filled title and Markdown body for the HIT, from the chosen replies. */
export async function draftHit(actor: Actor, threadId: number, selections: HitSelection[]) {
  const source = await getHitSource(actor, threadId);
  const chosen = new Map(selections.map((s) => [s.replyId, s.named]));
  const replies = source.replies.filter((r) => chosen.has(r.id));
  if (replies.length === 0) throw new ValidationError({ replyIds: "Choose at least one reply to include." });
  const title = `HIT: ${source.title.replace(/^\s*TARGET\s*:?\s*/i, "")}`.slice(0, 150);
  const parts = [
    `**The question.** ${source.bodySource.trim()}`,
    `**What colleagues said** (${replies.length} of ${source.replies.length} ${source.replies.length === 1 ? "reply" : "replies"}):`,
    ...replies.map((r) => {
      const a = r.author;
      const who = chosen.get(r.id) ? `${a.displayName}${a.jobTitle ? `, ${a.jobTitle}` : ""}${a.worksite ? `, ${a.worksite}` : ""}` : "a colleague";
      return `${quoteMarkdown(r.bodySource)}\n>\n> — ${who}`;
    }),
    "**What I learned:** ",
  ];
  return {
    title,
    body: parts.join("\n\n"),
    tagIds: source.tagIds,
    source: { id: source.id, slug: source.slug, title: source.title, kind: THREAD_KIND_LABELS[source.kind as ThreadKind] },
  };
}
