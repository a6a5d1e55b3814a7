// GET /api/v1/portfolio/programs — the programs the caller follows, each with
// their progress computed as the progress page computes it.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { portfolioProgress } from "~/models/portfolio.server";
import { api, json, methodNotAllowed, requireApiCaller } from "~/web/api.server";
import { PRIVATE, programJson } from "~/web/portfolio-api.server";

export const loader = ({ request }: LoaderFunctionArgs) =>
  api(async () => {
    const caller = await requireApiCaller(request);
    const programs = await portfolioProgress(caller);
    return json({ programs: programs.map(programJson) }, { headers: PRIVATE });
  });

export const action = () => api(async () => methodNotAllowed(["GET"]));
