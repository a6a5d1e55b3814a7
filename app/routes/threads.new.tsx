import { retryAfterHeaders } from "~/web/retry-after";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { CharacterCount, FormMessage, TextField } from "~/components/Field";
import { SuspendedNote, useSuspension } from "~/components/SuspendedNote";
import { MarkdownEditor } from "~/components/MarkdownEditor";
import { KindBadge } from "~/components/ThreadBits";
import { TagPicker } from "~/components/TagPicker";
import { requireUser } from "~/web/auth.server";
import { isStaff, LIBRARY_TYPE_LABELS, LIBRARY_TYPES, STAFF_ONLY_KINDS, THREAD_KIND_HINTS, THREAD_KIND_LABELS, THREAD_KINDS } from "~/lib/domain";
import type { FieldErrors } from "~/lib/errors";
import { handleFormAction, readForm } from "~/web/http.server";
import { formDataWithLists, parseInput, ThreadSchema } from "~/lib/validation";
import { createThread } from "~/models/thread.server";
import { listTagChoices } from "~/models/tag.server";
import { renderPost } from "~/models/post-rendering.server";
import { skipRevalidationAfterPreview } from "~/ui/revalidation";
import { pageMeta } from "~/ui/meta";

// A throttled post answers 429 with Retry-After.
export const headers = retryAfterHeaders;

export const meta: MetaFunction = () =>
  pageMeta("Ask the community — ParaNet", "Ask library support staff colleagues a question, start a discussion, send a TARGET or post a job.");

const LISTS = ["tagIds", "libraryTypes"];

export const shouldRevalidate = skipRevalidationAfterPreview;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const kind = new URL(request.url).searchParams.get("kind");
  return json({ tags: await listTagChoices(), staff: isStaff(user.role), kind: THREAD_KINDS.includes(kind as never) ? kind : "question" });
}

type Values = Record<string, unknown>;
type Result = { ok: false; message?: string; fields: FieldErrors; values: Values; preview?: string };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const values = formDataWithLists(form, LISTS);
  // "Preview" without JavaScript: show the rendered body, keep everything.
  if (form.get("intent") === "preview") {
    return json<Result>({ ok: false, fields: {}, values, preview: (await renderPost(String(values.body ?? ""))).html });
  }
  const parsed = parseInput(ThreadSchema, values);
  if (!parsed.ok) return json<Result>({ ok: false, message: "Please correct the highlighted fields.", fields: parsed.fields, values }, { status: 400 });
  return handleFormAction(values as Record<string, string>, async () => {
    const thread = await createThread(user, parsed.data);
    return redirect(`/t/${thread.id}/${thread.slug}`);
  });
}

function SimilarThreads({ title }: { title: string }) {
  const similar = useFetcher<{ threads: { id: number; slug: string; title: string; kind: string; answered: boolean }[] }>();
  useEffect(() => {
    if (title.trim().length < 8) return;
    const t = setTimeout(() => similar.load(`/threads/similar?title=${encodeURIComponent(title)}`), 300);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load on title change only
  }, [title]);
  const threads = title.trim().length >= 8 ? (similar.data?.threads ?? []) : [];
  return (
    <div aria-live="polite">
      {threads.length > 0 ? (
        <div className="similar">
          <p className="similar__label">Already asked? These earlier threads look similar:</p>
          <ul>
            {threads.map((t) => (
              <li key={t.id}>
                <KindBadge kind={t.kind} />{" "}
                <Link to={`/t/${t.id}/${t.slug}`} target="_blank" rel="noopener">
                  {t.title}
                </Link>
                {t.answered ? <span className="status status--answered">Answered</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

export default function NewThread() {
  const { tags, staff, kind: initialKind } = useLoaderData<typeof loader>();
  const result = useActionData<Result>();
  const values = result?.values ?? {};
  const errors = result?.fields ?? {};
  const busy = useNavigation().state === "submitting";
  const [title, setTitle] = useState(String(values.title ?? ""));
  const [kind, setKind] = useState(String(values.kind ?? initialKind));
  const chosenTypes = new Set((values.libraryTypes as string[] | undefined) ?? []);
  const kinds = THREAD_KINDS.filter((k) => staff || !STAFF_ONLY_KINDS.includes(k));
  if (useSuspension()) {
    return (
      <div className="narrow-wide stack">
        <h1>Ask the community</h1>
        <SuspendedNote what="Starting threads" />
      </div>
    );
  }
  return (
    <div className="narrow-wide stack">
      <h1>Ask the community</h1>
      <Form method="post" className="form card" noValidate>
        <FormMessage message={result?.message} />
        <div className={errors.title ? "field field--invalid" : "field"}>
          <label htmlFor="title" className="field__label">
            Title <span className="field__required">(required)</span>
          </label>
          <input
            id="title"
            name="title"
            type="text"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            aria-invalid={errors.title ? true : undefined}
            aria-describedby={`title-hint title-counter${errors.title ? " title-error" : ""}`}
          />
          <p className="field__hint" id="title-hint">
            Say what you need in 8–150 characters, e.g. “How do you weed a biography section without a budget?”
          </p>
          <CharacterCount id="title" limit={150} length={title.length} />
          {errors.title ? (
            <p className="field__error" id="title-error" role="alert">
              {errors.title}
            </p>
          ) : null}
          <SimilarThreads title={title} />
        </div>

        <fieldset className={errors.kind ? "fieldset field--invalid" : "fieldset"}>
          <legend>Kind of thread</legend>
          {kinds.map((k) => (
            <div key={k} className="field field--checkbox">
              <input type="radio" id={`kind-${k}`} name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} aria-describedby={`kind-${k}-hint`} />
              <label htmlFor={`kind-${k}`}>{THREAD_KIND_LABELS[k]}</label>
              <p className="field__hint" id={`kind-${k}-hint`}>
                {THREAD_KIND_HINTS[k]}
              </p>
            </div>
          ))}
          {errors.kind ? (
            <p className="field__error" role="alert">
              {errors.kind}
            </p>
          ) : null}
        </fieldset>

        {kind === "job" ? (
          <>
            <TextField
              name="jobLocation"
              label="Where is the job?"
              required
              defaultValue={String(values.jobLocation ?? "")}
              error={errors.jobLocation}
              limit={150}
            />
            <TextField
              name="jobClosesOn"
              label="Applications close on"
              defaultValue={String(values.jobClosesOn ?? "")}
              error={errors.jobClosesOn}
              hint="A date like 2026-12-31 (optional)."
            />
          </>
        ) : null}
        {kind === "target" ? (
          <TextField
            name="hitExpectedBy"
            label="HIT expected by"
            defaultValue={String(values.hitExpectedBy ?? "")}
            error={errors.hitExpectedBy}
            hint="When you plan to share the summary (a date like 2026-12-31, optional). You'll get a reminder."
          />
        ) : null}

        <MarkdownEditor
          resourcePicker
          name="body"
          label="Your question or message"
          defaultValue={String(values.body ?? "")}
          error={errors.body}
          serverPreview={result?.preview}
          rows={10}
        />

        <TagPicker tags={tags} posted={(values.tagIds as string[] | undefined) ?? []} error={errors.tagIds} />

        <fieldset className="fieldset">
          <legend>Library types it concerns (optional)</legend>
          <div className="checkbox-grid">
            {LIBRARY_TYPES.map((lt) => (
              <div key={lt} className="field field--checkbox">
                <input type="checkbox" id={`lt-${lt}`} name="libraryTypes" value={lt} defaultChecked={chosenTypes.has(lt)} />
                <label htmlFor={`lt-${lt}`}>{LIBRARY_TYPE_LABELS[lt]}</label>
              </div>
            ))}
          </div>
        </fieldset>

        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            Post thread
          </button>
          <button type="submit" name="intent" value="preview" className="button button--secondary">
            Preview
          </button>
        </div>
      </Form>
    </div>
  );
}
