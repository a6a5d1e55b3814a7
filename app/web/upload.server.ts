// The one upload in ParaNet: a portfolio entry's evidence file, read as it
// streams — from a multipart/form-data body with busboy (the entry page's
// form), or as the whole body of an API request (`receiveRawUpload`). Both
// read the body the same way (`pump`). Nothing is held in memory: the file
// goes to a temporary file in DATA_DIR/evidence/incoming/
// (app/models/evidence.server.ts moves it into place once it is accepted),
// and the 10 MB limit is enforced while it streams.
//
// - A body whose Content-Length is over the limit is answered at once,
//   without reading it (the page says how large the file is).
// - A body that turns out larger while it streams (no Content-Length, or
//   one that lied) stops being parsed at the limit.
// - Whatever was left unread is then read and dropped in the background
//   (up to DRAIN_MAX_BYTES, then the connection is cut), so the browser,
//   still sending, gets to show the answer: closing on a client that is
//   still sending makes browsers show a "connection reset" error instead.
import { once } from "node:events";
import fs from "node:fs";
import { type Readable, Transform, type Writable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import busboy from "busboy";
import { cleanFileName, MAX_EVIDENCE_BYTES, MB, NO_FILE, tooLargeMessage } from "~/lib/evidence-type";
import { incomingFile, removeFile } from "~/models/evidence.server";

/** The largest upload body read: the largest file and room for the form's other parts and boundaries. */
export const MAX_UPLOAD_BODY_BYTES = MAX_EVIDENCE_BYTES + 64 * 1024;
/** What is read and dropped of a refused upload's body before the connection is cut instead. */
const DRAIN_MAX_BYTES = 100 * MB;

export type Upload = { tempPath: string; bytes: number; originalName: string };
export type UploadOutcome = { ok: true; file: Upload } | { ok: false; status: number; message: string };

const UNREADABLE = "The upload could not be read (was it cut short?). Please choose the file and try again.";
const EMPTY_BODY = "The body is empty: send the PDF, PNG or JPEG file itself as the request's body.";
const BODY_UNREADABLE = "The body could not be read (was it cut short?). Please send the file again.";

/** Requests whose body was read to its end (anything else is drained by settleUploadBody). */
const readToEnd = new WeakSet<Request>();

/**
 * Read the multipart body of `request`, saving the file part named `field`
 * (the only one; other files are dropped, other fields ignored) to a new
 * temporary file. The caller owns the temporary file on success.
 */
export async function receiveUpload(request: Request, field: string): Promise<UploadOutcome> {
  const declared = Number(request.headers.get("Content-Length") ?? NaN);
  // The file is the body but for its part's headers and the boundaries (a few hundred bytes).
  if (declared > MAX_UPLOAD_BODY_BYTES) return { ok: false, status: 413, message: tooLargeMessage(declared - 1024) };
  if (!request.body) return { ok: false, status: 400, message: NO_FILE };

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": request.headers.get("Content-Type") ?? "" },
      // Browsers send a file's name as UTF-8 bytes: read it so (busboy's default is Latin-1).
      defParamCharset: "utf8",
      limits: { files: 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 20 },
    });
  } catch {
    return { ok: false, status: 400, message: UNREADABLE };
  }
  const part: { saving?: Promise<FileOutcome> } = {};
  parser.on("file", (name, stream, info) => {
    // A form cut short errors the part's stream, perhaps before saveFile's pipeline listens: seen there, never unhandled.
    stream.on("error", () => undefined);
    if (name !== field || part.saving) return void stream.resume();
    part.saving = saveFile(stream, info.filename ?? "");
    part.saving.catch(() => undefined); // awaited below; a failure before then must not go unhandled
  });
  parser.on("error", () => undefined); // seen below: the parser is destroyed, and `once` and `finished` reject

  const { outcome } = await pump(request, parser, MAX_UPLOAD_BODY_BYTES);
  const tooLarge = outcome === "tooLarge";
  const failed = outcome === "failed";

  // undefined: no file part; null: it could not be saved.
  const saved = part.saving ? await part.saving.catch(() => null) : undefined;
  const drop = async () => {
    if (saved?.tempPath) await removeFile(saved.tempPath);
  };
  if (tooLarge) {
    await drop();
    return { ok: false, status: 413, message: tooLargeMessage(Math.max(saved?.bytes ?? 0, MAX_EVIDENCE_BYTES), true) };
  }
  if (failed || saved === null) {
    await drop();
    return { ok: false, status: 400, message: UNREADABLE };
  }
  if (saved === undefined) return { ok: false, status: 400, message: NO_FILE };
  if (saved.tempPath === null) return { ok: false, status: 413, message: tooLargeMessage(saved.bytes) };
  if (saved.bytes === 0 && !saved.name) {
    await drop();
    return { ok: false, status: 400, message: NO_FILE };
  }
  return { ok: true, file: { tempPath: saved.tempPath, bytes: saved.bytes, originalName: saved.name ? cleanFileName(saved.name) : "file" } };
}

/**
 * Read the body of `request` into `sink` as it arrives, at most `max` bytes:
 * "done" (read to its end, and the sink finished), "tooLarge" (stopped past
 * `max`) or "failed" (cut short, or the sink failed). The sink is destroyed
 * unless done; what is left unread is settleUploadBody's.
 */
async function pump(request: Request, sink: Writable, max: number): Promise<{ outcome: "done" | "tooLarge" | "failed"; received: number }> {
  sink.on("error", () => undefined); // seen below: `once` and `finished` reject
  let received = 0;
  let outcome: "done" | "tooLarge" | "failed" = "done";
  const reader = request.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        readToEnd.add(request);
        break;
      }
      received += value.byteLength;
      if (received > max) {
        outcome = "tooLarge";
        break;
      }
      if (sink.destroyed) throw new Error("the body could not be written");
      if (!sink.write(value)) await once(sink, "drain");
    }
    if (outcome === "done") {
      sink.end();
      await finished(sink);
    }
  } catch {
    outcome = "failed";
  } finally {
    reader.releaseLock();
    if (outcome !== "done") sink.destroy();
  }
  return { outcome, received };
}

/**
 * Read a file sent as the whole body of `request` (the API's upload) to a
 * new temporary file, named `name` (as the client gave it; cleaned here). The
 * caller owns the temporary file on success.
 */
export async function receiveRawUpload(request: Request, name: string): Promise<UploadOutcome> {
  const declared = Number(request.headers.get("Content-Length") ?? NaN);
  if (declared > MAX_EVIDENCE_BYTES) return { ok: false, status: 413, message: tooLargeMessage(declared) };
  if (!request.body || declared === 0) return { ok: false, status: 400, message: EMPTY_BODY };
  const tempPath = await incomingFile();
  const { outcome, received } = await pump(request, fs.createWriteStream(tempPath, { flags: "wx", mode: 0o600 }), MAX_EVIDENCE_BYTES);
  if (outcome !== "done" || received === 0) await removeFile(tempPath);
  if (outcome === "tooLarge") return { ok: false, status: 413, message: tooLargeMessage(MAX_EVIDENCE_BYTES, true) };
  if (outcome === "failed") return { ok: false, status: 400, message: BODY_UNREADABLE };
  if (received === 0) return { ok: false, status: 400, message: EMPTY_BODY };
  return { ok: true, file: { tempPath, bytes: received, originalName: cleanFileName(name) } };
}

/** A file part as received: its temporary file (null when it went over the limit and was dropped), its size and name. */
type FileOutcome = { tempPath: string | null; bytes: number; name: string };

/** Write the file part to a temporary file, counting it; past the limit it is dropped (and counted on, for the message). */
async function saveFile(stream: Readable, name: string): Promise<FileOutcome> {
  const tempPath = await incomingFile();
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, bytes > MAX_EVIDENCE_BYTES ? undefined : chunk);
    },
  });
  try {
    await pipeline(stream, limit, fs.createWriteStream(tempPath, { flags: "wx", mode: 0o600 }));
  } catch (e) {
    await removeFile(tempPath);
    throw e;
  }
  if (bytes > MAX_EVIDENCE_BYTES) {
    await removeFile(tempPath);
    return { tempPath: null, bytes, name };
  }
  return { tempPath, bytes, name };
}

/**
 * After answering an upload request (whatever the answer, a redirect to log
 * in included): read and drop what is left of its body in the background,
 * so the client can finish sending and read the answer; past
 * DRAIN_MAX_BYTES, cut the connection.
 */
export function settleUploadBody(request: Request): void {
  if (readToEnd.has(request) || !request.body) return;
  void drain(request.body);
}

async function drain(body: ReadableStream<Uint8Array>): Promise<void> {
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = body.getReader();
  } catch {
    return;
  }
  let dropped = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      dropped += value.byteLength;
      if (dropped > DRAIN_MAX_BYTES) return void (await reader.cancel());
    }
  } catch {
    // The client went away: nothing left to drop.
  }
}
