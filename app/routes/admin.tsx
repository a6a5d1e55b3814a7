import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { requireRole } from "~/lib/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  return json({});
}

export default function AdminLayout() {
  return (
    <div className="stack">
      <h1>Admin</h1>
      <nav aria-label="Admin" className="tabs">
        <NavLink to="/admin/members">Members</NavLink>
        <NavLink to="/admin/settings">Community settings</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
