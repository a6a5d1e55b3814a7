// /email/unsubscribe?token=… — the List-Unsubscribe link of every list or
// notification message. GET asks to confirm (link scanners must not
// unsubscribe anyone); POST unsubscribes, from our button or as RFC 8058's
// one-click POST a mail provider sends.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readUnsubscribeToken } from "~/lib/mail-tokens.server";
import { unsubscribe } from "~/models/mail.server";

export const meta: MetaFunction = () => [{ title: "Unsubscribe — ParaNet" }];

const WHAT = { list: "posts and digests", notify: "notification emails" } as const;

function tokenFrom(request: Request) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const read = readUnsubscribeToken(token);
  if (!read) throw new Response("This unsubscribe link is not valid. Change your delivery settings in ParaNet instead.", { status: 400 });
  return { token, ...read };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { token, kind } = tokenFrom(request);
  return json({ token, what: WHAT[kind] });
}

export async function action({ request }: ActionFunctionArgs) {
  const { userId, kind } = tokenFrom(request);
  await unsubscribe(userId, kind);
  return json({ done: true, what: WHAT[kind] });
}

export default function Unsubscribe() {
  const { token, what } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
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
