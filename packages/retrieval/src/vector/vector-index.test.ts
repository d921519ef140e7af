import { isChunkwiseError } from '@chunkwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VectorIndex } from './vector-index.js';
import type { Metric } from './metric.js';

/** Brute force in float64 on plain arrays, written independently of the index. */
function bruteForce(items: { id: string; v: number[] }[], q: number[], metric: Metric, k: number) {
  const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const f32 = (v: number[]) => Array.from(Float32Array.from(v));
  const unit = (v: number[]) => f32(f32(v).map((x) => x / norm(f32(v))));
  return items
    .map(({ id, v }) => {
      const a = metric === 'cosine' ? unit(v) : f32(v);
      const b = metric === 'cosine' ? unit(q) : f32(q);
      const score =
        metric === 'l2' ? -Math.sqrt(a.reduce((s, x, i) => s + (x - (b[i] as number)) ** 2, 0)) : a.reduce((s, x, i) => s + x * (b[i] as number), 0);
      return { id, score };
    })
    .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1))
    .slice(0, k);
}

const vectorArb = (d: number) => fc.array(fc.float({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }), { minLength: d, maxLength: d });

describe('VectorIndex (flat)', () => {
  it('equals brute force for every metric, with removals and filters', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Metric>('cosine', 'dot', 'l2'),
        fc.array(vectorArb(8).filter((v) => v.some((x) => Math.abs(x) > 1e-3)), { minLength: 1, maxLength: 60 }),
        vectorArb(8).filter((v) => v.some((x) => Math.abs(x) > 1e-3)),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 10 }),
        (metric, vectors, q, k, removeEvery) => {
          const index = new VectorIndex<{ even: boolean }>({ dimensions: 8, metric });
          let items = vectors.map((v, i) => ({ id: `v${i}`, v }));
          items.forEach(({ id, v }, i) => index.add(id, v, { even: i % 2 === 0 }));
          if (removeEvery > 0) {
            const removed = items.filter((_, i) => i % (removeEvery + 1) === 0);
            for (const { id } of removed) index.remove(id);
            items = items.filter((it) => !removed.includes(it));
          }
          const approx = (actual: { id: string; score: number }[], expected: { id: string; score: number }[]) => {
            expect(actual.map((h) => h.score)).toEqual(expected.map((h) => expect.closeTo(h.score, 4) as unknown as number));
            actual.forEach((h, i) => {
              const e = expected[i] as { id: string; score: number };
              if (h.id !== e.id) expect(Math.abs(h.score - e.score)).toBeLessThan(1e-4);
            });
          };
          approx(index.search(q, { k }), bruteForce(items, q, metric, k));
          const evens = items.filter((it) => Number(it.id.slice(1)) % 2 === 0);
          approx(index.search(q, { k, filter: (_, meta) => meta?.even === true }), bruteForce(evens, q, metric, k));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('answers a batch exactly as it answers each query alone', () => {
    const index = new VectorIndex({ dimensions: 16, metric: 'dot' });
    const random = (i: number) => Array.from({ length: 16 }, (_, j) => Math.sin(i * 31 + j * 7));
    for (let i = 0; i < 500; i++) index.add(`v${i}`, random(i));
    const queries = [random(1000), random(1001), random(1002)];
    expect(index.searchBatch(queries, { k: 7 })).toEqual(queries.map((q) => index.search(q, { k: 7 })));
  });

  it('updates a duplicate id in place', () => {
    const index = new VectorIndex({ dimensions: 2, metric: 'dot' }).add('a', [1, 0]).add('a', [0, 1]);
    expect(index.size).toBe(1);
    expect(index.search([0, 1])).toEqual([{ id: 'a', score: 1 }]);
  });

  it('rejects wrong dimensions, NaN, zero cosine vectors and unknown ids with typed errors', () => {
    const index = new VectorIndex({ dimensions: 3 });
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return isChunkwiseError(error) ? error.code : 'untyped';
      }
      return 'no error';
    };
    expect(code(() => index.add('a', [1, 2]))).toBe('DIMENSION_MISMATCH');
    expect(code(() => index.add('a', [1, Number.NaN, 2]))).toBe('INVALID_ARGUMENT');
    expect(code(() => index.add('a', [0, 0, 0]))).toBe('INVALID_ARGUMENT');
    expect(code(() => index.search([1, 2, 3, 4]))).toBe('DIMENSION_MISMATCH');
    expect(code(() => index.remove('nope'))).toBe('NOT_FOUND');
    expect(code(() => new VectorIndex({ dimensions: 0 }))).toBe('INVALID_ARGUMENT');
    expect(index.size).toBe(0);
  });
});
