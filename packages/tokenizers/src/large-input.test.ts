import { seededRandom } from '@chunkwise/core';
import { describe, expect, it } from 'vitest';
import { mobyDickText } from './__fixtures__/corpora.js';
import { reference } from './__fixtures__/tiktoken-reference.js';
import { cl100k_base } from './cl100k_base.js';
import { o200k_base } from './o200k_base.js';
import { r50k_base } from './r50k_base.js';

/** Seeded pseudo-random lowercase letters, so failures reproduce. */
function randomLetters(length: number, seed: number): string {
  const random = seededRandom(seed);
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCharCode(97 + Math.floor(random() * 26));
  return out;
}

describe('unsplittable pieces (one pre-tokenizer piece, merged with the heap)', () => {
  it.each([
    ['"a" × 3,000', 'a'.repeat(3_000)],
    ['random a–z × 3,000', randomLetters(3_000, 7)],
    ['base64-like × 4,000', Array.from({ length: 1000 }, (_, i) => 'QmFz' + String.fromCharCode(65 + (i % 26))).join('').slice(0, 4000)],
  ])('%s matches tiktoken', (_label, text) => {
    for (const [ours, name] of [
      [o200k_base, 'o200k_base'],
      [cl100k_base, 'cl100k_base'],
      [r50k_base, 'r50k_base'],
    ] as const) {
      expect([...ours.encodeOrdinary(text)]).toEqual([...reference(name).encode_ordinary(text)]);
    }
  });

  it('encodes a 50,000-character piece and decodes it back', () => {
    const text = randomLetters(50_000, 11);
    const ids = o200k_base.encodeOrdinary(text);
    expect(o200k_base.count(text)).toBe(ids.length);
    expect(o200k_base.decode(ids)).toBe(text);
  });
});

describe('very large input', () => {
  it('counts 100 MB+ of text without building an id array', () => {
    // Paragraphs of Moby Dick that start with a letter and end with a period, each behind one space:
    // ". T" is a piece boundary in every encoding, so repeating the block multiplies its count.
    const block = mobyDickText()
      .split(/\n\s*\n/)
      .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
      .filter((paragraph) => /^[A-Za-z].*\.$/.test(paragraph))
      .slice(0, 400)
      .map((paragraph) => ` ${paragraph}`)
      .join('');
    const copies = Math.ceil(100_000_000 / block.length);
    const large = block.repeat(copies);
    expect(large.length).toBeGreaterThanOrEqual(100_000_000);
    const blockCount = reference('o200k_base').encode_ordinary(block).length;
    expect(o200k_base.count(block)).toBe(blockCount);
    expect(o200k_base.count(large)).toBe(blockCount * copies);
    expect(o200k_base.isWithinLimit(large, 1000)).toBe(false);
    // ≈5 s of CPU; the generous timeout is for a shared, loaded machine, not the expected time.
  }, 180_000);
});
