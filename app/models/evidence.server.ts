// Evidence for portfolio entries (issue 19): a link, or a file the member
// uploaded — a PDF, PNG or JPEG as its first bytes say (app/lib/evidence-type.ts),
// at most 10 MB each, and EVIDENCE_QUOTA_MB (200 MB) for all of a member's
// files together, counted from the Evidence table. Files live under
// DATA_DIR/evidence/<member id>/<random name>, never in a public folder; an
// upload arrives in DATA_DIR/evidence/incoming/ (app/web/upload.server.ts) and
// is moved into place only once it is complete and accepted. Private like the
// entries: every read and write names its owner, and another member's
// evidence is "not found". Served only to the owner, as an attachment.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { db } from "~/db/client.server";
import { lockRows } from "~/db/dialect.server";
import type { Prisma } from "~/generated/prisma/client";
import type { Actor } from "~/lib/domain";
import { getEnv } from "~/lib/env.server";
import { NotFoundError, ValidationError } from "~/lib/errors";
import {
  downloadName,
  EMPTY_FILE,
  evidenceTypeOf,
  MAX_EVIDENCE_BYTES,
  NOT_EVIDENCE_TYPE,
  quotaMessage,
  sniffEvidenceType,
  SNIFF_BYTES,
  tooLargeMessage,
} from "~/lib/evidence-type";
import { logger } from "~/lib/logger.server";

type Tx = Prisma.TransactionClient;
type Client = Tx | typeof db;

const NO_ENTRY = "There is no such entry in your portfolio.";
const NO_EVIDENCE = "There is no such evidence in your portfolio.";
const NOT_ADDED = "The file was not added.";

// --- Where files live ---------------------------------------------------------------------

/** DATA_DIR/evidence: one folder per member, and `incoming/` for uploads still arriving. */
export const evidenceRoot = () => path.join(getEnv().dataDir, "evidence");
const incomingDir = () => path.join(evidenceRoot(), "incoming");
/** The names ParaNet gives stored files; anything else read from the database is never turned into a path. */
const STORED_NAME = /^[0-9a-f]{32}\.(pdf|png|jpg)$/;

function storedPath(ownerId: number, storedName: string): string {
  if (!STORED_NAME.test(storedName) || !Number.isSafeInteger(ownerId)) throw new Error(`not a stored evidence file: ${ownerId}/${storedName}`);
  return path.join(evidenceRoot(), String(ownerId), storedName);
}

/** A new file in incoming/ for an upload to be written to (it is moved into place, or removed, by addEvidenceFile). */
export async function incomingFile(): Promise<string> {
  await fs.promises.mkdir(incomingDir(), { recursive: true, mode: 0o700 });
  return path.join(incomingDir(), `${crypto.randomBytes(16).toString("hex")}.part`);
}

/** Remove an upload that was not accepted (or a stored file whose row is gone); a failure is logged, never thrown. */
export async function removeFile(file: string): Promise<void> {
  try {
    await fs.promises.rm(file, { force: true });
  } catch (err) {
    logger.error({ err, file }, "could not remove an evidence file");
  }
}

/** Uploads left in incoming/ by a crash or a cut connection, an hour or more ago. */
export async function pruneIncomingEvidence(now = Date.now()): Promise<void> {
  let names: string[];
  try {
    names = await fs.promises.readdir(incomingDir());
  } catch {
    return;
  }
  for (const name of names) {
    const file = path.join(incomingDir(), name);
    const stat = await fs.promises.stat(file).catch(() => null);
    if (stat && now - stat.mtimeMs > 60 * 60_000) await removeFile(file);
  }
}

// --- Reading ------------------------------------------------------------------------------

const evidenceSelect = {
  id: true,
  entryId: true,
  kind: true,
  url: true,
  originalName: true,
  mediaType: true,
  bytes: true,
  createdAt: true,
} satisfies Prisma.EvidenceSelect;

export type EvidenceView = {
  id: number;
  entryId: number;
  kind: "link" | "file";
  /** A link's address ("" for a file). */
  url: string;
  /** A file's name as uploaded; a link's label ("" when it has none). */
  name: string;
  /** A file's type as its content says ("" for a link), and in words. */
  mediaType: string;
  typeLabel: string;
  bytes: number;
  createdAt: string;
};

function evidenceView(row: Prisma.EvidenceGetPayload<{ select: typeof evidenceSelect }>): EvidenceView {
  return {
    id: row.id,
    entryId: row.entryId,
    kind: row.kind === "file" ? "file" : "link",
    url: row.url,
    name: row.originalName,
    mediaType: row.mediaType,
    typeLabel: evidenceTypeOf(row.mediaType)?.label ?? "",
    bytes: row.bytes,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The evidence of one of the actor's entries, oldest first (none for anyone else's). */
export async function listEvidence(actor: Actor, entryId: number): Promise<EvidenceView[]> {
  const rows = await db.evidence.findMany({ where: { entryId, ownerId: actor.id }, orderBy: { id: "asc" }, select: evidenceSelect });
  return rows.map(evidenceView);
}

/** One piece of the actor's evidence (anyone else's is not found). */
export async function getEvidence(actor: Actor, id: number): Promise<EvidenceView> {
  const row = await db.evidence.findFirst({ where: { id, ownerId: actor.id }, select: evidenceSelect });
  if (!row) throw new NotFoundError(NO_EVIDENCE);
  return evidenceView(row);
}

const usedBytes = async (client: Client, ownerId: number) =>
  (await client.evidence.aggregate({ where: { ownerId, kind: "file" }, _sum: { bytes: true } }))._sum.bytes ?? 0;

/** How much of their quota the actor's files use, in bytes. */
export async function evidenceUsage(actor: Actor): Promise<{ used: number; quota: number }> {
  return { used: await usedBytes(db, actor.id), quota: getEnv().evidenceQuotaBytes };
}

async function ownEntry(client: Client, actor: Actor, entryId: number): Promise<void> {
  if (!(await client.portfolioEntry.findFirst({ where: { id: entryId, ownerId: actor.id }, select: { id: true } }))) throw new NotFoundError(NO_ENTRY);
}

/** Check before an upload is read: is this entry the actor's? (Another member's is not found, before a byte is stored.) */
export async function assertOwnEntry(actor: Actor, entryId: number): Promise<void> {
  await ownEntry(db, actor, entryId);
}

// --- Adding -------------------------------------------------------------------------------

/** A link as evidence: its address (http or https, checked by the caller's schema) and an optional label. */
export async function addEvidenceLink(actor: Actor, entryId: number, input: { url: string; label: string }): Promise<EvidenceView> {
  const row = await db.$transaction(async (tx) => {
    await ownEntry(tx, actor, entryId);
    return tx.evidence.create({
      data: { entryId, ownerId: actor.id, kind: "link", url: input.url, originalName: input.label },
      select: evidenceSelect,
    });
  });
  return evidenceView(row);
}

async function firstBytes(file: string): Promise<Uint8Array> {
  const handle = await fs.promises.open(file, "r");
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * An uploaded file (complete, in incoming/) as evidence: sniffed, counted
 * against the member's quota and recorded in one transaction that holds the
 * member's row (two uploads at once cannot both squeeze under the quota),
 * and moved into place before it commits. Refused or not, the upload never
 * stays in incoming/.
 */
export async function addEvidenceFile(actor: Actor, entryId: number, upload: { tempPath: string; bytes: number; originalName: string }): Promise<EvidenceView> {
  let moved: string | null = null;
  try {
    if (upload.bytes === 0) throw new ValidationError({ file: EMPTY_FILE }, NOT_ADDED);
    if (upload.bytes > MAX_EVIDENCE_BYTES) throw new ValidationError({ file: tooLargeMessage(upload.bytes) }, NOT_ADDED);
    const type = sniffEvidenceType(await firstBytes(upload.tempPath));
    if (!type) throw new ValidationError({ file: NOT_EVIDENCE_TYPE }, NOT_ADDED);
    const storedName = `${crypto.randomBytes(16).toString("hex")}.${type.extension}`;
    const target = storedPath(actor.id, storedName);
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const quota = getEnv().evidenceQuotaBytes;
    const row = await db.$transaction(async (tx) => {
      await lockRows(tx, "User", [actor.id]);
      await ownEntry(tx, actor, entryId);
      const used = await usedBytes(tx, actor.id);
      if (used + upload.bytes > quota) throw new ValidationError({ file: quotaMessage(used + upload.bytes, quota) }, NOT_ADDED);
      const created = await tx.evidence.create({
        data: { entryId, ownerId: actor.id, kind: "file", storedName, originalName: upload.originalName, mediaType: type.mediaType, bytes: upload.bytes },
        select: evidenceSelect,
      });
      await fs.promises.rename(upload.tempPath, target);
      moved = target;
      return created;
    });
    return evidenceView(row);
  } catch (e) {
    // Not recorded: neither the upload nor (if the commit failed after the move) the moved file stays.
    if (moved) await removeFile(moved);
    throw e;
  } finally {
    await removeFile(upload.tempPath);
  }
}

// --- Removing -----------------------------------------------------------------------------

export type StoredFile = { ownerId: number; storedName: string };

/** The stored files of the member's evidence matching `where` (for removing them once their rows are gone). */
export async function storedFilesOf(tx: Tx, ownerId: number, where: { entryId?: number; id?: number } = {}): Promise<StoredFile[]> {
  return tx.evidence.findMany({ where: { ownerId, kind: "file", ...where }, select: { ownerId: true, storedName: true } });
}

/** Remove files whose rows were deleted (after the transaction committed); one that cannot be removed is logged, not thrown. */
export async function removeStoredFiles(files: StoredFile[]): Promise<void> {
  for (const f of files) {
    let file: string;
    try {
      file = storedPath(f.ownerId, f.storedName);
    } catch (err) {
      logger.error({ err }, "an evidence row named no stored file");
      continue;
    }
    await removeFile(file);
  }
}

/**
 * Delete one piece of the actor's evidence (a stored file goes too, once the row is gone);
 * with `entryId` (the entry page's form), only if it is that entry's.
 */
export async function deleteEvidence(actor: Actor, where: { id: number; entryId?: number }): Promise<void> {
  const { id, entryId } = where;
  const files = await db.$transaction(async (tx) => {
    await lockRows(tx, "User", [actor.id]);
    const files = await storedFilesOf(tx, actor.id, { id, entryId });
    const { count } = await tx.evidence.deleteMany({ where: { id, entryId, ownerId: actor.id } });
    if (!count) throw new NotFoundError(NO_EVIDENCE);
    return files;
  });
  await removeStoredFiles(files);
}

// --- Serving ------------------------------------------------------------------------------

export type EvidenceDownload = { stream: Readable; bytes: number; mediaType: string; fileName: string };

/**
 * One of the actor's evidence files, opened for download: the type its
 * content was sniffed as, and the member's name for it (with the extension
 * of what it really is). Anyone else's, a link, or a file gone from the disk:
 * not found (the last is logged, as it means files were lost).
 */
export async function openEvidenceFile(actor: Actor, id: number): Promise<EvidenceDownload> {
  return openStoredEvidence({ id, ownerId: actor.id });
}

/**
 * An evidence file of `ownerId`'s, opened for whoever may read it: the owner
 * (above) or a reviewer holding a live share link, for an entry that counts
 * in the shared program (`entryIds`; portfolio-share.server.ts decides).
 */
export async function openStoredEvidence(where: { id: number; ownerId: number; entryIds?: number[] }): Promise<EvidenceDownload> {
  const { id } = where;
  const row = await db.evidence.findFirst({
    where: { id, ownerId: where.ownerId, kind: "file", ...(where.entryIds ? { entryId: { in: where.entryIds } } : {}) },
    select: { ownerId: true, storedName: true, originalName: true, mediaType: true },
  });
  const type = row ? evidenceTypeOf(row.mediaType) : null;
  if (!row || !type) throw new NotFoundError(NO_EVIDENCE);
  const file = storedPath(row.ownerId, row.storedName);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, "r");
  } catch (err) {
    logger.error({ err, evidenceId: id, file }, "an evidence file is missing from the disk");
    throw new NotFoundError("This file is missing. Please upload it again.");
  }
  const { size } = await handle.stat();
  return { stream: handle.createReadStream(), bytes: size, mediaType: type.mediaType, fileName: downloadName(row.originalName, type) };
}
