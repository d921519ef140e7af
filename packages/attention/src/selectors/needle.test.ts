import { describe, expect, it } from 'vitest';
import { attention } from '../attention.js';
import { resolveOptions } from '../attention-options.js';
import type { KeySelection } from '../masks/key-selection.js';
import { referenceAttention64 } from '../reference-attention.js';
import { maxRelativeError } from '../__fixtures__/attention-inputs.js';
import { needleInputs } from '../__fixtures__/needle.js';
import { dhsaSelect } from './dhsa.js';
import { longHeadsSelect } from './longheads.js';
import { buildKeyClusters, squeezedAttentionSelect } from './squeezed-attention.js';

// 32k keys, one head, headDim 16, 16 query rows at the end of the sequence.
const { shape, q, k, v, needle } = needleInputs(32_768, 16, 16, 2024);

const selectors: [string, () => KeySelection][] = [
  ['DHSA', () => dhsaSelect(q, k, shape, { topTokens: 2048, localTokens: 64, queryBlock: 16 })],
  ['Squeezed Attention', () => squeezedAttentionSelect(q, k, shape, buildKeyClusters(k, shape, { clusters: 64, iterations: 4 }), { keepFraction: 0.05, queryBlock: 16 })],
  ['Squeezed Attention, hierarchical', () => squeezedAttentionSelect(q, k, shape, buildKeyClusters(k, shape, { clusters: 64, coarse: 8, iterations: 4 }), { keepFraction: 0.05, queryBlock: 16 })],
  ['LongHeads', () => longHeadsSelect(q, k, shape, { chunkSize: 256, maxChunks: 8, queryBlock: 16 })],
];

describe('needle in a 32k haystack', () => {
  for (const [name, select] of selectors) {
    it(`${name} keeps the needle, gives it the top weight and matches the reference on its kept keys`, () => {
      const selection = select();
      const fraction = selection.keptFraction();
      expect(fraction).toBeGreaterThan(0);
      expect(fraction).toBeLessThan(0.1);
      for (let row = 0; row < shape.seqQ; row++) expect(selection.allows(0, shape.seqK - shape.seqQ + row, needle)).toBe(true);

      const { output, lse } = attention(q, k, v, shape, { causal: true, mask: selection, returnLse: true });
      const expected = referenceAttention64(q, k, v, shape, resolveOptions(shape, { causal: true, mask: selection }));
      expect(maxRelativeError(output, expected.output)).toBeLessThanOrEqual(1e-4);

      // The needle's softmax weight is the largest among the kept keys for every query row.
      const scale = 1 / Math.sqrt(shape.headDim);
      for (let row = 0; row < shape.seqQ; row++) {
        const position = shape.seqK - shape.seqQ + row;
        let best = -1;
        let bestLogit = Number.NEGATIVE_INFINITY;
        for (const key of selection.keysFor(0, position, position + 1)) {
          if (key > position) continue;
          let dot = 0;
          for (let c = 0; c < shape.headDim; c++) dot += (q[row * shape.headDim + c] as number) * (k[key * shape.headDim + c] as number);
          if (dot * scale > bestLogit) {
            bestLogit = dot * scale;
            best = key;
          }
        }
        expect(best).toBe(needle);
        expect(Math.exp(bestLogit - (lse?.[row] as number))).toBeGreaterThan(0.5);
      }
    });
  }
});
