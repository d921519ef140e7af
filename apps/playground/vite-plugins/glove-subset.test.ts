import { WordVectors } from '@chunkwise/providers/static';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMON_WORDS, corpusTexts, gloveVectors, lookupForms, subsetTable } from './glove-subset.js';

let full: WordVectors;
let subset: WordVectors;
let texts: string[];

beforeAll(async () => {
  full = await gloveVectors();
  texts = corpusTexts();
  subset = WordVectors.fromBytes(subsetTable(full, lookupForms(texts)));
}, 600_000);

/** The words of a text as the SIF embedder reads them (its word pattern). */
const wordsOf = (text: string): string[] => text.match(/[\p{L}\p{N}\p{M}]+(?:['’.-][\p{L}\p{N}\p{M}]+)*/gu) ?? [];

describe('the GloVe subset table the page loads for dense search', () => {
  it('keeps the most frequent words and the corpora’s words, in the full table’s (frequency) order', () => {
    expect(full.size).toBe(341_479);
    expect(subset.size).toBeGreaterThan(COMMON_WORDS);
    expect(subset.size).toBeLessThan(full.size / 5);
    for (let id = 0; id < COMMON_WORDS; id++) expect(subset.word(id)).toBe(full.word(id));
    let previous = -1;
    for (let id = 0; id < subset.size; id += 97) {
      const fullId = full.lookup(subset.word(id));
      expect(fullId).toBeGreaterThan(previous);
      previous = fullId;
    }
  });

  it('knows every word of Moby Dick and the SOTU addresses that the full table knows, under every form the embedder tries, with the same vector (to float32 rounding)', () => {
    const seen = new Set<string>();
    for (const text of texts) for (const word of wordsOf(text)) seen.add(word);
    let known = 0;
    for (const word of seen) {
      for (const form of [word, word.toLowerCase(), ...word.toLowerCase().split(/['’.-]/)]) {
        const id = full.lookup(form);
        expect(subset.lookup(form) >= 0, form).toBe(id >= 0);
        if (id < 0) continue;
        known++;
        if (known % 50 !== 0) continue;
        // Re-quantised to int8 with a scale recomputed from the dequantised values: equal up to float32 rounding.
        const ours = subset.vector(subset.lookup(form));
        full.vector(id).forEach((value, i) => expect(Math.abs(ours[i]! - value)).toBeLessThan(1e-5));
      }
    }
    expect(known).toBeGreaterThan(20_000);
  });
});
