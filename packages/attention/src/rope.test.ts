import { seededRandom } from '@chunkwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cacheWindowPositions, streamingCacheKeep } from './cache-positions.js';
import { applyRope, reassignPositions, ropeFrequencies, stretchPositions, unapplyRope, type RopeOptions } from './rope.js';
import { randomArray } from './__fixtures__/attention-inputs.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * (b[i] as number), 0);

describe('RoPE', () => {
  const styles: RopeOptions[] = [{}, { style: 'interleaved' }, { rotaryDim: 4 }, { scaling: { type: 'linear', factor: 4 } }, { scaling: { type: 'ntk', factor: 8 } }];

  for (const options of styles) {
    it(`unapply inverts apply and q·k depends only on the distance (${JSON.stringify(options)})`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: -300, max: 300 }), fc.integer(), (pq, pk, shift, seed) => {
          const random = seededRandom(seed);
          const shape = { heads: 1, seq: 1, headDim: 10 };
          const q = randomArray(10, random);
          const k = randomArray(10, random);
          const back = unapplyRope(applyRope(q, shape, [pq], options), shape, [pq], options);
          for (let i = 0; i < 10; i++) expect(back[i]).toBeCloseTo(q[i] as number, 4);
          const a = dot(applyRope(q, shape, [pq], options), applyRope(k, shape, [pk], options));
          const b = dot(applyRope(q, shape, [pq + 300 + shift], options), applyRope(k, shape, [pk + 300 + shift], options));
          expect(Math.abs(a - b)).toBeLessThan(1e-3);
        }),
        { numRuns: 50 },
      );
    });
  }

  it('rotates pairs by position × θᵢ (position 1, first pair turns by 1 radian)', () => {
    const x = Float32Array.from([1, 0, 0, 0]);
    const half = applyRope(x, { heads: 1, seq: 1, headDim: 4 }, [1]);
    expect(half[0]).toBeCloseTo(Math.cos(1), 6);
    expect(half[2]).toBeCloseTo(Math.sin(1), 6);
    const interleaved = applyRope(x, { heads: 1, seq: 1, headDim: 4 }, [1], { style: 'interleaved' });
    expect(interleaved[1]).toBeCloseTo(Math.sin(1), 6);
  });

  it('position interpolation equals RoPE at position / factor; NTK grows the base by factor^(d/(d−2))', () => {
    const x = randomArray(8, seededRandom(1));
    const shape = { heads: 1, seq: 1, headDim: 8 };
    const a = applyRope(x, shape, [100], { scaling: { type: 'linear', factor: 4 } });
    const b = applyRope(x, shape, [25]);
    for (let i = 0; i < 8; i++) expect(a[i]).toBeCloseTo(b[i] as number, 5);
    expect(ropeFrequencies(8, { scaling: { type: 'ntk', factor: 2 } })[1]).toBeCloseTo((10000 * 2 ** (8 / 6)) ** (-2 / 8), 12);
    expect(() => ropeFrequencies(8, { rotaryDim: 3 })).toThrow(/rotaryDim/);
  });

  it('Long-CLIP stretching keeps the first positions and interpolates the rest', () => {
    expect(Array.from(stretchPositions([0, 10, 20, 24, 60], 20, 4))).toEqual([0, 10, 20, 21, 30]);
  });
});

describe('StreamingLLM cache positions', () => {
  it('keeps sinks and the recent window and renumbers them from 0', () => {
    expect(Array.from(streamingCacheKeep(10, 2, 3))).toEqual([0, 1, 7, 8, 9]);
    expect(Array.from(streamingCacheKeep(4, 2, 3))).toEqual([0, 1, 2, 3]);
    expect(Array.from(cacheWindowPositions(5))).toEqual([0, 1, 2, 3, 4]);
  });

  it('re-assigned keys score like keys stored pre-RoPE and rotated at their cache slots', () => {
    const random = seededRandom(3);
    const keptOriginal = streamingCacheKeep(1000, 4, 6);
    const shape = { heads: 2, seq: keptOriginal.length, headDim: 8 };
    const raw = randomArray(2 * keptOriginal.length * 8, random);
    const rotatedAtOriginal = applyRope(raw, shape, keptOriginal);
    const moved = reassignPositions(rotatedAtOriginal, shape, keptOriginal, cacheWindowPositions(keptOriginal.length));
    const direct = applyRope(raw, shape, cacheWindowPositions(keptOriginal.length));
    for (let i = 0; i < raw.length; i++) expect(moved[i]).toBeCloseTo(direct[i] as number, 4);
  });
});
