import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mobyDickText } from './__fixtures__/corpora.js';
import { trickyText } from './__fixtures__/text-arbitraries.js';
import { getEncoding, ENCODING_NAMES } from './get-encoding.js';
import { o200k_base } from './o200k_base.js';

// Characters at which piece scans look ahead or back off: whitespace before a word, newlines inside
// whitespace runs, contractions (with ſ), digit runs, upper/lower/other-letter runs (o200k's case
// alternatives), combining marks, slashes, surrogate pairs and lone halves.
const EDGE_CHARS = [' ', ' ', '  ', '\n', '\r', '\t', "'", 's', 'S', 'l', 'L', 'v', 'e', 'r', 'd', 'ſ', 'a', 'B', '日', 'ǅ', 'ʰ', '\u0301', '1', '٣', '/', '.', '-', '😀', '\ud83d', '\ude00', '\u0085', '\u00a0', 'x'];
const edgeText = fc.array(fc.constantFrom(...EDGE_CHARS), { maxLength: 40 }).map((parts) => parts.join(''));

const sliceOf = (text: fc.Arbitrary<string>) =>
  text.chain((value) =>
    fc
      .tuple(fc.integer({ min: 0, max: value.length }), fc.integer({ min: 0, max: value.length }))
      .map(([a, b]) => ({ text: value, start: Math.min(a, b), end: Math.max(a, b) })),
  );

describe.each(ENCODING_NAMES)('%s sliceCounter', (name) => {
  it('counts every slice of short edge-case texts exactly as count(text.slice(start, end))', async () => {
    const encoding = await getEncoding(name);
    fc.assert(
      fc.property(edgeText, (text) => {
        const counter = encoding.sliceCounter(text);
        for (let start = 0; start <= text.length; start++) {
          for (let end = start; end <= text.length; end++) {
            expect([start, end, counter.count(start, end)]).toEqual([start, end, encoding.count(text.slice(start, end))]);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('counts random slices of text from every Unicode plane, emoji, contractions, digits and whitespace runs exactly', async () => {
    const encoding = await getEncoding(name);
    fc.assert(
      fc.property(sliceOf(trickyText), ({ text, start, end }) => {
        expect(encoding.sliceCounter(text).count(start, end)).toBe(encoding.count(text.slice(start, end)));
      }),
      { numRuns: 300 },
    );
  });

  it('gives piece starts from which re-tokenizing the rest reproduces the whole pass', async () => {
    const encoding = await getEncoding(name);
    fc.assert(
      fc.property(sliceOf(trickyText), ({ text, start }) => {
        const counter = encoding.sliceCounter(text);
        const boundary = counter.pieceStartAtMost(start);
        expect(boundary).toBeLessThanOrEqual(start);
        const rest = encoding.encodeOrdinary(text.slice(boundary));
        expect(rest.length).toBeLessThanOrEqual(counter.total);
        expect([...rest]).toEqual([...counter.ids.subarray(counter.total - rest.length)]);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the ids and spans of encodeWithOffsets with special-token text as text', async () => {
    const encoding = await getEncoding(name);
    fc.assert(
      fc.property(trickyText, (text) => {
        const counter = encoding.sliceCounter(text);
        const offsets = encoding.encodeWithOffsets(text, { disallowedSpecial: [] });
        expect([...counter.ids]).toEqual([...offsets.ids]);
        expect([...counter.starts]).toEqual([...offsets.starts]);
        expect([...counter.ends]).toEqual([...offsets.ends]);
        expect(counter.total).toBe(encoding.count(text));
      }),
      { numRuns: 100 },
    );
  });
});

describe('sliceCounter on Moby Dick', () => {
  it('counts 2,000 random chapter-sized and word-sized slices exactly', () => {
    const text = mobyDickText().slice(0, 200_000);
    const counter = o200k_base.sliceCounter(text);
    fc.assert(
      fc.property(fc.nat(text.length), fc.integer({ min: 0, max: 5_000 }), (start, length) => {
        const end = Math.min(text.length, start + length);
        expect(counter.count(start, end)).toBe(o200k_base.count(text.slice(start, end)));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('sliceCounter bad input', () => {
  it('rejects reversed, fractional and out-of-range slices with INVALID_ARGUMENT', () => {
    const counter = o200k_base.sliceCounter('Call me Ishmael.');
    for (const [start, end] of [
      [3, 2],
      [-1, 2],
      [0, 17],
      [0.5, 2],
    ] as const) {
      expect(() => counter.count(start, end)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(counter.count(4, 4)).toBe(0);
    expect(() => counter.pieceStartAtMost(17)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(o200k_base.sliceCounter('').count(0, 0)).toBe(0);
  });
});
