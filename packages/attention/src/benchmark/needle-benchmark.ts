import { ChunkwiseError, createProgress, type ProgressCallback } from '@chunkwise/core';
import { checkChoice, checkFunction, checkInteger, checkOptions, describeValue } from '../argument-checks.js';
import { attention } from '../attention.js';
import type { KeySelection } from '../masks/key-selection.js';
import { dhsaSelect } from '../selectors/dhsa.js';
import { longHeadsSelect } from '../selectors/longheads.js';
import { buildKeyClusters, squeezedAttentionSelect, type KeyClusters } from '../selectors/squeezed-attention.js';
import { wasmAvailable } from '../wasm/wasm-kernels.js';
import { checkHaystackOptions, needleHaystack, type NeedleHaystack } from './needle-haystack.js';

export interface NeedleBenchmarkOptions {
  /** Keys (default 32768). */
  seqK?: number;
  /** Query rows at the end of the sequence, one selection block (default 16). */
  seqQ?: number;
  /** Head size (default 64). */
  headDim?: number;
  /** Haystacks per needle size, seeds 1 … trials (default 5). */
  trials?: number;
  /** Needle lengths in tokens (default [1, 16]: one key, and a sentence). */
  needleTokens?: number[];
  /** Near-duplicate distractor spans per haystack (default 8). */
  distractors?: number;
  backend?: 'js' | 'wasm';
  /** Milliseconds clock for every timing (default `performance.now()`). */
  clock?: () => number;
  onProgress?: ProgressCallback;
}

export interface NeedleBenchmarkRow {
  selector: string;
  needleTokens: number;
  trials: number;
  /** Mean over the haystacks of the share of needle tokens every query row keeps. */
  recall: number;
  /** Mean kept fraction of the keys a dense causal pass would see. */
  keptFraction: number;
  /** Median offline step (Squeezed Attention's k-means over the fixed context), ms; 0 if none. */
  offlineMs: number;
  /** Median online selection, ms. */
  selectMs: number;
  /** Median sparse attention call on the selection, ms. */
  sparseMs: number;
  /** Median dense causal attention of the same rows, ms. */
  denseMs: number;
  /** denseMs / sparseMs: the speed-up the kernel alone sees. */
  speedup: number;
  /** denseMs / (selectMs + sparseMs): the speed-up a caller sees when it selects per call. */
  speedupWithSelection: number;
  /** denseMs / (offlineMs + selectMs + sparseMs): with the offline step paid on every call too. */
  speedupWithOffline: number;
}

export interface NeedleBenchmarkReport {
  rows: NeedleBenchmarkRow[];
  /** Mean softmax weight the dense attention puts on the needle tokens, per needle size. */
  denseNeedleWeight: Record<number, number>;
}

interface Selector {
  name: string;
  offline?: (haystack: NeedleHaystack) => KeyClusters;
  select: (haystack: NeedleHaystack, clusters: KeyClusters | undefined) => KeySelection;
}

/**
 * Needle retrieval of every dynamic selector on realistic haystacks (`needleHaystack`: the needle
 * has the haystack's norms and near-duplicate distractors) and what selection costs: recall, kept
 * fraction, and speed-up over dense causal attention with and without the selection time.
 * Budgets are about 6% of the keys for every selector.
 */
export function runNeedleBenchmark(input: NeedleBenchmarkOptions = {}): NeedleBenchmarkReport {
  const options = checkOptions(input, 'options');
  const seqK = options.seqK ?? 32_768;
  const seqQ = options.seqQ ?? 16;
  const headDim = options.headDim ?? 64;
  const trials = options.trials ?? 5;
  const sizes = options.needleTokens ?? [1, 16];
  const clock = options.clock ?? (() => performance.now());
  const backend = options.backend ?? (wasmAvailable() ? 'wasm' : 'js');
  checkInteger(trials, 'trials', 1, 1000);
  if (!Array.isArray(sizes) || sizes.length === 0) throw new ChunkwiseError('INVALID_ARGUMENT', `needleTokens must be a non-empty array of needle lengths, got ${describeValue(sizes)}.`);
  for (const size of sizes) checkInteger(size, 'needleTokens[]', 1);
  checkFunction(clock, 'clock');
  checkChoice(backend, 'backend', ['js', 'wasm'] as const);
  if (options.onProgress !== undefined) checkFunction(options.onProgress, 'onProgress');
  // Wrong sizes fail before any timing.
  for (const needleTokens of sizes) checkHaystackOptions({ seqK, seqQ, headDim, seed: 0, needleTokens, distractors: options.distractors ?? 8 });
  const queryBlock = seqQ;
  const chunkSize = Math.min(256, Math.max(8, Math.floor(seqK / 128)));
  const selectors: Selector[] = [
    { name: `DHSA (top ${Math.round(seqK / 16)})`, select: (h) => dhsaSelect(h.q, h.k, h.shape, { topTokens: Math.round(seqK / 16), localTokens: 64, queryBlock }) },
    {
      name: 'Squeezed Attention (64 clusters)',
      offline: (h) => buildKeyClusters(h.k, h.shape, { clusters: 64, iterations: 4 }),
      select: (h, clusters) => squeezedAttentionSelect(h.q, h.k, h.shape, clusters as KeyClusters, { keepFraction: 0.05, queryBlock }),
    },
    {
      name: 'Squeezed Attention, hierarchical (8 × 8)',
      offline: (h) => buildKeyClusters(h.k, h.shape, { clusters: 64, coarse: 8, iterations: 4 }),
      select: (h, clusters) => squeezedAttentionSelect(h.q, h.k, h.shape, clusters as KeyClusters, { keepFraction: 0.05, queryBlock }),
    },
    {
      name: `LongHeads (${Math.max(3, Math.round(seqK / chunkSize / 16))} × ${chunkSize})`,
      select: (h) => longHeadsSelect(h.q, h.k, h.shape, { chunkSize, maxChunks: Math.max(3, Math.round(seqK / chunkSize / 16)), queryBlock }),
    },
  ];
  const progress = createProgress(options.onProgress, 'needle benchmark', { total: sizes.length * trials });
  const rows: NeedleBenchmarkRow[] = [];
  const denseNeedleWeight: Record<number, number> = {};
  for (const needleTokens of sizes) {
    const samples = selectors.map(() => ({ recall: 0, kept: 0, offline: [] as number[], select: [] as number[], sparse: [] as number[] }));
    const dense: number[] = [];
    let weight = 0;
    for (let trial = 1; trial <= trials; trial++) {
      const haystack = needleHaystack({ seqK, seqQ, headDim, seed: trial, needleTokens, distractors: options.distractors ?? 8 });
      const { q, k, v, shape } = haystack;
      let start = clock();
      const reference = attention(q, k, v, shape, { causal: true, backend, returnLse: true });
      dense.push(clock() - start);
      weight += needleWeight(haystack, reference.lse as Float32Array) / trials;
      selectors.forEach((selector, s) => {
        const sample = samples[s] as (typeof samples)[number];
        start = clock();
        const clusters = selector.offline?.(haystack);
        sample.offline.push(selector.offline ? clock() - start : 0);
        start = clock();
        const selection = selector.select(haystack, clusters);
        sample.select.push(clock() - start);
        start = clock();
        attention(q, k, v, shape, { causal: true, backend, mask: selection });
        sample.sparse.push(clock() - start);
        sample.recall += keptNeedleShare(haystack, selection) / trials;
        sample.kept += selection.keptFraction() / trials;
      });
      progress.advance();
    }
    denseNeedleWeight[needleTokens] = weight;
    const denseMs = median(dense);
    selectors.forEach((selector, s) => {
      const sample = samples[s] as (typeof samples)[number];
      const offlineMs = median(sample.offline);
      const selectMs = median(sample.select);
      const sparseMs = median(sample.sparse);
      rows.push({
        selector: selector.name,
        needleTokens,
        trials,
        recall: sample.recall,
        keptFraction: sample.kept,
        offlineMs,
        selectMs,
        sparseMs,
        denseMs,
        speedup: denseMs / sparseMs,
        speedupWithSelection: denseMs / (selectMs + sparseMs),
        speedupWithOffline: denseMs / (offlineMs + selectMs + sparseMs),
      });
    });
  }
  progress.finish();
  return { rows, denseNeedleWeight };
}

/** Share of the needle's tokens that every query row keeps. */
function keptNeedleShare({ shape, needle, needleTokens }: NeedleHaystack, selection: KeySelection): number {
  let kept = 0;
  for (let t = 0; t < needleTokens; t++) {
    let everyRow = true;
    for (let row = 0; row < shape.seqQ && everyRow; row++) everyRow = selection.allows(0, shape.seqK - shape.seqQ + row, needle + t);
    if (everyRow) kept++;
  }
  return kept / needleTokens;
}

/** Mean over query rows of the dense softmax weight on the needle tokens. */
function needleWeight({ shape, q, k, needle, needleTokens }: NeedleHaystack, lse: Float32Array): number {
  const d = shape.headDim;
  const scale = 1 / Math.sqrt(d);
  let total = 0;
  for (let row = 0; row < shape.seqQ; row++) {
    for (let t = 0; t < needleTokens; t++) {
      let dot = 0;
      for (let c = 0; c < d; c++) dot += (q[row * d + c] as number) * (k[(needle + t) * d + c] as number);
      total += Math.exp(dot * scale - (lse[row] as number));
    }
  }
  return total / shape.seqQ;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}
