import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slidingWindowKeep } from './sliding-window.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('slidingWindowKeep', () => {
  it('keeps exactly the last `window` positions', () => {
    fc.assert(
      fc.property(fc.nat(200), fc.nat(60), (length, window) => {
        expect(Array.from(slidingWindowKeep(length, window))).toEqual(range(length).filter((i) => i >= length - window));
      }),
    );
  });
});
