import sharp from 'sharp';
import type { TestClient } from './test-app.ts';

// Posts and photos for the Updates tests (issue 15).

export const version = (slug: string, title = `Title ${slug}`, body = `Body of ${slug}`) => ({ slug, title, summary: `Summary of ${slug}`, body });

/** Creates a post through the API; returns its JSON. */
export async function createPostVia(client: TestClient, versions: Record<string, ReturnType<typeof version>>, visibility: 'public' | 'internal' = 'public') {
  const res = await client.post('/api/posts', { visibility, versions });
  if (res.status !== 201) throw new Error(`createPost: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; state: string; versions: { language: string; slug: string; revision: number }[] };
}

/**
 * A JPEG with EXIF that gives away where and by whom it was taken: GPS latitude and longitude (Ramallah),
 * the camera's make and model, the artist's name, a description.
 */
export async function jpegWithGps(width = 1200, height = 800): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 180 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'Spy 3000', Artist: 'Jane Secret', ImageDescription: 'Safe house, back door', Orientation: '1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 54/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '35/1 12/1 0/1' },
    })
    .toBuffer();
}

/** Sends a photo as multipart/form-data. */
export async function uploadPhoto(client: TestClient, postId: string, bytes: Uint8Array, fields: Record<string, string> = {}, type = 'image/jpeg') {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)], { type }), 'photo.jpg');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return client.request(`/api/posts/${postId}/photos`, { method: 'POST', body: form });
}
