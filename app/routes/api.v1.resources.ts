// GET /api/v1/resources — approved entries (same filters as /resources); POST — suggest one (pending).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { api, apiCaller, json, methodNotAllowed, readJson, requireApiCaller } from "~/web/api.server";
import { apiError } from "~/web/http.server";
import { parseInput, ResourceSchema } from "~/lib/validation";
import { listResources, resourceFiltersFrom, submitResource } from "~/models/resource.server";

export const loader = ({ request }: LoaderFunctionArgs) =>
  api(async () => {
    await apiCaller(request); // a bad or revoked token is a 401 here too
    return json(await listResources(resourceFiltersFrom(new URL(request.url).searchParams)));
  });

export const action = ({ request }: ActionFunctionArgs) =>
  api(async () => {
    if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
    const caller = await requireApiCaller(request);
    const parsed = parseInput(ResourceSchema, await readJson(request));
    if (!parsed.ok) return apiError(400, "invalid_input", "Please correct the listed fields.", parsed.fields);
    const result = await submitResource(caller, parsed.data);
    if ("duplicate" in result) {
      const d = result.duplicate;
      return apiError(
        409,
        "duplicate",
        d.status === "approved" ? `This is already in the clearinghouse as #${d.id}.` : "This address was already suggested and is waiting for a moderator.",
        {
          url: "Already in the clearinghouse.",
        },
      );
    }
    return json({ resource: { id: result.id, status: "pending", url: `/resources/${result.id}` } }, { status: 201 });
  });
