import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Time } from "~/components/ThreadBits";
import { requireRole } from "~/web/auth.server";
import { listModerationLog, logFiltersFrom } from "~/models/moderation-queue.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Moderation log — ParaNet");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["moderator", "admin"]);
  const url = new URL(request.url);
  const filters = logFiltersFrom(url.searchParams);
  return json({ ...(await listModerationLog(user, filters)), filters: Object.fromEntries(url.searchParams), page: filters.page });
}

const ACTION_GROUPS = [
  ["", "Any action"],
  ["thread", "Threads"],
  ["reply", "Replies"],
  ["resource", "Resources"],
  ["flags", "Flags"],
  ["member", "Members"],
  ["settings", "Settings"],
  ["program", "Certification programs"],
] as const;

/** Actions said in words where the code alone reads poorly; the detail (a program's short name) follows. */
const SAID: Record<string, string> = {
  "program.added": "added the program",
  "program.edited": "edited the program",
  "program.retired": "retired the program",
  "program.restored": "brought back the program",
};

export default function ModerationLog() {
  const { entries, hasMore, filters, page } = useLoaderData<typeof loader>();
  const next = new URLSearchParams({ ...filters, page: String(page + 1) });
  return (
    <div className="stack">
      <div className="list-head">
        <div>
          <h1>Moderation log</h1>
          <p className="muted">Every moderator and admin action: who, what, when and why. Entries are never changed or removed.</p>
        </div>
        <p className="actions">
          <Link to="/moderate" className="button button--secondary">
            Review queue
          </Link>
        </p>
      </div>
      <Form method="get" className="filters card" aria-label="Filter the log">
        <div className="field">
          <label htmlFor="log-actor" className="field__label">
            Moderator
          </label>
          <input id="log-actor" name="actor" type="text" maxLength={41} placeholder="@handle" defaultValue={filters.actor ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="log-member" className="field__label">
            Member concerned
          </label>
          <input id="log-member" name="member" type="text" maxLength={41} placeholder="@handle" defaultValue={filters.member ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="log-action" className="field__label">
            Action
          </label>
          <select id="log-action" name="action" defaultValue={filters.action ?? ""}>
            {ACTION_GROUPS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="log-from" className="field__label">
            From
          </label>
          <input id="log-from" name="from" type="date" defaultValue={filters.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="log-to" className="field__label">
            To
          </label>
          <input id="log-to" name="to" type="date" defaultValue={filters.to ?? ""} />
        </div>
        <button type="submit" className="button button--secondary">
          Filter
        </button>
      </Form>
      {entries.length === 0 ? <p className="card empty">No entries match.</p> : null}
      {entries.length ? (
        <table className="table log-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Concerning</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>
                  <Time at={e.createdAt} />
                </td>
                <td>{e.actor ? <Link to={`/u/${e.actor.handle}`}>{e.actor.displayName}</Link> : <span className="muted">Members' flags</span>}</td>
                <td>
                  <code>{e.action}</code>
                  {SAID[e.action] ? (
                    <span className="muted">
                      {" "}
                      · {SAID[e.action]} {e.detail}
                    </span>
                  ) : e.detail && !e.detail.startsWith("{") ? (
                    <span className="muted"> · {e.detail}</span>
                  ) : null}
                </td>
                <td>
                  {e.subject ? <Link to={`/u/${e.subject.handle}`}>@{e.subject.handle}</Link> : null}
                  {e.target?.href ? (
                    <>
                      {e.subject ? " · " : null}
                      <Link to={e.target.href}>{e.target.label}</Link>
                    </>
                  ) : e.target?.id ? (
                    <span className="muted"> {e.target.label}</span>
                  ) : null}
                </td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {hasMore ? (
        <p>
          <Link to={`?${next}`}>Older entries</Link>
        </p>
      ) : null}
    </div>
  );
}
