import { ChunkwiseError } from '@chunkwise/core';
import { checkFloat32Array, checkInteger, checkOptions, describeValue } from '../argument-checks.js';
import type { AttentionShape } from '../attention-shape.js';
import { KeySelection } from '../masks/key-selection.js';
import { finiteRows, sortByScoreDescending } from './finite-rows.js';
import { resolveSelector, visibleEnd, type SelectorOptions } from './selector-inputs.js';

export interface DhsaOptions extends SelectorOptions {
  /** Keys each query block keeps in all, local ones included. */
  topTokens: number;
  /** Most recent keys always kept (DHSA default 64). */
  localTokens?: number;
  /** Chunk boundaries `0 = b₀ < … < b_C = seqK`; computed from the keys when omitted. */
  boundaries?: Int32Array;
  /** Upper bound on computed chunks (default seqK / 32). */
  maxChunks?: number;
  /** Shortest computed chunk (default 8). */
  minChunk?: number;
}

/**
 * DHSA — Dynamic Hierarchical Sparse Attention (arXiv 2510.24606, code xiongsiheng/DHSA):
 * 1. cut the keys into variable-length chunks; 2. represent each chunk and query block by its
 * head-averaged mean scaled by √length ("avgpool_norm", so long chunks are not drowned by
 * averaging); 3. score query blocks against chunks and upsample the chunk scores to tokens;
 * 4. keep the local tokens plus the top-scoring tokens up to `topTokens`, shared by all heads.
 *
 * DHSA learns its boundary predictor. Without trained weights, the default boundaries here are
 * where the head-averaged key stream changes most (lowest cosine similarity between the means of
 * the four keys before and after a position), which is the signal that predictor is fed.
 */
export function dhsaSelect(q: Float32Array, k: Float32Array, shape: AttentionShape, input: DhsaOptions): KeySelection {
  const selector = resolveSelector(q, k, shape, input);
  const options = checkOptions(input, 'options');
  const { heads, kvHeads, seqQ, seqK, headDim: d } = shape;
  checkInteger(options.topTokens, 'topTokens', 1);
  const localTokens = options.localTokens ?? 64;
  checkInteger(localTokens, 'localTokens', 0);

  // A NaN or ±Inf row counts as zeros (finite-rows.ts): it must not poison its chunk's score.
  const keyMean = headAverage(finiteRows(k, d), kvHeads, seqK, d);
  const queryMean = headAverage(finiteRows(q, d), heads, seqQ, d);
  const maxChunks = options.maxChunks ?? Math.max(1, Math.floor(seqK / 32));
  const minChunk = options.minChunk ?? 8;
  checkInteger(maxChunks, 'maxChunks', 1);
  checkInteger(minChunk, 'minChunk', 1);
  const boundaries = options.boundaries ?? keyBoundaries(keyMean, seqK, d, maxChunks, minChunk);
  validateBoundaries(boundaries, seqK);
  const chunks = boundaries.length - 1;
  const chunkRepr = pooledNorm(keyMean, d, boundaries);

  const selection = new KeySelection({
    name: `DHSA(top ${options.topTokens}, local ${localTokens})`,
    queryBlock: selector.queryBlock,
    queryBlocks: selector.queryBlocks,
    queryOffset: selector.queryOffset,
    seqK,
    groups: 1,
    headsPerGroup: heads,
    causal: selector.causal,
  });
  const blockBounds = new Int32Array(2);
  const scores = new Float64Array(chunks);
  const order = new Int32Array(chunks);
  for (let block = 0; block < selector.queryBlocks; block++) {
    const end = visibleEnd(selector, shape, block);
    const localStart = Math.max(0, end - localTokens);
    selection.keepRange(0, block, localStart, end);
    let budget = options.topTokens - (end - localStart);
    if (budget <= 0) continue;
    blockBounds[0] = block * selector.queryBlock;
    blockBounds[1] = Math.min(seqQ, (block + 1) * selector.queryBlock);
    const queryRepr = pooledNorm(queryMean, d, blockBounds);
    for (let c = 0; c < chunks; c++) {
      let dot = 0;
      for (let x = 0; x < d; x++) dot += (queryRepr[x] as number) * (chunkRepr[c * d + x] as number);
      scores[c] = dot;
      order[c] = c;
    }
    // Upsampled token scores are constant inside a chunk, so top-k tokens = best chunks first.
    sortByScoreDescending(order, scores);
    for (const c of order) {
      if (budget <= 0) break;
      const from = boundaries[c] as number;
      const to = Math.min(boundaries[c + 1] as number, localStart);
      // Fill from the chunk's most recent end when the budget runs out inside it.
      for (let key = to - 1; key >= from && budget > 0; key--) {
        if (selection.isKept(0, block, key)) continue;
        selection.keep(0, block, key);
        budget--;
      }
    }
  }
  return selection;
}

/** Mean over heads of `[heads][seq][d]`, as `[seq][d]`. */
function headAverage(x: Float32Array, heads: number, seq: number, d: number): Float32Array {
  const out = new Float32Array(seq * d);
  for (let h = 0; h < heads; h++) {
    const base = h * seq * d;
    for (let i = 0; i < seq * d; i++) out[i] = (out[i] as number) + (x[base + i] as number) / heads;
  }
  return out;
}

/** Mean of each segment `[b_i, b_{i+1})` times √length (DHSA's length-normalised pooling). */
function pooledNorm(x: Float32Array, d: number, boundaries: Int32Array): Float64Array {
  const segments = boundaries.length - 1;
  const out = new Float64Array(segments * d);
  for (let s = 0; s < segments; s++) {
    const from = boundaries[s] as number;
    const to = boundaries[s + 1] as number;
    for (let i = from; i < to; i++) {
      for (let c = 0; c < d; c++) out[s * d + c] = (out[s * d + c] as number) + (x[i * d + c] as number);
    }
    const factor = to > from ? 1 / Math.sqrt(to - from) : 0; // (sum / n) · √n
    for (let c = 0; c < d; c++) out[s * d + c] = (out[s * d + c] as number) * factor;
  }
  return out;
}

/**
 * Boundaries where the key stream changes most: score each position by 1 − cos(mean of the four
 * keys before, mean of the four from it), then take the highest-scoring positions at least
 * `minChunk` apart, at most `maxChunks − 1` of them.
 */
export function keyBoundaries(keys: Float32Array, seqK: number, d: number, maxChunks: number, minChunk: number): Int32Array {
  checkFloat32Array(keys, 'keys');
  checkInteger(seqK, 'seqK', 1);
  checkInteger(d, 'd', 1);
  if (keys.length !== seqK * d) throw new ChunkwiseError('INVALID_ARGUMENT', `keys has ${keys.length} elements; seqK × d = ${seqK * d}.`);
  checkInteger(maxChunks, 'maxChunks', 1);
  checkInteger(minChunk, 'minChunk', 1);
  keys = finiteRows(keys, d);
  const window = 4;
  const change = new Float64Array(seqK);
  const left = new Float64Array(d);
  const right = new Float64Array(d);
  for (let t = 1; t < seqK; t++) {
    left.fill(0);
    right.fill(0);
    for (let i = Math.max(0, t - window); i < t; i++) for (let c = 0; c < d; c++) left[c] = (left[c] as number) + (keys[i * d + c] as number);
    for (let i = t; i < Math.min(seqK, t + window); i++) for (let c = 0; c < d; c++) right[c] = (right[c] as number) + (keys[i * d + c] as number);
    let dot = 0;
    let nl = 0;
    let nr = 0;
    for (let c = 0; c < d; c++) {
      dot += (left[c] as number) * (right[c] as number);
      nl += (left[c] as number) ** 2;
      nr += (right[c] as number) ** 2;
    }
    change[t] = nl === 0 || nr === 0 ? 0 : 1 - dot / Math.sqrt(nl * nr);
  }
  const candidates = Array.from({ length: Math.max(0, seqK - 1) }, (_, i) => i + 1);
  sortByScoreDescending(candidates, change);
  const taken: number[] = [];
  const blocked = new Uint8Array(seqK + 1);
  for (const t of candidates) {
    if (taken.length >= maxChunks - 1) break;
    if (t < minChunk || seqK - t < minChunk || blocked[t]) continue;
    taken.push(t);
    for (let u = Math.max(0, t - minChunk + 1); u < Math.min(seqK, t + minChunk); u++) blocked[u] = 1;
  }
  taken.sort((a, b) => a - b);
  return Int32Array.from([0, ...taken, seqK]);
}

function validateBoundaries(boundaries: Int32Array, seqK: number): void {
  if (!(boundaries instanceof Int32Array)) throw new ChunkwiseError('INVALID_ARGUMENT', `boundaries must be an Int32Array, got ${describeValue(boundaries)}.`);
  const ok = boundaries.length >= 2 && boundaries[0] === 0 && boundaries[boundaries.length - 1] === seqK && boundaries.every((b, i) => i === 0 || b > (boundaries[i - 1] as number));
  if (!ok) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `boundaries must rise strictly from 0 to seqK (${seqK}).`);
  }
}
