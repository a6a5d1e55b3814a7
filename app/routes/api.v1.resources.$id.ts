// GET /api/v1/resources/:id — one entry, if the caller may see it (approved, or their own, or a moderator).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { api, apiCaller, json, positiveId } from "~/web/api.server";
import { apiError } from "~/web/http.server";
import { getResource } from "~/models/resource.server";

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  api(async () => {
    const caller = await apiCaller(request);
    const found = await getResource(caller, positiveId(params.id));
    if (!found) return apiError(404, "not_found", "There is no such resource.");
    if ("mergedInto" in found)
      return json(
        { mergedInto: found.mergedInto, url: `/api/v1/resources/${found.mergedInto}` },
        { status: 301, headers: { Location: `/api/v1/resources/${found.mergedInto}` } },
      );
    const { resource, citedBy } = found;
    return json({ resource, citedBy });
  });
