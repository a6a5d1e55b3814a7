// GET ?title= → up to five earlier threads with similar titles (for the new-thread form).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { similarThreads } from "~/models/search.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const title = (new URL(request.url).searchParams.get("title") ?? "").slice(0, 200);
  return json({ threads: await similarThreads(title) });
}
