// Opening a notification marks it read, then goes where it points.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUser } from "~/web/auth.server";
import { idOr404, orErrorPage } from "~/web/http.server";
import { openNotification } from "~/models/notification.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = idOr404(params.id);
  return redirect(await orErrorPage(() => openNotification(user, id)));
}
