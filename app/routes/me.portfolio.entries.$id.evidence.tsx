// A portfolio entry's evidence forms (issue 19): upload a file (the only
// multipart form in ParaNet: app/web/upload.server.ts reads it), add a link,
// delete a piece. Success goes back to the entry page; a refusal re-renders
// that page (this route is nested in it: its forms take the place of the
// empty ones) with the message beside the field, with or without JavaScript.
import type { ActionFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useParams } from "@remix-run/react";
import { EvidenceForms, type EvidenceFailure } from "~/components/Evidence";
import { EvidenceLinkSchema } from "~/lib/evidence-input.server";
import { parseInput } from "~/lib/validation";
import { addEvidenceFile, addEvidenceLink, assertOwnEntry, deleteEvidence } from "~/models/evidence.server";
import { requireUser } from "~/web/auth.server";
import { handleFormAction, idOr400, idOr404, isUploadRequest, orErrorPage, readForm } from "~/web/http.server";
import { receiveUpload, settleUploadBody } from "~/web/upload.server";

const backToEntry = (entryId: number, notice: "added" | "deleted") => redirect(`/me/portfolio/entries/${entryId}?evidence=${notice}#evidence`);

export async function action({ request, params }: ActionFunctionArgs) {
  if (isUploadRequest(request.method, new URL(request.url).pathname, request.headers.get("Content-Type"))) {
    try {
      return await upload(request, params.id);
    } finally {
      settleUploadBody(request);
    }
  }
  const user = await requireUser(request);
  const entryId = idOr404(params.id);
  const form = await readForm(request);
  if (form.get("intent") === "delete") {
    const evidenceId = idOr400(form.get("evidenceId"), "Which evidence? The form did not say.");
    return handleFormAction({}, async () => {
      await deleteEvidence(user, { id: evidenceId, entryId });
      return backToEntry(entryId, "deleted");
    });
  }
  const values = { url: String(form.get("url") ?? ""), label: String(form.get("label") ?? "") };
  const parsed = parseInput(EvidenceLinkSchema, { url: values.url, label: values.label });
  if (!parsed.ok) return json<EvidenceFailure>({ form: "link", message: "The link was not added.", fields: parsed.fields, values }, { status: 400 });
  return handleFormAction(
    values,
    async () => {
      await addEvidenceLink(user, entryId, parsed.data);
      return backToEntry(entryId, "added");
    },
    { form: "link" },
  );
}

/** The file, streamed to a temporary file and then stored: another member's entry is not found before a byte is read. */
async function upload(request: Request, id: string | undefined): Promise<Response> {
  const user = await requireUser(request);
  const entryId = idOr404(id);
  await orErrorPage(() => assertOwnEntry(user, entryId));
  const received = await receiveUpload(request, "file");
  if (!received.ok) {
    return json<EvidenceFailure>(
      { form: "file", message: "The file was not added.", fields: { file: received.message }, values: {} },
      { status: received.status },
    );
  }
  return handleFormAction(
    {},
    async () => {
      await addEvidenceFile(user, entryId, received.file);
      return backToEntry(entryId, "added");
    },
    { form: "file" },
  );
}

export default function EvidenceAfterPost() {
  const failure = useActionData<EvidenceFailure>();
  const { id } = useParams();
  return <EvidenceForms entryId={Number(id)} failure={failure} />;
}
