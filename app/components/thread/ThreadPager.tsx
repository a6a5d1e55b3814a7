import { Link } from "@remix-run/react";
import { threadPageHref } from "~/lib/links";
import type { ThreadPage } from "./types";

/** The page numbers to offer: all of a short thread's, else the first, the last and those around this one. */
function pageNumbers(page: number, pages: number): (number | null)[] {
  if (pages <= 7) return Array.from({ length: pages }, (_, i) => i + 1);
  const shown = [...new Set([1, page - 1, page, page + 1, pages].filter((n) => n >= 1 && n <= pages))].sort((a, b) => a - b);
  // null marks a gap ("…").
  return shown.flatMap((n, i) => (i > 0 && n - shown[i - 1]! > 1 ? [null, n] : [n]));
}

/** Links between the pages of a long thread (nothing for a thread of one page). */
export function ThreadPager({ page, label }: { page: ThreadPage; label: string }) {
  const { page: current, pages } = page.paging;
  if (pages <= 1) return null;
  return (
    <nav aria-label={label} className="pager thread-pager">
      {current > 1 ? (
        <Link to={threadPageHref(page.thread, current - 1)} rel="prev">
          ← Previous
        </Link>
      ) : (
        <span />
      )}
      <span className="thread-pager__pages">
        {pageNumbers(current, pages).map((n, i) =>
          n === null ? (
            <span key={`gap-${i}`} aria-hidden="true">
              …
            </span>
          ) : n === current ? (
            <span key={n} aria-current="page" className="thread-pager__current">
              {n}
            </span>
          ) : (
            <Link key={n} to={threadPageHref(page.thread, n)} aria-label={`Page ${n}`}>
              {n}
            </Link>
          ),
        )}
      </span>
      {current < pages ? (
        <Link to={threadPageHref(page.thread, current + 1)} rel="next">
          Next →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
