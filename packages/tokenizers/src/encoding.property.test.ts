import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trickyText, wellFormedText } from './__fixtures__/text-arbitraries.js';
import { reference } from './__fixtures__/tiktoken-reference.js';
import { cl100k_base } from './cl100k_base.js';
import { getEncoding } from './get-encoding.js';
import { o200k_base } from './o200k_base.js';

// Runs are scaled so the whole package's suite stays well under a minute on a shared machine.
const RUNS = 150;

describe.each(['r50k_base', 'p50k_base', 'cl100k_base', 'o200k_base'] as const)('%s property: same ids as tiktoken', (name) => {
  it('for text from all Unicode planes, emoji, marks, CJK, RTL, code, whitespace, digits, contractions and special-token look-alikes', async () => {
    const encoding = await getEncoding(name);
    const tiktoken = reference(name);
    fc.assert(
      fc.property(trickyText, (text) => {
        expect([...encoding.encodeOrdinary(text)]).toEqual([...tiktoken.encode_ordinary(text)]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('special tokens property: same ids as tiktoken with every special token allowed', () => {
  it('o200k_harmony and cl100k_base', async () => {
    const harmony = await getEncoding('o200k_harmony');
    fc.assert(
      fc.property(trickyText, (text) => {
        expect([...harmony.encode(text, { allowedSpecial: 'all' })]).toEqual([...reference('o200k_harmony').encode(text, 'all')]);
        expect([...cl100k_base.encode(text, { allowedSpecial: 'all' })]).toEqual([...reference('cl100k_base').encode(text, 'all')]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe.each([o200k_base, cl100k_base])('$name invariants', (encoding) => {
  it('decode(encode(s)) === s for well-formed strings', () => {
    fc.assert(
      fc.property(wellFormedText, (text) => {
        expect(encoding.decode(encoding.encodeOrdinary(text))).toBe(text);
      }),
      { numRuns: RUNS },
    );
  });

  it('count equals the number of ids, and isWithinLimit agrees with it', () => {
    fc.assert(
      fc.property(trickyText, fc.nat(40), (text, limit) => {
        const count = encoding.count(text);
        expect(count).toBe(encoding.encodeOrdinary(text).length);
        expect(encoding.isWithinLimit(text, limit)).toBe(count <= limit ? count : false);
      }),
      { numRuns: RUNS },
    );
  });

  it('offsets tile the text and each span holds the characters its tokens start', () => {
    fc.assert(
      fc.property(wellFormedText, (text) => {
        const { ids, starts, ends } = encoding.encodeWithOffsets(text, { allowedSpecial: 'all' });
        expect([...ids]).toEqual([...encoding.encode(text, { allowedSpecial: 'all' })]);
        let position = 0;
        for (let i = 0; i < ids.length; i++) {
          expect(starts[i]).toBe(position);
          expect(ends[i]).toBeGreaterThanOrEqual(starts[i]!);
          position = ends[i]!;
        }
        expect(position).toBe(text.length);
        // A span holds the characters whose first byte is in its token: after skipping the
        // continuation bytes (0x80–0xBF) of a character begun earlier, the token's bytes (and those
        // after it) are the span's UTF-8; a token of continuation bytes only has an empty span.
        const encoder = new TextEncoder();
        for (let i = 0; i < ids.length; i++) {
          const own = encoding.decodeBytes(ids.subarray(i, i + 1));
          let lead = 0;
          while (lead < own.length && own[lead]! >= 0x80 && own[lead]! < 0xc0) lead++;
          const spanBytes = encoder.encode(text.slice(starts[i], ends[i]));
          if (lead === own.length) {
            expect(spanBytes.length).toBe(0);
            continue;
          }
          const following = encoding.decodeBytes(ids.subarray(i));
          expect([...following.subarray(lead, lead + spanBytes.length)]).toEqual([...spanBytes]);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a streaming decoder gives the one-shot result for any split of the ids', () => {
    fc.assert(
      fc.property(trickyText, fc.array(fc.nat(), { maxLength: 8 }), (text, cuts) => {
        const ids = encoding.encodeOrdinary(text);
        const points = [...new Set(cuts.map((cut) => cut % (ids.length + 1)))].sort((a, b) => a - b);
        const decoder = encoding.createDecoder();
        let streamed = '';
        let previous = 0;
        for (const point of [...points, ids.length]) {
          streamed += decoder.write(ids.subarray(previous, point));
          previous = point;
        }
        streamed += decoder.end();
        expect(streamed).toBe(encoding.decode(ids));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('streaming decoders', () => {
  it('keep separate state: one decoder’s pending bytes never leak into another', () => {
    const ids = o200k_base.encode('🐋');
    const first = o200k_base.createDecoder();
    const second = o200k_base.createDecoder();
    expect(first.write(ids.subarray(0, 1))).toBe('');
    expect(second.write(o200k_base.encode('hi'))).toBe('hi');
    expect(first.write(ids.subarray(1))).toBe('🐋');
    expect(first.end()).toBe('');
  });

  it('flush an incomplete character as U+FFFD at the end', () => {
    const ids = o200k_base.encode('🐋');
    const decoder = o200k_base.createDecoder();
    expect(decoder.write(ids.subarray(0, 1))).toBe('');
    expect(decoder.end()).toBe('\uFFFD');
  });
});
