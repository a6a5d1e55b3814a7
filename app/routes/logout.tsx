import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { getCurrentUser, logOutAndRedirect } from "~/web/auth.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Log out — ParaNet");

// Logging out changes state, so it is a POST; a GET only asks to confirm.
export async function loader({ request }: LoaderFunctionArgs) {
  if (!(await getCurrentUser(request))) throw redirect("/");
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  return logOutAndRedirect(request);
}

export default function Logout() {
  return (
    <div className="narrow stack">
      <h1>Log out</h1>
      <Form method="post" className="card">
        <p>Log out of ParaNet on this browser?</p>
        <button type="submit" className="button">
          Log out
        </button>
      </Form>
    </div>
  );
}
