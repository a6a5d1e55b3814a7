import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { handleFormAction, readForm, type FormFailure } from "~/web/http.server";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CheckboxField, FormMessage, TextField } from "~/components/Field";
import { requireRole } from "~/web/auth.server";
import { getCommunitySettings, updateCommunitySettings } from "~/models/setting.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Community settings — Admin — ParaNet");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  return json(await getCommunitySettings());
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["admin"]);
  const form = await readForm(request);
  const values = {
    holdFirstPosts: String(form.get("holdFirstPosts") ?? ""),
    flagsToHide: String(form.get("flagsToHide") ?? ""),
    postLimit: String(form.get("postLimit") ?? ""),
  };
  // A number field left out of the form keeps its value; one filled in wrong is an error beside it.
  const count = (name: keyof typeof values) => (form.get(name) === null ? undefined : /^\s*\d{1,4}\s*$/.test(values[name]) ? Number(values[name]) : NaN);
  return handleFormAction(values, async () => {
    await updateCommunitySettings(actor, {
      worksiteRequired: form.get("worksiteRequired") === "on",
      holdFirstPosts: count("holdFirstPosts"),
      flagsToHide: count("flagsToHide"),
      postLimit: count("postLimit"),
    });
    return json({ ok: true as const, message: "Settings saved." });
  });
}

const COUNTS = [
  {
    name: "holdFirstPosts",
    label: "New members' first posts that wait for approval",
    hint: "Until this many of a member's posts are approved, each new one waits in the review queue. 0 turns this off.",
  },
  {
    name: "flagsToHide",
    label: "Flags that hide a post until a moderator looks",
    hint: "Counted from members of at least a week's standing who have posted (and moderators). 0: flags never hide anything by themselves.",
  },
  {
    name: "postLimit",
    label: "Posts a member may make in 10 minutes",
    hint: "Threads, replies and resource suggestions together; one network address may make three times as many. Moderators are not limited.",
  },
] as const;

export default function AdminSettings() {
  const settings = useLoaderData<typeof loader>();
  const result = useActionData<FormFailure | { ok: true; message: string }>();
  const failure = result && !result.ok ? result : undefined;
  return (
    <Form method="post" className="form card narrow" key={JSON.stringify(settings)}>
      {result?.ok ? (
        <div className="notice notice--success" role="status">
          {result.message}
        </div>
      ) : null}
      <CheckboxField
        name="worksiteRequired"
        label="Require a worksite on every member's identification"
        defaultChecked={settings.worksiteRequired}
        hint="LM_NET asked every message to carry the sender's worksite. Turn this off if your members prefer not to name their workplace."
      />
      <FormMessage message={failure?.message} />
      {COUNTS.map(({ name, label, hint }) => (
        <TextField
          key={name}
          name={name}
          label={label}
          inputMode="numeric"
          maxLength={4}
          defaultValue={failure?.values[name] ?? String(settings[name])}
          error={failure?.fields[name]}
          hint={hint}
        />
      ))}
      <button type="submit" className="button">
        Save settings
      </button>
    </Form>
  );
}
