// /forgot-password — a one-time link to choose a new password, by mail.
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { FormMessage, TextField } from "~/components/Field";
import { handleFormAction, readForm, type FormFailure } from "~/web/http.server";
import { retryAfterHeaders } from "~/web/retry-after";
import { requestPasswordReset } from "~/models/mail.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Forgot your password? — ParaNet", "Get a link to choose a new ParaNet password.");

// A throttled request answers 429 with Retry-After.
export const headers = retryAfterHeaders;

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const email = String(form.get("email") ?? "").trim();
  const values = { email };
  if (!/^[^\s@]{1,64}@[^\s@]{1,255}$/.test(email)) {
    return json<FormFailure>(
      { ok: false, message: "Please correct the highlighted fields.", fields: { email: "Enter the email address you joined with." }, values },
      { status: 400 },
    );
  }
  return handleFormAction(values, async () => {
    await requestPasswordReset(email);
    // The same answer whether or not the address is a member's.
    return json({
      ok: true as const,
      message: `If ${email} belongs to a ParaNet member, a link to choose a new password is on its way. It works once, for 24 hours.`,
    });
  });
}

export default function ForgotPassword() {
  const result = useActionData<FormFailure | { ok: true; message: string }>();
  const failure = result && !result.ok ? result : undefined;
  const busy = useNavigation().state === "submitting";
  return (
    <div className="narrow stack">
      <h1>Forgot your password?</h1>
      {result?.ok ? (
        <p className="notice notice--success" role="status">
          {result.message}
        </p>
      ) : (
        <Form method="post" className="form card" noValidate>
          <FormMessage message={failure?.message} />
          <TextField
            name="email"
            label="Email"
            type="email"
            autoComplete="email"
            required
            maxLength={254}
            defaultValue={failure?.values.email}
            error={failure?.fields.email}
            hint="We will mail you a link to choose a new password."
          />
          <button type="submit" className="button" disabled={busy}>
            Send me a link
          </button>
        </Form>
      )}
      <p>
        <Link to="/login">Back to log in</Link>
      </p>
    </div>
  );
}
