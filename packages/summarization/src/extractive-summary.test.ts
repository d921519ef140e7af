import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isChunkwiseError } from '@chunkwise/core';
import { countWords } from './count-words.js';
import { extractiveSummary } from './extractive-summary.js';
import { mobyDick, sotuAddresses } from './__fixtures__/datasets.js';
import { dialogueShare, equalSections, salientTermCoverage, sectionCoverage } from '@chunkwise/eval';

const addresses = sotuAddresses();
/** Share of the ten equal parts of the source that the summary's sentences touch. */
const tenthsCovered = (spans: readonly { start: number; end: number }[], length: number) => sectionCoverage(spans, equalSections(length, 10)).share;

function normalised(text: string, span: { start: number; end: number }) {
  return text.slice(span.start, span.end).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

describe('extractiveSummary', () => {
  it('lands within ±10% of 150 words on every one of the 233 SOTU addresses, without repeats', () => {
    expect(addresses.length).toBe(233);
    const errors: number[] = [];
    for (const address of addresses) {
      const result = extractiveSummary(address.text, { targetWords: 150 });
      expect(result.words).toBe(countWords(result.summary));
      const error = Math.abs(result.words - 150) / 150;
      if (error > 0.1) throw new Error(`${address.year} ${address.name}: ${result.words} words`);
      errors.push(error);
      const keys = result.sentences.map((span) => normalised(address.text, span));
      expect(new Set(keys).size).toBe(keys.length);
      for (let i = 1; i < result.sentences.length; i++) {
        expect(result.sentences[i]!.start).toBeGreaterThanOrEqual(result.sentences[i - 1]!.end);
      }
    }
    expect(Math.max(...errors)).toBeLessThanOrEqual(0.1);
    // 10.8 M characters in one test: allow for a loaded 2-core CI machine.
  }, 180_000);

  it('is deterministic and made only of sentences from the source', () => {
    for (const address of [addresses[0]!, addresses[120]!, addresses[232]!]) {
      const first = extractiveSummary(address.text, { targetWords: 200, algorithm: 'textrank' });
      const second = extractiveSummary(address.text, { targetWords: 200, algorithm: 'textrank' });
      expect(second).toEqual(first);
      for (const span of first.sentences) expect(first.summary).toContain(address.text.slice(span.start, span.end).replace(/\s+/g, ' '));
    }
  });

  it('hits any target from 40 to 600 words on any address, the same way twice (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 232 }), fc.integer({ min: 40, max: 600 }), fc.constantFrom('lexrank', 'textrank' as const), (index, targetWords, algorithm) => {
        const text = addresses[index]!.text;
        const result = extractiveSummary(text, { targetWords, algorithm });
        expect(Math.abs(result.words - targetWords)).toBeLessThanOrEqual(targetWords * 0.1);
        expect(extractiveSummary(text, { targetWords, algorithm })).toEqual(result);
      }),
      { numRuns: 6 },
    );
  });

  it('honours a tighter tolerance when the sentences allow it', () => {
    const result = extractiveSummary(addresses[200]!.text, { targetWords: 300, tolerance: 0.03 });
    expect(Math.abs(result.words - 300)).toBeLessThanOrEqual(9);
  });

  it('returns the whole text, minus repeats, when it is already shorter than the target', () => {
    const text = 'The ship sailed at dawn with every hand aboard. The ship sailed at dawn with every hand aboard! It came back.';
    const result = extractiveSummary(text, { targetWords: 100 });
    expect(result.summary).toBe('The ship sailed at dawn with every hand aboard. It came back.');
    expect(result.levels).toBe(1);
  });

  it('summarises Moby Dick hierarchically, chapters first, to the target', () => {
    const book = mobyDick();
    const events: string[] = [];
    const result = extractiveSummary(book.text, { targetWords: 400, sections: book.chapters, onProgress: (e) => events.push(e.stage) });
    expect(result.levels).toBe(2);
    expect(Math.abs(result.words - 400) / 400).toBeLessThanOrEqual(0.1);
    expect(events).toContain('extract');
    // Sentences come from many parts of the book, not only the opening chapters.
    const last = result.sentences[result.sentences.length - 1]!;
    expect(last.start).toBeGreaterThan(book.text.length / 2);
  });

  it('reads like a summary of Moby Dick, not a collage of dialogue lines (issue 16)', () => {
    const book = mobyDick();
    const result = extractiveSummary(book.text, { targetWords: 300, sections: book.chapters });
    // Before: 49% of the summary's letters were dialogue, 12 words a sentence, 24 of the 50 salient terms.
    expect(dialogueShare(result.summary)).toBeLessThan(0.05);
    expect(result.words / result.sentences.length).toBeGreaterThan(16);
    expect(tenthsCovered(result.sentences, book.text.length)).toBeGreaterThanOrEqual(0.9);
    expect(salientTermCoverage(result.summary, book.text).share).toBeGreaterThanOrEqual(0.5);
  });

  it('spreads SOTU summaries over the address more than the lead prior alone would', () => {
    const sample = addresses.filter((_, i) => i % 5 === 0);
    const spread = sample.map((address) => tenthsCovered(extractiveSummary(address.text, { targetWords: 150 }).sentences, address.text.length));
    // Every fifth address: 0.462 of the tenths before, 0.560 now (all 233: 0.477 before, 0.549 now).
    expect(spread.reduce((a, b) => a + b, 0) / spread.length).toBeGreaterThan(0.52);
  });

  describe('is never empty when the text has words (issue 16: each of these gave 0 words)', () => {
    const book = mobyDick().text;
    /** Moby Dick's words, lower-cased, without any punctuation: what a speech-to-text transcript looks like. */
    const bareWords = book.toLowerCase().replace(/[^\p{L}\p{N}\s]+/gu, ' ').split(/\s+/).filter(Boolean);

    it.each([40, 150, 400])('an unpunctuated 3,000-word transcript, target %i', (targetWords) => {
      const transcript = bareWords.slice(0, 3000).join(' ');
      const result = extractiveSummary(transcript, { targetWords });
      expect(Math.abs(result.words - targetWords)).toBeLessThanOrEqual(targetWords * 0.1);
      for (const span of result.sentences) expect(result.summary).toContain(transcript.slice(span.start, span.end));
    });

    it('a million one-word lines', () => {
      const lines = Array.from({ length: 1_000_000 }, (_, i) => bareWords[i % bareWords.length]).join('\n');
      const result = extractiveSummary(lines, { targetWords: 150 });
      expect(Math.abs(result.words - 150)).toBeLessThanOrEqual(15);
    }, 120_000);

    it('one 50 MB line without sentence punctuation', () => {
      const chunk = bareWords.join(' ');
      const parts: string[] = [];
      for (let length = 0; length < 50_000_000; length += chunk.length + 1) parts.push(chunk);
      const line = parts.join(' ').slice(0, 50_000_000);
      const result = extractiveSummary(line, { targetWords: 200 });
      expect(Math.abs(result.words - 200)).toBeLessThanOrEqual(20);
    }, 300_000);

    it('sentences all longer than a small target (property)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 232 }), fc.integer({ min: 1, max: 12 }), (index, targetWords) => {
          const text = addresses[index]!.text.slice(0, 20_000);
          const result = extractiveSummary(text, { targetWords });
          expect(result.words).toBeGreaterThan(0);
          expect(Math.abs(result.words - targetWords)).toBeLessThanOrEqual(Math.max(1, targetWords * 0.1));
        }),
        { numRuns: 20 },
      );
    });
  });

  it('rejects bad options with INVALID_ARGUMENT and stops on an aborted signal', () => {
    expect(() => extractiveSummary('x', { targetWords: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => extractiveSummary('x', { targetWords: 10, tolerance: 1.5 })).toThrow(/tolerance/);
    const controller = new AbortController();
    controller.abort();
    try {
      extractiveSummary(addresses[0]!.text, { targetWords: 50, signal: controller.signal });
      expect.unreachable();
    } catch (error) {
      expect(isChunkwiseError(error, 'ABORTED')).toBe(true);
    }
  });
});
