// GET ?title= → up to five earlier threads with similar titles (for the new-thread form).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { clip } from "~/lib/validation";
import { similarThreads } from "~/models/search.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const title = clip(new URL(request.url).searchParams.get("title") ?? "", 200);
  return json({ threads: await similarThreads(title) });
}
