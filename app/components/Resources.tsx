// The clearinghouse's building blocks: the submission/edit form, a resource
// card for lists, and its facts line. The form keeps everything typed when it
// comes back with errors, like every form on the site.
import { Link } from "@remix-run/react";
import { LIBRARY_TYPE_LABELS, LIBRARY_TYPES, RESOURCE_COST_LABELS, RESOURCE_COSTS, RESOURCE_TYPE_LABELS, RESOURCE_TYPES, type LibraryType } from "~/lib/domain";
import type { FieldErrors } from "~/lib/errors";
import { ABSTRACT_MAX, ABSTRACT_MIN } from "~/lib/input";
import { FormMessage, SelectField, TextArea, TextField } from "./Field";
import { MarkdownEditor } from "./MarkdownEditor";
import { PostBody } from "./ThreadBits";

export const RESOURCE_LISTS = ["tagIds", "libraryTypes"];

type Tag = { id: number; name: string; kind: string; scopeNote?: string };

export function ResourceFields({
  tags,
  values,
  errors,
  message,
  curatorNote,
}: {
  tags: Tag[];
  values: Record<string, unknown>;
  errors: FieldErrors;
  message?: string;
  /** Shown to moderators editing an entry. */
  curatorNote?: boolean;
}) {
  const v = (name: string) => (values[name] === undefined || values[name] === null ? "" : String(values[name]));
  const chosenTags = new Set(((values.tagIds as unknown[] | undefined) ?? []).map(String));
  const chosenTypes = new Set(((values.libraryTypes as unknown[] | undefined) ?? []).map(String));
  const competencies = tags.filter((t) => t.kind === "competency");
  const others = tags.filter((t) => t.kind !== "competency");
  return (
    <>
      <FormMessage message={message} />
      <TextField
        name="title"
        label="Title"
        required
        defaultValue={v("title")}
        error={errors.title}
        maxLength={200}
        hint="Its real name, e.g. “Library Support Staff Certification (LSSC)”."
      />
      <TextField
        name="url"
        label="Web address"
        type="url"
        required
        defaultValue={v("url")}
        error={errors.url}
        hint="The page where people find it, starting with https://."
      />
      <MarkdownEditor name="abstract" label="Abstract" defaultValue={v("abstract")} error={errors.abstract} rows={6} />
      <p className="field__hint">
        {ABSTRACT_MIN}–{ABSTRACT_MAX.toLocaleString("en-US")} characters, in your own words: what it is, who it is for, what it covers, its format and cost.
      </p>
      <SelectField
        name="type"
        label="Type"
        required
        defaultValue={v("type")}
        error={errors.type}
        placeholder="Choose a type"
        options={RESOURCE_TYPES.map((t) => ({ value: t, label: RESOURCE_TYPE_LABELS[t] }))}
      />
      <fieldset className={errors.tagIds ? "fieldset field--invalid" : "fieldset"} aria-describedby="resource-tags-hint">
        <legend>Competency areas and tags</legend>
        <p className="field__hint" id="resource-tags-hint">
          At least one competency area (the LSSC areas it helps with); topic tags are optional.
        </p>
        <div className="checkbox-grid">
          {competencies.map((t) => (
            <div key={t.id} className="field field--checkbox">
              <input type="checkbox" id={`tag-${t.id}`} name="tagIds" value={t.id} defaultChecked={chosenTags.has(String(t.id))} />
              <label htmlFor={`tag-${t.id}`} title={t.scopeNote}>
                {t.name}
              </label>
            </div>
          ))}
        </div>
        {others.length ? (
          <details className="more-tags" open={others.some((t) => chosenTags.has(String(t.id)))}>
            <summary>Topic tags</summary>
            <div className="checkbox-grid">
              {others.map((t) => (
                <div key={t.id} className="field field--checkbox">
                  <input type="checkbox" id={`tag-${t.id}`} name="tagIds" value={t.id} defaultChecked={chosenTags.has(String(t.id))} />
                  <label htmlFor={`tag-${t.id}`}>{t.name}</label>
                </div>
              ))}
            </div>
          </details>
        ) : null}
        {errors.tagIds ? (
          <p className="field__error" role="alert">
            {errors.tagIds}
          </p>
        ) : null}
      </fieldset>
      <fieldset className="fieldset">
        <legend>Library types it serves (none chosen means all)</legend>
        <div className="checkbox-grid">
          {LIBRARY_TYPES.map((lt) => (
            <div key={lt} className="field field--checkbox">
              <input type="checkbox" id={`lt-${lt}`} name="libraryTypes" value={lt} defaultChecked={chosenTypes.has(lt)} />
              <label htmlFor={`lt-${lt}`}>{LIBRARY_TYPE_LABELS[lt]}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <div className="field-row">
        <TextField
          name="region"
          label="Region"
          defaultValue={v("region") || "national"}
          error={errors.region}
          maxLength={80}
          hint="“national”, or a state, province or region."
        />
        <SelectField
          name="cost"
          label="Cost"
          defaultValue={v("cost") || "free"}
          error={errors.cost}
          options={RESOURCE_COSTS.map((c) => ({ value: c, label: RESOURCE_COST_LABELS[c] }))}
        />
      </div>
      <TextField
        name="provider"
        label="Provider"
        defaultValue={v("provider")}
        error={errors.provider}
        maxLength={150}
        hint="Who offers it, e.g. “American Library Association”."
      />
      <div className="field-row">
        <TextField
          name="ceHours"
          label="Continuing-education hours"
          defaultValue={v("ceHours")}
          error={errors.ceHours}
          inputMode="text"
          hint="Where they apply, e.g. 1.5."
        />
        <TextField
          name="publishedOn"
          label="Date published"
          defaultValue={v("publishedOn")}
          error={errors.publishedOn}
          hint="A date like 2025-09-30 (optional)."
        />
      </div>
      {curatorNote ? (
        <TextArea
          name="curatorNote"
          label="Curator's note"
          defaultValue={v("curatorNote")}
          rows={2}
          limit={500}
          hint="Shown on the entry, e.g. “Updated yearly; check the current fee.”"
        />
      ) : null}
    </>
  );
}

type Card = {
  id: number;
  title: string;
  url: string;
  /** The whole abstract (entry-sized cards) … */
  abstractHtml?: string;
  /** … or its first words as plain text (long lists). */
  abstractExcerpt?: string;
  type: keyof typeof RESOURCE_TYPE_LABELS;
  cost: keyof typeof RESOURCE_COST_LABELS;
  provider: string;
  region: string;
  ceHours: number | null;
  featured: boolean;
  citationCount: number;
  libraryTypes: LibraryType[];
  competencies: { slug: string; name: string }[];
  tags: { slug: string; name: string }[];
};

/** One line of facts: type, provider, cost, region, CE hours. */
export function ResourceFacts({ r }: { r: Pick<Card, "type" | "provider" | "cost" | "region" | "ceHours" | "libraryTypes"> }) {
  const facts = [
    RESOURCE_TYPE_LABELS[r.type],
    r.provider,
    RESOURCE_COST_LABELS[r.cost],
    r.region === "national" ? "National" : r.region,
    r.ceHours ? `${r.ceHours} CE ${r.ceHours === 1 ? "hour" : "hours"}` : "",
    r.libraryTypes.length ? r.libraryTypes.map((t) => LIBRARY_TYPE_LABELS[t]).join(", ") : "",
  ].filter(Boolean);
  return <p className="resource__facts">{facts.join(" · ")}</p>;
}

export function ResourceCard({ r, headingLevel = 3 }: { r: Card; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <article className={`resource card${r.featured ? " resource--featured" : ""}`} aria-labelledby={`resource-${r.id}-title`}>
      {r.featured ? <p className="badge badge--featured">Featured</p> : null}
      <Heading className="resource__title" id={`resource-${r.id}-title`}>
        <Link to={`/resources/${r.id}`}>{r.title}</Link>
      </Heading>
      <ResourceFacts r={r} />
      {r.abstractExcerpt !== undefined ? <p className="resource__excerpt">{r.abstractExcerpt}</p> : <PostBody html={r.abstractHtml ?? ""} />}
      <p className="resource__tags">
        {r.competencies.map((c) => (
          <Link key={c.slug} to={`/competencies/${c.slug}`} className="tag tag--competency">
            {c.name}
          </Link>
        ))}
        {r.tags.map((t) => (
          <Link key={t.slug} to={`/resources?tag=${t.slug}`} className="tag">
            {t.name}
          </Link>
        ))}
        {r.citationCount ? (
          <span className="muted">
            {" "}
            Cited in {r.citationCount} {r.citationCount === 1 ? "thread" : "threads"}
          </span>
        ) : null}
      </p>
    </article>
  );
}

/** A resource's values as the form expects them (for editing). */
export function formValuesOf(r: {
  title: string;
  url: string;
  abstractSource: string | null;
  type: string;
  region: string;
  cost: string;
  provider: string;
  ceHours: number | null;
  publishedOn: string | Date | null;
  curatorNote: string;
  libraryTypes: string[];
  tagIds: number[];
}): Record<string, unknown> {
  return {
    ...r,
    abstract: r.abstractSource ?? "",
    ceHours: r.ceHours ?? "",
    publishedOn: r.publishedOn ? new Date(r.publishedOn).toISOString().slice(0, 10) : "",
  };
}
