// A throttled form post (429) tells the browser when to try again: Remix
// sends a page's headers from its `headers` export, so routes whose actions
// can be throttled export this.
import type { HeadersFunction } from "@remix-run/node";

export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};
