import { seededRandom } from '@chunkwise/core';
import { describe, expect, it } from 'vitest';
import { dhsaSelect, keyBoundaries } from './dhsa.js';
import { kMeans } from './kmeans.js';
import { longHeadsSelect } from './longheads.js';

// Each test pins one paper mechanism with inputs where the mechanism and its obvious one-line
// replacement choose differently (checked by making that replacement: each test then fails).
const d = 4;

/** `count` keys of `d` floats, key j = `vector` (exactly), as rows. */
const rows = (count: number, vector: number[]) => Array.from({ length: count }, () => vector).flat();
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('DHSA: chunk and query-block representations are means scaled by √length', () => {
  // Chunks (given boundaries): A = keys 0…3 (length 4, every key e₁), B = keys 4…67 (length 64,
  // every key 0.5·e₁), C = keys 68…131 (length 64, every key 0.2·e₁), then 8 zero keys the queries
  // sit on. Against a query along e₁ the scores are
  //   √length-scaled mean (DHSA): A 1·2 = 2, B 0.5·8 = 4, C 0.2·8 = 1.6  → B, A, C;
  //   plain mean:                 A 1,     B 0.5,      C 0.2          → A, B, C;
  //   plain sum:                  A 4,     B 32,       C 12.8         → B, C, A.
  const seqK = 140;
  const shape = { heads: 1, kvHeads: 1, seqQ: 8, seqK, headDim: d };
  const k = Float32Array.from([...rows(4, [1, 0, 0, 0]), ...rows(64, [0.5, 0, 0, 0]), ...rows(64, [0.2, 0, 0, 0]), ...rows(8, [0, 0, 0, 0])]);
  const q = Float32Array.from(rows(8, [1, 0, 0, 0]));
  const boundaries = Int32Array.from([0, 4, 68, 132, 140]);
  const select = (topTokens: number) => Array.from(dhsaSelect(q, k, shape, { topTokens, localTokens: 0, boundaries, queryBlock: 8 }).keptKeys(0, 0));

  it('a budget of 64 keys goes to the long, moderately aligned chunk B, not the short, well aligned A', () => {
    expect(select(64)).toEqual(range(4, 68));
  });

  it('a budget of 68 keys takes B, then A — not the long, weakly aligned C', () => {
    expect(select(68)).toEqual(range(0, 68));
  });
});

describe('DHSA: computed boundaries fall where the key stream changes most', () => {
  it('cuts a stream of three topics at the two topic changes', () => {
    const random = seededRandom(3);
    const topic = (axis: number) => Array.from({ length: d }, (_, c) => (c === axis ? 1 : 0) + (random() - 0.5) * 0.1);
    const keys = Float32Array.from([...range(0, 70).flatMap(() => topic(0)), ...range(70, 150).flatMap(() => topic(1)), ...range(150, 200).flatMap(() => topic(2))]);
    expect(Array.from(keyBoundaries(keys, 200, d, 3, 8))).toEqual([0, 70, 150, 200]);
  });
});

describe('LongHeads: chunk keys are attention-pooled, and a block scores a chunk by its best query', () => {
  // Six chunks of 8 keys; chunk 0 and the two most recent (4, 5) are always kept, so maxChunks 4
  // leaves one pick among X = chunk 1, Y = chunk 2 and the zero chunk 3.
  //   X: 5 keys 10·e₁ and 3 keys 10·e₂. Its mean is 6.25·e₁ + 3.75·e₂; the pooled key, softmax-
  //      weighted by (mean · kⱼ)/√d, puts ≈ 1 − 6e-6 of its weight on the e₁ keys: ≈ 10·e₁.
  //   Y: 8 keys 7·e₂ (pooled = mean = 7·e₂).
  // For q = 0.6·e₁ + e₂: pooled X scores 6 < Y 7 (Y is picked); mean-pooled X would score 7.5 > 7.
  const k = Float32Array.from([
    ...rows(8, [0, 0, 0, 0]),
    ...rows(5, [10, 0, 0, 0]),
    ...rows(3, [0, 10, 0, 0]),
    ...rows(8, [0, 7, 0, 0]),
    ...rows(24, [0, 0, 0, 0]),
  ]);
  const chunkOf = (keys: number[]) => [...new Set(keys.map((key) => Math.floor(key / 8)))];

  it('picks the chunk whose pooled key (not its mean key) best matches the query', () => {
    const shape = { heads: 1, kvHeads: 1, seqQ: 1, seqK: 48, headDim: d };
    const q = Float32Array.from([0.6, 1, 0, 0]);
    const selection = longHeadsSelect(q, k, shape, { chunkSize: 8, maxChunks: 4, queryBlock: 1 });
    expect(chunkOf(Array.from(selection.keptKeys(0, 0)))).toEqual([0, 2, 4, 5]);
  });

  it('scores a chunk by the best query of the block, not the last one', () => {
    // Two query rows in one block: the first points hard at X's pooled key (e₁), the second a
    // little at Y (e₂). Best query: X scores 10·2 = 20 against Y's 7·0.5 = 3.5; the last row alone
    // would pick Y.
    const shape = { heads: 1, kvHeads: 1, seqQ: 2, seqK: 48, headDim: d };
    const q = Float32Array.from([2, 0, 0, 0, 0, 0.5, 0, 0]);
    const selection = longHeadsSelect(q, k, shape, { chunkSize: 8, maxChunks: 4, queryBlock: 2 });
    expect(chunkOf(Array.from(selection.keptKeys(0, 0)))).toEqual([0, 1, 4, 5]);
  });
});

describe("k-means (Squeezed Attention's offline clustering)", () => {
  it('ends at a Lloyd fixed point: every centroid is the mean of its points, near the true cluster centres', () => {
    const random = seededRandom(8);
    const centres = [
      [5, 0, 0, 0],
      [0, 5, 0, 0],
      [0, 0, 5, 5],
    ];
    const points = Float32Array.from(range(0, 300).flatMap((i) => (centres[i % 3] as number[]).map((x) => x + (random() - 0.5))));
    const result = kMeans(points, 300, d, 3, { iterations: 10 });
    for (let cluster = 0; cluster < 3; cluster++) {
      const members = range(0, 300).filter((i) => result.labels[i] === cluster);
      expect(members.length).toBe(100);
      for (let c = 0; c < d; c++) {
        const mean = members.reduce((sum, i) => sum + (points[i * d + c] as number), 0) / members.length;
        expect(result.centroids[cluster * d + c]).toBeCloseTo(mean, 5);
        expect(Math.abs(mean - ((centres[(members[0] as number) % 3] as number[])[c] as number))).toBeLessThan(0.1);
      }
    }
  });
});
