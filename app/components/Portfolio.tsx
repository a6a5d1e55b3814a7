// The certification portfolio's pieces: the entry form (works without
// JavaScript: the areas' hours are plain number boxes) and the progress
// picture (a bar per category with its figures in words beside it, so it
// reads without colour; the summary list says the same for screen readers).
import { FormMessage, SelectField, TextArea, TextField } from "~/components/Field";
import type { FieldErrors } from "~/lib/errors";
import { ACTIVITY_TYPES, activityTypeLabel, amountOf, describeAmount, format, UNITS, type Progress } from "~/lib/program";

type Area = { slug: string; name: string; scopeNote: string };
type Values = Record<string, unknown>;

const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** The entry form's fields in the order they are shown: the banner links to the ones at fault in this order. */
const ENTRY_FIELD_ORDER = ["type", "title", "provider", "startedOn", "endedOn", "quantity", "unit", "areas", "reflection"];

/**
 * The fields of an entry, filled from `values` (a draft, the entry, or what was typed before an error). The
 * competency areas are a grid: each area's box (its share of the hours, with the unit beside it) lines up with
 * the others at any width; when the split is wrong the fieldset and the boxes of the chosen areas are marked.
 */
export function EntryFields({ areas, values, errors, message }: { areas: Area[]; values: Values; errors: FieldErrors; message?: string }) {
  const v = (k: string) => str(values[k]);
  const chosen = new Set(Array.isArray(values.area) ? (values.area as string[]) : []);
  const inOrder = Object.fromEntries(Object.entries(errors).sort(([a], [b]) => (ENTRY_FIELD_ORDER.indexOf(a) >>> 0) - (ENTRY_FIELD_ORDER.indexOf(b) >>> 0)));
  return (
    <>
      <FormMessage message={message} fields={inOrder} />
      {v("source") ? <input type="hidden" name="source" value={v("source")} /> : null}
      <SelectField
        name="type"
        label="Kind of activity"
        required
        defaultValue={v("type")}
        error={errors.type}
        placeholder="Choose one"
        options={ACTIVITY_TYPES.map((t) => ({ value: t.value, label: t.label }))}
      />
      <TextField name="title" label="Title" required defaultValue={v("title")} error={errors.title} limit={200} />
      <TextField name="provider" label="Provider or organiser" defaultValue={v("provider")} error={errors.provider} limit={200} />
      <div className="field-row">
        <TextField name="startedOn" label="Start date" type="date" required defaultValue={v("startedOn")} error={errors.startedOn} />
        <TextField name="endedOn" label="End date" type="date" defaultValue={v("endedOn")} error={errors.endedOn} hint="Blank for a one-day activity." />
      </div>
      <div className="field-row">
        <TextField name="quantity" label="Amount" required defaultValue={v("quantity")} error={errors.quantity} inputMode="text" />
        <SelectField
          name="unit"
          label="Counted in"
          required
          defaultValue={v("unit") || "hours"}
          error={errors.unit}
          options={UNITS.map((u) => ({
            value: u.value,
            label: u.value === "hours" ? "contact hours" : `${u.label}${u.hours ? ` (${u.hours} hours each)` : ""}`,
          }))}
        />
      </div>
      {/* The banner's link lands here (id "areas"); the fieldset takes the focus so the legend and the message are read. */}
      <fieldset
        id="areas"
        tabIndex={-1}
        className={errors.areas ? "fieldset fieldset--invalid area-fieldset" : "fieldset area-fieldset"}
        aria-describedby={errors.areas ? "areas-error entry-areas-hint" : "entry-areas-hint"}
      >
        <legend>Competency areas it served</legend>
        <p className="field__hint" id="entry-areas-hint">
          Tick the LSSC areas it served. To split the hours, type each area&rsquo;s share (they must add up to the entry&rsquo;s hours); leave them blank to
          split evenly.
        </p>
        {errors.areas ? (
          <p className="field__error" id="areas-error" role="alert">
            {errors.areas}
          </p>
        ) : null}
        <div className="area-split">
          {areas.map((a) => {
            const hours = v(`hours-${a.slug}`);
            const marked = !!errors.areas && (chosen.has(a.slug) || hours !== "");
            return (
              <div key={a.slug} className="area-split__row">
                <input type="checkbox" id={`area-${a.slug}`} name="area" value={a.slug} defaultChecked={chosen.has(a.slug)} />
                <label htmlFor={`area-${a.slug}`} title={a.scopeNote} className="area-split__name">
                  {a.name}
                </label>
                <span className="area-split__amount">
                  <input
                    type="text"
                    inputMode="decimal"
                    id={`hours-${a.slug}`}
                    name={`hours-${a.slug}`}
                    defaultValue={hours}
                    className="area-split__hours"
                    aria-invalid={marked || undefined}
                    aria-describedby={marked ? "areas-error" : undefined}
                  />
                  {/* The unit is the box's visible label; screen readers hear whose share it is ("hours for Technology"). */}
                  <label htmlFor={`hours-${a.slug}`} className="area-split__unit">
                    hours<span className="visually-hidden"> for {a.name}</span>
                  </label>
                </span>
              </div>
            );
          })}
        </div>
      </fieldset>
      <TextArea
        name="reflection"
        label="Reflection or competency statement"
        rows={5}
        defaultValue={v("reflection")}
        error={errors.reflection}
        limit={5000}
        hint="What you learned or did, and which competencies it shows. Reviewers read this."
      />
    </>
  );
}

/** An entry's values as the form's fields (areas as ticks and hour boxes). */
export function entryFormValues(e: {
  type: string;
  title: string;
  provider: string;
  startedOn: string;
  endedOn: string;
  quantity: number | string;
  unit: string;
  reflection: string;
  areas: ({ slug: string; hours?: number } | string)[];
  source?: string;
}): Values {
  const values: Values = { ...e, quantity: String(e.quantity), area: e.areas.map((a) => (typeof a === "string" ? a : a.slug)) };
  // Hours per area only when split unevenly (an even split is what blank boxes mean).
  const hours = e.areas.filter((a): a is { slug: string; hours: number } => typeof a !== "string" && typeof a.hours === "number");
  if (hours.length > 1 && new Set(hours.map((a) => a.hours)).size > 1) for (const a of hours) values[`hours-${a.slug}`] = String(a.hours);
  return values;
}

export function AmountText({ quantity, unit }: { quantity: number; unit: string }) {
  return <>{describeAmount(quantity, unit)}</>;
}

export function EntryMeta({ e }: { e: { type: string; provider: string; startedOn: string; endedOn: string; quantity: number; unit: string } }) {
  return (
    <span className="muted">
      {activityTypeLabel(e.type)}
      {e.provider ? ` · ${e.provider}` : ""} · {e.startedOn === e.endedOn ? e.startedOn : `${e.startedOn} to ${e.endedOn}`} ·{" "}
      <AmountText quantity={e.quantity} unit={e.unit} />
    </span>
  );
}

/** One bar per category: filled to the minimum (or to the largest amount where there is none), with the figures in words. */
export function ProgressBars({ progress, headingId }: { progress: Progress; headingId: string }) {
  const unit = progress.measure === "hours" ? "hours" : "points";
  const scale = Math.max(1, ...progress.categories.map((c) => Math.max(c.minimum, c.amount)));
  return (
    <ul className="progress-bars" aria-labelledby={headingId}>
      {progress.categories.map((c) => {
        const goal = c.minimum > 0 ? c.minimum : scale;
        const filled = Math.min(100, Math.round((c.amount / goal) * 100));
        return (
          // Striped as met only against a minimum: a category with none is drawn to the largest amount, which is no goal reached.
          <li key={c.key} className={c.met && c.minimum > 0 ? "progress-bar progress-bar--met" : "progress-bar"}>
            <span className="progress-bar__label">
              {c.name}
              {c.required ? <span className="progress-bar__required"> (required)</span> : null}
            </span>
            <span className="progress-bar__track" aria-hidden="true">
              <span className="progress-bar__fill" style={{ width: `${filled}%` }} />
            </span>
            <span className="progress-bar__figures">
              {c.minimum > 0
                ? `${format(c.amount)} of ${format(c.minimum)} ${unit} — ${c.met ? "met ✓" : `${format(c.missing)} to go`}`
                : amountOf(c.amount, unit)}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/** A plain link: pages list hundreds of entries, and a router Link costs a route resolution each on the server. */
export function EntryLink({ e }: { e: { id: number; title: string } }) {
  return <a href={`/me/portfolio/entries/${e.id}`}>{e.title}</a>;
}

/**
 * A program's progress as a picture and in words: the bars, the same facts as a list (what screen readers and the
 * colour-blind read), and the window that was counted. The member's program page and a reviewer's link show it alike.
 */
export function ProgressPicture({
  progress,
  summary,
  windowYears,
  headingId,
  summaryId,
}: {
  progress: Progress;
  summary: string[];
  windowYears: number | null;
  /** The heading of the section the bars are in. */
  headingId: string;
  /** An id for the "In words" heading. */
  summaryId: string;
}) {
  return (
    <>
      <ProgressBars progress={progress} headingId={headingId} />
      <h3 id={summaryId}>In words</h3>
      <ul className="progress-summary" aria-labelledby={summaryId}>
        {summary.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {windowYears ? (
        <p className="muted">
          Counted: activities that ended from {progress.windowStart} to {progress.today} (the program&rsquo;s {windowYears}-year window).
        </p>
      ) : null}
    </>
  );
}
