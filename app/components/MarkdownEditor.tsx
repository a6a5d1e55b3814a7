// A Markdown textarea with a live preview rendered by the server's own
// pipeline (so the preview is exactly what will be saved). Without JavaScript
// the form's "Preview" button does the same with a round trip.
import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";

export function MarkdownEditor({
  name,
  label,
  defaultValue,
  error,
  rows = 8,
  serverPreview,
  resourcePicker = false,
}: {
  name: string;
  label: string;
  defaultValue?: string;
  error?: string;
  rows?: number;
  serverPreview?: string | null;
  /** Offer a search of the clearinghouse that inserts a resource's address (which the post then shows as a card). */
  resourcePicker?: boolean;
}) {
  const [text, setText] = useState(defaultValue ?? "");
  const area = useRef<HTMLTextAreaElement>(null);
  const insert = (snippet: string) => {
    const at = area.current?.selectionStart ?? text.length;
    const before = text.slice(0, at);
    const addition = `${before && !before.endsWith("\n") ? "\n" : ""}${snippet}\n`;
    setText(before + addition + text.slice(at));
    area.current?.focus();
  };
  const preview = useFetcher<{ html: string }>();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const id = `${name}-editor`;

  useEffect(() => {
    clearTimeout(timer.current);
    if (!text.trim()) return;
    timer.current = setTimeout(() => preview.submit({ body: text }, { method: "post", action: "/markdown-preview" }), 400);
    return () => clearTimeout(timer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- submit on text change only
  }, [text]);

  const html = text.trim() ? (preview.data?.html ?? serverPreview ?? "") : "";
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <textarea
        ref={area}
        id={id}
        name={name}
        rows={rows}
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
      />
      {resourcePicker ? <ResourcePicker onPick={insert} /> : null}
      <p className="field__hint" id={`${id}-hint`}>
        Markdown: **bold**, *italic*, [a link](https://…), lists with -, &gt; quotes, @handle to mention someone.
      </p>
      {error ? (
        <p className="field__error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
      {html ? (
        <section className="preview" aria-label="Preview">
          <p className="preview__label">Preview</p>
          <div className="post-body" dangerouslySetInnerHTML={{ __html: html }} />
        </section>
      ) : null}
    </div>
  );
}

type Suggestion = { id: number; title: string; url: string; provider: string };

/** Search-as-you-type over approved clearinghouse entries; choosing one inserts its address. Needs JavaScript, so it appears only once hydrated. */
function ResourcePicker({ onPick }: { onPick: (url: string) => void }) {
  const [hydrated, setHydrated] = useState(false);
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const found = useFetcher<{ resources: Suggestion[] }>();
  useEffect(() => setHydrated(true), []);
  useEffect(() => {
    if (q.trim().length < 2) return;
    const t = setTimeout(() => found.load(`/resources/suggest?q=${encodeURIComponent(q.trim())}`), 250);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load on query change only
  }, [q]);
  if (!hydrated) return null;
  const results = q.trim().length >= 2 ? (found.data?.resources ?? []) : [];
  return (
    <div className="resource-picker">
      <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        Cite a clearinghouse resource
      </button>
      {open ? (
        <div className="resource-picker__panel">
          <label htmlFor="resource-picker-q">Find a resource</label>
          <input
            id="resource-picker-q"
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onKeyDown={(e) => e.key === "Enter" && e.preventDefault()}
            placeholder="e.g. LSSC, weeding, WebJunction"
            autoComplete="off"
          />
          <ul aria-live="polite" className="plain-list">
            {results.map((r) => (
              <li key={r.id}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    onPick(r.url);
                    setOpen(false);
                    setQ("");
                  }}
                >
                  Insert “{r.title}”
                </button>
                {r.provider ? <span className="muted"> · {r.provider}</span> : null}
              </li>
            ))}
            {q.trim().length >= 2 && found.state === "idle" && found.data && results.length === 0 ? (
              <li className="muted">No approved resource matches.</li>
            ) : null}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
