import { ChunkwiseError, createProgress, type ProgressCallback } from '@chunkwise/core';
import { checkChoice, checkFunction, checkInteger, checkOptions, describeValue, MAX_ELEMENTS } from '../argument-checks.js';
import { attention } from '../attention.js';
import { resolveOptions, type AttentionOptions } from '../attention-options.js';
import type { AttentionShape } from '../attention-shape.js';
import type { AttentionMask } from '../masks/attention-mask.js';
import { attentionSinksMask } from '../masks/attention-sinks.js';
import { blockSparseMask } from '../masks/block-sparse.js';
import { KeySelection } from '../masks/key-selection.js';
import { lambdaShapedMask } from '../masks/lambda-shaped.js';
import { slidingWindowMask } from '../masks/sliding-window.js';
import { dhsaSelect } from '../selectors/dhsa.js';
import { longHeadsSelect } from '../selectors/longheads.js';
import { buildKeyClusters, squeezedAttentionSelect, type KeyClusters } from '../selectors/squeezed-attention.js';
import { wasmAvailable } from '../wasm/wasm-kernels.js';
import { simdPeakGflops } from './simd-peak.js';
import { visiblePairs } from './visible-pairs.js';

export interface AttentionBenchmarkOptions {
  /** Sequence lengths for dense causal prefill (default [512, 1024, 2048]). */
  lengths?: number[];
  heads?: number;
  headDim?: number;
  /** Backends to time (default: wasm where available, and js up to 1024). */
  backends?: ('js' | 'wasm')[];
  /** Keys for the sparse comparison (default 32768; 0 skips it). */
  sparseKeys?: number;
  /** Query rows at the end of the sparse sequence (a prefill chunk; default 1024). */
  sparseQueries?: number;
  /** Timed runs per row; the median is reported (default 3). */
  repeats?: number;
  /**
   * Milliseconds clock for every timing (default `performance.now()`). On a shared machine pass
   * a CPU-time clock (`process.cpuUsage`) to measure the kernel rather than the wait for a core.
   */
  clock?: () => number;
  onProgress?: ProgressCallback;
}

export interface AttentionBenchmarkRow {
  kernel: string;
  backend: string;
  mask: string;
  seqQ: number;
  seqK: number;
  heads: number;
  headDim: number;
  /** Median time of the attention call on the chosen clock, ms. */
  ms: number;
  /** Useful FLOPs (4·d per visible pair) per second. */
  gflops: number;
  /** Visible pairs over a dense causal pass. */
  keptFraction: number;
  /** Dense causal time of the same shape divided by this row's (sparse rows only). */
  speedup?: number;
  /** Time to compute the selection (dynamic selectors only), ms. */
  selectMs?: number;
  /** Offline step before selecting (Squeezed Attention's k-means over the fixed context), ms. */
  offlineMs?: number;
  /** Dense causal time divided by selection + this row's attention (dynamic selectors only). */
  speedupWithSelection?: number;
}

export interface AttentionBenchmarkReport {
  rows: AttentionBenchmarkRow[];
  simdPeakGflops: number | undefined;
}

/** Times our kernels alone: dense causal prefill per backend and length, then sparse masks at long length. */
export function runAttentionBenchmark(input: AttentionBenchmarkOptions = {}): AttentionBenchmarkReport {
  const options = checkOptions(input, 'options');
  const heads = options.heads ?? 8;
  const headDim = options.headDim ?? 64;
  const lengths = options.lengths ?? [512, 1024, 2048];
  const repeats = options.repeats ?? 3;
  const clock = options.clock ?? (() => performance.now());
  const sparseKeys = options.sparseKeys ?? 32_768;
  const sparseQueries = options.sparseQueries ?? 1024;
  const backends = options.backends ?? (wasmAvailable() ? ['wasm', 'js'] : ['js']);
  checkInteger(heads, 'heads', 1, 256);
  checkInteger(headDim, 'headDim', 1, 1024);
  if (!Array.isArray(lengths)) throw new ChunkwiseError('INVALID_ARGUMENT', `lengths must be an array of sequence lengths, got ${describeValue(lengths)}.`);
  // Each length allocates heads × n × headDim floats three times; keep that within MAX_ELEMENTS.
  for (const n of lengths) checkInteger(n, 'lengths[]', 1, Math.floor(MAX_ELEMENTS / (heads * headDim)));
  checkInteger(repeats, 'repeats', 1, 1000);
  checkFunction(clock, 'clock');
  checkInteger(sparseKeys, 'sparseKeys', 0, Math.floor(MAX_ELEMENTS / headDim));
  checkInteger(sparseQueries, 'sparseQueries', 1);
  if (!Array.isArray(backends)) throw new ChunkwiseError('INVALID_ARGUMENT', `backends must be an array, got ${describeValue(backends)}.`);
  for (const backend of backends) checkChoice(backend, 'backends[]', ['js', 'wasm'] as const);
  if (options.onProgress !== undefined) checkFunction(options.onProgress, 'onProgress');
  const progress = createProgress(options.onProgress, 'attention benchmark', { total: lengths.length * backends.length + (sparseKeys > 0 ? 8 : 0) });
  const rows: AttentionBenchmarkRow[] = [];

  for (const n of lengths) {
    const shape = { heads, kvHeads: heads, seqQ: n, seqK: n, headDim };
    const inputs = randomInputs(shape, n);
    for (const backend of backends) {
      progress.advance();
      if (backend === 'js' && n > 1024) continue; // scalar JS at 2048+ only restates 1–1.5 GFLOP/s slowly
      rows.push(measure(shape, inputs, { causal: true, backend }, 'causal', repeats, undefined, clock));
    }
  }

  if (sparseKeys > 0) {
    const shape = { heads: 1, kvHeads: 1, seqQ: Math.min(sparseQueries, sparseKeys), seqK: sparseKeys, headDim };
    const inputs = randomInputs(shape, 7);
    const backend = backends[0] ?? 'js';
    const dense = measure(shape, inputs, { causal: true, backend }, 'causal (dense)', repeats, undefined, clock);
    rows.push(dense);
    progress.advance();
    const blocks = Math.ceil(sparseKeys / 64);
    const layout = new Uint8Array(blocks * blocks);
    for (let r = 0; r < blocks; r++) for (let c = 0; c <= r; c++) if (c === 0 || r - c < 4 || (r * 31 + c * 17) % 10 === 0) layout[r * blocks + c] = 1;
    // The offline step (Squeezed Attention clusters a fixed context once, before any query) is
    // timed apart from the per-call selection.
    let offlineMs: number | undefined;
    let clusters: KeyClusters | undefined;
    const cluster = () => {
      const start = clock();
      clusters = buildKeyClusters(inputs.k, shape, { clusters: 128, coarse: 16, iterations: 4 });
      offlineMs = clock() - start;
    };
    const masks: [string, () => AttentionMask, (() => void)?][] = [
      ['sliding window 4096', () => slidingWindowMask({ window: 4096 })],
      ['StreamingLLM sinks 4 + window 4096', () => attentionSinksMask({ sinks: 4, window: 4096 })],
      ['LM-Infinite Λ 100 + 4096', () => lambdaShapedMask({ global: 100, local: 4096 })],
      ['block-sparse 64 (local 4 + 10%)', () => blockSparseMask({ blockSize: 64, queryBlocks: blocks, keyBlocks: blocks, layout })],
      ['DHSA top 4096', () => dhsaSelect(inputs.q, inputs.k, shape, { topTokens: 4096, localTokens: 256 })],
      ['Squeezed Attention 10%', () => squeezedAttentionSelect(inputs.q, inputs.k, shape, clusters as KeyClusters, { keepFraction: 0.1 }), cluster],
      ['LongHeads 16 × 256', () => longHeadsSelect(inputs.q, inputs.k, shape, { chunkSize: 256, maxChunks: 16 })],
    ];
    for (const [name, build, offline] of masks) {
      offlineMs = undefined;
      offline?.();
      const start = clock();
      const mask = build();
      const selectMs = mask instanceof KeySelection ? clock() - start : undefined;
      const row = measure(shape, inputs, { causal: true, backend, mask }, name, repeats, selectMs, clock);
      row.speedup = dense.ms / row.ms;
      if (selectMs !== undefined) row.speedupWithSelection = dense.ms / (selectMs + row.ms);
      if (offlineMs !== undefined) row.offlineMs = offlineMs;
      rows.push(row);
      progress.advance();
    }
  }
  progress.finish();
  let peak: number | undefined;
  if (wasmAvailable()) peak = simdPeakGflops({ clock });
  return { rows, simdPeakGflops: peak };
}

function measure(
  shape: AttentionShape,
  inputs: { q: Float32Array; k: Float32Array; v: Float32Array },
  options: AttentionOptions & { backend: 'js' | 'wasm' },
  mask: string,
  repeats: number,
  selectMs: number | undefined,
  clock: () => number,
): AttentionBenchmarkRow {
  attention(inputs.q, inputs.k, inputs.v, shape, options);
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = clock();
    attention(inputs.q, inputs.k, inputs.v, shape, options);
    times.push(clock() - start);
  }
  times.sort((a, b) => a - b);
  const ms = times[times.length >> 1] as number;
  const resolved = resolveOptions(shape, options);
  const pairs = visiblePairs(shape, resolved);
  const densePairs = visiblePairs(shape, resolveOptions(shape, { causal: true }));
  const row: AttentionBenchmarkRow = {
    kernel: 'flash',
    backend: options.backend,
    mask,
    seqQ: shape.seqQ,
    seqK: shape.seqK,
    heads: shape.heads,
    headDim: shape.headDim,
    ms,
    gflops: (4 * shape.headDim * pairs) / (ms / 1000) / 1e9,
    keptFraction: pairs / densePairs,
  };
  if (selectMs !== undefined) row.selectMs = selectMs;
  return row;
}

function randomInputs(shape: AttentionShape, seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) / 4294967296) * 2 - 1;
  };
  const fill = (length: number) => {
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = next();
    return out;
  };
  return { q: fill(shape.heads * shape.seqQ * shape.headDim), k: fill(shape.kvHeads * shape.seqK * shape.headDim), v: fill(shape.kvHeads * shape.seqK * shape.headDim) };
}
