// A cached page compressed once, sent to every guest with their own nonce.
//
// The guest cache keeps a page as the pieces between the occurrences of the
// CSP nonce it was rendered with (server/guest-cache.ts). Compressing every
// hit would cost milliseconds each at thousands of hits a second, and two
// compressed streams cannot simply be glued around a nonce. So the page is
// compressed once, as one stream, with the encoder flushed (to a byte
// boundary) before and after each nonce, and each nonce's compressed bytes
// are then replaced by a stored block (deflate) or an uncompressed meta-block
// (brotli) whose raw bytes a hit fills with its own nonce.
//
// The encoder must not let anything else depend on those bytes. It is given
// a stand-in for each nonce made of bytes that occur nowhere else in the page
// (control bytes and bytes that are never UTF-8), with no pair of adjacent
// bytes repeated anywhere: so no later match can copy from a stand-in, and a
// stand-in is itself encoded as plain literals (brotli's distance cache stays
// as the decoder will have it). Brotli's literal context modelling is turned
// off, as the context of the byte after a nonce would differ. Every template
// is decoded once with a test nonce and compared before it is used; one that
// does not decode to the page is not used.
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { createEncoder, type Encoding } from "./compression";

export type CompressedPage = {
  encoding: Encoding;
  /** Compressed bytes between the nonces (the gzip trailer left off). */
  pieces: Buffer[];
  /** The stored block's or meta-block's header before each nonce. */
  rawHeader: Buffer;
  nonceLength: number;
  /** gzip: each piece's CRC-32 and length operator, to compute the trailer per response. */
  crc?: { first: number; rest: { crc: number; shift: number }[]; size: number };
  bytes: number;
};

// Bytes a page (valid UTF-8 text without control characters) never holds:
// C0 controls but tab, newline, VT, FF and CR; DEL; 0xC0, 0xC1, 0xF5–0xFF. 41, a prime.
const STAND_IN_BYTES = [
  ...Array.from({ length: 9 }, (_, i) => i),
  ...Array.from({ length: 18 }, (_, i) => 0x0e + i),
  0x7f,
  0xc0,
  0xc1,
  ...Array.from({ length: 11 }, (_, i) => 0xf5 + i),
];
const PRIMES = [41, 37, 31, 29, 23, 19, 17, 13, 11, 7, 5, 3, 2];

/**
 * One stand-in per nonce, each `length` bytes, from bytes absent from the
 * page, with every pair of adjacent bytes distinct across all of them: the
 * k-th uses the absent bytes at positions k, k+s, k+2s, … (mod p) for step
 * s = k+1, so a pair's step tells which stand-in it is in, and within one
 * the positions do not repeat. Null when the page leaves too few bytes.
 */
export function standIns(parts: Buffer[], count: number, length: number): Buffer[] | null {
  const absent = STAND_IN_BYTES.filter((byte) => parts.every((part) => part.indexOf(byte) === -1));
  const p = PRIMES.find((prime) => prime <= absent.length);
  if (!p || length - 1 > p || count > p - 1) return null;
  return Array.from({ length: count }, (_, k) => Buffer.from(Array.from({ length }, (_, i) => absent[(k + i * (k + 1)) % p])));
}

/** A deflate stored block (not the last) of `length` bytes, starting on a byte boundary. */
const storedBlockHeader = (length: number) => Buffer.from([0x00, length & 0xff, length >> 8, ~length & 0xff, (~length >> 8) & 0xff]);

/** A brotli meta-block header (not the last, uncompressed, 4 nibbles of length), starting on a byte boundary. */
function uncompressedMetaBlockHeader(length: number) {
  // ISLAST 0, MNIBBLES 0 (four), MLEN-1 in 16 bits, ISUNCOMPRESSED 1, then zero bits to the byte.
  const bits = ((length - 1) << 3) | (1 << 19);
  return Buffer.from([bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff]);
}

// CRC-32 of a concatenation from its parts' CRCs (zlib's crc32_combine).
const POLY = 0xedb88320;
function multModP(a: number, b: number): number {
  let product = 0;
  for (let m = 0x80000000; m !== 0; m >>>= 1) {
    if (a & m) product ^= b;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return product >>> 0;
}
/** x^(8·bytes) modulo the CRC polynomial: the operator that moves a CRC past `bytes` bytes. */
function shiftFor(bytes: number): number {
  let result = 0x80000000; // x^0
  let power = 0x40000000; // x^1
  for (let n = bytes * 8; n > 0; n = Math.floor(n / 2)) {
    if (n % 2) result = multModP(power, result);
    power = multModP(power, power);
  }
  return result;
}

/** Writes each segment and flushes (the last one ends the stream); resolves to each segment's output. */
async function encodeSegments(encoder: zlib.BrotliCompress | zlib.Gzip, segments: Buffer[], flushKind: number): Promise<Buffer[]> {
  const outputs: Buffer[] = [];
  let current: Buffer[] = [];
  encoder.on("data", (chunk: Buffer) => current.push(chunk));
  const failed = new Promise<never>((_, reject) => encoder.once("error", reject));
  for (const [i, segment] of segments.entries()) {
    const done =
      i === segments.length - 1
        ? new Promise<void>((resolve) => {
            encoder.once("end", resolve);
            encoder.end(segment);
          })
        : new Promise<void>((resolve) => {
            encoder.write(segment);
            encoder.flush(flushKind, resolve);
          });
    await Promise.race([done, failed]);
    outputs.push(Buffer.concat(current));
    current = [];
  }
  return outputs;
}

const gunzip = promisify(zlib.gunzip);
const brotliDecompress = promisify(zlib.brotliDecompress);

/**
 * The page (`parts` joined by nonces of `nonceLength` bytes) compressed with
 * `encoding` at `level`, ready for `withNonce`; null when it cannot be made
 * (a page with bytes it needs for stand-ins) or does not check out.
 */
export async function compressPage(parts: Buffer[], nonceLength: number, encoding: Encoding, level: number): Promise<CompressedPage | null> {
  const regions = parts.length - 1;
  const fillers = regions > 0 ? standIns(parts, regions, nonceLength) : [];
  if (!fillers || (regions > 0 && (nonceLength < 1 || nonceLength > 65_535))) return null;
  const segments = parts.flatMap((part, i) => (i < regions ? [part, fillers[i]] : [part]));
  const size = segments.reduce((n, s) => n + s.length, 0);
  const encoder = createEncoder(encoding, level, size, { [zlib.constants.BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING]: 1 });
  const flush = encoding === "br" ? zlib.constants.BROTLI_OPERATION_FLUSH : zlib.constants.Z_SYNC_FLUSH;
  const outputs = await encodeSegments(encoder, segments, flush).finally(() => encoder.destroy());
  const pieces = outputs.filter((_, i) => i % 2 === 0);
  let crc: CompressedPage["crc"];
  if (encoding === "gzip") {
    const last = pieces.length - 1;
    pieces[last] = pieces[last].subarray(0, pieces[last].length - 8); // CRC-32 and size: per response
    crc = { first: zlib.crc32(parts[0]), rest: parts.slice(1).map((part) => ({ crc: zlib.crc32(part), shift: shiftFor(part.length) })), size };
  }
  const page: CompressedPage = {
    encoding,
    pieces,
    rawHeader: encoding === "br" ? uncompressedMetaBlockHeader(nonceLength) : storedBlockHeader(nonceLength),
    nonceLength,
    crc,
    bytes: pieces.reduce((n, p) => n + p.length, 0) + 64,
  };

  // Check it: decoded with some other nonce, it must be the page with that nonce.
  const probe = randomBytes(nonceLength);
  const body = Buffer.concat(withNonce(page, probe));
  const expected = Buffer.concat(parts.flatMap((part, i) => (i < regions ? [part, probe] : [part])));
  const decoded = await (encoding === "br" ? brotliDecompress(body) : gunzip(body)).catch(() => null);
  return decoded && decoded.equals(expected) ? page : null;
}

/** The compressed page with `nonce` in every place its nonce was: the buffers to send, in order. */
export function withNonce(page: CompressedPage, nonce: Buffer): Buffer[] {
  const out: Buffer[] = [page.pieces[0]];
  for (let i = 1; i < page.pieces.length; i++) out.push(page.rawHeader, nonce, page.pieces[i]);
  if (page.crc) {
    let crc = page.crc.first;
    for (const part of page.crc.rest) crc = (multModP(part.shift, zlib.crc32(nonce, crc)) ^ part.crc) >>> 0;
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc, 0);
    trailer.writeUInt32LE(page.crc.size % 2 ** 32, 4);
    out.push(trailer);
  }
  return out;
}
