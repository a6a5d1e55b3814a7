// Following threads (automatic when you post or reply) and tags.
import { db, readQuery } from "~/db/client.server";
import { Prisma } from "~/generated/prisma/client";
import { NotFoundError } from "~/lib/errors";
import type { Actor } from "~/lib/domain";
import { canSeeThread, threadVisibleWhere, type Viewer } from "./visibility.server";

export async function setThreadFollow(actor: Actor, threadId: number, follow: boolean) {
  const thread = await db.thread.findUnique({ where: { id: threadId }, select: { authorId: true, hiddenAt: true, hiddenReason: true } });
  if (!thread || !canSeeThread(actor, thread)) throw new NotFoundError("That thread does not exist.");
  // ON CONFLICT: two clicks at once follow once (an upsert could race on PostgreSQL).
  if (follow)
    await db.$executeRaw`INSERT INTO "ThreadFollow" ("userId", "threadId", "createdAt") VALUES (${actor.id}, ${threadId}, ${new Date()}) ON CONFLICT DO NOTHING`;
  else await db.threadFollow.deleteMany({ where: { userId: actor.id, threadId } });
}

export async function setTagFollow(actor: Actor, tagSlug: string, follow: boolean) {
  const tag = await db.tag.findUnique({ where: { slug: tagSlug }, select: { id: true } });
  if (!tag) throw new NotFoundError("That tag does not exist.");
  if (follow)
    await db.$executeRaw`INSERT INTO "TagFollow" ("userId", "tagId", "createdAt") VALUES (${actor.id}, ${tag.id}, ${new Date()}) ON CONFLICT DO NOTHING`;
  else await db.tagFollow.deleteMany({ where: { userId: actor.id, tagId: tag.id } });
}

export async function isFollowingThread(viewer: Viewer, threadId: number): Promise<boolean> {
  if (!viewer) return false;
  return (await readQuery(Prisma.sql`SELECT 1 FROM "ThreadFollow" WHERE "userId" = ${viewer.id} AND "threadId" = ${threadId}`)).length > 0;
}

export async function isFollowingTag(viewer: Viewer, tagId: number): Promise<boolean> {
  if (!viewer) return false;
  return (await readQuery(Prisma.sql`SELECT 1 FROM "TagFollow" WHERE "userId" = ${viewer.id} AND "tagId" = ${tagId}`)).length > 0;
}

export async function listFollowing(actor: Actor) {
  const [threads, tags] = await Promise.all([
    db.threadFollow.findMany({
      // A followed thread since hidden is listed only for those who may still open it.
      where: { userId: actor.id, thread: threadVisibleWhere(actor) },
      orderBy: { thread: { lastActivityAt: "desc" } },
      select: { thread: { select: { id: true, slug: true, title: true, kind: true, lastActivityAt: true } } },
    }),
    db.tagFollow.findMany({
      where: { userId: actor.id },
      orderBy: { tag: { name: "asc" } },
      select: { tag: { select: { slug: true, name: true, kind: true } } },
    }),
  ]);
  return { threads: threads.map((f) => f.thread), tags: tags.map((f) => f.tag) };
}
