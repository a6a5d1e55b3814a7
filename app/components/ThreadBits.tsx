// Small pieces shared by thread lists and thread pages.
import { Link } from "@remix-run/react";
import { createContext, useContext } from "react";
import { THREAD_KIND_LABELS, type ThreadKind } from "~/lib/domain";

export function KindBadge({ kind }: { kind: string }) {
  return <span className={`kind kind--${kind}`}>{THREAD_KIND_LABELS[kind as ThreadKind] ?? kind}</span>;
}

export function AnsweredBadge({ answered }: { answered: boolean }) {
  return answered ? <span className="status status--answered">Answered</span> : <span className="status">Unanswered</span>;
}

export function TagList({ tags }: { tags: { slug: string; name: string }[] }) {
  if (tags.length === 0) return null;
  return (
    <ul className="tag-list" aria-label="Tags">
      {tags.map((t) => (
        <li key={t.slug}>
          <Link to={`/tags/${t.slug}`} className="tag">
            {t.name}
          </Link>
        </li>
      ))}
    </ul>
  );
}

const when = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function Time({ at }: { at: string | Date }) {
  const d = new Date(at);
  return <time dateTime={d.toISOString()}>{when.format(d)} UTC</time>;
}

/**
 * Bodies a document's loader set aside (`sendBodyOnce`): given by the server
 * render only. In the browser it is empty, and a body that came as "" keeps
 * the HTML the server sent (React does not rewrite inner HTML on hydration,
 * nor later while the prop stays the same).
 */
export const RenderOnlyBodies = createContext<ReadonlyMap<string, string>>(new Map());

/** HTML rendered and sanitized on the server when the post was saved; `bodyKey` names it among bodies sent once. */
export function PostBody({ html, bodyKey }: { html: string; bodyKey?: string }) {
  const setAside = useContext(RenderOnlyBodies);
  const shown = html || (bodyKey ? (setAside.get(bodyKey) ?? "") : "");
  return <div className="post-body" dangerouslySetInnerHTML={{ __html: shown }} suppressHydrationWarning />;
}
