import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sinkWindowKeep } from './sink-window.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('sinkWindowKeep (StreamingLLM)', () => {
  it('keeps exactly the sinks and the last `window` positions, with positions re-assigned within the cache', () => {
    fc.assert(
      fc.property(fc.nat(200), fc.nat(8), fc.nat(60), (length, sinks, window) => {
        const { keep, ropePositions } = sinkWindowKeep(length, { sinks, window });
        expect(Array.from(keep)).toEqual(range(length).filter((i) => i < sinks || i >= length - window));
        expect(Array.from(ropePositions)).toEqual(range(keep.length));
      }),
    );
    expect(Array.from(sinkWindowKeep(10, { window: 3 }).keep)).toEqual([0, 1, 2, 3, 7, 8, 9]);
  });

  it('rejects negative sizes', () => {
    expect(() => sinkWindowKeep(10, { window: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
