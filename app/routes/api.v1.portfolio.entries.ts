// GET /api/v1/portfolio/entries — the caller's own activity log, newest first;
// POST — add an entry (the shape of EntryInput: areas as [{ area, hours }]).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { parseEntry } from "~/lib/portfolio-input.server";
import { createEntry, listEntries, todayUtc } from "~/models/portfolio.server";
import { api, json, methodNotAllowed, readJson, requireApiCaller } from "~/web/api.server";
import { apiError } from "~/web/http.server";
import { entryJson, PRIVATE } from "~/web/portfolio-api.server";

export const loader = ({ request }: LoaderFunctionArgs) =>
  api(async () => {
    const caller = await requireApiCaller(request);
    return json({ entries: (await listEntries(caller)).map(entryJson) }, { headers: PRIVATE });
  });

export const action = ({ request }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
    const caller = await requireApiCaller(request);
    const parsed = parseEntry(await readJson(request), todayUtc());
    if (!parsed.ok) return apiError(400, "invalid_input", "Please correct the listed fields.", parsed.fields);
    const entry = await createEntry(caller, parsed.data);
    return json({ entry: entryJson(entry) }, { status: 201, headers: { ...PRIVATE, Location: `/api/v1/portfolio/entries/${entry.id}` } });
  });
