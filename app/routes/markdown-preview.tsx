// POST { body } → { html }: the live preview, through the same pipeline as saving.
import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireUser } from "~/web/auth.server";
import { readForm } from "~/web/http.server";
import { MAX_POST_LENGTH } from "~/lib/validation";
import { renderPost } from "~/models/post-rendering.server";

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  const body = String((await readForm(request)).get("body") ?? "").slice(0, MAX_POST_LENGTH);
  return json({ html: (await renderPost(body)).html });
}
