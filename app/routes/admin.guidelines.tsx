import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage } from "~/components/Field";
import { MarkdownEditor } from "~/components/MarkdownEditor";
import { requireRole } from "~/web/auth.server";
import { handleFormAction, readForm, type FormFailure } from "~/web/http.server";
import { getGuidelines, updateGuidelines } from "~/models/setting.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Community guidelines — Admin — ParaNet");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  const { source, custom } = await getGuidelines();
  return json({ source, custom });
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["admin"]);
  const form = await readForm(request);
  const values = { source: String(form.get("source") ?? ""), reason: String(form.get("reason") ?? "") };
  return handleFormAction(values, async () => {
    await updateGuidelines(actor, values.source, values.reason);
    return json({ ok: true as const, message: "Guidelines saved: members see them now, and new members acknowledge them at join." });
  });
}

export default function AdminGuidelines() {
  const { source, custom } = useLoaderData<typeof loader>();
  const result = useActionData<FormFailure | { ok: true; message: string }>();
  const failure = result && !result.ok ? result : undefined;
  return (
    <Form method="post" className="form card" key={source}>
      {result?.ok ? (
        <p className="notice notice--success" role="status">
          {result.message}
        </p>
      ) : null}
      <FormMessage message={failure?.message} />
      <p className="muted">
        Shown at <Link to="/guidelines">/guidelines</Link> and on the join form. Markdown, like posts.{" "}
        {custom ? "Save it empty to go back to the built-in text." : "This is the built-in text."}
      </p>
      <MarkdownEditor name="source" label="Community guidelines" defaultValue={failure?.values.source ?? source} error={failure?.fields.source} rows={20} />
      <div className="field">
        <label htmlFor="guidelines-reason" className="field__label">
          What changed (for the log)
        </label>
        <input id="guidelines-reason" name="reason" type="text" maxLength={500} defaultValue={failure?.values.reason ?? ""} />
      </div>
      <button type="submit" className="button">
        Save guidelines
      </button>
    </Form>
  );
}
