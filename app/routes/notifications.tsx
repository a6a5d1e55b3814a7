import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Time } from "~/components/ThreadBits";
import { requireUser } from "~/web/auth.server";
import { handleFormAction, readForm } from "~/web/http.server";
import { positiveId } from "~/lib/validation";
import { notificationsPage, markRead, notificationCursorFrom, type NotificationKind } from "~/models/notification.server";

export const meta: MetaFunction = () => [{ title: "Notifications — ParaNet" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // A cursor no page could have produced shows the first page.
  return json(await notificationsPage(user, notificationCursorFrom(new URL(request.url).searchParams.get("before"))));
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const id = positiveId(form.get("id"));
  return handleFormAction({}, async () => {
    await markRead(user, id ?? undefined, positiveId(form.get("upTo")) ?? undefined);
    // Back to the page the member was reading.
    const before = notificationCursorFrom(new URL(request.url).searchParams.get("before"));
    return redirect(before ? `/notifications?before=${before}` : "/notifications");
  });
}

const TEXT: Record<NotificationKind, (who: string, title: string) => string> = {
  reply_in_your_thread: (who, title) => `${who} replied to your thread “${title}”`,
  reply_in_followed_thread: (who, title) => `${who} replied in “${title}”`,
  mention: (who, title) => `${who} mentioned you in “${title}”`,
  reply_accepted: (who, title) => `${who} accepted your answer in “${title}”`,
  new_thread_in_tag: (who, title) => `${who} started “${title}” in a tag you follow`,
  hit_reminder: (_who, title) => `Your TARGET “${title}” expected a HIT by now: share what you learned`,
  resource_approved: (_who, title) => `Your submission “${title}” is now in the clearinghouse`,
  resource_rejected: (_who, title) => `Your submission “${title}” was not accepted: see why`,
  post_hidden: (_who, title) => `A moderator hid your post in “${title}”: see why`,
  post_hidden_by_flags: (_who, title) => `Your post in “${title}” is hidden after members flagged it, until a moderator looks`,
  verification_requested: (who, title) => `${who} asks you to verify “${title}” in their portfolio`,
  verification_confirmed: (who, title) => `${who} verified “${title}” in your portfolio`,
  verification_declined: (who, title) => `${who} declined to verify “${title}” in your portfolio`,
};

type Described = {
  kind: NotificationKind;
  actor: { displayName: string } | null;
  thread: { title: string } | null;
  resource: { title: string } | null;
  verification: { title: string | null; by: string } | null;
};
function describe(n: Described) {
  // A verifier asked by email has no account: the name they gave.
  const who = n.actor?.displayName ?? (n.verification?.by || "Someone");
  if (n.verification && n.verification.title === null) return `${who} asked you to verify an activity in their portfolio (the request is no longer open)`;
  return TEXT[n.kind](who, n.thread?.title ?? n.resource?.title ?? n.verification?.title ?? "a thread");
}

export default function Notifications() {
  const { notifications, olderCursor, newestId, unread } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const onOlderPage = params.has("before");
  return (
    <div className="narrow-wide stack">
      <div className="list-head">
        <h1>Notifications</h1>
        {unread > 0 && newestId ? (
          <Form method="post">
            {/* Everything up to the newest when this page was read (on every page): a notification that arrived since stays unread. */}
            <input type="hidden" name="upTo" value={newestId} />
            <button type="submit" className="button button--small button--secondary">
              Mark all read
            </button>
          </Form>
        ) : null}
      </div>
      <p className="muted">Newest first{unread > 0 ? `; ${unread} unread` : ""}.</p>
      {notifications.length === 0 ? (
        <p className="card empty">
          {onOlderPage ? "No older notifications." : "You have no notifications yet."} Replies to your threads, mentions and accepted answers will show up here.
        </p>
      ) : (
        <ol className="notification-list">
          {notifications.map((n) => (
            <li key={n.id} className={n.readAt ? "notification" : "notification notification--unread"}>
              <div>
                {n.readAt ? null : <span className="visually-hidden">Unread: </span>}
                <Link to={`/notifications/${n.id}`}>{describe(n)}</Link>
                <p className="muted">
                  <Time at={n.createdAt} />
                </p>
              </div>
              {n.readAt ? null : (
                <Form method="post">
                  <input type="hidden" name="id" value={n.id} />
                  <button type="submit" className="link-button">
                    Mark read<span className="visually-hidden">: {describe(n)}</span>
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ol>
      )}
      {olderCursor || onOlderPage ? (
        <nav aria-label="Notification pages" className="pager">
          {onOlderPage ? <Link to="/notifications">← Newest</Link> : <span />}
          {olderCursor ? <Link to={`/notifications?before=${olderCursor}`}>Older notifications →</Link> : <span />}
        </nav>
      ) : null}
    </div>
  );
}
