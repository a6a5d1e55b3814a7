// GET /admin/programs/<slug>.json — a program's definition as a file (admins):
// to keep, edit and import here or into another ParaNet.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportProgram } from "~/models/program.server";
import { requireRole } from "~/web/auth.server";
import { orErrorPage } from "~/web/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["admin"]);
  const { filename, json } = await orErrorPage(() => exportProgram(user, params.slug ?? ""));
  return new Response(json, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
