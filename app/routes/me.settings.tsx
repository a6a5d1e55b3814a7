import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { CheckboxField, FormMessage, TextArea, TextField } from "~/components/Field";
import { IdentificationFields } from "~/components/IdentificationFields";
import { getSessionToken, requireUser } from "~/web/auth.server";
import { MIN_PASSWORD_LENGTH } from "~/lib/domain";
import { formFailure, handleFormAction, readForm } from "~/web/http.server";
import { keepValues, parseInput, PasswordChangeSchema, profileSchema } from "~/lib/validation";
import { getCommunitySettings } from "~/models/setting.server";
import { createApiToken, listApiTokens, revokeApiToken } from "~/models/api-token.server";
import { changePassword, getAccount, updateIdentification } from "~/models/user.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Settings — ParaNet");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [account, settings, tokens] = await Promise.all([getAccount(user.id), getCommunitySettings(), listApiTokens(user)]);
  if (!account) throw new Response("Account not found.", { status: 404 });
  return json({ account, worksiteRequired: settings.worksiteRequired, tokens });
}

type ActionResult =
  | { ok: true; intent: string; message: string; at: number; token?: string; values?: Record<string, string> }
  | { ok: false; message: string; fields: Record<string, string>; values: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const values = { ...keepValues(form), intent };
  if (intent === "profile") {
    const parsed = parseInput(profileSchema(await getCommunitySettings()), form);
    if (!parsed.ok) return formFailure(parsed.fields, values);
    return handleFormAction(values, async () => {
      await updateIdentification(user, user.id, parsed.data);
      // The saved values come back with the result: the fresh form shows them at once.
      return json({ ok: true, intent, message: "Your profile is saved.", at: Date.now(), values });
    });
  }
  if (intent === "password") {
    const parsed = parseInput(PasswordChangeSchema, form);
    if (!parsed.ok) return formFailure(parsed.fields, values);
    const token = (await getSessionToken(request))!;
    return handleFormAction(values, async () => {
      const { revokedApiTokens } = await changePassword(user, parsed.data, token);
      const tokens = parsed.data.revokeApiTokens
        ? revokedApiTokens
          ? ` Your API tokens (${revokedApiTokens}) are revoked.`
          : ""
        : " Your API tokens still work.";
      return json({ ok: true, intent, message: `Your password is changed. Other browsers have been logged out.${tokens}`, at: Date.now() });
    });
  }
  if (intent === "create-token") {
    return handleFormAction(values, async () => {
      const { token } = await createApiToken(user, String(form.get("name") ?? ""));
      return json({ ok: true, intent, message: "Your new API token. Copy it now: it will not be shown again.", token, at: Date.now() });
    });
  }
  if (intent === "revoke-token") {
    return handleFormAction(values, async () => {
      await revokeApiToken(user, String(form.get("tokenId") ?? ""));
      return json({ ok: true, intent, message: "Token revoked.", at: Date.now() });
    });
  }
  throw new Response("Unknown action.", { status: 400, statusText: "Unknown action." });
}

export default function Settings() {
  const { account, worksiteRequired, tokens } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  // A failure carries the intent among the values it sends back.
  const intent = result ? (result.ok ? result.intent : result.values.intent) : undefined;
  const profileResult = intent === "profile" ? result : undefined;
  const passwordResult = intent === "password" ? result : undefined;
  const profileFailure = profileResult && !profileResult.ok ? profileResult : undefined;
  const passwordFailure = passwordResult && !passwordResult.ok ? passwordResult : undefined;
  const tokenResult = intent === "create-token" || intent === "revoke-token" ? result : undefined;
  const tokenFailure = tokenResult && !tokenResult.ok ? tokenResult : undefined;
  // After a save (failed or not), show what was sent rather than what the page loaded before it.
  const sent = profileFailure?.values ?? (profileResult?.ok ? profileResult.values : undefined);
  const values: Record<string, string | number | boolean | null> = sent ? { ...sent, hasMlis: sent.hasMlis ?? "", hasLssc: sent.hasLssc ?? "" } : account;
  return (
    <div className="narrow stack">
      <h1>Settings</h1>
      {params.get("reset") && !result ? (
        <div className="notice notice--success" role="status">
          Your new password is saved, and you are logged in.
        </div>
      ) : null}
      <p>
        Signed in as <strong>{account.email}</strong> (@{account.handle}). <Link to={`/u/${account.handle}`}>View your profile</Link> ·{" "}
        <Link to="/me/settings/email">Email settings: posts, digests, vacation hold</Link>
      </p>

      <section aria-labelledby="profile-heading" className="stack">
        <h2 id="profile-heading">Profile and identification</h2>
        {/* Fresh after each successful save, never because page data reloaded while someone types. */}
        <Form method="post" className="form card" noValidate key={profileResult?.ok ? profileResult.at : "profile"}>
          <input type="hidden" name="intent" value="profile" />
          {profileResult?.ok ? (
            <div className="notice notice--success" role="status">
              {profileResult.message}
            </div>
          ) : (
            <FormMessage message={profileFailure?.message} />
          )}
          <IdentificationFields values={values} errors={profileFailure?.fields ?? {}} worksiteRequired={worksiteRequired} />
          <TextArea
            name="about"
            label="About you"
            defaultValue={String(values.about ?? "")}
            error={profileFailure?.fields.about}
            limit={1000}
            hint="A few lines about your work and what you can help with (optional)."
          />
          <button type="submit" className="button" disabled={busy}>
            Save profile
          </button>
        </Form>
      </section>

      <section aria-labelledby="password-heading" className="stack">
        <h2 id="password-heading">Change password</h2>
        {/* A fresh form (empty password fields) after each successful change. */}
        <Form method="post" className="form card" noValidate key={passwordResult?.ok ? passwordResult.at : "changing"}>
          <input type="hidden" name="intent" value="password" />
          {passwordResult?.ok ? (
            <div className="notice notice--success" role="status">
              {passwordResult.message}
            </div>
          ) : (
            <FormMessage message={passwordFailure?.message} />
          )}
          <TextField
            name="currentPassword"
            label="Current password"
            type="password"
            required
            autoComplete="current-password"
            error={passwordFailure?.fields.currentPassword}
          />
          <TextField
            name="newPassword"
            label="New password"
            type="password"
            required
            autoComplete="new-password"
            error={passwordFailure?.fields.newPassword}
            hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          />
          <TextField
            name="confirmPassword"
            label="New password again"
            type="password"
            required
            autoComplete="new-password"
            error={passwordFailure?.fields.confirmPassword}
          />
          <CheckboxField
            name="revokeApiTokens"
            label="Also revoke my API tokens"
            defaultChecked={passwordFailure ? passwordFailure.values.revokeApiTokens === "on" : true}
            hint="Scripts using them stop working until you give them a new token."
          />
          <button type="submit" className="button" disabled={busy}>
            Change password
          </button>
        </Form>
      </section>

      <section aria-labelledby="tokens-heading" className="stack">
        <h2 id="tokens-heading">API tokens</h2>
        <p className="muted">
          For scripts and tools that use the ParaNet API (<code>/api/v1</code>) as you. Send a token as <code>Authorization: Bearer …</code>. Revoke any you no
          longer use.
        </p>
        {tokenResult?.ok ? (
          <div className="notice notice--success" role="status">
            {tokenResult.message}
            {tokenResult.token ? (
              <input className="copy-field" readOnly value={tokenResult.token} aria-label="New API token" onFocus={(e) => e.currentTarget.select()} />
            ) : null}
          </div>
        ) : null}
        {tokens.length > 0 ? (
          <ul className="token-list">
            {tokens.map((t) => (
              <li key={t.id}>
                <span>
                  <strong>{t.name}</strong> <code>{t.prefix}…</code>{" "}
                  <span className="muted">
                    created {new Date(t.createdAt).toISOString().slice(0, 10)}
                    {t.lastUsedAt ? `, last used ${new Date(t.lastUsedAt).toISOString().slice(0, 10)}` : ", never used"}
                  </span>
                </span>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="revoke-token" />
                  <input type="hidden" name="tokenId" value={t.id} />
                  <button type="submit" className="link-button">
                    Revoke<span className="visually-hidden"> {t.name}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        ) : null}
        <Form method="post" className="form card" noValidate key={tokenResult?.ok ? tokenResult.at : "token"}>
          <input type="hidden" name="intent" value="create-token" />
          <FormMessage message={tokenFailure?.message} />
          <TextField
            name="name"
            label="Token name"
            maxLength={60}
            defaultValue={tokenFailure?.values.name}
            error={tokenFailure?.fields.name}
            hint="What will use it, e.g. “weekly digest script”."
          />
          <button type="submit" className="button button--secondary">
            Create token
          </button>
        </Form>
      </section>
    </div>
  );
}
