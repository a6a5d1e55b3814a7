// A Markdown textarea with a formatting toolbar and a live preview rendered
// by the server's own pipeline (so the preview is exactly what will be
// saved). Without JavaScript there is no toolbar (Markdown is typed as
// before) and the form's "Preview" button does the preview with a round trip.
import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from "react";
import { CharacterCount } from "~/components/Field";
import { MAX_POST_LENGTH } from "~/lib/input";

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
  const nearLimit = text.length > MAX_POST_LENGTH * 0.9;

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
      <FormattingToolbar area={area} editorId={id} />
      <textarea
        ref={area}
        id={id}
        name={name}
        rows={rows}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          const tool = shortcutTool(e);
          if (!tool || !area.current) return;
          e.preventDefault();
          applyFormat(area.current, tool);
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint${nearLimit ? ` ${id}-counter` : ""}${error ? ` ${id}-error` : ""}`}
      />
      {/* A post may be long: the count shows only near the limit, where it helps. */}
      {nearLimit ? <CharacterCount id={id} limit={MAX_POST_LENGTH} length={text.length} /> : null}
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

// ---------------------------------------------------------------------------
// The formatting toolbar

type ToolId = "bold" | "italic" | "link" | "bullets" | "numbers" | "quote" | "code";
type Tool = { id: ToolId; label: string; key?: "B" | "I" | "K"; icon: JSX.Element };

// Icons are drawn (aria-hidden); each button's name is its label.
const svg = (path: JSX.Element) => (
  <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
    {path}
  </svg>
);
const TOOLS: Tool[] = [
  { id: "bold", label: "Bold", key: "B", icon: <span className="md-toolbar__glyph md-toolbar__glyph--bold">B</span> },
  { id: "italic", label: "Italic", key: "I", icon: <span className="md-toolbar__glyph md-toolbar__glyph--italic">I</span> },
  {
    id: "link",
    label: "Link",
    key: "K",
    icon: svg(<path d="M8.5 11.5a3.5 3.5 0 0 0 5 0l3-3a3.5 3.5 0 0 0-5-5l-1 1M11.5 8.5a3.5 3.5 0 0 0-5 0l-3 3a3.5 3.5 0 0 0 5 5l1-1" />),
  },
  { id: "bullets", label: "Bulleted list", icon: svg(<path d="M8 5h9M8 10h9M8 15h9M3.5 5h.01M3.5 10h.01M3.5 15h.01" strokeWidth="2.5" />) },
  { id: "numbers", label: "Numbered list", icon: svg(<path d="M8 5h9M8 10h9M8 15h9M3 4l1-1v4M2.5 12.5a1.2 1.2 0 0 1 2 .8L2.5 16h2.2" strokeWidth="1.6" />) },
  { id: "quote", label: "Quote", icon: svg(<path d="M3 4v12M7 6h10M7 10h10M7 14h7" />) },
  { id: "code", label: "Code", icon: svg(<path d="M7 5 2.5 10 7 15M13 5l4.5 5-4.5 5" />) },
];

/** Ctrl (⌘ on Apple keyboards) with B, I or K, and nothing else held: the tool it stands for. */
function shortcutTool(e: KeyboardEvent): ToolId | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return null;
  return TOOLS.find((t) => t.key && t.key === e.key.toUpperCase())?.id ?? null;
}

const isApple = () => /Mac|iPhone|iPad|iPod/.test(navigator.platform);

/**
 * The WAI-ARIA toolbar pattern: one tab stop (the last button used), arrow
 * keys, Home and End move along it. It needs JavaScript, so it is rendered
 * only once hydrated; without it the textarea works as it always did.
 */
function FormattingToolbar({ area, editorId }: { area: RefObject<HTMLTextAreaElement>; editorId: string }) {
  const [hydrated, setHydrated] = useState(false);
  const [current, setCurrent] = useState(0);
  // Escape hides the tooltips until the pointer or focus moves on (WCAG 1.4.13: dismissible).
  const [quiet, setQuiet] = useState(false);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  useEffect(() => setHydrated(true), []);
  if (!hydrated) return null;
  const apple = isApple();
  const move = (to: number) => {
    const next = (to + TOOLS.length) % TOOLS.length;
    setCurrent(next);
    setQuiet(false);
    buttons.current[next]?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const keys: Record<string, () => void> = {
      ArrowRight: () => move(current + 1),
      ArrowLeft: () => move(current - 1),
      Home: () => move(0),
      End: () => move(TOOLS.length - 1),
      Escape: () => setQuiet(true),
    };
    if (!keys[e.key]) return;
    e.preventDefault();
    keys[e.key]();
  };
  return (
    <div
      role="toolbar"
      aria-label="Formatting"
      aria-controls={editorId}
      className={quiet ? "md-toolbar md-toolbar--quiet" : "md-toolbar"}
      onKeyDown={onKeyDown}
      // Moving on to another button brings the tooltips back.
      onPointerOver={() => quiet && setQuiet(false)}
    >
      {TOOLS.map((tool, i) => {
        const shortcut = tool.key ? (apple ? `⌘${tool.key}` : `Ctrl+${tool.key}`) : null;
        return (
          <span key={tool.id} className="md-toolbar__item">
            <button
              ref={(el) => (buttons.current[i] = el)}
              type="button"
              className="md-toolbar__button"
              tabIndex={i === current ? 0 : -1}
              aria-label={tool.label}
              aria-keyshortcuts={tool.key ? `${apple ? "Meta" : "Control"}+${tool.key}` : undefined}
              aria-describedby={`${editorId}-tip-${tool.id}`}
              onFocus={() => setCurrent(i)}
              // Keep the textarea's selection: a click would otherwise move focus first.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                setCurrent(i);
                if (area.current) applyFormat(area.current, tool.id);
              }}
            >
              {tool.icon}
            </button>
            <span role="tooltip" id={`${editorId}-tip-${tool.id}`} className="md-toolbar__tip">
              {tool.label}
              {shortcut ? ` (${shortcut})` : ""}
            </span>
          </span>
        );
      })}
    </div>
  );
}

const WRAPS: Partial<Record<ToolId, { mark: string; placeholder: string }>> = {
  bold: { mark: "**", placeholder: "bold text" },
  italic: { mark: "*", placeholder: "italic text" },
  code: { mark: "`", placeholder: "code" },
};
const PREFIXES: Partial<Record<ToolId, { prefix: (n: number) => string; placeholder: string }>> = {
  bullets: { prefix: () => "- ", placeholder: "List item" },
  numbers: { prefix: (n) => `${n}. `, placeholder: "List item" },
  quote: { prefix: () => "> ", placeholder: "Quoted text" },
};

/** An edit: replace [from, to) with `text`, then select [selectFrom, selectTo) (offsets in the new text). */
type Edit = { from: number; to: number; text: string; selectFrom: number; selectTo: number };

/**
 * What a tool does to the textarea's value and selection: wrap the selection
 * (or a selected placeholder) in marks, make it a link, or prefix each of the
 * selected lines. Pure, so its rules are plain to read and to test.
 */
export function formatEdit(value: string, start: number, end: number, tool: ToolId): Edit {
  const wrap = WRAPS[tool];
  if (wrap) {
    // Spaces stay outside the marks: "** word**" is not bold.
    let s = start;
    let e = end;
    while (s < e && /\s/.test(value[s])) s++;
    while (e > s && /\s/.test(value[e - 1])) e--;
    const selected = value.slice(s, e);
    if (tool === "code" && selected.includes("\n")) {
      const text = `\`\`\`\n${selected}\n\`\`\``;
      return { from: s, to: e, text, selectFrom: 4, selectTo: 4 + selected.length };
    }
    const { mark } = wrap;
    // Pressed again on marked text: the marks come off.
    const head = value.slice(0, s);
    const tail = value.slice(e);
    // "**x**" is bold, not italic ("***x***" is both).
    const boldOnly = head.endsWith("**") && tail.startsWith("**") && !(head.endsWith("***") && tail.startsWith("***"));
    if (selected && head.endsWith(mark) && tail.startsWith(mark) && !(tool === "italic" && boldOnly)) {
      return { from: s - mark.length, to: e + mark.length, text: selected, selectFrom: 0, selectTo: selected.length };
    }
    const text = selected || wrap.placeholder;
    return { from: s, to: e, text: `${mark}${text}${mark}`, selectFrom: mark.length, selectTo: mark.length + text.length };
  }
  if (tool === "link") {
    const selected = value.slice(start, end).trim();
    if (/^https?:\/\/\S+$/.test(selected)) {
      // A selected address becomes the link's target; its text is what to type next.
      return { from: start, to: end, text: `[link text](${selected})`, selectFrom: 1, selectTo: 10 };
    }
    const text = selected || "link text";
    const link = `[${text}](https://)`;
    // With words selected, what to type next is the address; otherwise the words.
    return selected
      ? { from: start, to: end, text: link, selectFrom: text.length + 3, selectTo: link.length - 1 }
      : { from: start, to: end, text: link, selectFrom: 1, selectTo: 1 + text.length };
  }
  const { prefix, placeholder } = PREFIXES[tool]!;
  // Whole lines: from the start of the first selected line to the end of the last
  // (a selection ending at the very start of a line does not take that line).
  const from = value.lastIndexOf("\n", start - 1) + 1;
  const stop = end > start && value[end - 1] === "\n" ? end - 1 : end;
  const lineEnd = value.indexOf("\n", stop);
  const to = lineEnd === -1 ? value.length : lineEnd;
  const lines = value.slice(from, to).split("\n");
  // A line of text right after would join the last item (a "lazy" line): a blank line keeps it apart.
  const next = to < value.length ? value.slice(to + 1).split("\n")[0] : "";
  const apart = next.trim() && !/^\s*([-*+]\s|\d+[.)]\s|>)/.test(next) ? "\n" : "";
  if (lines.every((l) => !l.trim())) {
    const first = prefix(1);
    return { from, to, text: `${first}${placeholder}${apart}`, selectFrom: first.length, selectTo: first.length + placeholder.length };
  }
  let n = 0;
  // Blank lines between paragraphs stay blank; a quote keeps them inside with ">".
  const block = lines.map((l) => (l.trim() ? `${prefix(++n)}${l}` : tool === "quote" ? ">" : l)).join("\n");
  return { from, to, text: `${block}${apart}`, selectFrom: 0, selectTo: block.length };
}

/**
 * Apply a tool to the textarea: through the browser's own editing
 * (execCommand "insertText"), so Ctrl+Z undoes it and an input event tells
 * React (the preview, any counter); where that is not available, through
 * setRangeText and an input event of our own.
 */
function applyFormat(textarea: HTMLTextAreaElement, tool: ToolId) {
  const edit = formatEdit(textarea.value, textarea.selectionStart, textarea.selectionEnd, tool);
  const expected = textarea.value.slice(0, edit.from) + edit.text + textarea.value.slice(edit.to);
  textarea.focus();
  textarea.setSelectionRange(edit.from, edit.to);
  let inserted = false;
  try {
    inserted = document.execCommand("insertText", false, edit.text);
  } catch {
    inserted = false;
  }
  // Not inserted, or inserted otherwise than meant (an editor extension, say): set the whole value.
  if (!inserted || textarea.value !== expected) {
    if (inserted) textarea.setRangeText(expected, 0, textarea.value.length, "end");
    else textarea.setRangeText(edit.text, edit.from, edit.to, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }
  textarea.setSelectionRange(edit.from + edit.selectFrom, edit.from + edit.selectTo);
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
