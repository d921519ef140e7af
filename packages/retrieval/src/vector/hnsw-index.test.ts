import { isChunkwiseError } from '@chunkwise/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { clusteredVectors } from '../__fixtures__/clustered-vectors.js';
import { HNSWIndex } from './hnsw-index.js';
import { VectorIndex } from './vector-index.js';

const N = 3000;
const D = 48;

function recallAt10(hnsw: HNSWIndex, flat: VectorIndex, queries: Float32Array[]): number {
  let found = 0;
  for (const q of queries) {
    const truth = new Set(flat.search(q, { k: 10 }).map((h) => h.id));
    for (const hit of hnsw.search(q, { k: 10 })) if (truth.has(hit.id)) found++;
  }
  return found / (queries.length * 10);
}

describe('HNSWIndex', () => {
  const vectors = clusteredVectors(N + 100, D);
  const queries = vectors.slice(N);
  let hnsw: HNSWIndex;
  let flat: VectorIndex;

  beforeAll(() => {
    hnsw = new HNSWIndex({ dimensions: D, M: 12, efConstruction: 100, efSearch: 64 });
    flat = new VectorIndex({ dimensions: D });
    vectors.slice(0, N).forEach((v, i) => {
      hnsw.add(`v${i}`, v);
      flat.add(`v${i}`, v);
    });
  });

  it('reaches recall@10 ≥ 0.95 against exact search (measured on 3,000 clustered 48-d vectors)', () => {
    const recall = recallAt10(hnsw, flat, queries);
    console.log(`HNSW recall@10 = ${recall.toFixed(3)} (M 12, efConstruction 100, efSearch 64, ${N}×${D})`);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    // A larger candidate list can only help on average.
    expect(recallAt10(hnsw, flat, queries.slice(0, 50))).toBeLessThanOrEqual(
      (() => {
        let found = 0;
        for (const q of queries.slice(0, 50)) {
          const truth = new Set(flat.search(q, { k: 10 }).map((h) => h.id));
          for (const hit of hnsw.search(q, { k: 10, efSearch: 400 })) if (truth.has(hit.id)) found++;
        }
        return found / 500 + 1e-9;
      })(),
    );
  });

  it('returns exact scores for the hits it finds, sorted like flat search', () => {
    for (const q of queries.slice(0, 20)) {
      const hits = hnsw.search(q, { k: 10 });
      for (const hit of hits) expect(hit.score).toBe(flat.search(q, { k: N, filter: (id) => id === hit.id })[0]?.score);
      for (let i = 1; i < hits.length; i++) expect((hits[i - 1] as { score: number }).score).toBeGreaterThanOrEqual((hits[i] as { score: number }).score);
    }
  });

  it('never returns removed vectors, and rebuild() keeps the live ones', () => {
    const index = new HNSWIndex({ dimensions: D, M: 8, efConstruction: 64 });
    vectors.slice(0, 600).forEach((v, i) => index.add(`v${i}`, v));
    for (let i = 0; i < 600; i += 3) index.remove(`v${i}`);
    for (const q of queries.slice(0, 20)) {
      for (const hit of index.search(q, { k: 20 })) expect(Number(hit.id.slice(1)) % 3).not.toBe(0);
    }
    expect(index.size).toBe(400);
    index.rebuild();
    expect(index.size).toBe(400);
    expect(index.search(vectors[1] as Float32Array, { k: 1 })[0]?.id).toBe('v1');
  });

  it('round-trips through save/load and keeps accepting inserts', () => {
    const index = new HNSWIndex<{ n: number }>({ dimensions: D, M: 8, efConstruction: 64, metric: 'l2' });
    vectors.slice(0, 500).forEach((v, i) => index.add(`v${i}`, v, { n: i }));
    index.remove('v3');
    const copy = HNSWIndex.load<{ n: number }>(index.save());
    for (const q of queries.slice(0, 10)) expect(copy.search(q, { k: 10 })).toEqual(index.search(q, { k: 10 }));
    expect(copy.has('v3')).toBe(false);
    copy.add('new', vectors[N + 50] as Float32Array);
    expect(copy.search(vectors[N + 50] as Float32Array, { k: 1 })[0]?.id).toBe('new');
  });

  it('rejects damaged snapshots with CORRUPT_DATA', () => {
    const index = new HNSWIndex({ dimensions: 4 }).add('a', [1, 2, 3, 4]).add('b', [4, 3, 2, 1]);
    const bytes = index.save();
    const expectCorrupt = (data: Uint8Array) => {
      try {
        HNSWIndex.load(data);
        expect.unreachable();
      } catch (error) {
        expect(isChunkwiseError(error, 'CORRUPT_DATA')).toBe(true);
      }
    };
    expectCorrupt(bytes.slice(0, bytes.length - 3));
    expectCorrupt(new TextEncoder().encode('SQLite format 3\u0000 this is some other file entirely...'));
    const flipped = bytes.slice();
    flipped[0] = (flipped[0] as number) ^ 0xff;
    expectCorrupt(flipped);
  });

  it('rejects bad vectors like the flat index', () => {
    const index = new HNSWIndex({ dimensions: 3 });
    expect(() => index.add('a', [1, 2])).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }) as Error);
    expect(() => index.add('a', [1, Number.POSITIVE_INFINITY, 2])).toThrow(/non-finite/);
    expect(() => index.remove('a')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }) as Error);
  });
});
