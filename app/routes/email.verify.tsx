// /email/verify?token=… — the link in the confirmation mail (a new member's
// address, an address confirmed again after bounces, or a new address).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ValidationError } from "~/lib/errors";
import { verifyEmail } from "~/models/mail.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Confirm your address — ParaNet");

export async function loader({ request }: LoaderFunctionArgs) {
  try {
    const done = await verifyEmail(new URL(request.url).searchParams.get("token"));
    if (done.changedTo) {
      return json({
        ok: true as const,
        message: `Thank you: your ParaNet address is now ${done.changedTo}, and it is confirmed. ParaNet mail goes there from now on.`,
      });
    }
    return json({ ok: true as const, message: "Thank you: your address is confirmed. ParaNet can now send you posts, digests and notifications." });
  } catch (e) {
    if (e instanceof ValidationError) return json({ ok: false as const, message: e.fields.token ?? e.message }, { status: 400 });
    throw e;
  }
}

export default function VerifyEmail() {
  const result = useLoaderData<typeof loader>();
  return (
    <div className="narrow stack">
      <h1>Confirm your address</h1>
      <p className={result.ok ? "notice notice--success" : "notice notice--error"} role={result.ok ? "status" : "alert"}>
        {result.message}
      </p>
      <p>
        <Link to="/me/settings/email">Email settings</Link> · <Link to="/">Home</Link>
      </p>
    </div>
  );
}
