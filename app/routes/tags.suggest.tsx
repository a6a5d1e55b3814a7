// Members suggest a new tag; a moderator accepts or declines it at /admin/tags.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { SuspendedNote, useSuspension } from "~/components/SuspendedNote";
import { json } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { FormMessage, TextArea, TextField } from "~/components/Field";
import { requireUser } from "~/web/auth.server";
import { handleFormAction, readForm, type FormFailure } from "~/web/http.server";
import { suggestTag } from "~/models/tag.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Suggest a tag — ParaNet");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return json({});
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const values = { name: String(form.get("name") ?? ""), scopeNote: String(form.get("scopeNote") ?? "") };
  return handleFormAction(values, async () => {
    await suggestTag(user, values);
    return json({ ok: true as const, message: `Thanks! A moderator will look at “${values.name.trim()}”.` });
  });
}

export default function SuggestTag() {
  const result = useActionData<FormFailure | { ok: true; message: string }>();
  const failure = result && !result.ok ? result : undefined;
  const suspended = !!useSuspension();
  return (
    <div className="narrow stack">
      <h1>Suggest a tag</h1>
      <p>Missing a topic? Suggest it; moderators keep the list tidy so that threads stay easy to find.</p>
      {result?.ok ? (
        <div className="notice notice--success" role="status">
          {result.message}
        </div>
      ) : null}
      <SuspendedNote what="Suggesting tags" />
      {suspended ? null : (
        <Form method="post" className="form card" noValidate key={result?.ok ? "sent" : "editing"}>
          <FormMessage message={failure?.message} />
          <TextField
            name="name"
            label="Tag name"
            required
            limit={60}
            defaultValue={failure?.values.name}
            error={failure?.fields.name}
            hint="For example: Book fairs, Makerspaces, Destiny."
          />
          <TextArea
            name="scopeNote"
            label="What belongs under it?"
            defaultValue={failure?.values.scopeNote}
            error={failure?.fields.scopeNote}
            limit={500}
            rows={3}
          />
          <button type="submit" className="button">
            Send suggestion
          </button>
        </Form>
      )}
    </div>
  );
}
