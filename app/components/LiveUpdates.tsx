// Live updates on pages: the thread page's merged data, the screen-reader
// announcement region and the "N new" pill. Nothing here moves focus or
// shifts what the reader is looking at.
import { useRevalidator, useSearchParams } from "@remix-run/react";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { applyThreadEvents, describeThreadEvent, threadMatchesFilters, type LiveEvent, type LiveViewer, type PageReply } from "~/lib/live";
import { useLiveNewThreads, useLiveThread } from "~/ui/use-live";

/**
 * A polite live region: screen readers read its text when it changes, after
 * what they are reading. `count` tells the same sentence said again (two
 * replies in a row from one person) from a re-render: the text then gains or
 * loses a trailing no-break space, so it changes and is read again.
 */
export function LiveRegion({ message, count = 0 }: { message: string; count?: number }) {
  return (
    <div className="visually-hidden" aria-live="polite" aria-atomic="true" role="status">
      {message ? `${message}${count % 2 ? "\u00a0" : ""}` : ""}
    </div>
  );
}

// Layout effects warn during server rendering; pages only need them in the browser.
const useBrowserLayoutEffect = typeof window === "undefined" ? useEffect : useLayoutEffect;

/** A pill floating over the page (so nothing below it moves) that takes the reader to what arrived. */
export function NewItemsPill({ label, onShow }: { label: string | null; onShow: () => void }) {
  if (!label) return null;
  return (
    <button type="button" className="new-items-pill new-items-pill--bottom" onClick={onShow}>
      {label}
    </button>
  );
}

/**
 * A thread list's "N new threads — show" pill: counts threads created since
 * the list loaded that match its filters (`tag` fixes the tag of a tag page).
 * Only on the first page of a list sorted by activity or age.
 */
export function NewThreadsPill({ cursor, tag }: { cursor: number; tag?: string }) {
  const revalidator = useRevalidator();
  const [params] = useSearchParams();
  // Event ids of matching new threads; those at or below the list's cursor are in it already.
  const [arrived, setArrived] = useState<number[]>([]);
  const count = arrived.filter((id) => id > cursor).length;
  const watching = !params.get("after") && params.get("sort") !== "helpful";
  useLiveNewThreads(
    cursor,
    (e) => {
      if (e.type !== "thread.created" || !watching) return;
      const filters = new URLSearchParams(params);
      if (tag) filters.set("tag", tag);
      if (!threadMatchesFilters(e.thread, filters)) return;
      setArrived((prev) => (prev.includes(e.id) ? prev : [...prev, e.id]));
    },
    () => revalidator.revalidate(),
  );
  const show = () => {
    revalidator.revalidate();
    window.scrollTo({ top: 0, behavior: "smooth" });
  };
  return (
    <>
      <NewItemsPill label={count ? `${count} new ${count === 1 ? "thread" : "threads"} — show` : null} onShow={show} />
      <LiveRegion message={count ? `${count} new ${count === 1 ? "thread" : "threads"} posted.` : ""} count={count} />
    </>
  );
}

function isBelowViewport(id: string): boolean {
  const el = document.getElementById(id);
  return !!el && el.getBoundingClientRect().top > window.innerHeight;
}

type Page<R extends PageReply> = {
  thread: { id: number; title: string; bodyHtml: string; answered: boolean };
  replies: R[];
  acceptedReply: R | null;
};

/**
 * The thread page's data with the live events received since it loaded.
 * New replies the reader has not scrolled to are counted for the pill.
 */
export function useLiveThreadPage<R extends PageReply, P extends Page<R>>(loaded: P, cursor: number, viewer: LiveViewer, lastPage = true) {
  const revalidator = useRevalidator();
  // Every event received for this thread; applied only above the data's cursor, so
  // one that arrived while fresh data was loading is neither lost nor applied twice.
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [announcement, setAnnouncement] = useState({ text: "", count: 0 });
  const [unseen, setUnseen] = useState<number[]>([]);
  // On an earlier page, new replies are counted, not shown: they are on the last page.
  const [later, setLater] = useState<number[]>([]);
  const arrived = useRef<number[]>([]);
  const anchor = useRef<{ el: HTMLElement; top: number } | null>(null);

  useLiveThread(
    loaded.thread.id,
    cursor,
    (e) => {
      setEvents((prev) => (prev.some((p) => p.id === e.id) ? prev : [...prev.filter((p) => p.id > cursor), e]));
      const said = describeThreadEvent(e);
      if (said) setAnnouncement((prev) => ({ text: said, count: prev.count + 1 }));
      // While the reader types a reply, what arrives above must not push the form away.
      const form = document.getElementById("reply-form");
      if (form?.contains(document.activeElement) && !anchor.current) anchor.current = { el: form, top: form.getBoundingClientRect().top };
      else if (e.type === "reply.created" && lastPage) arrived.current.push(e.reply.id);
      if (e.type === "reply.created" && !lastPage && e.id > cursor) setLater((ids) => (ids.includes(e.reply.id) ? ids : [...ids, e.reply.id]));
    },
    () => revalidator.revalidate(),
  );

  // Fresh loader data already includes everything up to its cursor.
  const page = useMemo(
    () =>
      applyThreadEvents<R, P>(
        loaded,
        events.filter((e) => e.id > cursor),
        viewer,
        lastPage,
      ),
    [loaded, events, cursor, viewer, lastPage],
  );

  // Keep the reply form where it was on screen, before the browser paints.
  useBrowserLayoutEffect(() => {
    if (!anchor.current) return;
    const { el, top } = anchor.current;
    anchor.current = null;
    const moved = el.getBoundingClientRect().top - top;
    if (moved) window.scrollBy(0, moved);
  }, [page]);

  // Measured once React has rendered the replies that just arrived.
  useEffect(() => {
    const below = arrived.current.filter((id) => isBelowViewport(`reply-${id}`));
    arrived.current = [];
    if (below.length) setUnseen((ids) => [...ids, ...below.filter((id) => !ids.includes(id))]);
  }, [page]);

  // Replies scrolled into view are no longer new.
  useEffect(() => {
    if (!unseen.length) return;
    const onScroll = () => setUnseen((ids) => ids.filter((id) => isBelowViewport(`reply-${id}`)));
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, [unseen.length]);

  const showUnseen = useCallback(() => {
    const first = unseen[0];
    setUnseen([]);
    if (first) document.getElementById(`reply-${first}`)?.scrollIntoView({ behavior: "smooth", block: "start" });
  }, [unseen]);
  const unseenLabel = unseen.length ? `${unseen.length} new ${unseen.length === 1 ? "reply" : "replies"} ↓` : null;
  // Fresh data (another page, or the same one reloaded) starts the count again.
  useEffect(() => setLater([]), [loaded]);
  return { page, announcement, unseenLabel, showUnseen, newOnLaterPages: later.length };
}
