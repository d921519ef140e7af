import type { AttentionShape } from './attention-shape.js';
import type { ResolvedOptions } from './attention-options.js';

/**
 * The test oracle: materialises every score row and accumulates in float64. Slow and O(seqK)
 * scratch per row, but obviously right. Rows with no visible key give zeros and LSE −∞.
 */
export function referenceAttention64(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  shape: AttentionShape,
  options: Pick<ResolvedOptions, 'scale' | 'queryOffset' | 'combinedMask'>,
): { output: Float64Array; lse: Float64Array } {
  const { heads, kvHeads, seqQ, seqK, headDim } = shape;
  const group = heads / kvHeads;
  const output = new Float64Array(heads * seqQ * headDim);
  const lse = new Float64Array(heads * seqQ);
  const scores = new Float64Array(seqK);
  const { scale, queryOffset, combinedMask: mask } = options;
  for (let h = 0; h < heads; h++) {
    const kvBase = Math.floor(h / group) * seqK * headDim;
    for (let i = 0; i < seqQ; i++) {
      const qBase = (h * seqQ + i) * headDim;
      const position = queryOffset + i;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < seqK; j++) {
        if (mask && !mask.allows(h, position, j)) {
          scores[j] = Number.NEGATIVE_INFINITY;
          continue;
        }
        let dot = 0;
        for (let c = 0; c < headDim; c++) dot += (q[qBase + c] as number) * (k[kvBase + j * headDim + c] as number);
        const score = dot * scale;
        scores[j] = score;
        if (score > max) max = score;
      }
      const row = h * seqQ + i;
      if (max === Number.NEGATIVE_INFINITY) {
        lse[row] = Number.NEGATIVE_INFINITY;
        continue;
      }
      let sum = 0;
      for (let j = 0; j < seqK; j++) {
        const weight = Math.exp((scores[j] as number) - max);
        scores[j] = weight;
        sum += weight;
      }
      lse[row] = max + Math.log(sum);
      for (let j = 0; j < seqK; j++) {
        const weight = (scores[j] as number) / sum;
        if (weight === 0) continue;
        for (let c = 0; c < headDim; c++) output[qBase + c] = (output[qBase + c] as number) + weight * (v[kvBase + j * headDim + c] as number);
      }
    }
  }
  return { output, lse };
}
