// GET /resources/suggest?q= — approved entries matching a few words, for the
// editor's "cite a resource" picker. Only approved entries: the rule is in the model.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { suggestResources } from "~/models/resource.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const q = new URL(request.url).searchParams.get("q") ?? "";
  return json({ resources: await suggestResources(q) });
}
