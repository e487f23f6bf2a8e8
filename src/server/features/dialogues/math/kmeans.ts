// Two-dimensional k-means and silhouette as polismath.math.clusters has them: the first k distinct points
// start the clusters (so the result depends only on the order of the points: no randomness), clusters that
// lose every member are dropped, and iteration stops when no centre moves by 0.01 or more.

export type Cluster = {
  id: number;
  /** indices into the points given to kmeans */
  members: number[];
  center: [number, number];
};

/** A cluster from an earlier run, its members named (participant indices, or base-cluster ids). */
export type NamedCluster = { id: number; members: readonly number[]; center: readonly [number, number] };

export type KmeansOptions = {
  /** Pol.is: 100 for base clusters, 20 for groups (its group-iters option never reaches kmeans) */
  maxIterations?: number;
  /** one weight per point: the centre is the weighted mean (group clustering weighs base clusters by size) */
  weights?: ArrayLike<number>;
  /** start from these centres instead of the first k distinct points */
  startCenters?: readonly (readonly [number, number])[];
  /** the name of each point (default: its index), for `previous` */
  names?: ArrayLike<number>;
  /** warm start from the last run's clusters, as Pol.is's clean-start-clusters does */
  previous?: readonly NamedCluster[];
};

/** points: x0, y0, x1, y1, ... */
export function kmeans(points: Float64Array, k: number, opts: KmeansOptions = {}): Cluster[] {
  const n = points.length / 2;
  const maxIterations = opts.maxIterations ?? 20;
  let centers: { id: number; x: number; y: number }[] = [];
  if (opts.previous?.length) {
    centers = cleanStartCenters(points, k, opts.previous, opts.names, opts.weights);
  } else if (opts.startCenters?.length) {
    centers = opts.startCenters.map(([x, y], id) => ({ id, x, y }));
  } else {
    const seen = new Set<string>();
    for (let i = 0; i < n && centers.length < k; i++) {
      const key = `${points[2 * i]},${points[2 * i + 1]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      centers.push({ id: centers.length, x: points[2 * i], y: points[2 * i + 1] });
    }
  }
  if (n === 0 || centers.length === 0) return [];

  const assignment = new Int32Array(n);
  // Hamerly's bounds, which skip the points whose closest centre cannot have changed: the same assignments as
  // comparing every point with every centre (ties to the lower index), in a fraction of the distance computations
  const upper = new Float64Array(n); // >= the distance to the assigned centre
  const lower = new Float64Array(n); // <= the distance to every other centre
  let bounded = false; // the bounds hold for the current centres
  let clusters: Cluster[] = [];
  for (let iter = maxIterations; iter >= 0; iter--) {
    const m = centers.length;
    const cx = Float64Array.from(centers, (c) => c.x);
    const cy = Float64Array.from(centers, (c) => c.y);
    // half the distance from each centre to the nearest other one: a point closer than that to its centre stays
    const half = new Float64Array(m).fill(Infinity);
    if (bounded) {
      for (let a = 0; a < m; a++) {
        for (let b = a + 1; b < m; b++) {
          const dx = cx[a] - cx[b];
          const dy = cy[a] - cy[b];
          const d = 0.5 * Math.sqrt(dx * dx + dy * dy);
          if (d < half[a]) half[a] = d;
          if (d < half[b]) half[b] = d;
        }
      }
    }
    // assign every point to its closest centre
    for (let i = 0; i < n; i++) {
      const x = points[2 * i];
      const y = points[2 * i + 1];
      if (bounded) {
        const a = assignment[i];
        // (strictly, with a margin for rounding: a tie is settled by comparing every centre)
        const bound = Math.max(half[a], lower[i]) * (1 - 1e-9);
        if (upper[i] < bound) continue;
        upper[i] = Math.sqrt((x - cx[a]) * (x - cx[a]) + (y - cy[a]) * (y - cy[a]));
        if (upper[i] < bound) continue;
      }
      let best = 0;
      let bestD = Infinity;
      let secondD = Infinity;
      for (let c = 0; c < m; c++) {
        const dx = x - cx[c];
        const dy = y - cy[c];
        const d = dx * dx + dy * dy;
        if (d < bestD) {
          secondD = bestD;
          bestD = d;
          best = c;
        } else if (d < secondD) secondD = d;
      }
      assignment[i] = best;
      upper[i] = Math.sqrt(bestD);
      lower[i] = Math.sqrt(secondD);
    }
    // new centres: (weighted) means of the members; empty clusters are dropped
    const sx = new Float64Array(m);
    const sy = new Float64Array(m);
    const sw = new Float64Array(m);
    const members: number[][] = centers.map(() => []);
    for (let i = 0; i < n; i++) {
      const c = assignment[i];
      const w = opts.weights ? opts.weights[i] : 1;
      sx[c] += w * points[2 * i];
      sy[c] += w * points[2 * i + 1];
      sw[c] += w;
      members[c].push(i);
    }
    clusters = [];
    for (let c = 0; c < m; c++) {
      if (members[c].length === 0) continue;
      // all-zero weights would divide by zero: fall back to the plain mean
      const center: [number, number] = sw[c] > 0 ? [sx[c] / sw[c], sy[c] / sw[c]] : meanOf(points, members[c]);
      clusters.push({ id: centers[c].id, members: members[c], center });
    }
    const next = clusters.map((c) => ({ id: c.id, x: c.center[0], y: c.center[1] }));
    const done = sameClustering(centers, next);
    // the bounds follow the centres' moves; a dropped cluster renumbers the centres, and every point is compared again
    bounded = next.length === m;
    if (bounded) {
      const moved = new Float64Array(m);
      let most = 0;
      for (let c = 0; c < m; c++) {
        moved[c] = Math.hypot(next[c].x - cx[c], next[c].y - cy[c]);
        if (moved[c] > most) most = moved[c];
      }
      for (let i = 0; i < n; i++) {
        upper[i] += moved[assignment[i]];
        lower[i] -= most;
      }
    }
    centers = next;
    if (done) break;
  }
  return clusters.sort((a, b) => a.id - b.id);
}

/**
 * Pol.is's clean-start-clusters: recentre the last run's clusters on their members' new positions (a
 * cluster with no member left is dropped, clusters with the same centre are merged), then, while there are
 * fewer clusters than k and than distinct points, split off the point farthest from every centre as a
 * cluster of its own.
 */
function cleanStartCenters(points: Float64Array, k: number, previous: readonly NamedCluster[], names?: ArrayLike<number>, weights?: ArrayLike<number>): { id: number; x: number; y: number }[] {
  const n = points.length / 2;
  const indexOf = new Map<number, number>();
  for (let i = 0; i < n; i++) indexOf.set(names ? names[i] : i, i);
  type Work = { id: number; members: number[]; x: number; y: number };
  const recentre = (c: Work): boolean => {
    let x = 0;
    let y = 0;
    let w = 0;
    for (const i of c.members) {
      const wi = weights ? weights[i] : 1;
      x += wi * points[2 * i];
      y += wi * points[2 * i + 1];
      w += wi;
    }
    if (c.members.length === 0) return false;
    if (w > 0) {
      c.x = x / w;
      c.y = y / w;
    } else [c.x, c.y] = meanOf(points, c.members);
    return true;
  };
  let clusters: Work[] = [];
  for (const p of previous) {
    const members = p.members.map((name) => indexOf.get(name)).filter((i): i is number => i !== undefined);
    const c: Work = { id: p.id, members, x: 0, y: 0 };
    if (!recentre(c)) continue;
    const same = clusters.find((o) => o.x === c.x && o.y === c.y);
    if (same) {
      same.members.push(...c.members);
      recentre(same);
    } else clusters.push(c);
  }
  if (clusters.length === 0) return [];
  if (clusters.length >= k) return clusters.map((c) => ({ id: c.id, x: c.x, y: c.y }));
  const distinct = new Set<string>();
  for (let i = 0; i < n; i++) distinct.add(`${points[2 * i]},${points[2 * i + 1]}`);
  const possible = Math.min(k, distinct.size);
  while (clusters.length < possible) {
    let far = -1;
    let farD = 0;
    for (let i = 0; i < n; i++) {
      let d = Infinity;
      for (const c of clusters) d = Math.min(d, Math.hypot(points[2 * i] - c.x, points[2 * i + 1] - c.y));
      if (d > farD) {
        farD = d;
        far = i;
      }
    }
    if (far < 0) break;
    for (const c of clusters) c.members = c.members.filter((i) => i !== far);
    clusters = clusters.filter((c) => recentre(c));
    clusters.push({ id: Math.max(...clusters.map((c) => c.id), -1) + 1, members: [far], x: points[2 * far], y: points[2 * far + 1] });
  }
  return clusters.map((c) => ({ id: c.id, x: c.x, y: c.y }));
}

/** Weighted within-cluster sum of squared distances. */
export function inertia(points: Float64Array, clusters: readonly Cluster[], weights?: ArrayLike<number>): number {
  let total = 0;
  for (const c of clusters) {
    for (const i of c.members) {
      const dx = points[2 * i] - c.center[0];
      const dy = points[2 * i + 1] - c.center[1];
      total += (weights ? weights[i] : 1) * (dx * dx + dy * dy);
    }
  }
  return total;
}

/** k-means++ starting centres (seeded): each next centre drawn with probability ∝ weight × squared distance. */
export function kmeansPlusPlusCenters(points: Float64Array, k: number, random: () => number, weights?: ArrayLike<number>): [number, number][] {
  const n = points.length / 2;
  if (n === 0) return [];
  const w = (i: number) => (weights ? weights[i] : 1);
  const d2 = new Float64Array(n).fill(Infinity);
  const centers: [number, number][] = [];
  let total = 0;
  for (let i = 0; i < n; i++) total += w(i);
  let pick = 0;
  for (let r = random() * total; pick < n - 1 && (r -= w(pick)) > 0; ) pick++;
  while (centers.length < k) {
    const c: [number, number] = [points[2 * pick], points[2 * pick + 1]];
    centers.push(c);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const dx = points[2 * i] - c[0];
      const dy = points[2 * i + 1] - c[1];
      d2[i] = Math.min(d2[i], dx * dx + dy * dy);
      sum += w(i) * d2[i];
    }
    if (sum === 0) break;
    let r = random() * sum;
    pick = 0;
    for (; pick < n - 1; pick++) {
      r -= w(pick) * d2[pick];
      if (r <= 0) break;
    }
  }
  return centers;
}

function meanOf(points: Float64Array, members: number[]): [number, number] {
  let x = 0;
  let y = 0;
  for (const i of members) {
    x += points[2 * i];
    y += points[2 * i + 1];
  }
  return [x / members.length, y / members.length];
}

/** Pol.is's same-clustering?: the sorted centres pairwise within 0.01. */
function sameClustering(a: { x: number; y: number }[], b: { x: number; y: number }[]): boolean {
  const sort = (cs: { x: number; y: number }[]) => [...cs].sort((p, q) => p.x - q.x || p.y - q.y);
  const sa = sort(a);
  const sb = sort(b);
  const len = Math.min(sa.length, sb.length);
  for (let i = 0; i < len; i++) if (Math.hypot(sa[i].x - sb[i].x, sa[i].y - sb[i].y) >= 0.01) return false;
  return true;
}

/** Every distance between the points (row-major n × n): one matrix serves every k (Pol.is's bucket-dists). */
export function distanceMatrix(points: Float64Array): Float64Array {
  const n = points.length / 2;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = points[2 * i] - points[2 * j];
      const dy = points[2 * i + 1] - points[2 * j + 1];
      out[i * n + j] = out[j * n + i] = Math.sqrt(dx * dx + dy * dy);
    }
  }
  return out;
}

/**
 * Mean silhouette of a clustering of the given points (Pol.is computes it over the base-cluster centres,
 * unweighted). A member alone in its cluster scores 0. `distances`: distanceMatrix(points), when already made.
 */
export function silhouette(points: Float64Array, clusters: readonly Cluster[], distances?: Float64Array): number {
  if (clusters.length < 2) return 0;
  const n = points.length / 2;
  const dist = distances ?? distanceMatrix(points);
  const k = clusters.length;
  const label = new Int32Array(n).fill(-1);
  clusters.forEach((c, ci) => {
    for (const i of c.members) label[i] = ci;
  });
  const size = clusters.map((c) => c.members.length);
  // per point, its summed distance to each cluster's members, in one pass over its row
  const sums = new Float64Array(k);
  let total = 0;
  let count = 0;
  for (let ci = 0; ci < k; ci++) {
    for (const i of clusters[ci]!.members) {
      count++;
      if (size[ci] === 1) continue;
      sums.fill(0);
      const row = i * n;
      for (let j = 0; j < n; j++) {
        const l = label[j]!;
        if (l >= 0) sums[l] += dist[row + j]!;
      }
      const a = sums[ci]! / (size[ci]! - 1);
      let b = Infinity;
      for (let o = 0; o < k; o++) if (o !== ci && size[o]! > 0) b = Math.min(b, sums[o]! / size[o]!);
      const m = Math.max(a, b);
      total += m > 0 ? (b - a) / m : 0;
    }
  }
  return count ? total / count : 0;
}
