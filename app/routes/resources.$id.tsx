import { retryAfterHeaders } from "~/web/retry-after";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { FormMessage } from "~/components/Field";
import { ResourceFacts } from "~/components/Resources";
import { KindBadge, PostBody, Time } from "~/components/ThreadBits";
import { getCurrentUser, requireUser } from "~/web/auth.server";
import { RESOURCE_STATUS_LABELS } from "~/lib/domain";
import type { FieldErrors } from "~/lib/errors";
import { handleFormAction, idOr404, readForm } from "~/web/http.server";
import { positiveId } from "~/lib/validation";
import { curateResource, getResource, mergeResource } from "~/models/resource.server";
import { FlagForm, type ModerationFailure } from "~/components/Moderation";
import { runModerationIntent, type ModerationResult } from "~/web/moderation-form.server";
import type { RootData } from "~/root";
import { pageMeta } from "~/ui/meta";
import { textExcerpt } from "~/lib/html-text.server";

// A throttled post answers 429 with Retry-After.
export const headers = retryAfterHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? pageMeta(`${data.resource.title} — ParaNet resources`, data.description) : pageMeta("Resource not found — ParaNet");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = idOr404(params.id);
  const viewer = await getCurrentUser(request);
  const found = await getResource(viewer, id);
  if (!found) throw new Response("There is no such resource.", { status: 404 });
  if ("mergedInto" in found) throw redirect(`/resources/${found.mergedInto}`, 301);
  return json({ ...found, description: textExcerpt(found.resource.abstractHtml, 180) });
}

type Failure = { message: string; fields: FieldErrors; values: Record<string, string> };

/** Curation from the entry itself (moderators; the model checks). */
export async function action({ request, params }: ActionFunctionArgs) {
  const id = idOr404(params.id);
  const user = await requireUser(request);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const values = { reason: String(form.get("reason") ?? ""), intoId: String(form.get("intoId") ?? "") };
  const fromQueue = new URL(request.url).searchParams.get("back") === "queue";
  // Back to the queue, saying what was done (the entry has left it), or to the entry.
  const back = (done: string) => (fromQueue ? `/moderate/resources?done=${done}&resource=${id}` : `/resources/${id}`);
  if (intent === "flag") return (await runModerationIntent(user, intent, form))!;
  return handleFormAction(values, async () => {
    switch (intent) {
      case "approve":
      case "reject":
      case "feature":
      case "unfeature":
      case "archive":
      case "restore":
        await curateResource(user, id, intent, { reason: values.reason });
        return redirect(back(intent));
      case "merge": {
        const intoId = positiveId(values.intoId.replace(/^#/, ""));
        if (!intoId)
          return json<Failure>(
            { message: "Please correct the highlighted fields.", fields: { intoId: "Give the number of the entry to merge into, e.g. 12." }, values },
            { status: 400 },
          );
        await mergeResource(user, id, intoId);
        return redirect(fromQueue ? back("merge") : `/resources/${intoId}`);
      }
      default:
        throw new Response("Unknown action.", { status: 400 });
    }
  });
}

export default function ResourcePage() {
  const { resource: r, citedBy, history, can } = useLoaderData<typeof loader>();
  const result = useActionData<Failure | ModerationResult>();
  const flagResult = result && "intent" in result ? result : undefined;
  const failure = result && !("intent" in result) ? result : undefined;
  const viewer = useRouteLoaderData<RootData>("root")?.user ?? null;
  return (
    <div className="narrow-wide stack">
      <p className="muted">
        <Link to="/resources">Resources</Link>
      </p>
      {r.status !== "approved" ? (
        <p className={`notice ${r.status === "rejected" ? "notice--error" : "notice--info"}`} role="status">
          <strong>{RESOURCE_STATUS_LABELS[r.status]}.</strong>{" "}
          {r.status === "pending" ? "Only its submitter and the moderators can see this entry until it is approved." : null}
          {r.status === "rejected" && r.rejectionReason ? `Moderator's reason: ${r.rejectionReason}` : null}
        </p>
      ) : null}
      <article className="resource-entry card" aria-labelledby="resource-title">
        {r.featured ? <p className="badge badge--featured">Featured</p> : null}
        <h1 id="resource-title">{r.title}</h1>
        <ResourceFacts r={r} />
        <p>
          <a href={r.url} rel="noopener noreferrer nofollow" className="button">
            Go to the resource <span className="visually-hidden">(opens {new URL(r.url).hostname})</span>
          </a>{" "}
          <span className="muted resource__host">{new URL(r.url).hostname}</span>
        </p>
        {r.status === "approved" ? (
          <p>
            {/* A course or webinar fills the new entry's title, provider, hours and areas; the member checks and saves it. */}
            <Link to={`/me/portfolio/new?resource=${r.id}`} className="button button--secondary">
              Add to my portfolio
            </Link>{" "}
            <span className="muted">to count it toward a certification</span>
          </p>
        ) : null}
        <PostBody html={r.abstractHtml} />
        {r.curatorNote ? <p className="notice notice--info">Curator's note: {r.curatorNote}</p> : null}
        <dl className="facts">
          <dt>Competency areas</dt>
          <dd>
            {r.competencies.map((c, i) => (
              <span key={c.slug}>
                {i ? ", " : null}
                <Link to={`/competencies/${c.slug}`}>{c.name}</Link>
              </span>
            ))}
          </dd>
          {r.tags.length ? (
            <>
              <dt>Tags</dt>
              <dd>
                {r.tags.map((t, i) => (
                  <span key={t.slug}>
                    {i ? ", " : null}
                    <Link to={`/resources?tag=${t.slug}`}>{t.name}</Link>
                  </span>
                ))}
              </dd>
            </>
          ) : null}
          {r.publishedOn ? (
            <>
              <dt>Published</dt>
              <dd>{new Date(r.publishedOn).toISOString().slice(0, 10)}</dd>
            </>
          ) : null}
          <dt>Recommended by</dt>
          <dd>
            <Link to={`/u/${r.submitter.handle}`}>{r.submitter.displayName}</Link>
            {r.submitter.jobTitle ? `, ${r.submitter.jobTitle}` : ""}
            {r.submitter.worksite ? `, ${r.submitter.worksite}` : ""}
          </dd>
        </dl>
        {flagResult?.ok ? (
          <p className="muted" role="status">
            {flagResult.message}
          </p>
        ) : viewer && viewer.handle !== r.submitter.handle && r.status === "approved" ? (
          <footer className="reply__actions">
            <FlagForm
              target={`resource:${r.id}`}
              action={`/resources/${r.id}`}
              failure={flagResult && !flagResult.ok ? (flagResult as ModerationFailure) : undefined}
            />
          </footer>
        ) : null}
      </article>

      <section aria-labelledby="cited-heading" className="stack">
        <h2 id="cited-heading">Threads that cite it</h2>
        {citedBy.length ? (
          <ul className="plain-list">
            {citedBy.map((t) => (
              <li key={t.id}>
                <KindBadge kind={t.kind} /> <Link to={`/t/${t.id}/${t.slug}`}>{t.title}</Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No thread links to it yet. Paste its address in a post to cite it.</p>
        )}
      </section>

      {can.curate ? (
        <section aria-labelledby="curate-heading" className="card stack">
          <h2 id="curate-heading">Curate</h2>
          <FormMessage message={failure?.message} />
          <div className="actions">
            <Link to={`/moderate/resources/${r.id}/edit`} className="button button--secondary">
              Edit{r.status === "pending" ? " then approve" : ""}
            </Link>
            <Form method="post" className="inline-form">
              {r.status === "pending" || r.status === "rejected" ? (
                <button type="submit" name="intent" value="approve" className="button">
                  Approve
                </button>
              ) : null}
              {r.status === "approved" ? (
                <button type="submit" name="intent" value={r.featured ? "unfeature" : "feature"} className="button button--secondary">
                  {r.featured ? "Stop featuring" : "Feature"}
                </button>
              ) : null}
              {r.status === "approved" ? (
                <button type="submit" name="intent" value="archive" className="button button--secondary">
                  Archive
                </button>
              ) : null}
              {r.status === "archived" ? (
                <button type="submit" name="intent" value="restore" className="button button--secondary">
                  Restore
                </button>
              ) : null}
            </Form>
          </div>
          {r.status === "pending" ? (
            <Form method="post" className="form">
              <div className="field">
                <label htmlFor="reason" className="field__label">
                  Reason for not accepting (the submitter sees it)
                </label>
                <input
                  id="reason"
                  name="reason"
                  type="text"
                  maxLength={500}
                  defaultValue={failure?.values.reason}
                  aria-invalid={failure?.fields.reason ? true : undefined}
                />
                {failure?.fields.reason ? (
                  <p className="field__error" role="alert">
                    {failure.fields.reason}
                  </p>
                ) : null}
              </div>
              <button type="submit" name="intent" value="reject" className="button button--danger">
                Reject
              </button>
            </Form>
          ) : null}
          {r.status !== "merged" ? (
            <Form method="post" className="form form--inline">
              <div className={failure?.fields.intoId ? "field field--invalid" : "field"}>
                <label htmlFor="intoId" className="field__label">
                  Merge this duplicate into entry number
                </label>
                <input
                  id="intoId"
                  name="intoId"
                  type="text"
                  inputMode="numeric"
                  defaultValue={failure?.values.intoId}
                  aria-invalid={failure?.fields.intoId ? true : undefined}
                  aria-describedby={failure?.fields.intoId ? "intoId-error" : undefined}
                />
                {failure?.fields.intoId ? (
                  <p className="field__error" id="intoId-error" role="alert">
                    {failure.fields.intoId}
                  </p>
                ) : null}
              </div>
              <button type="submit" name="intent" value="merge" className="button button--secondary">
                Merge
              </button>
            </Form>
          ) : null}
          <h3>History</h3>
          <ol className="plain-list">
            {history.map((h) => (
              <li key={h.id}>
                <Time at={h.createdAt} /> — {h.action} by {h.actor.displayName}
                {h.detail ? `: ${h.detail}` : ""}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}
