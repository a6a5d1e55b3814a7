import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { TextField } from "~/components/Field";
import { IdentificationCard } from "~/components/IdentificationCard";
import { ReasonField } from "~/components/Moderation";
import { getCurrentUser, requireRole } from "~/web/auth.server";
import { isStaff } from "~/lib/domain";
import { handleFormAction, readForm, type FormFailure } from "~/web/http.server";
import { suspensionMessage } from "~/lib/suspension";
import { liftSuspension, suspendMember } from "~/models/moderation.server";
import { getProfileByHandle, memberStanding } from "~/models/user.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.profile.displayName} (@${data.profile.handle}) — ParaNet` : "Member not found — ParaNet" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const profile = await getProfileByHandle(params.handle ?? "");
  if (!profile) throw new Response("No member has that handle.", { status: 404 });
  const viewer = await getCurrentUser(request);
  // Moderators see (and set) a member's suspension here.
  const suspension = viewer && isStaff(viewer.role) ? (await memberStanding(profile.id)).suspension : null;
  return json({ profile, isSelf: viewer?.id === profile.id, moderator: !!viewer && isStaff(viewer.role), suspension });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["moderator", "admin"]);
  const profile = await getProfileByHandle(params.handle ?? "");
  if (!profile) throw new Response("No member has that handle.", { status: 404 });
  const form = await readForm(request);
  const values = { until: String(form.get("until") ?? ""), reason: String(form.get("reason") ?? "") };
  return handleFormAction(values, async () => {
    if (form.get("intent") === "lift") {
      await liftSuspension(actor, profile.id, values.reason);
      return json({ ok: true as const, message: "Suspension lifted." });
    }
    const until = /^\d{4}-\d{2}-\d{2}$/.test(values.until) ? new Date(`${values.until}T23:59:59.999Z`) : null;
    await suspendMember(actor, profile.id, { until: until && !Number.isNaN(until.getTime()) ? until : null, reason: values.reason });
    return json({ ok: true as const, message: "Member suspended. It is in the moderation log." });
  });
}

function SuspensionForm({ suspended }: { suspended: boolean }) {
  const result = useActionData<FormFailure | { ok: true; message: string }>();
  const failure = result && !result.ok ? result : undefined;
  return (
    <section className="card stack" id="moderate" aria-labelledby="moderate-heading">
      <h2 id="moderate-heading">Moderation</h2>
      {result?.ok ? (
        <p className="notice notice--success" role="status">
          {result.message}
        </p>
      ) : null}
      {failure ? (
        <p className="notice notice--error" role="alert">
          {failure.message}
        </p>
      ) : null}
      <Form method="post" className="form" key={String(suspended)}>
        {suspended ? null : (
          <TextField
            name="until"
            id="suspend-until"
            type="date"
            label="Suspend until"
            defaultValue={failure?.values.until ?? ""}
            error={failure?.fields.until}
          />
        )}
        <ReasonField id="suspend-reason" label={suspended ? "Reason for lifting (for the log)" : "Reason (the member is shown this)"} failure={failure} />
        <button type="submit" name="intent" value={suspended ? "lift" : "suspend"} className={suspended ? "button button--secondary" : "button button--danger"}>
          {suspended ? "Lift the suspension" : "Suspend this member"}
        </button>
      </Form>
    </section>
  );
}

const joined = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

export default function Profile() {
  const { profile, isSelf, moderator, suspension } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <div className="stack">
      {isSelf && params.get("welcome") ? (
        <div className="notice notice--success" role="status">
          Welcome to ParaNet! We mailed you a link to confirm your address (ParaNet sends posts and notifications only once it is confirmed). This is your
          identification card: colleagues see it beside everything you post. <Link to="/me/settings">Add your library type, region and credentials</Link>.
        </div>
      ) : null}
      <section className="card" aria-label="Identification">
        <IdentificationCard member={profile} headingLevel="h1" />
      </section>
      {profile.about ? (
        <section className="card">
          <h2>About</h2>
          <p style={{ whiteSpace: "pre-line" }}>{profile.about}</p>
        </section>
      ) : null}
      <p className="muted">Member since {joined.format(new Date(profile.createdAt))}</p>
      {suspension ? (
        <p className="notice notice--warning">
          {suspensionMessage(suspension.until, suspension.reason)
            .replace("Your account is", `@${profile.handle} is`)
            .replace(/ You can read.*$/, "")}
        </p>
      ) : null}
      {moderator && !isSelf ? <SuspensionForm suspended={!!suspension} /> : null}
      {isSelf ? (
        <p>
          <Link to="/me/settings" className="button button--secondary">
            Edit profile
          </Link>
        </p>
      ) : null}
    </div>
  );
}
