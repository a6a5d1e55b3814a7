import { retryAfterHeaders } from "~/web/retry-after";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { FormMessage, TextField } from "~/components/Field";
import { IdentificationFields } from "~/components/IdentificationFields";
import { PostBody } from "~/components/ThreadBits";
import { getCurrentUser, logInAndRedirect } from "~/web/auth.server";
import { MIN_PASSWORD_LENGTH } from "~/lib/domain";
import { formFailure, handleFormAction, type FormFailure, readForm } from "~/web/http.server";
import { joinSchema, keepValues, parseInput } from "~/lib/validation";
import { getCommunitySettings, getGuidelines } from "~/models/setting.server";
import { sendVerificationMail } from "~/models/mail.server";
import { createMember } from "~/models/user.server";
import { pageMeta } from "~/ui/meta";
import { headingsFrom } from "~/lib/html";

// A throttled post answers 429 with Retry-After.
export const headers = retryAfterHeaders;

export const meta: MetaFunction = () =>
  pageMeta("Join ParaNet", "Join ParaNet, the community where library support staff ask colleagues, share answers and find training.");

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getCurrentUser(request)) throw redirect("/");
  const { worksiteRequired } = await getCommunitySettings();
  // The guidelines' headings under the form's "Community guidelines" h2.
  return json({ worksiteRequired, guidelines: headingsFrom((await getGuidelines()).html, 3) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  // One account each: a logged-in member (suspended or not) cannot open another from their session.
  if (await getCurrentUser(request)) throw redirect("/");
  const form = await readForm(request);
  const values = keepValues(form);
  const parsed = parseInput(joinSchema(await getCommunitySettings()), form);
  if (!parsed.ok) return formFailure(parsed.fields, values);
  return handleFormAction(values, async () => {
    const member = await createMember(parsed.data, context.clientIp);
    await sendVerificationMail(member.id);
    return logInAndRedirect(member.id, `/u/${member.handle}?welcome=1`);
  });
}

export default function Join() {
  const { worksiteRequired, guidelines } = useLoaderData<typeof loader>();
  const failure = useActionData<FormFailure>();
  const values = failure?.values ?? {};
  const errors = failure?.fields ?? {};
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  return (
    <div className="narrow stack">
      <h1>Join ParaNet</h1>
      <p className="lead">Ask colleagues who do the same work, share what you know, and find training for your next step.</p>
      <Form method="post" className="form card" noValidate>
        <FormMessage message={failure?.message} />
        <fieldset className="fieldset">
          <legend>Account</legend>
          <TextField
            name="email"
            label="Email"
            type="email"
            required
            autoComplete="email"
            defaultValue={values.email}
            error={errors.email}
            maxLength={254}
            hint="Never shown to other members."
          />
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
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. A short sentence is easy to remember.`}
          />
        </fieldset>
        <IdentificationFields values={values} errors={errors} worksiteRequired={worksiteRequired} full={false} />
        <section className="guidelines-box" aria-labelledby="guidelines-heading">
          <h2 id="guidelines-heading">Community guidelines</h2>
          <div className="guidelines-box__text" tabIndex={0}>
            <PostBody html={guidelines} />
          </div>
        </section>
        <div className={errors.guidelines ? "field field--invalid" : "field"}>
          <label className="choice">
            <input
              type="checkbox"
              name="guidelines"
              defaultChecked={values.guidelines === "on"}
              aria-invalid={errors.guidelines ? true : undefined}
              aria-describedby={errors.guidelines ? "guidelines-error" : undefined}
            />{" "}
            I have read the community guidelines and will follow them.
          </label>
          {errors.guidelines ? (
            <p className="field__error" id="guidelines-error" role="alert">
              {errors.guidelines}
            </p>
          ) : null}
        </div>
        <p className="muted">You can add your library type, region and credentials on your profile afterwards.</p>
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Creating your account…" : "Create account"}
        </button>
      </Form>
      <p>
        Already a member? <Link to={`/login${params.get("redirectTo") ? `?redirectTo=${encodeURIComponent(params.get("redirectTo")!)}` : ""}`}>Log in</Link>
      </p>
    </div>
  );
}
