// Choose a new password with a one-time link an admin issued.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormMessage, TextField } from "~/components/Field";
import { logInAndRedirect } from "~/web/auth.server";
import { MIN_PASSWORD_LENGTH } from "~/lib/domain";
import { formFailure, handleFormAction, readForm, type FormFailure } from "~/web/http.server";
import { parseInput, PasswordResetSchema } from "~/lib/validation";
import { completePasswordReset, findPasswordReset } from "~/models/password-reset.server";
import { pageMeta } from "~/ui/meta";

// A page reached with a secret link: never cached anywhere.
export const headers = () => ({ "Cache-Control": "no-store" });

export const meta: MetaFunction = () => pageMeta("Choose a new password — ParaNet");

const refused = () =>
  new Response("This reset link has expired or was already used. Ask for a new one at /forgot-password.", {
    status: 403,
    statusText: "Reset link refused",
  });

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  const member = await findPasswordReset(token);
  if (!member) throw refused();
  return json({ token: token!, member });
}

export async function action({ request }: ActionFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  if (!(await findPasswordReset(token))) throw refused();
  const form = await readForm(request);
  const parsed = parseInput(PasswordResetSchema, form);
  if (!parsed.ok) return formFailure(parsed.fields, {});
  return handleFormAction({}, async () => {
    const userId = await completePasswordReset(token, parsed.data.newPassword);
    return logInAndRedirect(userId, "/me/settings?reset=1");
  });
}

export default function ResetPassword() {
  const { token, member } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="narrow stack">
      <h1>Choose a new password</h1>
      <p>
        For <strong>{member.displayName}</strong> (@{member.handle}). Every browser signed in to this account will be logged out.
      </p>
      <Form method="post" action={`/reset-password?token=${encodeURIComponent(token)}`} className="form card" noValidate>
        <FormMessage message={failure?.message} />
        <TextField
          name="newPassword"
          label="New password"
          type="password"
          required
          autoComplete="new-password"
          error={failure?.fields.newPassword}
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        />
        <TextField
          name="confirmPassword"
          label="New password again"
          type="password"
          required
          autoComplete="new-password"
          error={failure?.fields.confirmPassword}
        />
        <button type="submit" className="button" disabled={busy}>
          Save new password
        </button>
      </Form>
    </div>
  );
}
