import type { Metadata } from 'sharp';
import { AppError } from '../../core/errors.ts';
import { loadSharp } from './sharp.ts';
import { MAX_PHOTO_BYTES, MAX_PHOTO_PIXELS, PHOTO_FORMATS, PHOTO_WIDTHS } from './updates.contract.ts';

// A photo's files from the uploaded bytes, with sharp: decoded (anything else is 422 not_an_image), refused above
// MAX_PHOTO_PIXELS before it is decoded (limitInputPixels: a decompression bomb never reaches memory), turned
// upright by its EXIF orientation, and written again at each width as AVIF, WebP and JPEG. sharp writes no
// metadata unless asked (withMetadata / keepExif are never called): no EXIF, GPS, XMP, IPTC or ICC profile
// survives, whatever the upload carried (updates-photos.http.test.ts reads every file back with exifr).

export type PhotoFile = { format: (typeof PHOTO_FORMATS)[number]; width: number; height: number; bytes: Buffer };

export async function processPhoto(input: Uint8Array): Promise<{ width: number; height: number; files: PhotoFile[] }> {
  if (input.byteLength === 0) throw notAnImage();
  if (input.byteLength > MAX_PHOTO_BYTES) {
    throw new AppError('unprocessable', 'image_too_large', `A photo is at most ${MAX_PHOTO_BYTES / 1024 / 1024} MiB.`, [{ field: 'body.file', detail: 'Too large' }]);
  }
  const sharp = await loadSharp();
  const open = () => sharp(input, { limitInputPixels: MAX_PHOTO_PIXELS, failOn: 'error', sequentialRead: true, animated: false });
  let meta: Metadata;
  try {
    meta = await open().metadata();
  } catch (err) {
    throw err instanceof Error && /pixel limit/i.test(err.message) ? tooManyPixels() : notAnImage();
  }
  if (!meta.width || !meta.height || !meta.format || ['svg', 'pdf', 'raw'].includes(meta.format)) throw notAnImage();
  if (meta.width * meta.height > MAX_PHOTO_PIXELS) throw tooManyPixels();
  // the size once turned upright (orientations 5–8 swap width and height)
  const turned = (meta.orientation ?? 1) >= 5;
  const width = turned ? meta.height : meta.width;
  const height = turned ? meta.width : meta.height;
  const widths = PHOTO_WIDTHS.filter((w) => w < width);
  if (widths.length < PHOTO_WIDTHS.length) widths.push(Math.min(width, PHOTO_WIDTHS[PHOTO_WIDTHS.length - 1]!) as never);
  const files: PhotoFile[] = [];
  try {
    for (const w of [...new Set(widths)]) {
      const resized = await open().rotate().resize({ width: w, withoutEnlargement: true }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      const base = () => sharp(resized.data, { raw: { width: resized.info.width, height: resized.info.height, channels: resized.info.channels } });
      const h = resized.info.height;
      files.push({ format: 'avif', width: w, height: h, bytes: await base().avif({ quality: 55, effort: 2 }).toBuffer() });
      files.push({ format: 'webp', width: w, height: h, bytes: await base().webp({ quality: 78 }).toBuffer() });
      files.push({ format: 'jpeg', width: w, height: h, bytes: await base().flatten({ background: '#ffffff' }).jpeg({ quality: 80, mozjpeg: true }).toBuffer() });
    }
  } catch (err) {
    if (err instanceof Error && /pixel limit/i.test(err.message)) throw tooManyPixels();
    throw notAnImage();
  }
  return { width, height, files };
}

function notAnImage() {
  return new AppError('unprocessable', 'not_an_image', 'The file is not an image this server can read (JPEG, PNG, WebP, AVIF, HEIF, TIFF or GIF).', [{ field: 'body.file', detail: 'Not an image' }]);
}
function tooManyPixels() {
  return new AppError('unprocessable', 'image_too_large', `A photo has at most ${MAX_PHOTO_PIXELS / 1_000_000} megapixels.`, [{ field: 'body.file', detail: 'Too many pixels' }]);
}

export const MIME: Record<string, string> = { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg' };
