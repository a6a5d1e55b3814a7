import { retryAfterHeaders } from "~/web/retry-after";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RESOURCE_LISTS, ResourceFields } from "~/components/Resources";
import { SuspendedNote, useSuspension } from "~/components/SuspendedNote";
import { Time } from "~/components/ThreadBits";
import { requireUser } from "~/web/auth.server";
import { RESOURCE_STATUS_LABELS, type ResourceStatus } from "~/lib/domain";
import type { FieldErrors } from "~/lib/errors";
import { handleFormAction, readForm } from "~/web/http.server";
import { skipRevalidationAfterPreview } from "~/ui/revalidation";
import { formDataWithLists, parseInput, ResourceSchema } from "~/lib/validation";
import { listMySubmissions, submitResource, type Duplicate } from "~/models/resource.server";
import { listTagsWithNotes } from "~/models/tag.server";
import { pageMeta } from "~/ui/meta";

// A throttled post answers 429 with Retry-After.
export const headers = retryAfterHeaders;

export const meta: MetaFunction = () => pageMeta("Suggest a resource — ParaNet");

export const shouldRevalidate = skipRevalidationAfterPreview;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [tags, mine] = await Promise.all([listTagsWithNotes(), listMySubmissions(user)]);
  const params = new URL(request.url).searchParams;
  // One suggestion (its id), or several sent from a HIT (how many).
  const sent = params.get("submitted") ? 1 : Math.max(0, Math.min(99, Number(params.get("sent")) || 0));
  return json({ tags, mine, sent, submitted: params.get("submitted") ?? "" });
}

type Result = { message: string; fields: FieldErrors; values: Record<string, unknown>; duplicate?: Duplicate };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const values = formDataWithLists(form, RESOURCE_LISTS);
  const parsed = parseInput(ResourceSchema, values);
  if (!parsed.ok) return json<Result>({ message: "Please correct the highlighted fields.", fields: parsed.fields, values }, { status: 400 });
  return handleFormAction(values as Record<string, string>, async () => {
    const result = await submitResource(user, parsed.data);
    if ("duplicate" in result) {
      const waiting = result.duplicate.status === "pending";
      return json<Result>(
        {
          message: waiting ? "This address was already suggested and is waiting for a moderator." : "This is already in the clearinghouse.",
          fields: { url: waiting ? "Already suggested; a moderator will look at it soon." : "This is already in the clearinghouse." },
          values,
          duplicate: result.duplicate,
        },
        { status: 409 },
      );
    }
    return redirect(`/resources/new?submitted=${result.id}#my-submissions`);
  });
}

export default function SuggestResource() {
  const { tags, mine, sent, submitted } = useLoaderData<typeof loader>();
  const result = useActionData<Result>();
  const busy = useNavigation().state === "submitting";
  const suspended = !!useSuspension();
  return (
    <div className="narrow-wide stack">
      <h1>Suggest a resource</h1>
      <p className="muted">
        Found training, a certification program, a webinar or an association that helped you? Describe it for colleagues. A moderator checks each suggestion
        before it appears in the <Link to="/resources">clearinghouse</Link>.
      </p>
      {sent ? (
        <p className="notice notice--success" role="status">
          Thank you: {sent === 1 ? "your suggestion is" : `your ${sent} suggestions are`} waiting for a moderator. You will get a notification when
          {sent === 1 ? " it is" : " each is"} decided.
        </p>
      ) : null}
      <SuspendedNote what="Suggesting resources" />
      {/* A fresh form after each suggestion sent, so nothing is sent twice by accident. */}
      {suspended ? null : (
        <Form method="post" className="form card" noValidate key={submitted}>
          <ResourceFields tags={tags} values={result?.values ?? {}} errors={result?.fields ?? {}} message={result?.message} />
          {result?.duplicate?.title ? (
            <p className="notice notice--info">
              {result.duplicate.status === "approved" ? "Already in the clearinghouse: " : "Already suggested: "}
              {result.duplicate.status === "approved" ? (
                <Link to={`/resources/${result.duplicate.id}`}>{result.duplicate.title}</Link>
              ) : (
                <strong>{result.duplicate.title}</strong>
              )}
            </p>
          ) : null}
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>
              Send for review
            </button>
          </div>
        </Form>
      )}

      <section aria-labelledby="my-submissions" className="stack">
        <h2 id="my-submissions">Your suggestions</h2>
        {mine.length ? (
          <ul className="submission-list">
            {mine.map((s) => (
              <li key={s.id}>
                <Link to={`/resources/${s.mergedIntoId ?? s.id}`}>{s.title}</Link> —{" "}
                <span className={`status status--${s.status}`}>{RESOURCE_STATUS_LABELS[s.status as ResourceStatus]}</span>{" "}
                <span className="muted">
                  <Time at={s.createdAt} />
                </span>
                {s.status === "rejected" && s.rejectionReason ? <p className="muted">Moderator's reason: {s.rejectionReason}</p> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">You have not suggested anything yet.</p>
        )}
      </section>
    </div>
  );
}
