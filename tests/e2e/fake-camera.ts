import fs from 'node:fs';
import sharp from 'sharp';
import { renderSVG } from 'uqr';

// Chromium's fake camera (--use-file-for-fake-video-capture=FILE.y4m) plays a YUV4MPEG2 file in a loop. These
// helpers make one from QR codes drawn as the ticket page draws them (uqr's SVG, ecc M), rasterised with sharp:
// each code held for `framesEach` frames on a light grey background, in 4:2:0 (grey: chroma planes all 128).

export const CAMERA = { width: 640, height: 480, fps: 10 };

/** The grey (luma) plane of one frame: the QR code centred, `size` pixels wide; '' draws an empty frame. */
async function frame(text: string, size: number): Promise<Buffer> {
  const { width, height } = CAMERA;
  const background = { r: 236, g: 236, b: 236 };
  const canvas = sharp({ create: { width, height, channels: 3, background } });
  if (!text) return canvas.greyscale().raw().toBuffer();
  const qr = await sharp(Buffer.from(renderSVG(text, { ecc: 'M', border: 2, pixelSize: 6 })))
    .resize(size, size, { kernel: 'nearest', fit: 'contain', background: { r: 255, g: 255, b: 255 } })
    .png()
    .toBuffer();
  return canvas
    .composite([{ input: qr, left: Math.round((width - size) / 2), top: Math.round((height - size) / 2) }])
    .greyscale()
    .raw()
    .toBuffer();
}

/**
 * Writes `file` as a Y4M video of the codes, each held for `framesEach` frames. Written beside and renamed into
 * place, so a capture that has the old file open keeps reading it, and the next one opened reads the new one.
 */
export async function writeQrVideo(file: string, codes: string[], opts: { framesEach?: number; size?: number } = {}): Promise<void> {
  const { width, height, fps } = CAMERA;
  const framesEach = opts.framesEach ?? fps * 2;
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`)];
  for (const code of codes) {
    const luma = await frame(code, opts.size ?? 420);
    if (luma.length !== width * height) throw new Error(`a frame of ${luma.length} bytes, not ${width * height}`);
    for (let i = 0; i < framesEach; i++) parts.push(Buffer.from('FRAME\n'), luma, chroma);
  }
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.concat(parts));
  fs.renameSync(tmp, file);
}
