// /admin/programs/<slug> — one certification program for admins. What admins
// change most (names, minimums, levels, window, renewal) is a form; the whole
// definition (areas, activity types, rules, sections, prerequisite) is a second
// form, as JSON. Both save through updateProgram, over the version the admin
// opened; retiring and bringing back are a button. The form's numbers are read
// here (a non-number is an error beside its field), then the definition is
// checked by its one schema and each problem shown where the admin typed it.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { ConfirmAction } from "~/components/Confirm";
import { CheckboxField, FormMessage, SelectField, TextArea, TextField } from "~/components/Field";
import type { FieldErrors } from "~/lib/errors";
import type { ProgramDefinition } from "~/lib/program";
import { ProgramDefinitionSchema, readDefinitionJson } from "~/lib/program-definition.server";
import { positiveId } from "~/lib/validation";
import { getProgram, listPrograms, setProgramRetired, updateProgram } from "~/models/program.server";
import { pageMeta } from "~/ui/meta";
import { requireRole } from "~/web/auth.server";
import { formFailure, handleFormAction, orErrorPage, readForm, type FormFailure } from "~/web/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta(`${data?.program.name ?? "Program"} — Admin — ParaNet`);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, ["admin"]);
  const program = await orErrorPage(() => getProgram(params.slug ?? ""));
  const followers = (await listPrograms({ includeRetired: true })).find((p) => p.id === program.id)?.followers ?? 0;
  return json({ program, followers, definitionJson: JSON.stringify(program.definition, null, 2) });
}

type Result = { ok: true; message: string } | FormFailure;

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireRole(request, ["admin"]);
  const current = await orErrorPage(() => getProgram(params.slug ?? ""));
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  // The version the admin opened (a save over a newer one is refused); none: the current one.
  const version = positiveId(form.get("version")) ?? undefined;
  const saved = (message: string) => json<Result>({ ok: true, message });
  const savedAs = (p: { version: number }) => saved(`Saved as version ${p.version}. Progress for everyone who follows it counts by it now.`);
  switch (intent) {
    case "details": {
      const read = detailsFrom(form, current.definition);
      const values = { ...read.values, intent };
      if (!read.ok) return formFailure(read.fields, values);
      return handleFormAction(values, async () => {
        return savedAs(await updateProgram(actor, current.slug, read.definition, version));
      });
    }
    case "json": {
      const values = { intent, definition: String(form.get("definition") ?? "") };
      const read = readDefinitionJson(values.definition);
      if (!read.ok) return formFailure({ definition: definitionProblems(read.fields) }, values);
      return handleFormAction(values, async () => {
        return savedAs(await updateProgram(actor, current.slug, read.definition, version));
      });
    }
    case "retire":
    case "restore":
      return handleFormAction({ intent }, async () => {
        await setProgramRetired(actor, current.slug, intent === "retire");
        return saved(intent === "retire" ? "Retired: members can no longer choose it; those who follow it keep it." : "Offered to members again.");
      });
    default:
      throw new Response("Unknown action.", { status: 400 });
  }
}

/** A definition's problems as one message beside the JSON, each named by the part of the definition it is in. */
const definitionProblems = (fields: FieldErrors) =>
  Object.entries(fields)
    .map(([key, message]) => (key === "definition" ? message : `${key}: ${message}`))
    .join("\n");

const AMOUNT = /^-?\d{1,9}(\.\d{1,4})?$/;
const WHOLE = /^-?\d{1,9}$/;
/** More rows than any program has levels: what a form may add at once. */
const MAX_LEVEL_ROWS = 100;

type Details = { ok: true; definition: ProgramDefinition; values: Record<string, string> } | { ok: false; fields: FieldErrors; values: Record<string, string> };

/**
 * The structured form over the program as it is: what the form leaves out stays
 * as saved. A blank number is none (the window, renewal) or 0; a level row left
 * blank, or marked for removal, is no level.
 */
function detailsFrom(form: FormData, current: ProgramDefinition): Details {
  const values: Record<string, string> = {};
  const fields: FieldErrors = {};
  /** The posted text (null: not in the form), kept for the re-rendered form. */
  const typed = (name: string, value: FormDataEntryValue | null): string | null => {
    if (value === null) return null;
    values[name] = String(value);
    return String(value);
  };
  /** A number field: the number, null when blank, undefined when absent or not a number (then an error beside it). */
  const number = (name: string, value: FormDataEntryValue | null, whole: boolean): number | null | undefined => {
    const text = typed(name, value)?.trim();
    if (text === undefined) return undefined;
    if (text === "") return null;
    if ((whole ? WHOLE : AMOUNT).test(text)) return Number(text);
    fields[name] = whole ? "Enter a whole number, e.g. 4." : "Enter a number in digits, e.g. 15 or 7.5.";
    return undefined;
  };
  const checkbox = (name: string, value: FormDataEntryValue | null) => {
    values[name] = value === "on" ? "on" : "";
    return value === "on";
  };

  const windowYears = number("windowYears", form.get("windowYears"), true);
  const electivesNeeded = number("electivesNeeded", form.get("electivesNeeded"), true);
  const categories = current.categories.map((c, i) => {
    const name = typed(`categoryName-${i}`, form.get(`categoryName-${i}`));
    const minimum = number(`categoryMinimum-${i}`, form.get(`categoryMinimum-${i}`), false);
    // An unticked box is not sent: a category's row is in the form when its name is.
    const required = name === null ? c.required : checkbox(`categoryRequired-${i}`, form.get(`categoryRequired-${i}`));
    return { ...c, name: name ?? c.name, minimum: minimum === undefined ? c.minimum : (minimum ?? 0), required };
  });

  const levels: { name: string; threshold: number }[] = [];
  const levelRows: number[] = [];
  let rows = 0;
  for (; rows < MAX_LEVEL_ROWS && form.get(`levelName-${rows}`) !== null; rows++) {
    const i = rows;
    const name = typed(`levelName-${i}`, form.get(`levelName-${i}`))!.trim();
    const threshold = number(`levelThreshold-${i}`, form.get(`levelThreshold-${i}`), false);
    if (checkbox(`levelRemove-${i}`, form.get(`levelRemove-${i}`)) || (name === "" && threshold === null)) continue;
    if (threshold === null) fields[`levelThreshold-${i}`] = "Give the level a threshold.";
    if (typeof threshold !== "number") continue;
    levels.push({ name, threshold });
    levelRows.push(i);
  }
  values.levelRows = String(rows);

  const renewalEvery = number("renewalEvery", form.get("renewalEvery"), true);
  const renewalAmount = number("renewalAmount", form.get("renewalAmount"), false);
  const renewalCategory = typed("renewalCategory", form.get("renewalCategory")) ?? "";
  const renewalMinimum = number("renewalMinimum", form.get("renewalMinimum"), false);
  let renewal = current.renewal;
  if (renewalEvery === null) {
    if (renewalAmount || renewalCategory) fields.renewalEvery ??= "Say how often renewal is due, or clear the renewal fields.";
    renewal = null;
  } else if (renewalEvery !== undefined) {
    renewal = {
      everyYears: renewalEvery,
      amount: renewalAmount ?? 0,
      minimumIn: renewalCategory ? { category: renewalCategory, amount: renewalMinimum ?? 0 } : null,
    };
  }

  const definition: ProgramDefinition = {
    ...current,
    name: typed("name", form.get("name")) ?? current.name,
    body: typed("body", form.get("body")) ?? current.body,
    url: typed("url", form.get("url")) ?? current.url,
    summary: typed("summary", form.get("summary")) ?? current.summary,
    checkWithProgram: typed("checkWithProgram", form.get("checkWithProgram")) ?? current.checkWithProgram,
    windowYears: windowYears === undefined ? current.windowYears : windowYears,
    electivesNeeded: electivesNeeded === undefined ? current.electivesNeeded : (electivesNeeded ?? 0),
    categories,
    levels: rows ? levels : current.levels,
    renewal,
  };
  if (Object.keys(fields).length) return { ok: false, fields, values };
  const placed = placeIssues(definition, levelRows);
  return Object.keys(placed).length ? { ok: false, fields: placed, values } : { ok: true, definition, values };
}

const CATEGORY_INPUTS: Record<string, string> = { name: "categoryName", minimum: "categoryMinimum" };
const LEVEL_INPUTS: Record<string, string> = { name: "levelName", threshold: "levelThreshold" };
const RENEWAL_INPUTS: Record<string, string> = { everyYears: "renewalEvery", amount: "renewalAmount", minimumIn: "renewalMinimum" };

/**
 * The definition's problems (its one schema) where the form shows them: beside
 * the input a problem is about, else on the part of the form it concerns
 * (`categories`, `levels`, `renewal`, as checkDefinition keys them).
 */
function placeIssues(definition: ProgramDefinition, levelRows: number[]): FieldErrors {
  const parsed = ProgramDefinitionSchema.safeParse(definition);
  const fields: FieldErrors = {};
  for (const { path, message } of parsed.success ? [] : parsed.error.issues) {
    const [part, index, leaf] = path;
    let at = String(part ?? "definition");
    if (part === "categories" && typeof index === "number" && CATEGORY_INPUTS[String(leaf)]) at = `${CATEGORY_INPUTS[String(leaf)]}-${index}`;
    else if (part === "levels" && typeof index === "number" && LEVEL_INPUTS[String(leaf)]) at = `${LEVEL_INPUTS[String(leaf)]}-${levelRows[index]}`;
    else if (part === "renewal" && RENEWAL_INPUTS[String(index)]) at = RENEWAL_INPUTS[String(index)];
    fields[at] ??= message;
  }
  return fields;
}

/** What the form shows, beside which its problems appear; a problem elsewhere (rules, sections…) is listed at its top. */
const SHOWN = new Set(["categories", "levels", "renewal", "name", "body", "url", "summary", "checkWithProgram", "windowYears", "electivesNeeded"]);

function Group({ name, legend, error, intro, children }: { name: string; legend: string; error?: string; intro?: ReactNode; children: ReactNode }) {
  // The id is the field's name: the banner's link to the problem lands here, and the fieldset takes the focus.
  return (
    <fieldset id={name} tabIndex={-1} className={error ? "fieldset fieldset--invalid" : "fieldset"} aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      {intro ? <p className="fieldset__intro">{intro}</p> : null}
      {error ? (
        <p className="field__error" id={`${name}-error`} role="alert">
          {error}
        </p>
      ) : null}
      {children}
    </fieldset>
  );
}

export default function EditProgram() {
  const { program, followers, definitionJson } = useLoaderData<typeof loader>();
  const result = useActionData<Result>();
  // "Saved" once the page shows what was saved (the forms start again from it), not while it reloads.
  const settled = useNavigation().state === "idle";
  const failure = result && !result.ok ? result : undefined;
  const details = failure?.values.intent === "details" ? failure : undefined;
  const asJson = failure?.values.intent === "json" ? failure : undefined;
  const def = program.definition;
  const unit = def.measure;
  /** What the admin typed (when the form came back), else what is saved. */
  const v = (name: string, saved: string | number | null | undefined) => details?.values[name] ?? (saved === null || saved === undefined ? "" : String(saved));
  const checked = (name: string, saved: boolean) => (details && name in details.values ? details.values[name] === "on" : saved);
  const error = (name: string) => details?.fields[name];
  const unshown = Object.entries(details?.fields ?? {}).filter(([key]) => !SHOWN.has(key) && !/-\d+$/.test(key) && !key.startsWith("renewal"));
  // The banner links to the problems the form shows (each has an element of its name); the others are listed under it.
  const linked = Object.fromEntries(Object.entries(details?.fields ?? {}).filter(([key]) => !unshown.some(([u]) => u === key)));
  const levelRows = Math.max(def.levels.length + 1, Number(details?.values.levelRows ?? 0));
  return (
    <div className="stack program-edit">
      <p>
        <Link to="/admin/programs">All programs</Link>
      </p>
      <div className="list-head">
        <div>
          <h2>{program.name}</h2>
          <p className="muted">
            Short name <code>{program.slug}</code> · version {program.version} · {followers} {followers === 1 ? "member follows" : "members follow"} it ·{" "}
            {program.retired ? "retired" : "offered to members"}
          </p>
        </div>
        <div className="actions">
          <a href={`/admin/programs/${program.slug}.json`} download className="button button--secondary">
            Download JSON
          </a>
          {program.retired ? (
            <Form method="post">
              <input type="hidden" name="intent" value="restore" />
              <button type="submit" className="button button--secondary">
                Bring back
              </button>
            </Form>
          ) : (
            <ConfirmAction
              look="button"
              label="Retire"
              question={`Members can no longer choose ${program.name}${
                followers === 0
                  ? " (nobody follows it now)"
                  : followers === 1
                    ? "; the member who follows it keeps it"
                    : `; the ${followers} members who follow it keep it`
              }. You can bring it back later.`}
              confirm="Yes, retire this program"
            >
              <input type="hidden" name="intent" value="retire" />
            </ConfirmAction>
          )}
        </div>
      </div>
      {def.checkWithProgram ? (
        <div className="notice notice--warning program-check" role="note" aria-label="Check with the program">
          <strong>Check with the program:</strong> {def.checkWithProgram}
        </div>
      ) : null}
      {result?.ok && settled ? (
        <p className="notice notice--success" role="status">
          {result.message}
        </p>
      ) : null}
      {failure && !details && !asJson ? <FormMessage message={failure.message} /> : null}

      <Form method="post" className="form card" noValidate key={`details-${program.version}`} aria-labelledby="details-heading">
        <h3 id="details-heading">The program</h3>
        <input type="hidden" name="intent" value="details" />
        <input type="hidden" name="version" value={program.version} />
        <FormMessage message={details?.message} fields={linked} />
        {unshown.length ? (
          <ul className="field__error program-unshown" role="alert">
            {unshown.map(([key, message]) => (
              <li key={key}>
                {key}: {message} (edit it as JSON, below)
              </li>
            ))}
          </ul>
        ) : null}
        <TextField name="name" label="Name" required limit={120} defaultValue={v("name", def.name)} error={error("name")} />
        <TextField name="body" label="Who runs it" limit={160} defaultValue={v("body", def.body)} error={error("body")} />
        <TextField name="url" label="The program's web address" type="url" defaultValue={v("url", def.url)} error={error("url")} />
        <TextArea name="summary" label="Summary" rows={5} limit={2000} defaultValue={v("summary", def.summary)} error={error("summary")} />
        <TextArea
          name="checkWithProgram"
          label="Check with the program"
          rows={3}
          limit={1000}
          defaultValue={v("checkWithProgram", def.checkWithProgram)}
          error={error("checkWithProgram")}
          hint="What is not known for sure (a placeholder number, a rule that changes): shown wherever members see this program's figures."
        />
        <div className="field-row">
          <TextField
            name="windowYears"
            label="Counts activity of the last … years"
            inputMode="numeric"
            defaultValue={v("windowYears", def.windowYears)}
            error={error("windowYears")}
            hint="Blank: all activity counts, however old."
          />
          <TextField
            name="electivesNeeded"
            label="Electives needed"
            inputMode="numeric"
            defaultValue={v("electivesNeeded", def.electivesNeeded)}
            error={error("electivesNeeded")}
            hint="Categories that are not required but must be met as well (LSSC: 3)."
          />
        </div>

        <Group name="categories" legend="Categories" error={error("categories")} intro={`A category is met when it reaches its minimum (in ${unit}; 0: none).`}>
          {def.categories.map((c, i) => (
            <fieldset key={c.key} className="fieldset fieldset--inner">
              <legend>
                {c.name} <span className="muted">({c.key})</span>
              </legend>
              <div className="field-row">
                <TextField name={`categoryName-${i}`} label="Name" defaultValue={v(`categoryName-${i}`, c.name)} error={error(`categoryName-${i}`)} />
                <TextField
                  name={`categoryMinimum-${i}`}
                  label={`Minimum (${unit})`}
                  defaultValue={v(`categoryMinimum-${i}`, c.minimum)}
                  error={error(`categoryMinimum-${i}`)}
                />
              </div>
              <CheckboxField name={`categoryRequired-${i}`} label="Required" defaultChecked={checked(`categoryRequired-${i}`, c.required)} />
            </fieldset>
          ))}
        </Group>

        <Group
          name="levels"
          legend="Levels"
          error={error("levels")}
          intro={`Lowest first, each needing more ${unit} than the one before. ${def.levels.length ? "" : "This program has none: it is complete or not."}`}
        >
          {Array.from({ length: levelRows }, (_, i) => {
            const saved = def.levels[i];
            return (
              <fieldset key={i} className="fieldset fieldset--inner">
                <legend>{saved ? `Level ${i + 1}: ${saved.name}` : "Add a level"}</legend>
                <div className="field-row">
                  <TextField name={`levelName-${i}`} label="Name" defaultValue={v(`levelName-${i}`, saved?.name)} error={error(`levelName-${i}`)} />
                  <TextField
                    name={`levelThreshold-${i}`}
                    label={`Threshold (${unit})`}
                    defaultValue={v(`levelThreshold-${i}`, saved?.threshold)}
                    error={error(`levelThreshold-${i}`)}
                  />
                </div>
                {saved ? <CheckboxField name={`levelRemove-${i}`} label="Remove this level" defaultChecked={checked(`levelRemove-${i}`, false)} /> : null}
              </fieldset>
            );
          })}
        </Group>

        <Group name="renewal" legend="Renewal" error={error("renewal")} intro="Leave “Every” blank when the program has no renewal.">
          <div className="field-row">
            <TextField
              name="renewalEvery"
              label="Every (years)"
              inputMode="numeric"
              defaultValue={v("renewalEvery", def.renewal?.everyYears)}
              error={error("renewalEvery")}
            />
            <TextField name="renewalAmount" label={`Amount (${unit})`} defaultValue={v("renewalAmount", def.renewal?.amount)} error={error("renewalAmount")} />
          </div>
          <div className="field-row">
            <SelectField
              name="renewalCategory"
              label="With a minimum in"
              placeholder="No category"
              options={def.categories.map((c) => ({ value: c.key, label: c.name }))}
              defaultValue={v("renewalCategory", def.renewal?.minimumIn?.category)}
            />
            <TextField
              name="renewalMinimum"
              label={`Minimum there (${unit})`}
              defaultValue={v("renewalMinimum", def.renewal?.minimumIn?.amount)}
              error={error("renewalMinimum")}
            />
          </div>
        </Group>
        <button type="submit" className="button">
          Save program
        </button>
      </Form>

      <Form method="post" className="form card program-json" noValidate key={`json-${program.version}`} aria-labelledby="json-heading">
        <h3 id="json-heading">Edit as JSON</h3>
        <input type="hidden" name="intent" value="json" />
        <input type="hidden" name="version" value={program.version} />
        <FormMessage message={asJson?.message} fields={asJson?.fields} />
        <p className="muted">
          The whole program, with what the form above leaves out: whether it counts hours or points, each category's competency areas and activity types, what
          each kind of activity is worth (rules), the portfolio's sections and the prerequisite. It is checked as the form is.
        </p>
        <TextArea
          name="definition"
          label="The program as JSON"
          rows={24}
          defaultValue={asJson?.values.definition ?? definitionJson}
          error={asJson?.fields.definition}
        />
        <button type="submit" className="button">
          Save JSON
        </button>
      </Form>
    </div>
  );
}
