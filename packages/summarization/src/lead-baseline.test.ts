import { describe, expect, it } from 'vitest';
import { leadBaseline } from './lead-baseline.js';
import { extractiveSummary } from './extractive-summary.js';
import { rouge } from './rouge.js';
import { mobyDick } from './__fixtures__/datasets.js';

const TEXT = 'Call me Ishmael. Some years ago I went to sea.\nIt is a way I have. Whenever I find myself grim, I go.';

describe('leadBaseline', () => {
  it('takes the first k sentences (lead-k)', () => {
    expect(leadBaseline(TEXT, { sentences: 3 })).toEqual({
      summary: 'Call me Ishmael. Some years ago I went to sea. It is a way I have.',
      words: 16,
      sentences: 3,
    });
    expect(leadBaseline(TEXT, { sentences: 99 }).sentences).toBe(4);
  });

  it('takes whole sentences nearest a word target', () => {
    expect(leadBaseline(TEXT, { targetWords: 9 }).summary).toBe('Call me Ishmael. Some years ago I went to sea.');
    expect(leadBaseline(TEXT, { targetWords: 1 }).summary).toBe('Call me Ishmael.');
  });

  it('rejects a non-positive size', () => {
    expect(() => leadBaseline(TEXT, { sentences: 0 })).toThrow(/sentences must be a positive integer/);
  });

  it('is a different summary from the extractive one on a real chapter, scored by ROUGE against each other', () => {
    const book = mobyDick();
    const chapter = book.text.slice(book.chapters[3]!.start, book.chapters[3]!.end);
    const lead = leadBaseline(chapter, { targetWords: 150 });
    const extract = extractiveSummary(chapter, { targetWords: 150 });
    const overlap = rouge(extract.summary, lead.summary);
    expect(overlap.rouge1.f1).toBeGreaterThan(0);
    expect(overlap.rouge1.f1).toBeLessThan(1);
  });
});
