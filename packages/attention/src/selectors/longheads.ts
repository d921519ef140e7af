import { checkInteger, checkNumber, checkOptions } from '../argument-checks.js';
import type { AttentionShape } from '../attention-shape.js';
import { KeySelection } from '../masks/key-selection.js';
import { finiteRows, sortByScoreDescending } from './finite-rows.js';
import { resolveSelector, visibleEnd, type SelectorOptions } from './selector-inputs.js';

export interface LongHeadsOptions extends SelectorOptions {
  /** Keys per chunk (LongHeads `window_size`, default 256). */
  chunkSize?: number;
  /** Chunks each head attends to, first and local ones included (`atten_length / window_size`, default 16). */
  maxChunks?: number;
  /** Logit scale for the chunk-key pooling; default 1/√headDim. */
  scale?: number;
}

/**
 * LongHeads (arXiv 2402.10685, code LuLuLuyi/LongHeads): every head picks its own chunks, so the
 * heads together cover a long context while each stays within its trained length. A chunk's key is
 * the attention-weighted average of its keys, queried by their mean (the paper's
 * `sdpa(mean_feature, chunk_keys, chunk_keys)`); a query block scores chunks by its best
 * query·chunk-key; the first chunk and the two most recent chunks are always kept, the rest of the
 * budget goes to the top-scoring chunks.
 */
export function longHeadsSelect(query: Float32Array, key: Float32Array, shape: AttentionShape, input: LongHeadsOptions = {}): KeySelection {
  const selector = resolveSelector(query, key, shape, input);
  const options = checkOptions(input, 'options');
  const { heads, kvHeads, seqQ, seqK, headDim: d } = shape;
  // A NaN or ±Inf row counts as zeros (finite-rows.ts): it must not poison its chunk's key.
  const q = finiteRows(query, d);
  const k = finiteRows(key, d);
  const chunkSize = options.chunkSize ?? 256;
  const maxChunks = options.maxChunks ?? 16;
  checkInteger(chunkSize, 'chunkSize', 1);
  checkInteger(maxChunks, 'maxChunks', 1);
  const scale = options.scale ?? 1 / Math.sqrt(d);
  checkNumber(scale, 'scale');
  const chunks = Math.ceil(seqK / chunkSize);
  const chunkKeys = new Float64Array(kvHeads * chunks * d);
  for (let h = 0; h < kvHeads; h++) {
    for (let c = 0; c < chunks; c++) poolChunkKey(k, (h * seqK + c * chunkSize) * d, Math.min(chunkSize, seqK - c * chunkSize), d, scale, chunkKeys, (h * chunks + c) * d);
  }
  const group = heads / kvHeads;
  const selection = new KeySelection({
    name: `LongHeads(${maxChunks} × ${chunkSize})`,
    queryBlock: selector.queryBlock,
    queryBlocks: selector.queryBlocks,
    queryOffset: selector.queryOffset,
    seqK,
    groups: heads,
    headsPerGroup: 1,
    causal: selector.causal,
  });
  const scores = new Float64Array(chunks);
  for (let h = 0; h < heads; h++) {
    const kvHead = Math.floor(h / group);
    for (let block = 0; block < selector.queryBlocks; block++) {
      const end = visibleEnd(selector, shape, block);
      const visibleChunks = Math.ceil(end / chunkSize);
      if (visibleChunks === 0) continue;
      const chosen = new Set<number>([0, visibleChunks - 1]);
      if (visibleChunks >= 2) chosen.add(visibleChunks - 2);
      const firstRow = block * selector.queryBlock;
      const lastRow = Math.min(seqQ, firstRow + selector.queryBlock);
      const candidates: number[] = [];
      for (let c = 0; c < visibleChunks; c++) {
        if (chosen.has(c)) continue;
        let best = Number.NEGATIVE_INFINITY;
        for (let i = firstRow; i < lastRow; i++) {
          const qBase = (h * seqQ + i) * d;
          let dot = 0;
          for (let x = 0; x < d; x++) dot += (q[qBase + x] as number) * (chunkKeys[(kvHead * chunks + c) * d + x] as number);
          if (dot > best) best = dot;
        }
        scores[c] = best;
        candidates.push(c);
      }
      sortByScoreDescending(candidates, scores);
      for (const c of candidates) {
        if (chosen.size >= maxChunks) break;
        chosen.add(c);
      }
      for (const c of chosen) selection.keepRange(h, block, c * chunkSize, Math.min(end, (c + 1) * chunkSize));
    }
  }
  return selection;
}

function poolChunkKey(k: Float32Array, base: number, length: number, d: number, scale: number, out: Float64Array, outBase: number): void {
  const mean = new Float64Array(d);
  for (let j = 0; j < length; j++) for (let x = 0; x < d; x++) mean[x] = (mean[x] as number) + (k[base + j * d + x] as number) / length;
  const logits = new Float64Array(length);
  let max = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < length; j++) {
    let dot = 0;
    for (let x = 0; x < d; x++) dot += (mean[x] as number) * (k[base + j * d + x] as number);
    logits[j] = dot * scale;
    if ((logits[j] as number) > max) max = logits[j] as number;
  }
  let sum = 0;
  for (let j = 0; j < length; j++) {
    logits[j] = Math.exp((logits[j] as number) - max);
    sum += logits[j] as number;
  }
  for (let j = 0; j < length; j++) {
    const weight = (logits[j] as number) / sum;
    for (let x = 0; x < d; x++) out[outBase + x] = (out[outBase + x] as number) + weight * (k[base + j * d + x] as number);
  }
}
