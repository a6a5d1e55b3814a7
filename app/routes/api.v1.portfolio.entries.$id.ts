// GET /api/v1/portfolio/entries/:id — one of the caller's entries; PATCH —
// change the fields sent (the rest stay; a verification no longer stands);
// DELETE — remove it. Another member's id is 404, as a missing one is.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { parseEntry } from "~/lib/portfolio-input.server";
import { deleteEntry, getEntry, todayUtc, updateEntry } from "~/models/portfolio.server";
import { api, json, methodNotAllowed, positiveId, readJson, requireApiCaller } from "~/web/api.server";
import { apiError } from "~/web/http.server";
import { entryJson, patched, PRIVATE } from "~/web/portfolio-api.server";

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  api(async () => {
    const caller = await requireApiCaller(request);
    return json({ entry: entryJson(await getEntry(caller, positiveId(params.id))) }, { headers: PRIVATE });
  });

export const action = ({ request, params }: ActionFunctionArgs) =>
  api(async () => {
    const caller = await requireApiCaller(request);
    const id = positiveId(params.id);
    if (request.method === "PATCH") {
      const current = await getEntry(caller, id);
      const parsed = parseEntry(patched(current, await readJson(request)), todayUtc());
      if (!parsed.ok) return apiError(400, "invalid_input", "Please correct the listed fields.", parsed.fields);
      return json({ entry: entryJson(await updateEntry(caller, id, parsed.data)) }, { headers: PRIVATE });
    }
    if (request.method === "DELETE") {
      await deleteEntry(caller, id);
      return json({ deleted: { id } }, { headers: PRIVATE });
    }
    return methodNotAllowed(["GET", "PATCH", "DELETE"]);
  });
