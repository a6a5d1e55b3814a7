import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { PostBody } from "~/components/ThreadBits";
import { getCurrentUser, requireUser, safeRedirect } from "~/web/auth.server";
import { readForm } from "~/web/http.server";
import { getGuidelines } from "~/models/setting.server";
import { acknowledgeGuidelines, memberStanding } from "~/models/user.server";
import { pageMeta } from "~/ui/meta";
import { headingsFrom } from "~/lib/html";

export const meta: MetaFunction = () =>
  pageMeta("Community guidelines — ParaNet", "How ParaNet works: identify yourself, TARGETs and HITs, kindness, and what moderators do.");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  const standing = user ? await memberStanding(user.id) : null;
  const guidelines = await getGuidelines();
  // Their headings under this page's h1.
  return json({
    guidelines: { ...guidelines, html: headingsFrom(guidelines.html, 2) },
    mustAcknowledge: !!standing && !standing.guidelinesAccepted,
    admin: user?.role === "admin",
  });
}

/** A member acknowledges the guidelines (once; new members do it when they join). */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await acknowledgeGuidelines(user);
  return redirect(safeRedirect(form.get("redirectTo")));
}

export default function Guidelines() {
  const { guidelines, mustAcknowledge, admin } = useLoaderData<typeof loader>();
  return (
    <article className="narrow stack">
      <h1>Community guidelines</h1>
      <div className="prose">
        <PostBody html={guidelines.html} />
      </div>
      {mustAcknowledge ? (
        <Form method="post" className="card">
          <input type="hidden" name="redirectTo" value="/" />
          <button type="submit" className="button">
            I have read the guidelines
          </button>
        </Form>
      ) : null}
      {admin ? (
        <p>
          <Link to="/admin/guidelines">Edit the guidelines</Link>
        </p>
      ) : null}
    </article>
  );
}
