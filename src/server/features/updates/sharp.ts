import type sharpType from 'sharp';

// sharp is loaded at its first use, not at every start: its native library (libvips) takes ~0.1 s of CPU to load
// and link, and only photo uploads and share images need it (docs/decisions/008-start-up-time.md).
let loaded: Promise<typeof sharpType> | undefined;

export function loadSharp(): Promise<typeof sharpType> {
  return (loaded ??= import('sharp').then(({ default: sharp }) => {
    // one libvips thread per operation: a photo's widths are made one after another, beside requests
    sharp.concurrency(1);
    return sharp;
  }));
}
