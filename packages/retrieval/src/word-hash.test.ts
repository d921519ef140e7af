import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WordHash } from './word-hash.js';

describe('WordHash', () => {
  it('does not depend on how the words are split into updates, and notices any changed word (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 64 }), fc.array(fc.nat({ max: 64 })), fc.nat(), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (values, cuts, where, flip) => {
        const words = Int32Array.from(values);
        const whole = new WordHash().update(words).digest();
        const split = new WordHash();
        let at = 0;
        for (const cut of [...cuts.map((c) => Math.min(c, words.length)), words.length].sort((a, b) => a - b)) {
          split.update(words.subarray(at, Math.max(at, cut)));
          at = Math.max(at, cut);
        }
        expect(split.digest()).toBe(whole);
        if (words.length > 0) {
          const changed = words.slice();
          const i = where % changed.length;
          changed[i] = (changed[i] as number) ^ flip;
          expect(new WordHash().update(changed).digest()).not.toBe(whole);
        }
        // Appending a zero word changes the hash (the count is part of it).
        expect(new WordHash().update(Int32Array.from([...values, 0])).digest()).not.toBe(whole);
      }),
      { numRuns: 300 },
    );
  });
});
