import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { formValuesOf, RESOURCE_LISTS, ResourceFields } from "~/components/Resources";
import { requireRole } from "~/web/auth.server";
import type { FieldErrors } from "~/lib/errors";
import { handleFormAction, idOr404, orErrorPage, readForm } from "~/web/http.server";
import { skipRevalidationAfterPreview } from "~/ui/revalidation";
import { formDataWithLists, parseInput, ResourceSchema } from "~/lib/validation";
import { editResource, getResourceForEditing } from "~/models/resource.server";
import { listTagsWithNotes } from "~/models/tag.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Edit a resource — ParaNet");

export const shouldRevalidate = skipRevalidationAfterPreview;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["moderator", "admin"]);
  const resource = await orErrorPage(() => getResourceForEditing(user, idOr404(params.id)));
  return json({ resource, tags: await listTagsWithNotes() });
}

type Failure = { message: string; fields: FieldErrors; values: Record<string, unknown> };

export async function action({ request, params }: ActionFunctionArgs) {
  const id = idOr404(params.id);
  const user = await requireRole(request, ["moderator", "admin"]);
  const form = await readForm(request);
  const values = formDataWithLists(form, RESOURCE_LISTS);
  const parsed = parseInput(ResourceSchema, values);
  if (!parsed.ok) return json<Failure>({ message: "Please correct the highlighted fields.", fields: parsed.fields, values }, { status: 400 });
  return handleFormAction(values as Record<string, string>, async () => {
    await editResource(user, id, { ...parsed.data, curatorNote: String(form.get("curatorNote") ?? "") }, { approve: form.get("intent") === "approve" });
    return redirect(`/resources/${id}`);
  });
}

export default function EditResource() {
  const { resource, tags } = useLoaderData<typeof loader>();
  const failure = useActionData<Failure>();
  const busy = useNavigation().state === "submitting";
  const waiting = resource.status === "pending" || resource.status === "rejected";
  return (
    <div className="narrow-wide stack">
      <p className="muted">
        <Link to="/moderate/resources">Curation queue</Link> · <Link to={`/resources/${resource.id}`}>#{resource.id}</Link>
      </p>
      <h1>Edit “{resource.title}”</h1>
      <Form method="post" className="form card" noValidate>
        <ResourceFields tags={tags} values={failure?.values ?? formValuesOf(resource)} errors={failure?.fields ?? {}} message={failure?.message} curatorNote />
        <div className="actions">
          {waiting ? (
            <button type="submit" name="intent" value="approve" className="button" disabled={busy}>
              Save and approve
            </button>
          ) : null}
          <button type="submit" name="intent" value="save" className={waiting ? "button button--secondary" : "button"} disabled={busy}>
            Save
          </button>
        </div>
      </Form>
    </div>
  );
}
