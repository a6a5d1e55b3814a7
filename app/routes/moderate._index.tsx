import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage } from "~/components/Field";
import { ReasonField, type ModerationFailure } from "~/components/Moderation";
import { Time } from "~/components/ThreadBits";
import { requireRole } from "~/web/auth.server";
import { FLAG_REASON_LABELS, HIDDEN_REASON_LABELS, type FlagReason } from "~/lib/domain";
import { readForm } from "~/web/http.server";
import { runModerationIntent, type ModerationResult } from "~/web/moderation-form.server";
import { getReviewQueue, type QueueItem } from "~/models/moderation-queue.server";

export const meta: MetaFunction = () => [{ title: "Review queue — ParaNet" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["moderator", "admin"]);
  return json(await getReviewQueue(user));
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["moderator", "admin"]);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  // Thread-wide intents (lock, retag…) are on the thread page, not here.
  if (!["mod-dismiss", "mod-hide", "mod-restore", "mod-delete"].includes(intent)) throw new Response("Unknown action.", { status: 400 });
  return (await runModerationIntent(user, intent, form))!;
}

const WHY_LABELS = { flagged: "Flagged", held: "First post: waiting for approval", pending: "Resource waiting for review" } as const;

function Decision({ item, failure }: { item: QueueItem; failure?: ModerationFailure }) {
  const mine = failure?.target === item.target ? failure : undefined;
  const id = `decide-${item.type}-${item.id}`;
  if (item.type === "resource") {
    return (
      <div className="actions">
        {item.flags.length ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="target" value={item.target} />
            <button type="submit" name="intent" value="mod-dismiss" className="button button--small">
              Dismiss flags <span className="visually-hidden">on {item.title}</span>
            </button>
          </Form>
        ) : null}
        <Link to={item.why.includes("pending") ? "/moderate/resources" : `${item.href}#curate-heading`} className="button button--small button--secondary">
          Review in the curation queue
        </Link>
        {mine ? (
          <p className="field__error" role="alert">
            {mine.message}
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <Form method="post" className="form moderation__form" preventScrollReset>
      <input type="hidden" name="target" value={item.target} />
      <FormMessage message={mine?.message} />
      <ReasonField id={`${id}-reason`} label="Reason (for the log; required to hide or delete)" failure={mine} />
      <div className="actions">
        {item.flags.length ? (
          <button type="submit" name="intent" value="mod-dismiss" className="button button--small">
            Dismiss flags
          </button>
        ) : null}
        {item.hiddenReason ? (
          <button type="submit" name="intent" value="mod-restore" className="button button--small">
            {item.hiddenReason === "held" ? "Approve" : "Restore"}
          </button>
        ) : (
          <button type="submit" name="intent" value="mod-hide" className="button button--small button--secondary">
            Hide
          </button>
        )}
        <button type="submit" name="intent" value="mod-delete" className="button button--small button--danger">
          Delete
        </button>
        {item.author && !item.author.suspendedUntil ? (
          <Link to={`/u/${item.author.handle}#moderate`} className="button button--small button--secondary">
            Suspend the author…
          </Link>
        ) : null}
      </div>
    </Form>
  );
}

export default function ReviewQueue() {
  const { items, counts } = useLoaderData<typeof loader>();
  const result = useActionData<ModerationResult>();
  const failure = result && !result.ok ? (result as ModerationFailure) : undefined;
  return (
    <div className="stack">
      <div className="list-head">
        <div>
          <h1>Review queue</h1>
          <p className="muted">
            Flagged posts, new members' first posts and resources waiting for review, oldest first. {counts.flagged} flagged · {counts.held} held ·{" "}
            {counts.pending} resources.
          </p>
        </div>
        <p className="actions">
          <Link to="/moderate/log" className="button button--secondary">
            Moderation log
          </Link>
          <Link to="/moderate/resources" className="button button--secondary">
            Curation queue
          </Link>
        </p>
      </div>
      {result?.ok ? (
        <p className="notice notice--success" role="status">
          {result.message}
        </p>
      ) : null}
      {items.length === 0 ? <p className="card empty">Nothing needs a moderator. Thank you!</p> : null}
      {items.map((item) => (
        <article key={item.target} className="card stack queue-item" aria-labelledby={`q-${item.type}-${item.id}`}>
          <p className="queue-item__why">
            {item.why.map((w) => (
              <span key={w} className={`badge badge--${w}`}>
                {WHY_LABELS[w]}
              </span>
            ))}{" "}
            <span className="muted">
              since <Time at={item.since} />
            </span>
          </p>
          <h2 id={`q-${item.type}-${item.id}`} className="queue-item__title">
            <Link to={item.href}>{item.title}</Link>
            {item.isPrivate ? <span className="badge badge--private">Private TARGET reply</span> : null}
          </h2>
          {item.hiddenReason && item.type !== "resource" ? <p className="muted">{HIDDEN_REASON_LABELS[item.hiddenReason] ?? item.hiddenReason}</p> : null}
          <blockquote className="queue-item__excerpt">{item.excerpt}</blockquote>
          {item.author ? (
            <p className="muted queue-item__author">
              By <Link to={`/u/${item.author.handle}`}>{item.author.displayName}</Link> (@{item.author.handle}) · joined <Time at={item.author.joinedAt} /> ·{" "}
              {item.author.posts} {item.author.posts === 1 ? "post" : "posts"} · {item.author.hiddenPosts} hidden before · {item.author.upheldFlags} moderator
              actions on their posts
              {item.author.suspendedUntil ? (
                <>
                  {" "}
                  · <strong>suspended until {item.author.suspendedUntil.slice(0, 10)}</strong>
                </>
              ) : null}
            </p>
          ) : null}
          {item.flags.length ? (
            <ul className="queue-item__flags">
              {item.flags.map((f, i) => (
                <li key={i}>
                  <strong>{FLAG_REASON_LABELS[f.reason as FlagReason] ?? f.reason}</strong> from @{f.reporter}, <Time at={f.createdAt} />
                  {f.note ? <>: “{f.note}”</> : null}
                </li>
              ))}
            </ul>
          ) : null}
          <Decision key={result?.ok ? result.at : 0} item={item} failure={failure} />
        </article>
      ))}
    </div>
  );
}
