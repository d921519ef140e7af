import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countWords } from './count-words.js';
import { leadBaseline } from './lead-baseline.js';
import { mobyDick, sotuAddresses } from './__fixtures__/datasets.js';

const TEXT = 'Call me Ishmael. Some years ago I went to sea.\nIt is a way I have. Whenever I find myself grim, I go.';

/** Sentences of one to twelve lower-case words, each ending with a full stop. */
const sentenceList = fc.array(
  fc.array(fc.constantFrom('whale', 'sea', 'ship', 'captain', 'harpoon', 'storm', 'crew', 'deck'), { minLength: 1, maxLength: 12 }).map((words) => {
    const sentence = words.join(' ');
    return `${sentence[0]!.toUpperCase()}${sentence.slice(1)}.`;
  }),
  { minLength: 1, maxLength: 25 },
);

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

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

  it('is exactly the first min(k, n) sentences, in order, for any text and k (property)', () => {
    fc.assert(
      fc.property(sentenceList, fc.integer({ min: 1, max: 30 }), fc.constantFrom(' ', '\n', '\n\n'), (sentences, k, separator) => {
        const result = leadBaseline(sentences.join(separator), { sentences: k });
        const expected = sentences.slice(0, k);
        expect(result.summary).toBe(expected.join(' '));
        expect(result.sentences).toBe(expected.length);
        expect(result.words).toBe(countWords(expected.join(' ')));
      }),
    );
  });

  it('picks the prefix whose word count is nearest the target, the shorter one on a tie (property)', () => {
    fc.assert(
      fc.property(sentenceList, fc.integer({ min: 1, max: 200 }), (sentences, targetWords) => {
        const result = leadBaseline(sentences.join(' '), { targetWords });
        // Brute force over every non-empty prefix.
        let best = 1;
        for (let count = 1; count <= sentences.length; count++) {
          const words = countWords(sentences.slice(0, count).join(' '));
          const bestWords = countWords(sentences.slice(0, best).join(' '));
          if (Math.abs(words - targetWords) < Math.abs(bestWords - targetWords)) best = count;
        }
        expect(result.sentences).toBe(best);
        expect(result.summary).toBe(sentences.slice(0, best).join(' '));
      }),
    );
  });

  it('is the opening of a real chapter and of every SOTU address, within one sentence of the target', () => {
    const book = mobyDick();
    const chapter = book.text.slice(book.chapters[3]!.start, book.chapters[3]!.end);
    const texts = [chapter, ...sotuAddresses().filter((_, i) => i % 20 === 0).map((address) => address.text)];
    for (const text of texts) {
      const lead = leadBaseline(text, { targetWords: 150 });
      expect(flat(text).startsWith(lead.summary)).toBe(true);
      expect(lead.words).toBe(countWords(lead.summary));
      // The next sentence would have moved it further from the target, so it is at most one sentence off.
      const next = leadBaseline(text, { sentences: lead.sentences + 1 });
      expect(Math.abs(lead.words - 150)).toBeLessThanOrEqual(Math.abs(next.words - 150));
      expect(lead.words).toBeGreaterThan(50);
    }
  });
});
