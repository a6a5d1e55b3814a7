// /admin/programs — the certification programs (issue 19) for admins: each
// with its followers, version and state, a link to edit it and its JSON, and
// a form to import one from JSON (pasted: ParaNet takes no uploads here).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage, TextArea, TextField } from "~/components/Field";
import { readDefinitionJson } from "~/lib/program-definition.server";
import { createProgram, listPrograms } from "~/models/program.server";
import { pageMeta } from "~/ui/meta";
import { requireRole } from "~/web/auth.server";
import { formFailure, handleFormAction, readForm, type FormFailure } from "~/web/http.server";

export const meta: MetaFunction = () => pageMeta("Certification programs — Admin — ParaNet");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  return json({ programs: await listPrograms({ includeRetired: true }) });
}

type Result = { ok: true; message: string; slug: string } | FormFailure;

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["admin"]);
  const form = await readForm(request);
  const values = { slug: String(form.get("slug") ?? ""), definition: String(form.get("definition") ?? "") };
  const read = readDefinitionJson(values.definition);
  if (!read.ok) return formFailure({ definition: definitionProblems(read.fields) }, values);
  // Without a short name of its own, the one in the file (an export carries it).
  const inFile = (JSON.parse(values.definition) as { slug?: unknown }).slug;
  const slug = values.slug.trim() || (typeof inFile === "string" ? inFile : "");
  return handleFormAction(values, async () => {
    const program = await createProgram(actor, slug, read.definition);
    return json<Result>({ ok: true, message: `Imported “${program.name}” as ${program.slug}.`, slug: program.slug });
  });
}

/** A definition's problems as one message beside the JSON, each named by the part of the definition it is in. */
const definitionProblems = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([key, message]) => (key === "definition" ? message : `${key}: ${message}`))
    .join("\n");

export default function AdminPrograms() {
  const { programs } = useLoaderData<typeof loader>();
  const result = useActionData<Result>();
  const failure = result && !result.ok ? result : undefined;
  return (
    <div className="stack">
      <section aria-labelledby="programs-heading" className="stack">
        <h2 id="programs-heading">Certification programs</h2>
        <p className="muted">
          Members follow these programs in their portfolio and see their progress by each one's rules. An edit counts at once for everyone who follows the
          program; a retired program takes no new followers, and those who follow it keep it.
        </p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Program</th>
                <th scope="col">Short name</th>
                <th scope="col" className="hide-narrow">
                  Followers
                </th>
                <th scope="col" className="hide-narrow">
                  Version
                </th>
                <th scope="col">State</th>
                <th scope="col">JSON</th>
              </tr>
            </thead>
            <tbody>
              {programs.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/admin/programs/${p.slug}`}>{p.name}</Link>
                  </td>
                  <td>
                    <code>{p.slug}</code>
                  </td>
                  <td className="hide-narrow">{p.followers}</td>
                  <td className="hide-narrow">{p.version}</td>
                  <td>{p.retired ? "Retired" : "Offered"}</td>
                  <td>
                    <a href={`/admin/programs/${p.slug}.json`} download>
                      Download<span className="visually-hidden"> {p.name} as</span> JSON
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="import-heading" className="stack">
        <h2 id="import-heading">Import a program</h2>
        {result?.ok ? (
          <p className="notice notice--success" role="status">
            {result.message} <Link to={`/admin/programs/${result.slug}`}>Open it</Link>
          </p>
        ) : null}
        <Form method="post" className="form card program-import" noValidate key={result?.ok ? result.slug : "import"}>
          <FormMessage message={failure?.message} fields={failure?.fields} />
          <p className="muted">
            Paste a program's JSON: one downloaded here or from another ParaNet, or written by hand. It is checked as every edit is (no negative numbers, levels
            that do not overlap, categories named once) before it is added.
          </p>
          <TextField
            name="slug"
            label="Short name"
            maxLength={41}
            defaultValue={failure?.values.slug}
            error={failure?.fields.slug}
            hint="Used in addresses, e.g. “para-ma”: lower-case letters, digits and dashes. Leave it blank to use the one in the JSON."
          />
          <TextArea name="definition" label="Program JSON" rows={12} defaultValue={failure?.values.definition} error={failure?.fields.definition} />
          <button type="submit" className="button">
            Import program
          </button>
        </Form>
      </section>
    </div>
  );
}
