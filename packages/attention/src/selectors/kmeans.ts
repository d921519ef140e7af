import { ChunkwiseError, seededRandom } from '@chunkwise/core';
import { checkFloat32Array, checkInteger, checkNumber, checkOptions, describeValue } from '../argument-checks.js';
import { finiteRows } from './finite-rows.js';

/** The most Lloyd iterations `kMeans` (and `buildKeyClusters`) run. */
export const MAX_ITERATIONS = 1000;

export interface KMeansResult {
  /** `[clusters][dim]` */
  centroids: Float32Array;
  /** Cluster of each point. */
  labels: Int32Array;
  /** Points per cluster. */
  sizes: Int32Array;
  clusters: number;
}

/**
 * Lloyd's k-means with k-means++ seeding (Arthur & Vassilvitskii 2007) from a seeded generator,
 * so the same keys always give the same clusters. Points are rows of `points` (`count × dim`),
 * read from `offset`. Empty clusters are re-seeded with the point farthest from its centroid.
 */
export function kMeans(
  points: Float32Array,
  count: number,
  dim: number,
  clusters: number,
  options: { iterations?: number; seed?: number; offset?: number; indices?: Int32Array } = {},
): KMeansResult {
  checkFloat32Array(points, 'points');
  checkInteger(count, 'count', 0);
  checkInteger(dim, 'dim', 1);
  checkInteger(clusters, 'clusters', 1);
  const { iterations = 8, seed = 1, offset = 0, indices } = checkOptions(options, 'options');
  checkInteger(iterations, 'iterations', 0, MAX_ITERATIONS);
  checkNumber(seed, 'seed');
  checkInteger(offset, 'offset', 0);
  if (indices !== undefined && !(indices instanceof Int32Array)) throw new ChunkwiseError('INVALID_ARGUMENT', `indices must be an Int32Array, got ${describeValue(indices)}.`);
  // Every point read must lie inside `points`: rows 0 … count − 1 from `offset`, or the listed ones.
  if (indices?.some((i) => i < 0 || i >= count)) throw new ChunkwiseError('INVALID_ARGUMENT', `indices must lie in [0, count = ${count}).`);
  if (offset + count * dim > points.length) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `points has ${points.length} values; offset ${offset} + count ${count} × dim ${dim} needs ${offset + count * dim}.`);
  }
  const n = indices ? indices.length : count;
  const k = Math.min(clusters, Math.max(1, n));
  let row = (i: number) => offset + (indices ? (indices[i] as number) : i) * dim;
  if (!rowsFinite(points, n, dim, row)) {
    // A NaN or ±Inf point would make every distance to its centroid NaN; cluster it as zeros.
    const copy = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) copy.set(points.subarray(row(i), row(i) + dim), i * dim);
    points = finiteRows(copy, dim);
    row = (i: number) => i * dim;
  }
  const centroids = new Float32Array(k * dim);
  const labels = new Int32Array(n);
  const sizes = new Int32Array(k);
  if (n === 0) return { centroids, labels, sizes, clusters: k };
  const random = seededRandom(seed);
  const distance = new Float64Array(n);

  const copyPoint = (cluster: number, i: number) => {
    const from = row(i);
    for (let c = 0; c < dim; c++) centroids[cluster * dim + c] = points[from + c] as number;
  };
  const squaredDistance = (i: number, cluster: number) => {
    const from = row(i);
    let sum = 0;
    for (let c = 0; c < dim; c++) {
      const diff = (points[from + c] as number) - (centroids[cluster * dim + c] as number);
      sum += diff * diff;
    }
    return sum;
  };

  copyPoint(0, Math.floor(random() * n));
  for (let i = 0; i < n; i++) distance[i] = squaredDistance(i, 0);
  for (let cluster = 1; cluster < k; cluster++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += distance[i] as number;
    let target = random() * total;
    let chosen = n - 1;
    for (let i = 0; i < n; i++) {
      target -= distance[i] as number;
      if (target <= 0) {
        chosen = i;
        break;
      }
    }
    copyPoint(cluster, chosen);
    for (let i = 0; i < n; i++) distance[i] = Math.min(distance[i] as number, squaredDistance(i, cluster));
  }

  const sums = new Float64Array(k * dim);
  for (let iteration = 0; iteration <= iterations; iteration++) {
    sizes.fill(0);
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestDistance = Number.POSITIVE_INFINITY;
      for (let cluster = 0; cluster < k; cluster++) {
        const d = squaredDistance(i, cluster);
        if (d < bestDistance) {
          bestDistance = d;
          best = cluster;
        }
      }
      labels[i] = best;
      distance[i] = bestDistance;
      sizes[best] = (sizes[best] as number) + 1;
    }
    if (iteration === iterations) break;
    sums.fill(0);
    for (let i = 0; i < n; i++) {
      const from = row(i);
      const base = (labels[i] as number) * dim;
      for (let c = 0; c < dim; c++) sums[base + c] = (sums[base + c] as number) + (points[from + c] as number);
    }
    for (let cluster = 0; cluster < k; cluster++) {
      const size = sizes[cluster] as number;
      if (size === 0) {
        let far = 0;
        for (let i = 1; i < n; i++) if ((distance[i] as number) > (distance[far] as number)) far = i;
        copyPoint(cluster, far);
        distance[far] = 0;
        continue;
      }
      for (let c = 0; c < dim; c++) centroids[cluster * dim + c] = (sums[cluster * dim + c] as number) / size;
    }
  }
  return { centroids, labels, sizes, clusters: k };
}

function rowsFinite(points: Float32Array, n: number, dim: number, row: (i: number) => number): boolean {
  for (let i = 0; i < n; i++) {
    const from = row(i);
    for (let c = 0; c < dim; c++) {
      const value = points[from + c] as number;
      if (value - value !== 0) return false;
    }
  }
  return true;
}
