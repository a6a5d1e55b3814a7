// Any other /api/... path: a JSON 404, not the HTML error page.
import { apiError } from "~/web/http.server";

export const loader = () => apiError(404, "not_found", "There is no such API endpoint. See docs/API.md.");
export const action = loader;
