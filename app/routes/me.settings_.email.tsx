// /me/settings/email — how a member wants ParaNet by mail: every post in what
// they follow (mailing-list mode), a daily or weekly digest, or nothing; a
// vacation hold (NOMAIL) until a date; notification mail on its own switch;
// why mail stopped when the address bounced (and how to fix it); and a change
// of address, confirmed by a link mailed to the new one.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CheckboxField, FormMessage, TextField } from "~/components/Field";
import { requireUser } from "~/web/auth.server";
import { handleFormAction, readForm, type FormFailure } from "~/web/http.server";
import { retryAfterHeaders } from "~/web/retry-after";
import { getEmailSettings, requestEmailChange, sendVerificationMail, updateEmailSettings } from "~/models/mail.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Email settings — ParaNet");

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json(await getEmailSettings(user));
}

type Intent = "save" | "resend" | "change-email";
type Result =
  | (FormFailure & { intent: Intent })
  | { ok: true; intent: Intent; message: string; at: number; saved?: { mode: string; notifications: boolean; vacationUntil: string } };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const intent: Intent = form.get("intent") === "resend" ? "resend" : form.get("intent") === "change-email" ? "change-email" : "save";
  // (The password is never sent back.)
  const values: Record<string, string> =
    intent === "change-email"
      ? { newEmail: String(form.get("newEmail") ?? "") }
      : {
          mode: String(form.get("mode") ?? ""),
          notifications: form.get("notifications") === "on" ? "on" : "",
          vacationUntil: String(form.get("vacationUntil") ?? ""),
        };
  return handleFormAction(
    values,
    async () => {
      if (intent === "resend") {
        await sendVerificationMail(user.id);
        return json<Result>({ ok: true, intent, message: "A new confirmation link is on its way. It works for 7 days.", at: Date.now() });
      }
      if (intent === "change-email") {
        const to = await requestEmailChange(user, { email: values.newEmail ?? "", password: String(form.get("password") ?? "") });
        return json<Result>({
          ok: true,
          intent,
          message: `A confirmation link is on its way to ${to}. Your address changes when you follow it (within 7 days); until then mail goes where it goes now.`,
          at: Date.now(),
        });
      }
      await updateEmailSettings(user, { mode: values.mode ?? "", notifications: values.notifications === "on", vacationUntil: values.vacationUntil ?? "" });
      // The form comes back with what was just saved (not with data a reload may bring a moment later).
      const saved = await getEmailSettings(user);
      return json<Result>({
        ok: true,
        intent,
        message: "Your email settings are saved.",
        at: Date.now(),
        saved: { mode: saved.mode, notifications: saved.notifications, vacationUntil: saved.vacationUntil ?? "" },
      });
    },
    { intent },
  );
}

const MODES = [
  {
    value: "every",
    label: "Every post",
    hint: "Mailing-list mode: each new thread in the tags you follow and each reply in the threads you follow, as it is posted. Reply to a message to answer on ParaNet.",
  },
  { value: "daily", label: "Daily digest", hint: "One message a day: new threads in your tags, new HITs, the most helpful answers and new resources." },
  { value: "weekly", label: "Weekly digest", hint: "The same, once a week (Mondays)." },
  { value: "none", label: "No posts by email", hint: "Read ParaNet on the website only." },
] as const;

export default function EmailSettings() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<Result>();
  const failed = result && !result.ok ? result : undefined;
  const failure = failed?.intent === "change-email" ? undefined : failed;
  const changeFailure = failed?.intent === "change-email" ? failed : undefined;
  const settings = result?.ok && result.saved ? { ...loaded, ...result.saved } : loaded;
  const mode = failure?.values.mode ?? settings.mode;
  return (
    <div className="narrow stack">
      <p className="muted">
        <Link to="/me/settings">Settings</Link>
      </p>
      <h1>Email settings</h1>
      {result?.ok ? (
        <p className="notice notice--success" role="status">
          {result.message}
        </p>
      ) : null}
      {settings.stoppedAt ? (
        <Form method="post" className="notice notice--warning" role="alert">
          <p>
            <strong>Mail to {settings.email} bounced, so ParaNet has stopped sending to it.</strong> The receiving mail server said it could not deliver our
            messages, so you get no posts, digests or notifications for now.
          </p>
          <p>
            If the address works again (a full mailbox emptied, a typo fixed by your IT staff), confirm it: we mail you a link, and following it resumes
            delivery. If it no longer works, <a href="#change-email">change your address</a> below.
          </p>
          <button type="submit" name="intent" value="resend" className="button button--small button--secondary">
            Send me a confirmation link
          </button>
        </Form>
      ) : settings.verified ? (
        <p className="muted">
          Mail goes to {settings.email}.
          {settings.bounceScore > 0 ? " Some mail to this address bounced lately: if it keeps bouncing, ParaNet will stop sending to it." : null}
        </p>
      ) : (
        <Form method="post" className="notice notice--warning">
          <p>
            <strong>Please confirm {settings.email}.</strong> Until you follow the link we mailed you, ParaNet sends you no posts, digests or notifications.
          </p>
          <button type="submit" name="intent" value="resend" className="button button--small button--secondary">
            Send the link again
          </button>
        </Form>
      )}
      <Form method="post" className="form card" key={result?.ok ? result.at : "form"}>
        <FormMessage message={failure?.message} />
        <fieldset className={failure?.fields.mode ? "fieldset field--invalid" : "fieldset"}>
          <legend>Posts by email</legend>
          {MODES.map((m) => (
            <label key={m.value} className="choice">
              <input type="radio" name="mode" value={m.value} defaultChecked={mode === m.value} />
              <span>
                <strong>{m.label}</strong> <span className="muted">— {m.hint}</span>
              </span>
            </label>
          ))}
          {failure?.fields.mode ? (
            <p className="field__error" role="alert">
              {failure.fields.mode}
            </p>
          ) : null}
        </fieldset>
        <CheckboxField
          name="notifications"
          label="Email me notifications: replies to my threads, mentions, accepted answers, resource decisions"
          defaultChecked={failure ? failure.values.notifications === "on" : settings.notifications}
        />
        <TextField
          name="vacationUntil"
          type="date"
          label="Vacation hold (NOMAIL) until"
          defaultValue={failure?.values.vacationUntil ?? settings.vacationUntil ?? ""}
          error={failure?.fields.vacationUntil}
          hint="No mail from ParaNet until this date. Delivery then resumes by itself, starting with one digest of what you missed. Leave empty for no hold."
        />
        <button type="submit" className="button">
          Save email settings
        </button>
      </Form>
      <Form method="post" className="form card" id="change-email" key={result?.ok && result.intent === "change-email" ? result.at : "change"}>
        <h2>Change your address</h2>
        <p className="muted">
          We mail a link to the new address; your address changes only when you follow it. {settings.email} is told of the change.
          {settings.pendingEmail ? ` A change to ${settings.pendingEmail} is waiting for its link to be followed.` : ""}
        </p>
        <FormMessage message={changeFailure?.message} />
        <input type="hidden" name="intent" value="change-email" />
        <TextField
          name="newEmail"
          type="email"
          label="New email address"
          autoComplete="email"
          maxLength={254}
          defaultValue={changeFailure?.values.newEmail ?? ""}
          error={changeFailure?.fields.newEmail}
        />
        <TextField name="password" type="password" label="Your password" autoComplete="current-password" error={changeFailure?.fields.password} />
        <button type="submit" className="button button--secondary">
          Send the link to the new address
        </button>
      </Form>
    </div>
  );
}
