import { retryAfterHeaders } from "~/web/retry-after";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { FormMessage, TextField } from "~/components/Field";
import { getCurrentUser, logInAndRedirect, safeRedirect } from "~/web/auth.server";
import { formFailure, handleFormAction, type FormFailure, readForm } from "~/web/http.server";
import { keepValues, LoginSchema, parseInput } from "~/lib/validation";
import { authenticate } from "~/models/user.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Log in — ParaNet", "Log in to ParaNet to ask, answer, follow threads and get notifications.");

// A throttled log-in tells the browser when to try again.
export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getCurrentUser(request)) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return json({});
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const values = keepValues(form);
  const parsed = parseInput(LoginSchema, form);
  if (!parsed.ok) return formFailure(parsed.fields, values);
  return handleFormAction(values, async () => {
    const member = await authenticate(parsed.data.email, parsed.data.password, context.clientIp);
    // One message for every mismatch: it must not reveal which emails exist.
    if (!member) return formFailure({}, values, "That email and password don't match an account.", 401);
    return logInAndRedirect(member.id, safeRedirect(form.get("redirectTo")));
  });
}

export default function Login() {
  const failure = useActionData<FormFailure>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const redirectTo = params.get("redirectTo") ?? "/";
  return (
    <div className="narrow stack">
      <h1>Log in</h1>
      <Form method="post" className="form card" noValidate>
        <FormMessage message={failure?.message} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField name="email" label="Email" type="email" required autoComplete="email" defaultValue={failure?.values.email} error={failure?.fields.email} />
        <TextField name="password" label="Password" type="password" required autoComplete="current-password" error={failure?.fields.password} />
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </Form>
      <p>
        New here? <Link to={`/join?redirectTo=${encodeURIComponent(redirectTo)}`}>Join ParaNet</Link>
      </p>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
    </div>
  );
}
