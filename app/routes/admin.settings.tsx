import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { readForm } from "~/lib/http.server";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CheckboxField } from "~/components/Field";
import { requireRole } from "~/lib/auth.server";
import { getCommunitySettings, updateCommunitySettings } from "~/models/setting.server";

export const meta: MetaFunction = () => [{ title: "Community settings — Admin — ParaNet" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  return json(await getCommunitySettings());
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["admin"]);
  const form = await readForm(request);
  await updateCommunitySettings(actor, { worksiteRequired: form.get("worksiteRequired") === "on" });
  return json({ ok: true, message: "Settings saved." });
}

export default function AdminSettings() {
  const settings = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
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
      <button type="submit" className="button">
        Save settings
      </button>
    </Form>
  );
}
