// GET /api/v1/search?q= — the search page's results as JSON, with the same parameters.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { api, apiCaller, json } from "~/web/api.server";
import { search, searchFiltersFrom } from "~/models/search.server";

export const loader = ({ request }: LoaderFunctionArgs) =>
  api(async () => {
    const caller = await apiCaller(request);
    const filters = searchFiltersFrom(new URL(request.url).searchParams);
    const found = await search(caller, filters);
    return json({ results: found.results, hasMore: found.hasMore, page: filters.page });
  });
