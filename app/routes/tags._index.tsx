import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getCurrentUser } from "~/web/auth.server";
import { listTagIndex } from "~/models/tag.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Tags — ParaNet", "Every topic on ParaNet, with the names it is also called by and the threads under each.");

export async function loader({ request }: LoaderFunctionArgs) {
  const [tags, user] = await Promise.all([listTagIndex(), getCurrentUser(request)]);
  return json({ tags, signedIn: !!user });
}

export default function Tags() {
  const { tags, signedIn } = useLoaderData<typeof loader>();
  const areas = tags.filter((t) => t.kind === "competency");
  const topics = tags.filter((t) => t.kind !== "competency");
  const list = (items: typeof tags) => (
    <ul className="grid" style={{ listStyle: "none", padding: 0 }}>
      {items.map((t) => (
        <li key={t.id} className={t.kind === "competency" ? "card competency" : "card"}>
          <h3>
            <Link to={`/tags/${t.slug}`}>{t.name}</Link>
          </h3>
          {t.scopeNote ? <p>{t.scopeNote}</p> : null}
          {t.synonyms.length ? (
            <p className="tag-synonyms">
              <span className="tag-synonyms__label">Also called:</span> {t.synonyms.join(", ")}
            </p>
          ) : null}
          <p className="muted">
            {t.threadCount} {t.threadCount === 1 ? "thread" : "threads"} · {t.followerCount} following
          </p>
        </li>
      ))}
    </ul>
  );
  return (
    <div className="stack">
      <h1>Tags</h1>
      <section aria-labelledby="areas-heading" className="stack">
        <h2 id="areas-heading">The ten LSSC competency areas</h2>
        {list(areas)}
      </section>
      <section aria-labelledby="topics-heading" className="stack">
        <h2 id="topics-heading">Topics</h2>
        {topics.length ? list(topics) : <p className="muted">No topic tags yet.</p>}
        {signedIn ? (
          <p>
            Missing a topic? <Link to="/tags/suggest">Suggest a tag</Link>.
          </p>
        ) : null}
      </section>
    </div>
  );
}
