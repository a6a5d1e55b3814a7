// Keeps resource cards in posts true to the clearinghouse: when an entry is
// approved, edited, archived or merged, the posts linking it are re-rendered
// (after the curation committed, off the request's path). A shared outbox
// subscriber; re-rendering twice changes nothing, so redelivery is harmless.
import { logger } from "~/lib/logger.server";
import type { Subscriber } from "~/models/event-outbox.server";
import { refreshPostsLinking } from "~/models/post-rendering.server";

export const postRefresher: Subscriber = {
  name: "post-refresher",
  async deliver({ event }) {
    if (event.type !== "resource.changed" || event.resourceId <= 0) return;
    const n = await refreshPostsLinking(event.resourceId);
    if (n) logger.info({ resourceId: event.resourceId, posts: n }, "resource cards refreshed");
  },
};
