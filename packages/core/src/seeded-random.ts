import { expectArgument } from './argument-checks.js';

/**
 * A seeded uniform generator in [0, 1) (mulberry32: 32-bit state, full period 2³²), for anything
 * that must draw the same numbers on every run: HNSW levels, k-means starts, test data, benchmark
 * traces. Not for cryptography.
 */
export function seededRandom(seed: number): () => number {
  expectArgument(typeof seed === 'number' && Number.isFinite(seed), 'seededRandom() seed', 'a finite number (its low 32 bits are used)', seed);
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
