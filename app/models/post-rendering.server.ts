// Rendering stored posts: Markdown with member mentions and clearinghouse
// cards, re-rendering after the rules change, and refreshing the posts that
// link an entry when the entry changes.
import { db } from "~/db/client.server";
import { mentionedHandles, renderMarkdown, RENDERER_VERSION, resourceCardHtml } from "~/lib/markdown.server";
import { urlsIn } from "~/lib/resource-url";
import { recordEvent } from "./event-outbox.server";
import { recordCitations, resourcesLinkedFrom } from "./resource.server";

/**
 * Render a post, linking only @handles of real members, and adding a card
 * for each approved clearinghouse resource it links (`resourceIds`: what it cites).
 */
export async function renderPost(source: string) {
  const handles = mentionedHandles(source);
  const [known, linked] = await Promise.all([
    handles.length
      ? db.user.findMany({ where: { handle: { in: handles } }, select: { handle: true } }).then((users) => new Set(users.map((u) => u.handle)))
      : Promise.resolve(new Set<string>()),
    resourcesLinkedFrom(urlsIn(source)),
  ]);
  const rendered = renderMarkdown(source, { knownHandles: known });
  return { ...rendered, html: rendered.html + linked.slice(0, 3).map(resourceCardHtml).join(""), resourceIds: linked.map((r) => r.id) };
}

/**
 * Re-render stored posts with the current Markdown rules: those rendered by
 * an older RENDERER_VERSION, or every post with `all`. Batches of 200 by id.
 */
export async function rerenderPosts({ all = false } = {}): Promise<{ threads: number; replies: number }> {
  const stale = all ? {} : { rendererVersion: { lt: RENDERER_VERSION } };
  const page = { orderBy: { id: "asc" as const }, take: 200, select: { id: true, bodySource: true } };
  return {
    threads: await rerenderInBatches(
      (after) => db.thread.findMany({ ...page, where: { ...stale, id: { gt: after } } }),
      (id, r) => db.thread.update({ where: { id }, data: { bodyHtml: r.html, rendererVersion: r.rendererVersion } }),
    ),
    replies: await rerenderInBatches(
      (after) => db.reply.findMany({ ...page, where: { ...stale, id: { gt: after } } }),
      (id, r) => db.reply.update({ where: { id }, data: { bodyHtml: r.html, rendererVersion: r.rendererVersion } }),
    ),
  };
}

/** Walk posts in id order, batch by batch, rendering and saving each; returns how many. */
async function rerenderInBatches(
  batchAfter: (id: number) => Promise<{ id: number; bodySource: string }[]>,
  save: (id: number, rendered: Awaited<ReturnType<typeof renderPost>>) => Promise<unknown>,
): Promise<number> {
  let count = 0;
  for (let after = 0; ;) {
    const batch = await batchAfter(after);
    if (!batch.length) return count;
    for (const post of batch) await save(post.id, await renderPost(post.bodySource));
    count += batch.length;
    after = batch[batch.length - 1].id;
  }
}

/**
 * Re-render the posts that link a clearinghouse entry's address, so their
 * cards follow it: one appears when the entry is approved, its title follows
 * edits, and it goes when the entry is archived or merged. Returns how many
 * posts changed. Runs after the curation committed, off the request's path.
 */
export async function refreshPostsLinking(resourceId: number): Promise<number> {
  const resource = await db.resource.findUnique({ where: { id: resourceId }, select: { normalizedUrl: true } });
  const needle = resource?.normalizedUrl.split("?")[0] ?? "";
  if (needle.length < 4) return 0;
  // Lower-cased on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
  const like = `%${needle.toLowerCase()}%`;
  const [threads, replies] = await Promise.all([
    db.$queryRaw<{ id: number | bigint; bodySource: string; bodyHtml: string }[]>`
      SELECT "id", "bodySource", "bodyHtml" FROM "Thread" WHERE lower("bodySource") LIKE ${like} LIMIT 500`,
    db.$queryRaw<{ id: number | bigint; threadId: number | bigint; bodySource: string; bodyHtml: string; isPrivate: number | boolean }[]>`
      SELECT "id", "threadId", "bodySource", "bodyHtml", "isPrivate" FROM "Reply" WHERE lower("bodySource") LIKE ${like} AND "deletedAt" IS NULL LIMIT 500`,
  ]);
  let changed = 0;
  for (const t of threads) {
    const rendered = await renderPost(t.bodySource);
    await recordCitations(Number(t.id), rendered.resourceIds);
    if (rendered.html === t.bodyHtml) continue;
    await db.$transaction([
      db.thread.update({ where: { id: Number(t.id) }, data: { bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion } }),
      recordEvent(db, { type: "thread.edited", threadId: Number(t.id) }),
    ]);
    changed++;
  }
  for (const r of replies) {
    const rendered = await renderPost(r.bodySource);
    const isPrivate = Boolean(r.isPrivate);
    if (!isPrivate) await recordCitations(Number(r.threadId), rendered.resourceIds);
    if (rendered.html === r.bodyHtml) continue;
    await db.$transaction([
      db.reply.update({ where: { id: Number(r.id) }, data: { bodyHtml: rendered.html, rendererVersion: rendered.rendererVersion } }),
      recordEvent(db, { type: "reply.edited", threadId: Number(r.threadId), replyId: Number(r.id), isPrivate }),
    ]);
    changed++;
  }
  return changed;
}
