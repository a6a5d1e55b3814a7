// Precompressed copies of the built browser assets: a `.br` and a `.gz`
// beside every text file of public/build over 1 KiB, at the highest levels
// (done once a build, so the time does not matter; every visitor gets the
// smallest bytes). server/compression.ts serves them.
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const TEXT = /\.(js|mjs|css|map|json|svg|txt|html|xml)$/;
const MIN_BYTES = 1024;

function* filesUnder(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(file);
    else if (entry.isFile()) yield file;
  }
}

/** Writes `file.br` and `file.gz` for each text asset under `dir` (a copy that would not be smaller is not written); resolves to their count. */
export async function precompressAssets(dir) {
  const files = [...filesUnder(dir)].filter((file) => TEXT.test(file) && fs.statSync(file).size >= MIN_BYTES);
  let written = 0;
  await Promise.all(
    files.map(async (file) => {
      const data = fs.readFileSync(file);
      const params = {
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      };
      const [br, gz] = await Promise.all([brotli(data, { params }), gzip(data, { level: 9 })]);
      for (const [suffix, copy] of [
        [".br", br],
        [".gz", gz],
      ]) {
        if (copy.length >= data.length) continue;
        fs.writeFileSync(file + suffix, copy);
        written++;
      }
    }),
  );
  return written;
}
