import { describe, expect, it } from 'vitest';
import { kmeans, type Cluster } from './kmeans.ts';
import { seededRandom } from './stats.ts';

// kmeans skips the points whose closest centre cannot have changed (Hamerly's bounds). That must never change a
// result: the same clusters, members and centres, bit for bit, as comparing every point with every centre at every
// iteration (ties to the lower index), which is what this reference does.
function lloyd(points: Float64Array, k: number, maxIterations: number, weights?: Float64Array): Cluster[] {
  const n = points.length / 2;
  let centers: { id: number; x: number; y: number }[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < n && centers.length < k; i++) {
    const key = `${points[2 * i]},${points[2 * i + 1]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    centers.push({ id: centers.length, x: points[2 * i], y: points[2 * i + 1] });
  }
  let clusters: Cluster[] = [];
  for (let iter = maxIterations; iter >= 0; iter--) {
    const members: number[][] = centers.map(() => []);
    const sx = new Float64Array(centers.length);
    const sy = new Float64Array(centers.length);
    const sw = new Float64Array(centers.length);
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      centers.forEach((c, ci) => {
        const d = (points[2 * i] - c.x) ** 2 + (points[2 * i + 1] - c.y) ** 2;
        if (d < bestD) {
          bestD = d;
          best = ci;
        }
      });
      const w = weights ? weights[i] : 1;
      sx[best] += w * points[2 * i];
      sy[best] += w * points[2 * i + 1];
      sw[best] += w;
      members[best].push(i);
    }
    clusters = [];
    centers.forEach((c, ci) => {
      if (members[ci].length) clusters.push({ id: c.id, members: members[ci], center: [sx[ci] / sw[ci], sy[ci] / sw[ci]] });
    });
    const next = clusters.map((c) => ({ id: c.id, x: c.center[0], y: c.center[1] }));
    const sort = (cs: { x: number; y: number }[]) => [...cs].sort((p, q) => p.x - q.x || p.y - q.y);
    const [a, b] = [sort(centers), sort(next)];
    let same = true;
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (Math.hypot(a[i].x - b[i].x, a[i].y - b[i].y) >= 0.01) same = false;
    centers = next;
    if (same) break;
  }
  return clusters.sort((p, q) => p.id - q.id);
}

function cloud(random: () => number, n: number, kind: 'blobs' | 'grid' | 'uniform'): Float64Array {
  const points = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    if (kind === 'grid') {
      // many exact ties: points on a coarse grid, centres equidistant from many of them
      points[2 * i] = Math.floor(random() * 6);
      points[2 * i + 1] = Math.floor(random() * 6);
    } else if (kind === 'blobs') {
      const g = Math.floor(random() * 4);
      points[2 * i] = g * 3 + (random() - 0.5) * 2.5;
      points[2 * i + 1] = (g % 2) * 3 + (random() - 0.5) * 2.5;
    } else {
      points[2 * i] = random() * 10 - 5;
      points[2 * i + 1] = random() * 10 - 5;
    }
  }
  return points;
}

describe('kmeans', () => {
  it('gives exactly what comparing every point with every centre gives, on clouds with and without ties and weights', () => {
    const random = seededRandom(11);
    let compared = 0;
    for (const kind of ['blobs', 'grid', 'uniform'] as const) {
      for (const n of [5, 60, 400, 2_000]) {
        for (const k of [2, 5, 30, 100]) {
          const points = cloud(random, n, kind);
          const weights = Float64Array.from({ length: n }, () => 1 + Math.floor(random() * 5));
          for (const w of [undefined, weights]) {
            expect(kmeans(points, k, { maxIterations: 100, weights: w })).toEqual(lloyd(points, k, 100, w));
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(96);
  });
});
