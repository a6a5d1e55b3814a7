// GET /api/v1/portfolio/entries/:id/evidence — the evidence of one of the
// caller's entries, oldest first. POST — add a link (JSON: { "url", "title" })
// or a file: the file itself as the body, with Content-Type application/pdf,
// image/png or image/jpeg and its name as ?name= or a Content-Disposition
// filename. A file is read as the entry page's upload is (app/web/upload.server.ts:
// 10 MB, enforced while it streams) and stored by the same model function
// (told by its content, not its name or declared type; the member's quota).
// Another member's entry is 404, before a byte of a file is stored.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { FieldErrors } from "~/lib/errors";
import { EvidenceLinkSchema } from "~/lib/evidence-input.server";
import { fileNameFromDisposition } from "~/lib/evidence-type";
import { parseInput } from "~/lib/validation";
import { addEvidenceFile, addEvidenceLink, assertOwnEntry, listEvidence, type EvidenceView } from "~/models/evidence.server";
import { api, json, methodNotAllowed, positiveId, readJson, requireApiCaller } from "~/web/api.server";
import { apiError, isRawUploadRequest } from "~/web/http.server";
import { evidenceJson, PRIVATE } from "~/web/portfolio-api.server";
import { receiveRawUpload, settleUploadBody } from "~/web/upload.server";

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  api(async () => {
    const caller = await requireApiCaller(request);
    const entryId = positiveId(params.id);
    await assertOwnEntry(caller, entryId);
    return json({ evidence: (await listEvidence(caller, entryId)).map(evidenceJson) }, { headers: PRIVATE });
  });

const created = (e: EvidenceView) =>
  json({ evidence: evidenceJson(e) }, { status: 201, headers: { ...PRIVATE, Location: `/api/v1/portfolio/evidence/${e.id}` } });

export const action = ({ request, params }: ActionFunctionArgs) => {
  const url = new URL(request.url);
  if (isRawUploadRequest(request.method, url.pathname, request.headers.get("Content-Type"))) {
    // Whatever the answer (a 401 included), what the client is still sending is read and dropped, or the connection cut.
    return api(() => addFile(request, params.id, url)).finally(() => settleUploadBody(request));
  }
  return api(async () => {
    if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
    const caller = await requireApiCaller(request);
    const entryId = positiveId(params.id);
    await assertOwnEntry(caller, entryId);
    if (!/^application\/json\b/i.test(request.headers.get("Content-Type") ?? "")) {
      return apiError(
        415,
        "unsupported_media_type",
        "Send a link as JSON (Content-Type: application/json), or a file as the whole body with its own Content-Type: application/pdf, image/png or image/jpeg.",
      );
    }
    const body = await readJson(request);
    const parsed = parseInput(EvidenceLinkSchema, { url: body.url, label: body.title });
    if (!parsed.ok) return apiError(400, "invalid_input", "The link was not added.", asApiFields(parsed.fields));
    return created(await addEvidenceLink(caller, entryId, parsed.data));
  });
};

/** The link's label is the API's `title`. */
function asApiFields(fields: FieldErrors): FieldErrors {
  const { label, ...rest } = fields;
  return label ? { ...rest, title: label } : rest;
}

async function addFile(request: Request, id: string | undefined, url: URL): Promise<Response> {
  const caller = await requireApiCaller(request);
  const entryId = positiveId(id);
  await assertOwnEntry(caller, entryId);
  const name = url.searchParams.get("name") || fileNameFromDisposition(request.headers.get("Content-Disposition")) || "";
  const received = await receiveRawUpload(request, name);
  if (!received.ok)
    return apiError(received.status, received.status === 413 ? "too_large" : "invalid_input", "The file was not added.", { file: received.message });
  return created(await addEvidenceFile(caller, entryId, received.file));
}
