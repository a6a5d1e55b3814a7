// Small pieces shared by thread lists and thread pages.
import { Link } from "@remix-run/react";
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

/** HTML rendered and sanitized on the server when the post was saved. */
export function PostBody({ html }: { html: string }) {
  return <div className="post-body" dangerouslySetInnerHTML={{ __html: html }} />;
}
