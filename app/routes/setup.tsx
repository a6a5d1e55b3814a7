// The one-time setup link printed at start-up creates the first admin.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormMessage, TextField } from "~/components/Field";
import { IdentificationFields } from "~/components/IdentificationFields";
import { logInAndRedirect } from "~/web/auth.server";
import { MIN_PASSWORD_LENGTH } from "~/lib/domain";
import { formFailure, handleFormAction, type FormFailure, readForm } from "~/web/http.server";
import { joinSchema, keepValues, parseInput } from "~/lib/validation";
import { adminExists, getCommunitySettings, isSetupTokenValid } from "~/models/setting.server";
import { sendVerificationMail } from "~/models/mail.server";
import { createFirstAdmin } from "~/models/user.server";
import { pageMeta } from "~/ui/meta";

// A page reached with a secret link: never cached anywhere.
export const headers = () => ({ "Cache-Control": "no-store" });

export const meta: MetaFunction = () => pageMeta("Set up ParaNet", "Create the first admin account of this ParaNet installation.");

function refuse(message: string) {
  return new Response(message, { status: 403, statusText: "Setup link refused" });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  if (await adminExists()) throw refuse("Setup is already complete: this installation already has an admin.");
  if (!(await isSetupTokenValid(token))) {
    throw refuse("This setup link is not valid. Use the newest link printed by the server when it started.");
  }
  const { worksiteRequired } = await getCommunitySettings();
  return json({ token: token!, worksiteRequired });
}

export async function action({ request }: ActionFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const form = await readForm(request);
  const values = keepValues(form);
  if (!(await isSetupTokenValid(token))) throw refuse("This setup link has already been used.");
  // The first admin writes the guidelines; there is nothing to acknowledge yet.
  const parsed = parseInput(joinSchema(await getCommunitySettings(), { acknowledge: false }), form);
  if (!parsed.ok) return formFailure(parsed.fields, values);
  return handleFormAction(values, async () => {
    const admin = await createFirstAdmin(token, parsed.data);
    await sendVerificationMail(admin.id);
    return logInAndRedirect(admin.id, "/admin/members?welcome=1");
  });
}

export default function Setup() {
  const { token, worksiteRequired } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const values = failure?.values ?? {};
  const errors = failure?.fields ?? {};
  const busy = useNavigation().state === "submitting";
  return (
    <div className="narrow stack">
      <h1>Welcome — set up ParaNet</h1>
      <p className="lead">Create the first admin account for this installation. This link works once.</p>
      <Form method="post" action={`/setup?token=${encodeURIComponent(token)}`} className="form card" noValidate>
        <FormMessage message={failure?.message} />
        <fieldset className="fieldset">
          <legend>Admin account</legend>
          <TextField name="email" label="Email" type="email" required autoComplete="email" defaultValue={values.email} error={errors.email} />
          <TextField
            name="handle"
            label="Handle"
            required
            autoComplete="username"
            defaultValue={values.handle}
            error={errors.handle}
            maxLength={31}
            hint="Your @name: 3–30 letters, digits, - or _."
          />
          <TextField
            name="password"
            label="Password"
            type="password"
            required
            autoComplete="new-password"
            error={errors.password}
            hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          />
        </fieldset>
        <IdentificationFields values={values} errors={errors} worksiteRequired={worksiteRequired} full={false} />
        <button type="submit" className="button" disabled={busy}>
          Create admin account
        </button>
      </Form>
    </div>
  );
}
