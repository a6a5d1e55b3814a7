// Keeps resource cards in posts true to the clearinghouse: when an entry is
// approved, edited, archived or merged, the posts linking it are re-rendered
// (after the curation committed, off the request's path).
import { subscribe } from "~/lib/events.server";
import { logger } from "~/lib/logger.server";
import { refreshPostsLinking } from "~/models/post-rendering.server";

export function startPostRefresher(): () => void {
  return subscribe((event) => {
    if (event.type !== "resource.changed" || event.resourceId <= 0) return;
    setImmediate(() => {
      refreshPostsLinking(event.resourceId)
        .then((n) => n && logger.info({ resourceId: event.resourceId, posts: n }, "resource cards refreshed"))
        .catch((err) => logger.error({ err, resourceId: event.resourceId }, "refreshing resource cards failed"));
    });
  });
}
