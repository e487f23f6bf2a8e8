import exifr from 'exifr';
import sharp from 'sharp';
import { deflateSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { postPhoto, postPhotoFile } from './updates.schema.ts';
import { createTestApp } from '../../../../tests/setup/test-app.ts';
import { createPostVia, jpegWithGps, uploadPhoto, version } from '../../../../tests/setup/post-factories.ts';

// Photos of posts (issue 15): uploaded as multipart, decoded and re-encoded by sharp at up to three widths as AVIF,
// WebP and JPEG, with every metadata field gone (read back with exifr: no GPS, no EXIF, no XMP, no ICC); alt text
// required in each language the post has; bad bytes, huge dimensions and a malicious EXIF are clear 4xx answers.

const t = await createTestApp({ jobs: { work: false } });
const staff = await t.signedIn('staff');
const viewer = await t.signedIn('viewer');
const p = await createPostVia(staff, { en: version('photos-en'), ar: version('photos-ar') });
const alts = { alt_en: 'People around a table', alt_ar: 'أشخاص حول طاولة' };
const photoCount = async () => (await t.db.select().from(postPhoto)).length;

/** A PNG whose header claims `width` × `height` (CRCs right), with one tiny compressed row: decoding it would be a bomb. */
function pngClaiming(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(1 + width * 3))), chunk('IEND', Buffer.alloc(0))]);
}

describe('photos', () => {
  it('a photo with GPS and camera EXIF is stored only as re-encoded files carrying no metadata at all', async () => {
    const original = await jpegWithGps(2000, 1000);
    expect(await exifr.gps(original)).toMatchObject({ latitude: 31.9, longitude: 35.2 });
    const res = await uploadPhoto(staff, p.id, original, { ...alts, caption_en: 'In Ramallah', credit: 'Team' });
    expect(res.status).toBe(201);
    const photo = await res.json();
    expect([photo.width, photo.height]).toEqual([2000, 1000]);
    expect(photo.files.map((f: { format: string; width: number }) => `${f.width}.${f.format}`).sort()).toEqual(
      ['480.avif', '480.webp', '480.jpeg', '960.avif', '960.webp', '960.jpeg', '1600.avif', '1600.webp', '1600.jpeg'].sort(),
    );
    const files = await t.db.select().from(postPhotoFile).where(eq(postPhotoFile.photoId, photo.id));
    expect(files).toHaveLength(9);
    for (const f of files) {
      const meta = await sharp(f.bytes).metadata();
      expect(meta.format === 'heif' ? 'avif' : meta.format).toBe(f.format);
      expect(meta.width).toBe(f.width);
      expect([meta.exif, meta.xmp, meta.icc, meta.iptc]).toEqual([undefined, undefined, undefined, undefined]);
      const read = await exifr.parse(f.bytes, { tiff: true, exif: true, gps: true, xmp: true, icc: true, iptc: true, jfif: false, ihdr: false }).catch(() => undefined);
      expect(read, `${f.width}.${f.format}`).toBeUndefined();
      expect(await exifr.gps(f.bytes).catch(() => undefined)).toBeUndefined();
      expect(f.bytes.includes(Buffer.from('Jane Secret'))).toBe(false);
      expect(f.bytes.includes(Buffer.from('Spy 3000'))).toBe(false);
    }
    // the editor can show it; the public cannot while the post is a draft
    const file = await viewer.get(`/api/posts/${p.id}/photos/${photo.id}/960.webp`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/webp');
    expect((await t.client().get(`/news/photos/${photo.id}/960.webp`)).status).toBe(404);
  });

  it('a photo turned by its EXIF orientation is stored upright (width and height swapped), without the tag', async () => {
    const sideways = await sharp({ create: { width: 600, height: 300, channels: 3, background: '#888' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(sideways).metadata()).orientation).toBe(6);
    const res = await uploadPhoto(staff, p.id, sideways, alts);
    expect(res.status).toBe(201);
    const photo = await res.json();
    expect([photo.width, photo.height]).toEqual([300, 600]);
    expect(photo.files.map((f: { width: number }) => f.width)).toEqual([300, 300, 300]);
  });

  it('alt text is required in every language the post has (400 naming each field); nothing is stored', async () => {
    const before = await photoCount();
    const res = await uploadPhoto(staff, p.id, await jpegWithGps(), { alt_en: 'Only English' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.code).toBe('photo_alt_missing');
    expect(body.errors).toEqual([{ field: 'body.alt_ar', detail: 'Required' }]);
    expect(await photoCount()).toBe(before);
  });

  it('publishing is refused while a photo lacks alt text in a language added later', async () => {
    const q = await createPostVia(staff, { en: version('alt-later') });
    const up = await (await uploadPhoto(staff, q.id, await jpegWithGps(), { alt_en: 'A table' })).json();
    await staff.put(`/api/posts/${q.id}/versions/he`, version('alt-later-he'));
    const res = await staff.post(`/api/posts/${q.id}/publish`);
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([{ field: `photos.${up.id}.alt.he`, detail: 'Alt text required' }]);
    expect((await staff.patch(`/api/posts/${q.id}/photos/${up.id}`, { alt: { en: 'A table', he: 'שולחן' } })).status).toBe(200);
    expect((await staff.post(`/api/posts/${q.id}/publish`)).status).toBe(200);
  });

  it('not an image, an SVG, an empty file: 422 not_an_image naming body.file', async () => {
    const before = await photoCount();
    for (const bytes of [Buffer.from('this is not an image at all'), Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'), Buffer.alloc(0), (await jpegWithGps()).subarray(0, 200)]) {
      const res = await uploadPhoto(staff, p.id, bytes, alts);
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body.code).toBe('not_an_image');
      expect(body.errors[0].field).toBe('body.file');
    }
    expect(await photoCount()).toBe(before);
  });

  it('huge dimensions are refused before decoding: 422 image_too_large', async () => {
    const bomb = pngClaiming(30_000, 30_000);
    expect(bomb.length).toBeLessThan(200_000);
    const res = await uploadPhoto(staff, p.id, bomb, alts, 'image/png');
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe('image_too_large');
  });

  it('a malicious EXIF (a corrupt APP1 segment claiming offsets past the end) is stripped or refused, never a 500', async () => {
    const clean = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#123456' } }).jpeg().toBuffer();
    const tiff = Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0x7f, 0xff, 0xff, 0xf0, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00]);
    const payload = Buffer.concat([Buffer.from('Exif\0\0'), tiff, Buffer.alloc(2000, 0xff)]);
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.from([(payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
    const evil = Buffer.concat([clean.subarray(0, 2), app1, clean.subarray(2)]);
    const res = await uploadPhoto(staff, p.id, evil, alts);
    expect([201, 422]).toContain(res.status);
    if (res.status === 201) {
      const photo = await res.json();
      const files = await t.db.select().from(postPhotoFile).where(eq(postPhotoFile.photoId, photo.id));
      for (const f of files) expect((await sharp(f.bytes).metadata()).exif).toBeUndefined();
    }
  });

  it('viewers may not upload, change or delete photos; other posts’ photos are 404', async () => {
    const up = await (await uploadPhoto(staff, p.id, await jpegWithGps(), alts)).json();
    expect((await uploadPhoto(viewer, p.id, await jpegWithGps(), alts)).status).toBe(403);
    expect((await viewer.patch(`/api/posts/${p.id}/photos/${up.id}`, { credit: 'x' })).status).toBe(403);
    expect((await viewer.request(`/api/posts/${p.id}/photos/${up.id}`, { method: 'DELETE' })).status).toBe(403);
    const q = await createPostVia(staff, { en: version('other-post') });
    expect((await staff.get(`/api/posts/${q.id}/photos/${up.id}/480.jpg`)).status).toBe(404);
    expect((await staff.request(`/api/posts/${q.id}/photos/${up.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await staff.request(`/api/posts/${p.id}/photos/${up.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('a body over the photo limit is 413 before it is read', async () => {
    const res = await uploadPhoto(staff, p.id, Buffer.alloc(22 * 1024 * 1024, 1), alts);
    expect(res.status).toBe(413);
  });
});
