// /email/unsubscribe?token=… — the List-Unsubscribe link of every list or
// notification message. GET asks to confirm (link scanners must not
// unsubscribe anyone); POST unsubscribes, from our button or as RFC 8058's
// one-click POST a mail provider sends. A revoked link (older than the
// member's last settings or address change) gets a page that says so.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { checkUnsubscribeToken, unsubscribeWithToken } from "~/models/mail.server";
import { readUnsubscribeToken } from "~/lib/mail-tokens.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Unsubscribe — ParaNet");

const WHAT = { list: "posts and digests", notify: "notification emails" } as const;

const tokenOf = (request: Request) => new URL(request.url).searchParams.get("token") ?? "";
/** A link that was never ours, or was revoked (the member saved their settings or changed address since). */
const NO_LONGER_VALID =
  "This unsubscribe link is no longer valid: it is older than your last change of email settings or address. Change what ParaNet sends you in your email settings, or use the link in a newer message.";
const noLongerValid = () => json({ invalid: true as const, message: NO_LONGER_VALID }, { status: 400 });

export async function loader({ request }: LoaderFunctionArgs) {
  const token = tokenOf(request);
  const valid = await checkUnsubscribeToken(token);
  if (!valid) return noLongerValid();
  return json({ invalid: false as const, token, what: WHAT[valid.kind] });
}

export async function action({ request }: ActionFunctionArgs) {
  const read = readUnsubscribeToken(tokenOf(request));
  if (!read || !(await unsubscribeWithToken(read))) return noLongerValid();
  return json({ invalid: false as const, done: true, what: WHAT[read.kind] });
}

export default function Unsubscribe() {
  const loaded = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  if (loaded.invalid || done?.invalid) {
    return (
      <div className="narrow stack">
        <h1>Unsubscribe</h1>
        <p className="notice notice--error" role="alert">
          This unsubscribe link is no longer valid: it is older than your last change of email settings or address. Change what ParaNet sends you in your{" "}
          <Link to="/me/settings/email">email settings</Link>, or use the link in a newer message.
        </p>
      </div>
    );
  }
  const { token, what } = loaded;
  return (
    <div className="narrow stack">
      <h1>Unsubscribe</h1>
      {done ? (
        <p className="notice notice--success" role="status">
          You will get no more {done.what} from ParaNet. You can turn them back on in your <Link to="/me/settings/email">email settings</Link>.
        </p>
      ) : (
        <Form method="post" action={`/email/unsubscribe?token=${encodeURIComponent(token)}`} className="card stack">
          <p>Stop all {what} from ParaNet to this address?</p>
          <button type="submit" className="button">
            Unsubscribe from {what}
          </button>
        </Form>
      )}
    </div>
  );
}
