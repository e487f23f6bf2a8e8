// Brotli (quality 11) and gzip (level 9) copies of the staff app's text files, written next to them at build time
// (vite.config.ts runs this after every build), so the server sends them as they are, compressed once, never per
// request (src/server/http/static-assets.ts). A file that compression would not shrink gets no copy.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** Extensions worth compressing: text. Images and fonts are compressed already. */
export const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|map|txt)$/;

/** Writes FILE.br and FILE.gz for every compressible file under `dir`; returns what it wrote, with sizes. */
export function precompress(dir) {
  const written = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (COMPRESSIBLE.test(entry.name)) {
        const raw = fs.readFileSync(p);
        const br = zlib.brotliCompressSync(raw, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
            [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        });
        const gz = zlib.gzipSync(raw, { level: 9 });
        for (const [ext, data] of [
          ['.br', br],
          ['.gz', gz],
        ]) {
          if (data.length < raw.length) {
            fs.writeFileSync(p + ext, data);
            written.push({ file: path.relative(dir, p) + ext, raw: raw.length, compressed: data.length });
          } else fs.rmSync(p + ext, { force: true });
        }
      }
    }
  };
  walk(dir);
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../dist/web'));
  const written = precompress(dir);
  console.log(`precompressed ${written.length} files in ${dir}`);
}
