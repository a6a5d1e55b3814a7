import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { NotYetOpen } from "~/components/ComingSoon";
import { requireUser } from "~/lib/auth.server";

export const meta: MetaFunction = () => [{ title: "Notifications — ParaNet" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return json({});
}

export default function Notifications() {
  return <NotYetOpen title="Notifications">You have no notifications.</NotYetOpen>;
}
