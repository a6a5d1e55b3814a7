// GET /me/portfolio/programs/<slug>/export.zip — the notebook, the points sheet and the evidence files (zip) of the member's own
// portfolio in a program they follow, for a reviewer (app/web/portfolio-export.server.ts).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportResponse } from "~/web/portfolio-export.server";

export const loader = ({ request, params }: LoaderFunctionArgs) => exportResponse(request, params.slug ?? "", "zip");
