import { describe, expect, it } from 'vitest';
import { randomEmbeddings, tokenEmbeddings } from './token-embeddings.js';

const row = (data: Float32Array, index: number, dim: number): number[] => Array.from(data.subarray(index * dim, (index + 1) * dim));
const norm = (v: number[]): number => Math.hypot(...v);

describe('tokenEmbeddings', () => {
  it('gives the same token the same vector and different tokens different ones, per head', () => {
    const dim = 16;
    const e = tokenEmbeddings([5, 9, 5], 2, dim);
    expect(e.length).toBe(2 * 3 * dim);
    expect(row(e, 0, dim)).toEqual(row(e, 2, dim));
    expect(row(e, 0, dim)).not.toEqual(row(e, 1, dim));
    expect(row(e, 0, dim)).not.toEqual(row(e, 3, dim)); // head 1 differs from head 0
    expect(row(e, 3, dim)).toEqual(row(e, 5, dim));
  });

  it('makes vectors of about unit length, finite everywhere', () => {
    const dim = 64;
    const e = tokenEmbeddings(Array.from({ length: 200 }, (_, i) => i * 7919), 1, dim);
    expect(e.every(Number.isFinite)).toBe(true);
    const mean = Array.from({ length: 200 }, (_, i) => norm(row(e, i, dim))).reduce((a, b) => a + b) / 200;
    expect(mean).toBeGreaterThan(0.8);
    expect(mean).toBeLessThan(1.2);
  });
});

describe('randomEmbeddings', () => {
  it('is deterministic per seed and varies with it', () => {
    expect(randomEmbeddings(10, 2, 8, 1)).toEqual(randomEmbeddings(10, 2, 8, 1));
    expect(randomEmbeddings(10, 2, 8, 1)).not.toEqual(randomEmbeddings(10, 2, 8, 2));
    const e = randomEmbeddings(50, 1, 32, 3);
    const rows = Array.from({ length: 50 }, (_, i) => row(e, i, 32));
    expect(new Set(rows.map((r) => r.join())).size).toBe(50);
  });
});
