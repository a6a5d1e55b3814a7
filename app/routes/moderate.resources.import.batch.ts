// POST /moderate/resources/import/batch — rows the import page's browser
// parsed from a CSV file, a batch at a time: { rows: [...], firstRow: 2 }.
// Answers { outcomes } (or the API error shape); moderators only.
import type { ActionFunctionArgs } from "@remix-run/node";
import { api, json, readJson, requireApiCaller } from "~/web/api.server";
import { isStaff } from "~/lib/domain";
import { apiError } from "~/web/http.server";
import { IMPORT_BATCH_ROWS, importResources } from "~/models/resource-portability.server";

export const action = ({ request }: ActionFunctionArgs) =>
  api(async () => {
    const user = await requireApiCaller(request);
    if (!isStaff(user.role)) return apiError(403, "forbidden", "Only moderators can import resources.");
    const body = await readJson(request);
    if (!Array.isArray(body.rows) || body.rows.length > IMPORT_BATCH_ROWS) {
      return apiError(400, "invalid_input", `Send { rows: [...] } with at most ${IMPORT_BATCH_ROWS} rows.`, { rows: "Required." });
    }
    const firstRow = Number.isSafeInteger(body.firstRow) && (body.firstRow as number) > 0 ? (body.firstRow as number) : 2;
    return json({ outcomes: await importResources(user, body.rows as Record<string, unknown>[], firstRow) });
  });
