// From a HIT, its author sends the links they compiled to the clearinghouse
// in one step: each chosen link becomes a pending suggestion for moderators.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormMessage } from "~/components/Field";
import { requireUser } from "~/web/auth.server";
import { RESOURCE_COST_LABELS, RESOURCE_COSTS, RESOURCE_TYPE_LABELS, RESOURCE_TYPES } from "~/lib/domain";
import type { FieldErrors } from "~/lib/errors";
import { handleFormAction, idOr404, orErrorPage, readForm } from "~/web/http.server";
import { parseInput, ResourceSchema, ABSTRACT_MIN } from "~/lib/validation";
import { linksInHit, submitResource } from "~/models/resource.server";
import { listCompetencyAreas } from "~/models/tag.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Send a HIT's links to the clearinghouse — ParaNet");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const hit = await orErrorPage(() => linksInHit(user, idOr404(params.id)));
  return json({ ...hit, areas: await listCompetencyAreas() });
}

type Failure = { message: string; fields: FieldErrors; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const id = idOr404(params.id);
  const user = await requireUser(request);
  const hit = await orErrorPage(() => linksInHit(user, id));
  const form = await readForm(request);
  const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const tagIds = form.getAll("tagIds").map(String);
  values.tagIds = tagIds.join(",");
  const chosen = hit.links.map((l, i) => ({ link: l, i })).filter(({ link, i }) => !link.existing && form.get(`send-${i}`) === "on");
  if (!chosen.length) return json<Failure>({ message: "Choose at least one link to send.", fields: {}, values }, { status: 400 });
  const fields: FieldErrors = {};
  const inputs = chosen.map(({ link, i }) => {
    const parsed = parseInput(ResourceSchema, {
      title: values[`title-${i}`],
      url: link.url,
      abstract: values[`abstract-${i}`],
      type: values[`type-${i}`],
      tagIds,
      region: values[`region-${i}`],
      cost: values[`cost-${i}`],
    });
    if (!parsed.ok) for (const [name, message] of Object.entries(parsed.fields)) fields[name === "tagIds" ? "tagIds" : `${name}-${i}`] = message;
    return parsed;
  });
  if (Object.keys(fields).length) return json<Failure>({ message: "Please correct the highlighted fields.", fields, values }, { status: 400 });
  return handleFormAction(values, async () => {
    let sent = 0;
    for (const parsed of inputs) if (parsed.ok && !("duplicate" in (await submitResource(user, parsed.data)))) sent++;
    return redirect(`/resources/new?sent=${sent}#my-submissions`);
  });
}

export default function SendHitLinks() {
  const { thread, links, competencyIds, areas } = useLoaderData<typeof loader>();
  const failure = useActionData<Failure>();
  const busy = useNavigation().state === "submitting";
  const values = failure?.values;
  const chosenAreas = new Set(values ? (values.tagIds ?? "").split(",") : competencyIds.map(String));
  const fresh = links.map((l, i) => ({ l, i })).filter(({ l }) => !l.existing);
  return (
    <div className="narrow-wide stack">
      <p className="muted">
        <Link to={`/t/${thread.id}/${thread.slug}`}>{thread.title}</Link>
      </p>
      <h1>Send this HIT's links to the clearinghouse</h1>
      <p>Each link you choose becomes a suggestion a moderator reviews. Describe each one for colleagues (at least {ABSTRACT_MIN} characters).</p>
      {links.some((l) => l.existing) ? (
        <ul className="plain-list">
          {links
            .filter((l) => l.existing)
            .map((l) => (
              <li key={l.url} className="muted">
                Already {l.existing!.status === "approved" ? "in the clearinghouse" : "suggested"}:{" "}
                {l.existing!.status === "approved" ? <Link to={`/resources/${l.existing!.id}`}>{l.existing!.title}</Link> : (l.existing!.title ?? l.url)}
              </li>
            ))}
        </ul>
      ) : null}
      {fresh.length === 0 ? (
        <p className="card empty">
          {links.length ? "Every link in this HIT is already in the clearinghouse or waiting for a moderator." : "This HIT has no links."}
        </p>
      ) : (
        <Form method="post" className="form card" noValidate>
          <FormMessage message={failure?.message} />
          {fresh.map(({ l, i }) => {
            const err = (name: string) => failure?.fields[`${name}-${i}`];
            const v = (name: string, fallback: string) => values?.[`${name}-${i}`] ?? fallback;
            const abstract = l.context.length >= ABSTRACT_MIN ? l.context : `${l.context} (Compiled in the HIT “${thread.title}”.)`.trim();
            return (
              <fieldset key={l.url} className="fieldset">
                <legend>
                  <a href={l.url} rel="noopener noreferrer nofollow">
                    {l.url}
                  </a>
                </legend>
                <div className="field field--checkbox">
                  <input type="checkbox" id={`send-${i}`} name={`send-${i}`} defaultChecked={values ? values[`send-${i}`] === "on" : true} />
                  <label htmlFor={`send-${i}`}>Send this link</label>
                </div>
                <div className={err("title") ? "field field--invalid" : "field"}>
                  <label htmlFor={`title-${i}`} className="field__label">
                    Title
                  </label>
                  <input
                    type="text"
                    id={`title-${i}`}
                    name={`title-${i}`}
                    defaultValue={v("title", l.text)}
                    maxLength={200}
                    aria-invalid={err("title") ? true : undefined}
                  />
                  {err("title") ? (
                    <p className="field__error" role="alert">
                      {err("title")}
                    </p>
                  ) : null}
                </div>
                <div className={err("abstract") ? "field field--invalid" : "field"}>
                  <label htmlFor={`abstract-${i}`} className="field__label">
                    Abstract
                  </label>
                  <textarea
                    id={`abstract-${i}`}
                    name={`abstract-${i}`}
                    rows={3}
                    defaultValue={v("abstract", abstract)}
                    aria-invalid={err("abstract") ? true : undefined}
                  />
                  {err("abstract") ? (
                    <p className="field__error" role="alert">
                      {err("abstract")}
                    </p>
                  ) : null}
                </div>
                <div className="field-row">
                  <div className="field">
                    <label htmlFor={`type-${i}`} className="field__label">
                      Type
                    </label>
                    <select id={`type-${i}`} name={`type-${i}`} defaultValue={v("type", "article")}>
                      {RESOURCE_TYPES.map((t) => (
                        <option key={t} value={t}>
                          {RESOURCE_TYPE_LABELS[t]}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor={`cost-${i}`} className="field__label">
                      Cost
                    </label>
                    <select id={`cost-${i}`} name={`cost-${i}`} defaultValue={v("cost", "free")}>
                      {RESOURCE_COSTS.map((c) => (
                        <option key={c} value={c}>
                          {RESOURCE_COST_LABELS[c]}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className={err("region") ? "field field--invalid" : "field"}>
                    <label htmlFor={`region-${i}`} className="field__label">
                      Region
                    </label>
                    <input type="text" id={`region-${i}`} name={`region-${i}`} defaultValue={v("region", "national")} maxLength={80} />
                  </div>
                </div>
              </fieldset>
            );
          })}
          <fieldset className={failure?.fields.tagIds ? "fieldset field--invalid" : "fieldset"}>
            <legend>Competency areas (for all of them)</legend>
            <div className="checkbox-grid">
              {areas.map((a) => (
                <div key={a.id} className="field field--checkbox">
                  <input type="checkbox" id={`area-${a.id}`} name="tagIds" value={a.id} defaultChecked={chosenAreas.has(String(a.id))} />
                  <label htmlFor={`area-${a.id}`}>{a.name}</label>
                </div>
              ))}
            </div>
            {failure?.fields.tagIds ? (
              <p className="field__error" role="alert">
                {failure.fields.tagIds}
              </p>
            ) : null}
          </fieldset>
          <button type="submit" className="button" disabled={busy}>
            Send for review
          </button>
        </Form>
      )}
    </div>
  );
}
