import { describe, expect, it } from 'vitest';
import type { KeySelection } from '../masks/key-selection.js';
import { randomInputs } from '../__fixtures__/attention-inputs.js';
import { dhsaSelect } from './dhsa.js';
import { longHeadsSelect } from './longheads.js';
import { buildKeyClusters, squeezedAttentionSelect } from './squeezed-attention.js';

const shape = { heads: 4, kvHeads: 2, seqQ: 128, seqK: 512, headDim: 8 };
const { q, k } = randomInputs(shape, 61);

type Select = (keys: Float32Array) => KeySelection;
const selectors: [string, Select][] = [
  ['DHSA, boundaries from the keys', (keys) => dhsaSelect(q, keys, shape, { topTokens: 96, localTokens: 16, queryBlock: 32 })],
  ['DHSA, given boundaries', (keys) => dhsaSelect(q, keys, shape, { topTokens: 96, localTokens: 16, queryBlock: 32, boundaries: Int32Array.from([0, 50, 140, 300, 512]) })],
  ['Squeezed Attention', (keys) => squeezedAttentionSelect(q, keys, shape, buildKeyClusters(keys, shape, { clusters: 12, fixedContext: 400 }), { keepFraction: 0.2, queryBlock: 32 })],
  ['Squeezed Attention, hierarchical', (keys) => squeezedAttentionSelect(q, keys, shape, buildKeyClusters(keys, shape, { clusters: 12, coarse: 3, fixedContext: 400 }), { keepFraction: 0.2, queryBlock: 32 })],
  ['LongHeads', (keys) => longHeadsSelect(q, keys, shape, { chunkSize: 32, maxChunks: 5, queryBlock: 32 })],
];

/** k with `key` overwritten (every KV head) in dimensions `[from, to)`. */
function withKey(key: number, value: number, from = 0, to = shape.headDim): Float32Array {
  const out = Float32Array.from(k);
  for (let h = 0; h < shape.kvHeads; h++) out.fill(value, (h * shape.seqK + key) * shape.headDim + from, (h * shape.seqK + key) * shape.headDim + to);
  return out;
}

const bitsOf = (selection: KeySelection) => Array.from(selection.toData().bits);

describe('selectors read a key holding NaN or ±Inf as a zero vector', () => {
  for (const [name, select] of selectors) {
    it(`${name}: the selection equals the one for that key zeroed`, () => {
      // 200 is inside the fixed context, in the middle of a chunk; 450 is after the fixed context;
      // the last is a key the clean selection keeps for the last query block outside its local keys.
      const clean = select(k);
      const chosen = Array.from(clean.keptKeys(0, clean.queryBlocks - 1)).find((key) => key > 40 && key < 380);
      expect(chosen).toBeDefined();
      for (const key of [3, 200, 450, chosen as number]) {
        const zeroed = bitsOf(select(withKey(key, 0)));
        for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
          expect(bitsOf(select(withKey(key, value))), `${String(value)} in all of key ${key}`).toEqual(zeroed);
          expect(bitsOf(select(withKey(key, value, 2, 3))), `${String(value)} in one dimension of key ${key}`).toEqual(zeroed);
        }
      }
    });
  }

  it('k-means clusters stay finite and label every key', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const clusters = buildKeyClusters(withKey(200, value), shape, { clusters: 12, coarse: 3 });
      const zeroed = buildKeyClusters(withKey(200, 0), shape, { clusters: 12, coarse: 3 });
      for (const [h, level] of clusters.levels.entries()) {
        expect(level.centroids.every(Number.isFinite)).toBe(true);
        expect(Array.from(level.labels)).toEqual(Array.from(zeroed.levels[h]?.labels ?? []));
      }
    }
  });
});

describe('selectors read a query row holding NaN or ±Inf as zeros', () => {
  const withQueryRow = (row: number, value: number) => {
    const out = Float32Array.from(q);
    out.fill(value, row * shape.headDim, (row + 1) * shape.headDim);
    return out;
  };
  const withQuery: [string, (queries: Float32Array) => KeySelection][] = [
    ['DHSA', (queries) => dhsaSelect(queries, k, shape, { topTokens: 96, localTokens: 16, queryBlock: 32 })],
    ['Squeezed Attention', (queries) => squeezedAttentionSelect(queries, k, shape, buildKeyClusters(k, shape, { clusters: 12, fixedContext: 400 }), { keepFraction: 0.2, queryBlock: 32 })],
    ['LongHeads', (queries) => longHeadsSelect(queries, k, shape, { chunkSize: 32, maxChunks: 5, queryBlock: 32 })],
  ];
  for (const [name, select] of withQuery) {
    it(`${name}: one bad query row leaves its block's selection as if the row were zeros`, () => {
      const zeroed = bitsOf(select(withQueryRow(40, 0)));
      for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        expect(bitsOf(select(withQueryRow(40, value))), String(value)).toEqual(zeroed);
      }
    });
  }
});
