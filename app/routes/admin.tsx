import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/web/auth.server";

// Moderators reach the tag list; admins everything. Each page checks again.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["admin", "moderator"]);
  return json({ admin: user.role === "admin" });
}

export default function AdminLayout() {
  const { admin } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>{admin ? "Admin" : "Moderation"}</h1>
      <nav aria-label="Admin" className="tabs admin-tabs">
        {admin ? <NavLink to="/admin/members">Members</NavLink> : null}
        <NavLink to="/admin/tags">Tags</NavLink>
        <NavLink to="/moderate/resources">Resource queue</NavLink>
        <NavLink to="/moderate">Review queue</NavLink>
        <NavLink to="/moderate/log">Moderation log</NavLink>
        {admin ? <NavLink to="/admin/settings">Community settings</NavLink> : null}
        {admin ? <NavLink to="/admin/guidelines">Guidelines</NavLink> : null}
        {admin ? <NavLink to="/admin/programs">Programs</NavLink> : null}
        {admin ? <NavLink to="/admin/outbox">Mail</NavLink> : null}
      </nav>
      <Outlet />
    </div>
  );
}
