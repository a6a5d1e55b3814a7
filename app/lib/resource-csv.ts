// The clearinghouse's CSV shape, shared by the import page (which parses a
// file in the browser) and the server's import and export.

export const CSV_COLUMNS = [
  "title",
  "url",
  "abstract",
  "type",
  "competencies",
  "tags",
  "library_types",
  "region",
  "cost",
  "provider",
  "ce_hours",
  "published_on",
] as const;

/** Rows per request when a browser sends a large file in parts (and the most a pasted CSV may hold). */
export const IMPORT_BATCH_ROWS = 250;

export type ImportOutcome = { row: number; status: "imported" | "duplicate" | "rejected"; message: string; id?: number };
