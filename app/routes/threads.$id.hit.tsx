import { retryAfterHeaders } from "~/web/retry-after";
// Compile a HIT from a TARGET (or any thread you asked): step 1 choose the
// replies and how each replier is credited; step 2 edit the pre-filled HIT
// and post it. Replies are anonymous unless the asker names them.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage, TextField } from "~/components/Field";
import { IdentificationCard } from "~/components/IdentificationCard";
import { MarkdownEditor } from "~/components/MarkdownEditor";
import { PostBody } from "~/components/ThreadBits";
import { requireUser } from "~/web/auth.server";
import type { FieldErrors } from "~/lib/errors";
import { handleFormAction, idOr404, orErrorPage, readForm } from "~/web/http.server";
import { formDataWithLists, parseInput, positiveId, ThreadSchema } from "~/lib/validation";
import { draftHit, getHitSource } from "~/models/hit.server";
import { createThread } from "~/models/thread.server";
import { skipRevalidationAfterPreview } from "~/ui/revalidation";
import { pageMeta } from "~/ui/meta";

// A throttled post answers 429 with Retry-After.
export const headers = retryAfterHeaders;

export const meta: MetaFunction = () => pageMeta("Compile a HIT — ParaNet");

export const shouldRevalidate = skipRevalidationAfterPreview;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const source = await orErrorPage(() => getHitSource(user, idOr404(params.id)));
  return json({ source });
}

type Draft = { title: string; body: string; tagIds: number[] };
type Result = { step: "select"; message: string; fields: FieldErrors } | { step: "edit"; draft: Draft; message?: string; fields: FieldErrors };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idOr404(params.id);
  const form = await readForm(request);
  if (form.get("intent") === "draft") {
    const selections = form
      .getAll("include")
      .map(positiveId)
      .filter((n): n is number => n !== null)
      .map((replyId) => ({ replyId, named: form.get(`credit-${replyId}`) === "named" }));
    return handleFormAction({}, async () => {
      const draft = await orErrorPage(() => draftHit(user, id, selections));
      return json<Result>({ step: "edit", draft: { title: draft.title, body: draft.body, tagIds: draft.tagIds }, fields: {} });
    });
  }
  const values = formDataWithLists(form, ["tagIds"]);
  const parsed = parseInput(ThreadSchema, { ...values, kind: "hit" });
  if (!parsed.ok) {
    const draft = { title: String(values.title ?? ""), body: String(values.body ?? ""), tagIds: ((values.tagIds as string[]) ?? []).map(Number) };
    return json<Result>({ step: "edit", draft, message: "Please correct the highlighted fields.", fields: parsed.fields }, { status: 400 });
  }
  return handleFormAction({}, async () => {
    const hit = await createThread(user, parsed.data, { sourceThreadId: id });
    return redirect(`/t/${hit.id}/${hit.slug}`);
  });
}

export default function CompileHit() {
  const { source } = useLoaderData<typeof loader>();
  const result = useActionData<Result & { ok?: false; fields?: FieldErrors }>();
  const back = `/t/${source.id}/${source.slug}`;
  if (result?.step === "edit") {
    const { draft } = result;
    return (
      <div className="narrow-wide stack">
        <h1>Your HIT</h1>
        <p>
          Edit the summary, then post it. It links back to <Link to={back}>{source.title}</Link>.
        </p>
        <Form method="post" className="form card" noValidate>
          <FormMessage message={result.message} />
          <TextField name="title" label="Title" required defaultValue={draft.title} error={result.fields.title} limit={150} />
          <MarkdownEditor name="body" label="The HIT" defaultValue={draft.body} error={result.fields.body} rows={18} />
          {draft.tagIds.map((t) => (
            <input key={t} type="hidden" name="tagIds" value={t} />
          ))}
          {result.fields.tagIds ? <p className="field__error">{result.fields.tagIds}</p> : null}
          <button type="submit" className="button">
            Post the HIT
          </button>
        </Form>
      </div>
    );
  }
  const failure = result?.step === "select" ? result : (result as { message?: string; fields?: FieldErrors } | undefined);
  return (
    <div className="narrow-wide stack">
      <h1>Compile a HIT</h1>
      <p>
        A HIT shares what <Link to={back}>{source.title}</Link> taught you. Choose the replies to quote. Each replier stays <strong>anonymous</strong> unless
        you choose to name them (ask them first).
      </p>
      {source.replies.length === 0 ? (
        <p className="notice notice--info">No replies yet. Come back when colleagues have answered.</p>
      ) : (
        <Form method="post" className="form" noValidate>
          <input type="hidden" name="intent" value="draft" />
          <FormMessage message={failure?.message} />
          {failure?.fields?.replyIds ? (
            <p className="field__error" role="alert">
              {failure.fields.replyIds}
            </p>
          ) : null}
          {source.replies.map((r) => (
            <fieldset key={r.id} className="fieldset reply">
              <legend className="visually-hidden">Reply by {r.author.displayName}</legend>
              <IdentificationCard member={r.author} compact />
              <PostBody html={r.bodyHtml} />
              <div className="field field--checkbox">
                <input type="checkbox" id={`include-${r.id}`} name="include" value={r.id} defaultChecked />
                <label htmlFor={`include-${r.id}`}>Include this reply</label>
              </div>
              <div className="actions" role="radiogroup" aria-label={`Credit for ${r.author.displayName}`}>
                <label>
                  <input type="radio" name={`credit-${r.id}`} value="anonymous" defaultChecked /> Anonymous
                </label>
                <label>
                  <input type="radio" name={`credit-${r.id}`} value="named" /> Name {r.author.displayName}
                </label>
              </div>
            </fieldset>
          ))}
          <button type="submit" className="button">
            Continue to the HIT
          </button>
        </Form>
      )}
    </div>
  );
}
