// CSV import for moderators. With JavaScript the browser reads the chosen
// file itself and sends its rows in batches (so a 5,000-row file shows its
// progress and no upload reaches the server); without it, paste the CSV.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import Papa from "papaparse";
import { useState } from "react";
import { TextArea } from "~/components/Field";
import { requireRole } from "~/web/auth.server";
import { handleFormAction, readForm } from "~/web/http.server";
import { CSV_COLUMNS, IMPORT_BATCH_ROWS, type ImportOutcome } from "~/lib/resource-csv";
import { importResources } from "~/models/resource-portability.server";
import { pageMeta } from "~/ui/meta";

export const meta: MetaFunction = () => pageMeta("Import resources — ParaNet");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["moderator", "admin"]);
  return json({});
}

type Result = { outcomes: ImportOutcome[]; message?: string; values?: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["moderator", "admin"]);
  const form = await readForm(request);
  const csv = String(form.get("csv") ?? "");
  return handleFormAction({ csv }, async () => {
    const parsed = Papa.parse<Record<string, string>>(csv.trim(), { header: true, skipEmptyLines: "greedy" });
    if (!csv.trim() || !parsed.meta.fields?.includes("url")) {
      return json<Result>(
        { outcomes: [], message: `Paste CSV with a header row naming the columns: ${CSV_COLUMNS.join(", ")}.`, values: { csv } },
        { status: 400 },
      );
    }
    if (parsed.data.length > IMPORT_BATCH_ROWS) {
      return json<Result>(
        {
          outcomes: [],
          message: `Paste at most ${IMPORT_BATCH_ROWS} rows at a time; for a larger file, choose it above (it is sent in parts, with progress).`,
          values: { csv },
        },
        { status: 400 },
      );
    }
    return json<Result>({ outcomes: await importResources(user, parsed.data), values: { csv } });
  });
}

function Report({ outcomes }: { outcomes: ImportOutcome[] }) {
  const count = (s: ImportOutcome["status"]) => outcomes.filter((o) => o.status === s).length;
  const notImported = outcomes.filter((o) => o.status !== "imported");
  return (
    <section aria-labelledby="report-heading" className="card stack">
      <h2 id="report-heading">Report</h2>
      <p role="status">
        <strong>{count("imported")}</strong> imported, <strong>{count("duplicate")}</strong> skipped as duplicates, <strong>{count("rejected")}</strong>{" "}
        rejected, of {outcomes.length} rows.
      </p>
      {notImported.length ? (
        <table className="table">
          <caption className="visually-hidden">Rows not imported</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Outcome</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {notImported.slice(0, 1000).map((o) => (
              <tr key={o.row}>
                <td>{o.row}</td>
                <td>{o.status === "duplicate" ? "Skipped (duplicate)" : "Rejected"}</td>
                <td>
                  {o.message} {o.id ? <Link to={`/resources/${o.id}`}>See #{o.id}</Link> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

export default function ImportResources() {
  const result = useActionData<Result>();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [outcomes, setOutcomes] = useState<ImportOutcome[] | null>(null);
  const [error, setError] = useState("");

  async function importFile(file: File) {
    setError("");
    setOutcomes(null);
    const text = await file.text();
    const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true, skipEmptyLines: "greedy" });
    if (!parsed.meta.fields?.includes("url")) {
      setError(`The file needs a header row naming the columns: ${CSV_COLUMNS.join(", ")}.`);
      return;
    }
    const rows = parsed.data;
    const all: ImportOutcome[] = [];
    setProgress({ done: 0, total: rows.length });
    for (let i = 0; i < rows.length; i += IMPORT_BATCH_ROWS) {
      const res = await fetch("/moderate/resources/import/batch", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ rows: rows.slice(i, i + IMPORT_BATCH_ROWS), firstRow: i + 2 }),
      });
      const body = (await res.json().catch(() => null)) as Result | { error: { message: string } } | null;
      if (!res.ok || !body || !("outcomes" in body)) {
        setError(
          `Stopped at row ${i + 2}: ${body && "error" in body ? body.error.message : `the server answered ${res.status}`}. Rows before it were handled; import the rest again (duplicates are skipped).`,
        );
        break;
      }
      all.push(...body.outcomes);
      setProgress({ done: Math.min(i + IMPORT_BATCH_ROWS, rows.length), total: rows.length });
    }
    setOutcomes(all);
  }

  const shown = outcomes ?? result?.outcomes;
  return (
    <div className="narrow-wide stack">
      <p className="muted">
        <Link to="/moderate/resources">Curation queue</Link>
      </p>
      <h1>Import resources from CSV</h1>
      <p>
        The first row names the columns:{" "}
        {CSV_COLUMNS.map((c, i) => (
          <span key={c}>
            {i ? ", " : null}
            <code>{c}</code>
          </span>
        ))}
        . Lists (competency areas, tags, library types) are separated by “;”. Competency areas and tags may be given by name or slug. Imported entries are
        approved at once; rows whose address is already in the clearinghouse are skipped, and a bad row is reported without stopping the rest.
      </p>
      <div className="card stack">
        <div className="field">
          <label htmlFor="csv-file" className="field__label">
            Choose a CSV file
          </label>
          <input
            id="csv-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) void importFile(file);
            }}
          />
          <p className="field__hint">The file is read by your browser and sent in parts of {IMPORT_BATCH_ROWS} rows.</p>
        </div>
        {progress ? (
          <div>
            <label htmlFor="import-progress">
              {progress.done < progress.total ? "Importing" : "Done"}: {progress.done.toLocaleString("en-US")} of {progress.total.toLocaleString("en-US")} rows
            </label>
            <progress id="import-progress" max={progress.total} value={progress.done} />
          </div>
        ) : null}
        {error ? (
          <p className="notice notice--error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <details className="card">
        <summary>Or paste CSV (works without JavaScript)</summary>
        <Form method="post" className="form">
          {result?.message ? (
            <p className="notice notice--error" role="alert">
              {result.message}
            </p>
          ) : null}
          <TextArea name="csv" label="CSV" rows={8} defaultValue={result?.values?.csv ?? ""} />
          <button type="submit" className="button">
            Import
          </button>
        </Form>
      </details>
      {shown && shown.length ? <Report outcomes={shown} /> : null}
    </div>
  );
}
