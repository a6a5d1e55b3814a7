// The list of threads with its filters, shared by the home page and tag pages.
import { Form, Link, useSearchParams } from "@remix-run/react";
import { LIBRARY_TYPE_LABELS, LIBRARY_TYPES, THREAD_KIND_LABELS, THREAD_KINDS } from "~/lib/domain";
import { AnsweredBadge, KindBadge, TagList, Time } from "./ThreadBits";

type Row = {
  id: number;
  kind: string;
  title: string;
  slug: string;
  lastActivityAt: string;
  publicReplyCount: number;
  privateReplyCount: number;
  helpfulTotal: number;
  answered: boolean;
  /** Pinned by a moderator: first on the first page. */
  pinned?: boolean;
  jobLocation: string;
  author: { displayName: string; jobTitle: string; worksite: string };
  tags: { slug: string; name: string }[];
};

export function ThreadFilters({ keep = [] }: { keep?: string[] }) {
  const [params] = useSearchParams();
  const filtered = ["kind", "library", "unanswered", "sort"].some((k) => params.get(k));
  return (
    <Form method="get" className="filters" aria-label="Filter threads">
      {keep.map((k) => (params.get(k) ? <input key={k} type="hidden" name={k} value={params.get(k)!} /> : null))}
      <label>
        Kind{" "}
        <select name="kind" defaultValue={params.get("kind") ?? ""}>
          <option value="">All kinds</option>
          {THREAD_KINDS.map((k) => (
            <option key={k} value={k}>
              {THREAD_KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Library{" "}
        <select name="library" defaultValue={params.get("library") ?? ""}>
          <option value="">All libraries</option>
          {LIBRARY_TYPES.map((t) => (
            <option key={t} value={t}>
              {LIBRARY_TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Sort{" "}
        <select name="sort" defaultValue={params.get("sort") ?? "latest"}>
          <option value="latest">Latest activity</option>
          <option value="newest">Newest</option>
          <option value="helpful">Most helpful</option>
        </select>
      </label>
      <label className="filters__check">
        <input type="checkbox" name="unanswered" value="1" defaultChecked={params.get("unanswered") === "1"} /> Unanswered only
      </label>
      <button type="submit" className="button button--small button--secondary">
        Apply
      </button>
      {filtered ? <Link to={keep.length && params.get(keep[0]) ? `?${keep[0]}=${params.get(keep[0])}` : "?"}>Clear filters</Link> : null}
    </Form>
  );
}

/** `itemHeading`: the level under the list's own heading (h2 where the list's heading is the page's h1). */
export function ThreadList({
  threads,
  nextCursor,
  labelledBy,
  itemHeading: ItemHeading = "h3",
}: {
  threads: Row[];
  nextCursor: string | null;
  labelledBy: string;
  itemHeading?: "h2" | "h3";
}) {
  const [params] = useSearchParams();
  const filtered = ["kind", "library", "unanswered"].some((k) => params.get(k));
  const next = new URLSearchParams(params);
  if (nextCursor) next.set("after", nextCursor);
  const firstPage = new URLSearchParams(params);
  firstPage.delete("after");
  return (
    <>
      {threads.length === 0 ? (
        <div className="card empty">
          <p>{filtered ? "No threads match these filters." : "No threads yet. Be the first to ask!"}</p>
        </div>
      ) : (
        <ol className="thread-list" aria-labelledby={labelledBy}>
          {threads.map((t) => (
            <li key={t.id} className="thread-item">
              <div className="thread-item__badges">
                {t.pinned ? <span className="badge badge--pinned">Pinned</span> : null}
                <KindBadge kind={t.kind} />
                {t.kind === "question" ? <AnsweredBadge answered={t.answered} /> : null}
              </div>
              <ItemHeading className="thread-item__title">
                <Link to={`/t/${t.id}/${t.slug}`}>{t.title}</Link>
              </ItemHeading>
              <p className="thread-item__meta">
                {t.author.displayName}
                {t.author.jobTitle ? `, ${t.author.jobTitle}` : ""}
                {t.author.worksite ? ` · ${t.author.worksite}` : ""} · <Time at={t.lastActivityAt} /> ·{" "}
                {t.kind === "target"
                  ? `${t.privateReplyCount} private ${t.privateReplyCount === 1 ? "reply" : "replies"}`
                  : `${t.publicReplyCount} ${t.publicReplyCount === 1 ? "reply" : "replies"}`}
                {t.helpfulTotal > 0 ? ` · ${t.helpfulTotal} helpful` : ""}
                {t.kind === "job" && t.jobLocation ? ` · ${t.jobLocation}` : ""}
              </p>
              <TagList tags={t.tags} />
            </li>
          ))}
        </ol>
      )}
      {nextCursor || params.get("after") ? (
        <p className="pagination">
          {params.get("after") ? <Link to={`?${firstPage}`}>← Back to the first page</Link> : null}
          {nextCursor ? <Link to={`?${next}`}>More threads →</Link> : null}
        </p>
      ) : null}
    </>
  );
}
