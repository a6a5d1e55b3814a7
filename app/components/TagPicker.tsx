// The ask form's tag field. The server renders checkboxes (what works without
// JavaScript): the competency areas in view, topics folded in a <details>, each
// synonym folded into its main tag's label. Once hydrated, a typeahead (the
// WAI-ARIA 1.2 combobox with a listbox) and chips for the chosen tags go above
// them; the checkboxes stay the form's fields, so both post the same names.
import { Link } from "@remix-run/react";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { matchTags } from "~/lib/tag-match";
import type { TagChoice } from "~/models/tag.server";

type Props = {
  tags: TagChoice[];
  /** Tag ids the form came back with (a synonym's id shows its main tag chosen). */
  posted: string[];
  error?: string;
  max?: number;
};

const also = (t: TagChoice) => (t.synonyms.length ? ` (also: ${t.synonyms.map((s) => s.name).join(", ")})` : "");
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The posted ids as main tag ids, once each, in the list's order. */
function chosenFrom(tags: TagChoice[], posted: string[]): number[] {
  const wanted = new Set(posted.map(Number));
  return tags.filter((t) => wanted.has(t.id) || t.synonyms.some((s) => wanted.has(s.id))).map((t) => t.id);
}

function TagCheckbox({ tag, checked, onToggle }: { tag: TagChoice; checked: boolean; onToggle: (id: number) => void }) {
  return (
    <div className="field field--checkbox">
      <input type="checkbox" id={`tag-${tag.id}`} name="tagIds" value={tag.id} checked={checked} onChange={() => onToggle(tag.id)} />
      <label htmlFor={`tag-${tag.id}`}>
        {tag.name}
        {tag.synonyms.length ? <span className="tag-picker__also">{also(tag)}</span> : null}
      </label>
    </div>
  );
}

export function TagPicker({ tags, posted, error, max = 5 }: Props) {
  const [chosen, setChosen] = useState<number[]>(() => chosenFrom(tags, posted));
  const [enhanced, setEnhanced] = useState(false);
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [announcement, setAnnouncement] = useState("");
  const rootRef = useRef<HTMLFieldSetElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const uid = useId().replace(/:/g, "");
  const listId = `${uid}-options`;
  const optionId = (id: number) => `${uid}-option-${id}`;

  // A form that came back (an error, a preview) brings its own choices.
  const postedKey = posted.join(",");
  useEffect(() => setChosen(chosenFrom(tags, posted)), [postedKey]); // eslint-disable-line react-hooks/exhaustive-deps -- posted changes with postedKey

  useEffect(() => {
    // Boxes ticked before the page's script ran count too.
    const ticked = [...(rootRef.current?.querySelectorAll<HTMLInputElement>('input[name="tagIds"]:checked') ?? [])].map((i) => Number(i.value));
    setChosen((now) => [...now, ...ticked.filter((id) => !now.includes(id))]);
    setEnhanced(true);
  }, []);

  const byId = new Map(tags.map((t) => [t.id, t]));
  const full = chosen.length >= max;
  // An empty field lists every tag (↓ to browse); a typed one, the best eight.
  const candidates = full ? [] : matchTags(tags, query, new Set(chosen), query.trim() ? 8 : tags.length);
  const matches = open ? candidates : [];
  const expanded = matches.length > 0;
  const activeTag = active >= 0 ? matches[active] : undefined;

  useEffect(() => {
    if (activeTag) document.getElementById(optionId(activeTag.id))?.scrollIntoView({ block: "nearest" });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- follow the active option only
  }, [activeTag?.id]);

  // What a screen reader hears as the list changes (the live region below).
  useEffect(() => {
    if (!open) return;
    if (full) setAnnouncement(`You have chosen ${max} tags, the most a thread takes. Remove one to choose another.`);
    else if (!query.trim()) setAnnouncement(`${plural(matches.length, "tag", "tags")} to choose from. Use the arrow keys to move through them.`);
    else if (matches.length) setAnnouncement(`${plural(matches.length, "tag matches", "tags match")}. Use the arrow keys to move through them.`);
    else setAnnouncement(`No tag matches “${query.trim()}”.`);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- announce when the list changes
  }, [open, query, full, matches.length]);

  const close = () => {
    setOpen(false);
    setActive(-1);
  };
  const toggle = (id: number) => setChosen((now) => (now.includes(id) ? now.filter((x) => x !== id) : [...now, id]));
  const pick = (tag: TagChoice) => {
    const count = chosen.length + 1;
    setChosen((now) => (now.includes(tag.id) ? now : [...now, tag.id]));
    setQuery("");
    close();
    setAnnouncement(`${tag.name} chosen. ${count} of ${max} tags chosen.`);
  };
  const remove = (id: number, refocus: boolean) => {
    setChosen((now) => now.filter((x) => x !== id));
    setAnnouncement(`${byId.get(id)?.name ?? "Tag"} removed. ${chosen.length - 1} of ${max} tags chosen.`);
    // The removed chip's button is gone: keep the keyboard in the field rather than at the top of the page.
    if (refocus) inputRef.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const count = candidates.length;
    switch (e.key) {
      case "ArrowDown":
        e.preventDefault();
        if (!open) {
          setOpen(true);
          setActive(e.altKey || full ? -1 : 0);
        } else if (count) setActive((a) => (a + 1) % count);
        break;
      case "ArrowUp":
        e.preventDefault();
        if (!open) {
          setOpen(true);
          setActive(full ? -1 : count - 1);
        } else if (count) setActive((a) => (a <= 0 ? count - 1 : a - 1));
        break;
      case "Enter":
        // Enter picks; it never posts the form from a half-typed tag.
        if (activeTag) {
          e.preventDefault();
          pick(activeTag);
        } else if (query.trim() || open) e.preventDefault();
        break;
      case "Escape":
        if (open) {
          e.preventDefault();
          close();
        } else if (query) {
          e.preventDefault();
          setQuery("");
        }
        break;
      case "Backspace":
        if (!query && chosen.length) {
          e.preventDefault();
          remove(chosen[chosen.length - 1], false);
        }
        break;
      case "Tab":
        close();
        break;
    }
  };

  const areas = tags.filter((t) => t.kind === "competency");
  const topics = tags.filter((t) => t.kind !== "competency");
  // Topics start open when the form came back with one chosen; after that the member opens and closes them.
  const topicPosted = topics.some((t) => chosenFrom(tags, posted).includes(t.id));
  const describedBy = ["tags-hint", error ? "tagIds-error" : null].filter(Boolean).join(" ");

  return (
    <fieldset ref={rootRef} className={error ? "fieldset tag-picker field--invalid" : "fieldset tag-picker"} aria-describedby={describedBy}>
      <legend>{`Tags (1 to ${max})`}</legend>
      <p className="field__hint" id="tags-hint">
        {enhanced ? "Type to find a tag, or tick it below." : "Tick a competency area; open Topics for the rest."} Missing one?{" "}
        <Link to="/tags/suggest">Suggest a tag</Link>.
      </p>
      {enhanced ? (
        <div className="field tag-picker__search">
          <label htmlFor={`${uid}-input`} className="field__label">
            Find a tag
          </label>
          {chosen.length ? (
            <ul className="tag-picker__chips" aria-label={`Chosen tags, ${chosen.length} of ${max}`}>
              {chosen.map((id) => (
                <li key={id} className="tag-chip">
                  {byId.get(id)?.name}
                  <button type="button" className="tag-chip__remove" onClick={() => remove(id, true)}>
                    <span aria-hidden="true">×</span>
                    <span className="visually-hidden">Remove {byId.get(id)?.name}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <div className="tag-picker__combo">
            <input
              ref={inputRef}
              id={`${uid}-input`}
              type="text"
              role="combobox"
              aria-autocomplete="list"
              aria-expanded={expanded}
              aria-controls={listId}
              aria-activedescendant={activeTag ? optionId(activeTag.id) : undefined}
              aria-describedby={`${uid}-keys`}
              autoComplete="off"
              spellCheck={false}
              value={query}
              placeholder={full ? `${max} tags chosen` : "e.g. weeding, MARC"}
              onChange={(e) => {
                setQuery(e.target.value);
                setOpen(e.target.value.trim() !== "");
                setActive(-1);
              }}
              onKeyDown={onKeyDown}
              onBlur={close}
            />
            <ul id={listId} role="listbox" aria-label="Matching tags" className="tag-picker__options" hidden={!expanded}>
              {matches.map((t, i) => (
                <li
                  key={t.id}
                  id={optionId(t.id)}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? "tag-option tag-option--active" : "tag-option"}
                  // Keep the focus in the field: a click picks without blurring it.
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => pick(t)}
                >
                  <span className="tag-option__name">{t.name}</span>
                  {t.synonyms.length ? <span className="tag-option__also">{also(t)}</span> : null}
                  {t.kind === "competency" || t.scopeNote ? (
                    <span className="tag-option__note">
                      {t.kind === "competency" ? "Competency area. " : ""}
                      {t.scopeNote}
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          </div>
          {open && (full || (query.trim() && matches.length === 0)) ? (
            <p className="field__hint tag-picker__none">{full ? `${max} tags chosen: remove one to choose another.` : `No tag matches “${query.trim()}”.`}</p>
          ) : null}
          <p className="field__hint" id={`${uid}-keys`}>
            ↓ ↑ move, Enter chooses, Esc closes, Backspace removes the last tag.
          </p>
          <p role="status" className="visually-hidden">
            {announcement}
          </p>
        </div>
      ) : null}
      <fieldset className="tag-picker__group">
        <legend>Competency areas</legend>
        <div className="checkbox-grid tag-picker__grid">
          {areas.map((t) => (
            <TagCheckbox key={t.id} tag={t} checked={chosen.includes(t.id)} onToggle={toggle} />
          ))}
        </div>
      </fieldset>
      {topics.length ? (
        <details className="tag-picker__topics" open={topicPosted || undefined}>
          <summary>{`Topics (${topics.length})`}</summary>
          <div className="checkbox-grid tag-picker__grid">
            {topics.map((t) => (
              <TagCheckbox key={t.id} tag={t} checked={chosen.includes(t.id)} onToggle={toggle} />
            ))}
          </div>
        </details>
      ) : null}
      {error ? (
        <p className="field__error" id="tagIds-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
