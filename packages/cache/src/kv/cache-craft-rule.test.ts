import { attention } from '@chunkwise/attention';
import { seededRandom } from '@chunkwise/core';
import { describe, expect, it } from 'vitest';
import { cacheCraftRule, contextImpactFromLse } from './cache-craft-rule.js';
import { ChunkKVCache, type ChunkKVEntry } from './chunk-kv-cache.js';
import { decodeChunkKVRecord, encodeChunkKVRecord } from './chunk-kv-record.js';

const heads = 2;
const headDim = 4;

/** Queries of a chunk and keys of its prefix and of itself, [heads][seq][headDim], seeded. */
function tensors(seed: number, prefix: number, length: number, spread = 1) {
  const rand = seededRandom(seed);
  const make = (seq: number) => Float32Array.from({ length: heads * seq * headDim }, () => (rand() - 0.5) * 2 * spread);
  return { q: make(length), prefixK: make(prefix), chunkK: make(length) };
}

/** Per token, the share of the chunk's attention on prefix keys, from the LSEs of two attention calls. */
function measuredImpact(t: ReturnType<typeof tensors>, prefix: number, length: number): Float32Array {
  const shape = { heads, kvHeads: heads, headDim };
  const fromPrefix = attention(t.q, t.prefixK, t.prefixK, { ...shape, seqQ: length, seqK: prefix }, { returnLse: true, kernel: 'reference' });
  const fromChunk = attention(t.q, t.chunkK, t.chunkK, { ...shape, seqQ: length, seqK: length }, { causal: true, returnLse: true, kernel: 'reference' });
  return contextImpactFromLse(fromPrefix.lse!, fromChunk.lse!, heads);
}

const entryWith = (impact: Float32Array | undefined, prefixKeys: string[], position = 0): ChunkKVEntry<null> => ({
  key: 'c',
  length: impact?.length ?? 10,
  position,
  prefixKeys,
  kv: null,
  bytes: 1,
  cost: 1,
  frequency: 1,
  priority: 0,
  ...(impact ? { impact } : {}),
});

describe('contextImpactFromLse', () => {
  it('equals the softmax mass each token puts on the prefix, averaged over heads (brute force)', () => {
    const prefix = 7;
    const length = 5;
    const t = tensors(3, prefix, length, 2);
    const impact = measuredImpact(t, prefix, length);
    const scale = 1 / Math.sqrt(headDim);
    const dot = (a: Float32Array, i: number, b: Float32Array, j: number) => {
      let s = 0;
      for (let d = 0; d < headDim; d++) s += a[i * headDim + d]! * b[j * headDim + d]!;
      return s * scale;
    };
    for (let tok = 0; tok < length; tok++) {
      let expected = 0;
      for (let h = 0; h < heads; h++) {
        const qRow = h * length + tok;
        const onPrefix = Array.from({ length: prefix }, (_, j) => Math.exp(dot(t.q, qRow, t.prefixK, h * prefix + j)));
        const onSelf = Array.from({ length: tok + 1 }, (_, j) => Math.exp(dot(t.q, qRow, t.chunkK, h * length + j)));
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        expected += sum(onPrefix) / (sum(onPrefix) + sum(onSelf)) / heads;
      }
      expect(impact[tok]).toBeCloseTo(expected, 5);
    }
    // No prefix at all: nothing went to other chunks.
    expect(Array.from(contextImpactFromLse(new Float32Array(4).fill(-Infinity), new Float32Array(4), 2))).toEqual([0, 0]);
    expect(() => contextImpactFromLse(new Float32Array(3), new Float32Array(4), 2)).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
  });
});

describe('cacheCraftRule', () => {
  const impact = Float32Array.from([0.05, 0.9, 0.1, 0.8, 0.02, 0.6, 0.1, 0.05, 0.3, 0.08]); // CCI 0.3
  const rule = cacheCraftRule<null>();

  it('reuses a chunk whole under the same context, and recomputes its most context-dependent tokens when the context changed', () => {
    expect(rule({ entry: entryWith(impact, ['a', 'b'], 20), index: 2, start: 20, prefixKeys: ['a', 'b'] })).toBe(0);
    // Old prefix {a, b}, new {a, c}: Jaccard 1/3, novelty 2/3 → ⌈0.3 × 2/3 × 10⌉ = 2 tokens: offsets 1 and 3.
    expect(Array.from(rule({ entry: entryWith(impact, ['a', 'b'], 20), index: 2, start: 20, prefixKeys: ['a', 'c'] }) as Int32Array)).toEqual([1, 3]);
    // Nothing of the old context left: ⌈0.3 × 10⌉ = 3 tokens.
    expect(Array.from(rule({ entry: entryWith(impact, ['a', 'b']), index: 1, start: 9, prefixKeys: ['x'] }) as Int32Array)).toEqual([1, 3, 5]);
    // Same chunks before it in another order: a RoPE shift only.
    expect(rule({ entry: entryWith(impact, ['a', 'b']), index: 2, start: 20, prefixKeys: ['b', 'a'] })).toBe(0);
    // Measured with no prefix (CCI 0) and now behind a new chunk: the floor, 5% → 1 token.
    expect(Array.from(rule({ entry: entryWith(new Float32Array(10), []), index: 1, start: 5, prefixKeys: ['x'] }) as Int32Array)).toEqual([0]);
    // Without impact it falls back to the positional default (first ⌈15%⌉).
    expect(rule({ entry: entryWith(undefined, ['a']), index: 1, start: 3, prefixKeys: ['x'] })).toBe(2);
    expect(() => cacheCraftRule({ minFraction: 0.6, maxFraction: 0.5 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('plugs into ChunkKVCache.plan, which turns offsets into prompt positions', async () => {
    const cache = new ChunkKVCache<null>({ modelId: 'm', capacityBytes: 1000, rule: cacheCraftRule() });
    const a = [1, 2, 3];
    const c = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
    const keyA = await cache.key(a);
    cache.put(await cache.key(c), { length: 10, position: 3, prefixKeys: [keyA], kv: null, bytes: 10, impact });
    const plan = await cache.plan([[7, 7], c]);
    expect(Array.from(plan.steps[1]!.recompute)).toEqual([3, 5, 7]);
    expect(plan.recomputeTokens).toBe(2 + 3);
    expect(() => cache.put('k', { length: 3, position: 0, prefixKeys: [], kv: null, bytes: 1, impact: new Float32Array(2) })).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    const broken = new ChunkKVCache<null>({ modelId: 'm', capacityBytes: 1000, rule: () => [2, 1] });
    broken.put(await broken.key(a), { length: 3, position: 0, prefixKeys: [], kv: null, bytes: 1 });
    await expect(broken.plan([a])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('travels with a spilled entry', () => {
    const record = encodeChunkKVRecord({ length: 10, position: 0, prefixKeys: [], bytes: 40, cost: 10, frequency: 1 }, new Float32Array(10).fill(2), impact);
    const back = decodeChunkKVRecord(record, 'k');
    expect(Array.from(back.impact!)).toEqual(Array.from(impact));
    expect(Array.from(back.kv as Float32Array)).toEqual(new Array(10).fill(2));
  });
});
