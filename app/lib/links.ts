// Addresses of thread pages, shared by pages, feeds, mail and search: long
// threads are paged, so a link to a reply names the reply (the page that holds
// it is worked out when it is opened) as well as its anchor.

type ThreadRef = { id: number; slug: string };

/** A thread's page: the first page has no page number. */
export function threadPageHref(thread: ThreadRef, page = 1): string {
  return `/t/${thread.id}/${thread.slug}${page > 1 ? `?page=${page}` : ""}`;
}

/** A reply, on whichever page of its thread holds it. */
export function replyHref(thread: ThreadRef, replyId: number): string {
  return `/t/${thread.id}/${thread.slug}?reply=${replyId}#reply-${replyId}`;
}
