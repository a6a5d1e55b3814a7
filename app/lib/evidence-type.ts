// Evidence files (issue 19): what a file is, told by its first bytes alone,
// and the limits and words for their sizes. A file's name and the type the
// browser declared are never trusted: a PNG named "certificate.pdf" is a PNG,
// and an HTML page named "scan.png" is refused. Pure code, for the upload,
// the download, the entry page and the tests alike.

export type EvidenceType = { mediaType: "application/pdf" | "image/png" | "image/jpeg"; extension: "pdf" | "png" | "jpg"; label: string };

export const EVIDENCE_TYPES: readonly EvidenceType[] = [
  { mediaType: "application/pdf", extension: "pdf", label: "PDF" },
  { mediaType: "image/png", extension: "png", label: "PNG image" },
  { mediaType: "image/jpeg", extension: "jpg", label: "JPEG image" },
];

const SIGNATURES: { type: EvidenceType; bytes: number[] }[] = [
  { type: EVIDENCE_TYPES[0], bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // "%PDF-"
  { type: EVIDENCE_TYPES[1], bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: EVIDENCE_TYPES[2], bytes: [0xff, 0xd8, 0xff] },
];

/** How many of a file's first bytes `sniffEvidenceType` needs (the longest signature, PNG's). */
export const SNIFF_BYTES = 8;

/** The allowed type a file's first bytes say it is, or null (anything else, empty, or cut short before its signature ends). */
export function sniffEvidenceType(head: Uint8Array): EvidenceType | null {
  return SIGNATURES.find((s) => s.bytes.length <= head.length && s.bytes.every((b, i) => head[i] === b))?.type ?? null;
}

export function evidenceTypeOf(mediaType: string): EvidenceType | null {
  return EVIDENCE_TYPES.find((t) => t.mediaType === mediaType) ?? null;
}

/**
 * The evidence type a Content-Type header names ("application/pdf", "image/png; x=y"…), or null.
 * Only says which kind of body a client means to send (the API's file upload): the file itself is
 * still told by its content, as every upload's is.
 */
export function declaredEvidenceType(contentType: string | null | undefined): EvidenceType | null {
  return evidenceTypeOf((contentType ?? "").split(";")[0].trim().toLowerCase());
}

/** The longest label a link may have. */
export const EVIDENCE_LABEL_MAX = 200;

/** What the file input offers to choose (a hint to the browser's picker; the server decides by content). */
export const EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg";

// --- Sizes ------------------------------------------------------------------------------

/** A megabyte as file managers on Windows count it (and the limits below): 1,048,576 bytes. */
export const MB = 1024 * 1024;
/** The largest evidence file: 10 MB. */
export const MAX_EVIDENCE_BYTES = 10 * MB;
/** What one member's evidence files may add up to, unless the installation says otherwise (EVIDENCE_QUOTA_MB). */
export const DEFAULT_EVIDENCE_QUOTA_BYTES = 200 * MB;

/** Megabytes to one decimal, rounded up (a file over a limit never reads as the limit itself), without a trailing ".0". */
function megabytes(bytes: number): string {
  return String(Math.ceil(Math.round((bytes / MB) * 1e6) / 1e5) / 10);
}

/** A size in words: "512 bytes", "14 KB", "2.5 MB", "200 MB". Rounded up. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  if (bytes < MB) return `${Math.ceil(bytes / 1024)} KB`;
  return `${megabytes(bytes)} MB`;
}

export const NOT_EVIDENCE_TYPE = "Only PDF, PNG or JPEG files can be evidence: this file is none of them, whatever its name says.";
export const EMPTY_FILE = "This file is empty: choose the PDF, PNG or JPEG file itself.";
export const NO_FILE = "Choose a file to upload: a PDF, PNG or JPEG of at most 10 MB.";

/** The message for a file over the limit ("This file is 12.3 MB: the limit is 10 MB."); `atLeast` when only a lower bound is known. */
export function tooLargeMessage(bytes: number, atLeast = false): string {
  return `This file is ${atLeast ? "more than " : ""}${formatBytes(bytes)}: the limit is ${formatBytes(MAX_EVIDENCE_BYTES)}.`;
}

/** The message for a file that would take the member past their quota. */
export function quotaMessage(wouldUse: number, quota: number): string {
  return `Your evidence would use ${formatBytes(wouldUse)} of your ${formatBytes(quota)}. Delete some files to make room, or add a link instead.`;
}

// --- Names ------------------------------------------------------------------------------

// Control characters, and the characters file systems or headers choke on.
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_NAMES = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069"*:<>?|]/g;

/**
 * A file's name as the member sees it again: the last part of what the
 * browser sent (old browsers send the whole path), without control and
 * direction-changing characters, at most 200 characters; "file" when
 * nothing is left.
 */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? "";
  const cleaned = base
    .normalize("NFC")
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    .replace(UNSAFE_IN_NAMES, "")
    .trim();
  const cut = cleaned.slice(0, 200);
  const name = /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
  return name.replace(/^\.+/, "") || "file";
}

/**
 * The file name a Content-Disposition header gives (`filename*=UTF-8''…` of RFC 6266 before a plain
 * `filename=`), as sent: clean it with cleanFileName. Null when there is none it could read.
 */
export function fileNameFromDisposition(header: string | null | undefined): string | null {
  if (!header) return null;
  const extended = /(?:^|;)\s*filename\*\s*=\s*([\w!#$&+.^`|~-]+)'[\w-]*'([^;\s]*)/i.exec(header);
  if (extended) {
    const [, charset, value] = extended;
    try {
      if (/^utf-8$/i.test(charset)) return decodeURIComponent(value);
      // ISO-8859-1, the one other charset RFC 5987 names: each %XX is one character.
      if (/^iso-8859-1$/i.test(charset)) return value.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    } catch {
      // Not well-formed: the plain form, if any, says it.
    }
  }
  const quoted = /(?:^|;)\s*filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  const token = /(?:^|;)\s*filename\s*=\s*([^;\s"]+)/i.exec(header);
  const plain = quoted ? quoted[1].replace(/\\(.)/g, "$1") : token?.[1];
  return plain === undefined ? null : utf8Bytes(plain);
}

/** A header's value arrives as bytes, one character each: clients send a name's UTF-8 bytes raw (read them so when they are UTF-8). */
function utf8Bytes(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/^[\u0000-\u00FF]*$/.test(value) || !/[\u0080-\u00FF]/.test(value)) return value;
  const decoded = new TextDecoder("utf-8", { fatal: false }).decode(Uint8Array.from(value, (c) => c.charCodeAt(0)));
  return decoded.includes("\uFFFD") ? value : decoded;
}

/** The name a download gets: the member's own, with the extension of what the file really is added when its name says otherwise. */
export function downloadName(originalName: string, type: EvidenceType): string {
  const name = cleanFileName(originalName);
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1].toLowerCase();
  const fits = ext === type.extension || (type.extension === "jpg" && ext === "jpeg");
  return fits ? name : `${name}.${type.extension}`;
}

/**
 * `Content-Disposition: attachment` with the name in both forms: a plain
 * ASCII `filename` for old clients and the exact name as RFC 6266's
 * `filename*=UTF-8''…`.
 */
export function attachmentDisposition(name: string): string {
  // eslint-disable-next-line no-control-regex
  const ascii = name.replace(/[^\x20-\x7E]|["\\%;]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
