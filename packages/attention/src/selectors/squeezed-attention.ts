import { ChunkwiseError } from '@chunkwise/core';
import { checkFloat32Array, checkInteger, checkNumber, checkObject, checkOptions, describeValue } from '../argument-checks.js';
import type { AttentionShape } from '../attention-shape.js';
import { KeySelection } from '../masks/key-selection.js';
import { kMeans, MAX_ITERATIONS } from './kmeans.js';
import { finiteRows, sortByScoreDescending } from './finite-rows.js';
import { resolveSelector, visibleEnd, type SelectorOptions } from './selector-inputs.js';

export interface KeyClusterOptions {
  /** Clusters per KV head (the fine level when hierarchical); default ⌈fixedContext / 64⌉. */
  clusters?: number;
  /** Two-level lookup: this many coarse clusters, each split into `clusters / coarse` fine ones. */
  coarse?: number;
  /** Keys `[0, fixedContext)` are the fixed context that gets clustered (default: all). */
  fixedContext?: number;
  iterations?: number;
  seed?: number;
}

/** Offline part of Squeezed Attention: per-KV-head centroids of the fixed-context keys. */
export interface KeyClusters {
  fixedContext: number;
  kvHeads: number;
  headDim: number;
  /** Per KV head: fine centroids `[clusters][d]`, sizes, labels, and the coarse parent of each fine cluster. */
  levels: {
    centroids: Float32Array;
    sizes: Int32Array;
    labels: Int32Array;
    clusters: number;
    coarseCentroids?: Float32Array;
    coarseOf?: Int32Array;
    coarseClusters?: number;
  }[];
}

/**
 * Clusters each KV head's fixed-context keys with k-means (Squeezed Attention, arXiv 2411.09688
 * §3.1: done once, offline, for a context reused across queries). With `coarse`, it builds the
 * hierarchical variant (§3.3): coarse centroids first, then fine centroids inside each coarse one.
 */
export function buildKeyClusters(keys: Float32Array, shape: Pick<AttentionShape, 'kvHeads' | 'seqK' | 'headDim'>, input: KeyClusterOptions = {}): KeyClusters {
  checkFloat32Array(keys, 'k');
  checkObject(shape, 'shape');
  const options = checkOptions(input, 'options');
  const { kvHeads, seqK, headDim: d } = shape;
  checkInteger(kvHeads, 'shape.kvHeads', 1);
  checkInteger(seqK, 'shape.seqK', 1);
  checkInteger(d, 'shape.headDim', 1);
  if (keys.length !== kvHeads * seqK * d) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `k has ${keys.length} elements; kvHeads × seqK × headDim = ${kvHeads * seqK * d}.`);
  }
  // A NaN or ±Inf key clusters as a zero vector (finite-rows.ts) instead of poisoning a centroid.
  const k = finiteRows(keys, d);
  const fixedContext = options.fixedContext ?? seqK;
  checkInteger(fixedContext, 'fixedContext', 0);
  if (fixedContext > seqK) throw new ChunkwiseError('INVALID_ARGUMENT', `fixedContext (${fixedContext}) exceeds seqK (${seqK}).`);
  const clusters = options.clusters ?? Math.max(1, Math.ceil(fixedContext / 64));
  checkInteger(clusters, 'clusters', 1);
  const iterations = options.iterations ?? 8;
  const seed = options.seed ?? 1;
  checkInteger(iterations, 'iterations', 0, MAX_ITERATIONS);
  checkNumber(seed, 'seed');
  const levels: KeyClusters['levels'] = [];
  for (let h = 0; h < kvHeads; h++) {
    const offset = h * seqK * d;
    if (options.coarse === undefined) {
      const flat = kMeans(k, fixedContext, d, clusters, { iterations, seed, offset });
      levels.push({ centroids: flat.centroids, sizes: flat.sizes, labels: flat.labels, clusters: flat.clusters });
      continue;
    }
    checkInteger(options.coarse, 'coarse', 1);
    const coarse = kMeans(k, fixedContext, d, options.coarse, { iterations, seed, offset });
    const finePer = Math.max(1, Math.round(clusters / coarse.clusters));
    const centroids: number[] = [];
    const sizes: number[] = [];
    const coarseOf: number[] = [];
    const labels = new Int32Array(fixedContext);
    for (let c = 0; c < coarse.clusters; c++) {
      const members: number[] = [];
      for (let i = 0; i < fixedContext; i++) if (coarse.labels[i] === c) members.push(i);
      if (members.length === 0) continue;
      const fine = kMeans(k, fixedContext, d, finePer, { iterations, seed: seed + c + 1, offset, indices: Int32Array.from(members) });
      const first = sizes.length;
      for (let f = 0; f < fine.clusters; f++) {
        for (let x = 0; x < d; x++) centroids.push(fine.centroids[f * d + x] as number);
        sizes.push(fine.sizes[f] as number);
        coarseOf.push(c);
      }
      members.forEach((i, m) => (labels[i] = first + (fine.labels[m] as number)));
    }
    levels.push({
      centroids: Float32Array.from(centroids),
      sizes: Int32Array.from(sizes),
      labels,
      clusters: sizes.length,
      coarseCentroids: coarse.centroids,
      coarseOf: Int32Array.from(coarseOf),
      coarseClusters: coarse.clusters,
    });
  }
  return { fixedContext, kvHeads, headDim: d, levels };
}

export interface SqueezedAttentionOptions extends SelectorOptions {
  /**
   * Keep a cluster when its estimated attention per key, S_j = e^{s·q·C_j} / Σ_k N_k e^{s·q·C_k}
   * averaged over the block's queries and the KV group's heads, exceeds this (the paper's global
   * threshold, calibrated offline for a target sparsity).
   */
  threshold?: number;
  /** Or: keep the best clusters until this fraction of the fixed context is kept (default 0.25). */
  keepFraction?: number;
  /** Logit scale; default 1/√headDim. */
  scale?: number;
}

/**
 * Online part of Squeezed Attention (arXiv 2411.09688 §3.2): score centroids against the queries,
 * keep the keys of the clusters with the highest estimated attention, and always keep the keys
 * after the fixed context (the user input). Hierarchical clusters score coarse centroids first and
 * only look at fine centroids inside the coarse clusters that survive.
 */
export function squeezedAttentionSelect(
  query: Float32Array,
  k: Float32Array,
  shape: AttentionShape,
  clusters: KeyClusters,
  input: SqueezedAttentionOptions = {},
): KeySelection {
  const selector = resolveSelector(query, k, shape, input);
  const options = checkOptions(input, 'options');
  const { heads, kvHeads, seqQ, seqK, headDim: d } = shape;
  const q = finiteRows(query, d);
  checkClusters(clusters, kvHeads, seqK, d);
  const scale = options.scale ?? 1 / Math.sqrt(d);
  const keepFraction = options.keepFraction ?? 0.25;
  checkNumber(scale, 'scale');
  checkNumber(keepFraction, 'keepFraction', 0, 1);
  if (options.threshold !== undefined) checkNumber(options.threshold, 'threshold');
  const group = heads / kvHeads;
  const selection = new KeySelection({
    name: options.threshold !== undefined ? `Squeezed(threshold ${options.threshold})` : `Squeezed(keep ${keepFraction})`,
    queryBlock: selector.queryBlock,
    queryBlocks: selector.queryBlocks,
    queryOffset: selector.queryOffset,
    seqK,
    groups: kvHeads,
    headsPerGroup: group,
    causal: selector.causal,
  });
  for (let kvHead = 0; kvHead < kvHeads; kvHead++) {
    const level = clusters.levels[kvHead] as KeyClusters['levels'][number];
    const members = membersByCluster(level.labels, level.clusters);
    for (let block = 0; block < selector.queryBlocks; block++) {
      const rows: number[] = [];
      for (let h = kvHead * group; h < (kvHead + 1) * group; h++) {
        for (let i = block * selector.queryBlock; i < Math.min(seqQ, (block + 1) * selector.queryBlock); i++) rows.push((h * seqQ + i) * d);
      }
      let candidates: number[] | undefined;
      if (level.coarseCentroids && level.coarseOf && level.coarseClusters) {
        // Level 1: keep coarse clusters by the same rule, then refine only inside them.
        const coarseSizes = new Int32Array(level.coarseClusters);
        level.coarseOf.forEach((c, f) => (coarseSizes[c] = (coarseSizes[c] as number) + (level.sizes[f] as number)));
        const coarseScores = estimatedAttention(q, rows, level.coarseCentroids, coarseSizes, d, scale);
        const keptCoarse = pickClusters(coarseScores, coarseSizes, clusters.fixedContext, options.threshold, Math.min(1, keepFraction * 2));
        candidates = [];
        level.coarseOf.forEach((c, f) => {
          if (keptCoarse.has(c)) candidates?.push(f);
        });
      }
      const fineScores = estimatedAttention(q, rows, level.centroids, level.sizes, d, scale, candidates);
      const kept = pickClusters(fineScores, level.sizes, clusters.fixedContext, options.threshold, keepFraction, candidates);
      const end = visibleEnd(selector, shape, block);
      for (const cluster of kept) {
        for (const key of members[cluster] as number[]) if (key < end) selection.keep(kvHead, block, key);
      }
      selection.keepRange(kvHead, block, clusters.fixedContext, end);
    }
  }
  return selection;
}

/** Throws INVALID_ARGUMENT unless `clusters` is what `buildKeyClusters` made for this shape. */
function checkClusters(clusters: KeyClusters, kvHeads: number, seqK: number, d: number): void {
  checkObject(clusters, 'clusters');
  const wrong = (why: string) => new ChunkwiseError('INVALID_ARGUMENT', `These key clusters do not fit this call (${why}); build them with buildKeyClusters for the same k and shape.`);
  if (clusters.kvHeads !== kvHeads || clusters.headDim !== d || !Number.isSafeInteger(clusters.fixedContext) || clusters.fixedContext < 0 || clusters.fixedContext > seqK) throw wrong('shape');
  if (!Array.isArray(clusters.levels) || clusters.levels.length !== kvHeads) throw wrong(`levels: ${describeValue(clusters.levels)}`);
  for (const level of clusters.levels) {
    const count = (level as { clusters?: unknown } | null)?.clusters;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) throw wrong('cluster count');
    const { centroids, sizes, labels, coarseCentroids, coarseOf, coarseClusters } = level;
    if (!(centroids instanceof Float32Array) || centroids.length !== count * d) throw wrong('centroids');
    if (!(sizes instanceof Int32Array) || sizes.length !== count) throw wrong('sizes');
    if (!(labels instanceof Int32Array) || labels.length !== clusters.fixedContext || labels.some((label) => label < 0 || label >= count)) throw wrong('labels');
    if (coarseCentroids !== undefined || coarseOf !== undefined || coarseClusters !== undefined) {
      if (!Number.isSafeInteger(coarseClusters) || (coarseClusters as number) < 1) throw wrong('coarse cluster count');
      if (!(coarseCentroids instanceof Float32Array) || coarseCentroids.length !== (coarseClusters as number) * d) throw wrong('coarse centroids');
      if (!(coarseOf instanceof Int32Array) || coarseOf.length !== count || coarseOf.some((c) => c < 0 || c >= (coarseClusters as number))) throw wrong('coarse parents');
    }
  }
}

/** S_j averaged over the given query rows; `-1` for clusters not among `candidates`. */
function estimatedAttention(
  q: Float32Array,
  rows: number[],
  centroids: Float32Array,
  sizes: Int32Array,
  d: number,
  scale: number,
  candidates?: number[],
): Float64Array {
  const count = sizes.length;
  const list = candidates ?? Array.from({ length: count }, (_, j) => j);
  const out = new Float64Array(count).fill(-1);
  for (const j of list) out[j] = 0;
  const logits = new Float64Array(count);
  for (const row of rows) {
    let max = Number.NEGATIVE_INFINITY;
    for (const j of list) {
      let dot = 0;
      for (let c = 0; c < d; c++) dot += (q[row + c] as number) * (centroids[j * d + c] as number);
      logits[j] = dot * scale;
      if ((sizes[j] as number) > 0 && (logits[j] as number) > max) max = logits[j] as number;
    }
    let denominator = 0;
    for (const j of list) denominator += (sizes[j] as number) * Math.exp((logits[j] as number) - max);
    for (const j of list) out[j] = (out[j] as number) + Math.exp((logits[j] as number) - max) / denominator / rows.length;
  }
  return out;
}

/** Clusters above `threshold`, or the best ones until `fraction` of `total` keys is covered. */
function pickClusters(
  scores: Float64Array,
  sizes: Int32Array,
  total: number,
  threshold: number | undefined,
  fraction: number,
  candidates?: number[],
): Set<number> {
  const list = candidates ?? Array.from({ length: scores.length }, (_, j) => j);
  const kept = new Set<number>();
  if (threshold !== undefined) {
    for (const j of list) if ((scores[j] as number) > threshold) kept.add(j);
    return kept;
  }
  const budget = Math.ceil(fraction * total);
  let covered = 0;
  const order = [...list];
  sortByScoreDescending(order, scores);
  for (const j of order) {
    if (covered >= budget) break;
    if ((sizes[j] as number) === 0) continue;
    kept.add(j);
    covered += sizes[j] as number;
  }
  return kept;
}

function membersByCluster(labels: Int32Array, clusters: number): number[][] {
  const members: number[][] = Array.from({ length: clusters }, () => []);
  labels.forEach((cluster, key) => members[cluster]?.push(key));
  return members;
}
