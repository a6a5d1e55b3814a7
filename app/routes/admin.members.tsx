import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormMessage } from "~/components/Field";
import { requireRole } from "~/web/auth.server";
import { MEMBER_KIND_LABELS, ROLE_LABELS, ROLES, type MemberKind, type Role } from "~/lib/domain";
import { formFailure, handleFormAction, readForm, siteUrl } from "~/web/http.server";
import { keepValues, MemberIdSchema, parseInput, RoleChangeSchema } from "~/lib/validation";
import { issuePasswordReset } from "~/models/password-reset.server";
import { listMembersForAdmin, listRoleChanges, setMemberRole } from "~/models/user.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Members — Admin — ParaNet");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["admin"]);
  const url = new URL(request.url);
  const [list, roleChanges] = await Promise.all([
    listMembersForAdmin(actor, {
      query: url.searchParams.get("q") ?? undefined,
      role: url.searchParams.get("role") ?? undefined,
      page: Math.min(10_000, Math.max(1, Math.floor(Number(url.searchParams.get("page"))) || 1)),
    }),
    listRoleChanges(actor),
  ]);
  return json({ ...list, roleChanges, actorId: actor.id });
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["admin"]);
  const form = await readForm(request);
  const values = keepValues(form);
  if (form.get("intent") === "reset") {
    const member = parseInput(MemberIdSchema, form);
    if (!member.ok) return formFailure(member.fields, values, "Choose a member.");
    return handleFormAction(values, async () => {
      const { token, handle } = await issuePasswordReset(actor, member.data.userId);
      // Shown once, to the admin, to pass on to the member; it is stored only as a hash.
      const link = `${siteUrl(request)}/reset-password?token=${token}`;
      return json({ ok: true as const, message: `Send this one-time link to @${handle}; it works for 24 hours:`, link, at: Date.now() });
    });
  }
  const parsed = parseInput(RoleChangeSchema, form);
  if (!parsed.ok) return formFailure(parsed.fields, values, parsed.fields.role ?? "Choose a member and a role.");
  return handleFormAction(values, async () => {
    const updated = await setMemberRole(actor, parsed.data.userId, parsed.data.role);
    return json({ ok: true as const, message: `@${updated.handle} is now ${ROLE_LABELS[updated.role as Role].toLowerCase()}.`, link: null, at: Date.now() });
  });
}

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

export default function AdminMembers() {
  const { members, total, page, pageCount, roleChanges, actorId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const pageLink = (p: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(p));
    return `?${next}`;
  };
  return (
    <div className="stack">
      {params.get("welcome") ? (
        <div className="notice notice--success" role="status">
          Your admin account is ready. Promote trusted members to moderator here as your community grows.
        </div>
      ) : null}
      {result && "ok" in result && result.ok ? (
        <div className="notice notice--success" role="status">
          {result.message}
          {result.link ? (
            <>
              {" "}
              <input className="copy-field" readOnly value={result.link} aria-label="Password reset link" onFocus={(e) => e.currentTarget.select()} />
            </>
          ) : null}
        </div>
      ) : (
        <FormMessage message={result && !result.ok ? result.message : undefined} />
      )}
      <Form method="get" className="inline-form" role="search" aria-label="Find members">
        <label htmlFor="q">Find</label>
        <input id="q" name="q" type="search" defaultValue={params.get("q") ?? ""} placeholder="Name, handle or email" />
        <label htmlFor="role-filter">Role</label>
        <select id="role-filter" name="role" defaultValue={params.get("role") ?? ""}>
          <option value="">Any</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
        <button type="submit" className="button button--small">
          Filter
        </button>
      </Form>
      <p className="muted">
        {total} {total === 1 ? "member" : "members"}
      </p>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Members and their roles</caption>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col" className="hide-narrow">
                Identification
              </th>
              <th scope="col" className="hide-narrow">
                Joined
              </th>
              <th scope="col">Role</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id} data-handle={m.handle}>
                <td>
                  <Link to={`/u/${m.handle}`}>{m.displayName}</Link>
                  <br />
                  <span className="muted">@{m.handle}</span>
                  <br />
                  <span className="muted">{m.email}</span>
                </td>
                <td className="hide-narrow">
                  {[m.jobTitle, m.worksite].filter(Boolean).join(" · ")}
                  <br />
                  <span className="muted">{MEMBER_KIND_LABELS[m.memberKind as MemberKind]}</span>
                </td>
                <td className="hide-narrow">{dateFormat.format(new Date(m.createdAt))}</td>
                <td>
                  {/* Re-keyed after every change or refusal, so the select shows the stored role. */}
                  <Form method="post" className="inline-form" key={`${m.id}:${m.role}:${result ? JSON.stringify(result) : ""}`}>
                    <input type="hidden" name="userId" value={m.id} />
                    <label htmlFor={`role-${m.id}`} className="visually-hidden">
                      Role for @{m.handle}
                    </label>
                    <select id={`role-${m.id}`} name="role" defaultValue={m.role}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {ROLE_LABELS[r]}
                        </option>
                      ))}
                    </select>
                    <button type="submit" className="button button--small button--secondary">
                      Save<span className="visually-hidden"> role for @{m.handle}</span>
                    </button>
                    {m.id === actorId ? <span className="muted">(you)</span> : null}
                  </Form>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="reset" />
                    <input type="hidden" name="userId" value={m.id} />
                    <button type="submit" className="link-button">
                      Password reset link<span className="visually-hidden"> for @{m.handle}</span>
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pageCount > 1 ? (
        <nav className="pagination" aria-label="Pages">
          {page > 1 ? <Link to={pageLink(page - 1)}>← Previous</Link> : null}
          <span>
            Page {page} of {pageCount}
          </span>
          {page < pageCount ? <Link to={pageLink(page + 1)}>Next →</Link> : null}
        </nav>
      ) : null}
      <section aria-labelledby="role-log" className="stack">
        <h2 id="role-log">Recent role changes</h2>
        {roleChanges.length === 0 ? (
          <p className="muted">No role changes yet.</p>
        ) : (
          <ul>
            {roleChanges.map((c) => (
              <li key={c.id}>
                {dateFormat.format(new Date(c.createdAt))}: @{c.actor?.handle ?? "deleted"} changed @{c.subject?.handle ?? "deleted"} ({c.detail})
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
