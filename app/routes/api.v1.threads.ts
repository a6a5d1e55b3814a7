// GET /api/v1/threads — list (same filters as the home page); POST — create.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { api, apiCaller, json, methodNotAllowed, readJson, requireApiCaller } from "~/web/api.server";
import { apiError } from "~/web/http.server";
import { parseInput, ThreadSchema } from "~/lib/validation";
import { createThread, listThreads, threadFiltersFrom } from "~/models/thread.server";

export const loader = ({ request }: LoaderFunctionArgs) =>
  api(async () => {
    await apiCaller(request); // a bad or revoked token is a 401 here too
    return json(await listThreads(threadFiltersFrom(new URL(request.url).searchParams)));
  });

export const action = ({ request }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
    const caller = await requireApiCaller(request);
    const body = await readJson(request);
    const parsed = parseInput(ThreadSchema, body);
    if (!parsed.ok) return apiError(400, "invalid_input", "Please correct the listed fields.", parsed.fields);
    const thread = await createThread(caller, parsed.data);
    return json({ thread: { id: thread.id, slug: thread.slug, url: `/t/${thread.id}/${thread.slug}`, held: thread.held } }, { status: 201 });
  });
