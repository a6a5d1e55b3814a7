// Moderators and admins curate tags: create, rename, describe (scope notes),
// declare synonyms, merge and delete topic tags, and accept or decline
// members' suggestions.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage, TextField } from "~/components/Field";
import { requireRole } from "~/web/auth.server";
import type { FieldErrors } from "~/lib/errors";
import { handleFormAction, readForm } from "~/web/http.server";
import { positiveId } from "~/lib/validation";
import { createTag, decideTagSuggestion, deleteTag, listTagSuggestions, listTagsWithCounts, mergeTags, setTagSynonym, updateTag } from "~/models/tag.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Tags — ParaNet");

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, ["admin", "moderator"]);
  const [tags, suggestions] = await Promise.all([listTagsWithCounts(), listTagSuggestions(actor)]);
  return json({ tags, suggestions });
}

type Result = { ok: true; message: string; at: number } | { ok: false; message: string; fields: FieldErrors; values: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["admin", "moderator"]);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const values = { name: String(form.get("name") ?? ""), scopeNote: String(form.get("scopeNote") ?? ""), intent };
  const id = positiveId(form.get("id")) ?? 0; // 0 matches no tag: the model answers 404
  const done = (message: string) => json<Result>({ ok: true, message, at: Date.now() });
  return handleFormAction(values, async () => {
    switch (intent) {
      case "create":
        await createTag(actor, values);
        return done(`Tag “${values.name.trim()}” created.`);
      case "update":
        await updateTag(actor, id, values);
        return done("Tag saved.");
      case "delete":
        await deleteTag(actor, id);
        return done("Tag deleted.");
      case "synonym":
        await setTagSynonym(actor, id, positiveId(form.get("otherId")) ?? -1);
        return done("Synonym saved: filters now treat the two as one.");
      case "unsynonym":
        await setTagSynonym(actor, id, null);
        return done("The tag stands on its own again.");
      case "merge":
        await mergeTags(actor, id, positiveId(form.get("otherId")) ?? -1);
        return done("Tags merged.");
      case "accept":
      case "decline":
        await decideTagSuggestion(actor, id, intent === "accept");
        return done(intent === "accept" ? "Suggestion accepted: the tag exists now." : "Suggestion declined.");
      default:
        throw new Response("Unknown action.", { status: 400 });
    }
  });
}

export default function AdminTags() {
  const { tags, suggestions } = useLoaderData<typeof loader>();
  const result = useActionData<Result>();
  const failure = result && !result.ok ? result : undefined;
  return (
    <div className="stack">
      {result?.ok ? (
        <div className="notice notice--success" role="status">
          {result.message}
        </div>
      ) : (
        <FormMessage message={failure?.message} />
      )}
      <section aria-labelledby="suggestions-heading" className="stack">
        <h2 id="suggestions-heading">Suggestions from members</h2>
        {suggestions.length === 0 ? (
          <p className="muted">No suggestions waiting.</p>
        ) : (
          <ul className="token-list">
            {suggestions.map((s) => (
              <li key={s.id}>
                <span>
                  <strong>{s.name}</strong> {s.scopeNote ? <span className="muted">— {s.scopeNote}</span> : null}{" "}
                  <span className="muted">(from @{s.suggestedBy.handle})</span>
                </span>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="id" value={s.id} />
                  <button type="submit" name="intent" value="accept" className="button button--small">
                    Accept<span className="visually-hidden"> {s.name}</span>
                  </button>
                  <button type="submit" name="intent" value="decline" className="link-button">
                    Decline<span className="visually-hidden"> {s.name}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="new-tag-heading" className="stack">
        <h2 id="new-tag-heading">New tag</h2>
        <Form method="post" className="form card narrow" noValidate key={result?.ok ? result.at : "new"}>
          <input type="hidden" name="intent" value="create" />
          <TextField
            name="name"
            label="Name"
            required
            maxLength={60}
            defaultValue={failure?.values.intent === "create" ? failure.values.name : undefined}
            error={failure?.values.intent === "create" ? failure.fields.name : undefined}
          />
          <TextField
            name="scopeNote"
            label="Scope note (what belongs under it)"
            maxLength={500}
            defaultValue={failure?.values.intent === "create" ? failure.values.scopeNote : undefined}
            error={failure?.values.intent === "create" ? failure.fields.scopeNote : undefined}
          />
          <button type="submit" className="button">
            Create tag
          </button>
        </Form>
      </section>

      <section aria-labelledby="tags-heading" className="stack">
        <h2 id="tags-heading">All tags</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Tag</th>
                <th scope="col">Name and scope note</th>
                <th scope="col" className="hide-narrow">
                  Threads
                </th>
                <th scope="col" className="hide-narrow">
                  Resources
                </th>
                <th scope="col" className="hide-narrow">
                  Followers
                </th>
              </tr>
            </thead>
            <tbody>
              {tags.map((t) => (
                <tr key={t.id}>
                  <td className="admin-tag-name">
                    <Link to={`/tags/${t.slug}`}>{t.name}</Link>
                    {t.kind === "competency" ? (
                      <>
                        <br />
                        <span className="muted">Competency area</span>
                      </>
                    ) : null}
                  </td>
                  <td>
                    <Form method="post" className="inline-form" key={`${t.id}:${t.name}:${t.scopeNote}`}>
                      <input type="hidden" name="id" value={t.id} />
                      <label className="visually-hidden" htmlFor={`name-${t.id}`}>
                        Name of {t.name}
                      </label>
                      <input
                        id={`name-${t.id}`}
                        name="name"
                        defaultValue={t.name}
                        readOnly={t.kind === "competency"}
                        maxLength={60}
                        title={t.kind === "competency" ? "Competency area names are fixed" : undefined}
                      />
                      <label className="visually-hidden" htmlFor={`scope-${t.id}`}>
                        Scope note of {t.name}
                      </label>
                      <input id={`scope-${t.id}`} name="scopeNote" defaultValue={t.scopeNote} maxLength={500} size={40} />
                      <button type="submit" name="intent" value="update" className="button button--small button--secondary">
                        Save<span className="visually-hidden"> {t.name}</span>
                      </button>
                      {t.kind === "competency" ? null : (
                        <button type="submit" name="intent" value="delete" className="link-button">
                          Delete<span className="visually-hidden"> {t.name}</span>
                        </button>
                      )}
                    </Form>
                    {t.synonymOf ? (
                      <Form method="post" className="inline-form tag-vocabulary">
                        <input type="hidden" name="id" value={t.id} />
                        <span className="muted">Synonym of {t.synonymOf.name}.</span>
                        <button type="submit" name="intent" value="unsynonym" className="link-button">
                          Make it a tag of its own<span className="visually-hidden">: {t.name}</span>
                        </button>
                      </Form>
                    ) : t.kind === "competency" ? null : (
                      <Form method="post" className="inline-form tag-vocabulary">
                        <input type="hidden" name="id" value={t.id} />
                        <label htmlFor={`other-${t.id}`}>Another tag for {t.name}</label>
                        <select id={`other-${t.id}`} name="otherId" defaultValue="">
                          <option value="">Choose…</option>
                          {tags
                            .filter((o) => o.id !== t.id && !o.synonymOf)
                            .map((o) => (
                              <option key={o.id} value={o.id}>
                                {o.name}
                              </option>
                            ))}
                        </select>
                        <button type="submit" name="intent" value="synonym" className="button button--small button--secondary">
                          Is a synonym of it
                        </button>
                        <button type="submit" name="intent" value="merge" className="button button--small button--secondary">
                          Merge into it
                        </button>
                      </Form>
                    )}
                  </td>
                  <td className="hide-narrow">{t.threadCount}</td>
                  <td className="hide-narrow">{t.resourceCount}</td>
                  <td className="hide-narrow">{t.followerCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
