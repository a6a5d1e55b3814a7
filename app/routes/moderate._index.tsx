import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormMessage } from "~/components/Field";
import { ReasonField, type ModerationFailure } from "~/components/Moderation";
import { Time } from "~/components/ThreadBits";
import { requireRole } from "~/web/auth.server";
import { FLAG_REASON_LABELS, HIDDEN_REASON_LABELS, type FlagReason } from "~/lib/domain";
import { handleFormAction, readForm } from "~/web/http.server";
import { runModerationIntent, type ModerationResult } from "~/web/moderation-form.server";
import { decideQueueItems, getReviewQueue, QUEUE_PAGE_SIZE, type QueueItem } from "~/models/moderation-queue.server";

export const meta: MetaFunction = () => [{ title: "Review queue — ParaNet" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["moderator", "admin"]);
  // A cursor no page could have produced shows the first page.
  return json({ ...(await getReviewQueue(user, new URL(request.url).searchParams.get("after"))), pageSize: QUEUE_PAGE_SIZE });
}

const BATCH_DONE = { approve: "Approved", reject: "Rejected" } as const;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["moderator", "admin"]);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  if (intent === "batch-approve" || intent === "batch-reject") {
    const decision = intent === "batch-approve" ? "approve" : "reject";
    const items = form.getAll("items").map(String);
    const reason = String(form.get("reason") ?? "");
    return handleFormAction(
      { reason, items: items.join(" ") },
      async () => {
        const n = await decideQueueItems(user, items, decision, reason);
        return json<ModerationResult>({
          ok: true,
          intent,
          target: "batch",
          message: `${BATCH_DONE[decision]} ${n} ${n === 1 ? "item" : "items"}.`,
          at: Date.now(),
        });
      },
      { intent, target: "batch" },
    );
  }
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

const BATCH_FORM = "queue-batch";

export default function ReviewQueue() {
  const { items, counts, nextCursor, pageSize } = useLoaderData<typeof loader>();
  const result = useActionData<ModerationResult>();
  const failure = result && !result.ok ? (result as ModerationFailure) : undefined;
  const batchFailure = failure?.target === "batch" ? failure : undefined;
  const [params] = useSearchParams();
  const later = new URLSearchParams(params);
  if (nextCursor) later.set("after", nextCursor);
  const onLaterPage = params.has("after");
  const chosen = new Set((batchFailure?.values.items ?? "").split(" "));
  return (
    <div className="stack">
      <div className="list-head">
        <div>
          <h1>Review queue</h1>
          <p className="muted">
            Flagged posts, new members' first posts and resources waiting for review, oldest first, {pageSize} a page.{" "}
            <strong>
              {counts.total} {counts.total === 1 ? "item" : "items"} waiting
            </strong>
            : {counts.flagged} flagged · {counts.held} held · {counts.pending} resources.
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
      {items.length === 0 ? (
        <p className="card empty">{onLaterPage ? "Nothing more on this page." : "Nothing needs a moderator. Thank you!"}</p>
      ) : (
        <p className="muted">
          To decide several at once, tick them and use <a href="#batch-heading">the batch form at the end of the page</a>.
        </p>
      )}
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
          <p className="queue-item__select">
            <input
              type="checkbox"
              form={BATCH_FORM}
              name="items"
              value={item.target}
              id={`pick-${item.type}-${item.id}`}
              defaultChecked={chosen.has(item.target)}
            />
            <label htmlFor={`pick-${item.type}-${item.id}`}>
              Select for the batch<span className="visually-hidden">: {item.title}</span>
            </label>
          </p>
          {item.hiddenReason && item.type !== "resource" ? <p className="muted">{HIDDEN_REASON_LABELS[item.hiddenReason] ?? item.hiddenReason}</p> : null}
          {/* Plain text, a few lines: the whole post is one link away. */}
          <p className="queue-item__text">{item.excerpt}</p>
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
      {items.length ? (
        <Form method="post" id={BATCH_FORM} className="card form queue-batch" aria-labelledby="batch-heading" preventScrollReset>
          <h2 id="batch-heading" className="queue-batch__title">
            Decide the selected items
          </h2>
          <p className="field__hint">
            Approve publishes held posts and resources and dismisses flags. Reject hides a flagged post, deletes one that is already hidden, and rejects a
            resource. Each item is logged as if decided alone.
          </p>
          <FormMessage message={batchFailure?.message} />
          <ReasonField id="batch-reason" label="Reason (for the log; required to reject)" failure={batchFailure} />
          <div className="actions">
            <button type="submit" name="intent" value="batch-approve" className="button button--small">
              Approve selected
            </button>
            <button type="submit" name="intent" value="batch-reject" className="button button--small button--danger">
              Reject selected
            </button>
          </div>
        </Form>
      ) : null}
      {nextCursor || onLaterPage ? (
        <nav aria-label="Queue pages" className="pager">
          {onLaterPage ? <Link to="/moderate">← Oldest items</Link> : <span />}
          {nextCursor ? <Link to={`?${later}`}>Later items →</Link> : <span />}
        </nav>
      ) : null}
    </div>
  );
}
