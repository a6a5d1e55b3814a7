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
}: {
  name: string;
  label: string;
  defaultValue?: string;
  error?: string;
  rows?: number;
  serverPreview?: string | null;
}) {
  const [text, setText] = useState(defaultValue ?? "");
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
        id={id}
        name={name}
        rows={rows}
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
      />
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
