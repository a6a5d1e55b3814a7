// Opening a notification marks it read, then goes where it points.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { NotFoundError } from "~/lib/errors";
import { toErrorResponse } from "~/lib/http.server";
import { openNotification } from "~/models/notification.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response(null, { status: 404, statusText: "Not Found" });
  try {
    return redirect(await openNotification(user, id));
  } catch (e) {
    if (e instanceof NotFoundError) throw toErrorResponse(e);
    throw e;
  }
}
