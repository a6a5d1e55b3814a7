// GET /moderate/resources/export?format=csv|json — every approved entry, for moderators.
import type { LoaderFunctionArgs } from "@remix-run/node";
import Papa from "papaparse";
import { requireRole } from "~/web/auth.server";
import { CSV_COLUMNS, csvRowOf, exportResources } from "~/models/resource-portability.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["moderator", "admin"]);
  const format = new URL(request.url).searchParams.get("format") === "json" ? "json" : "csv";
  const records = await exportResources(user);
  const date = new Date().toISOString().slice(0, 10);
  const headers = {
    "Cache-Control": "no-store",
    "Content-Disposition": `attachment; filename="paranet-resources-${date}.${format}"`,
  };
  if (format === "json")
    return new Response(JSON.stringify({ resources: records }, null, 2), { headers: { ...headers, "Content-Type": "application/json; charset=utf-8" } });
  // Cells that a spreadsheet would run as a formula get a leading apostrophe (the import removes it).
  const csv = Papa.unparse({ fields: [...CSV_COLUMNS], data: records.map(csvRowOf).map((r) => CSV_COLUMNS.map((c) => r[c])) }, { escapeFormulae: true });
  return new Response(csv, { headers: { ...headers, "Content-Type": "text/csv; charset=utf-8" } });
}
