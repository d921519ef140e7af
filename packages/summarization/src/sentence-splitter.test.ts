import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentence-splitter.js';
import { sotuAddresses } from './__fixtures__/datasets.js';

const sentences = (text: string) => splitSentences(text).map((span) => text.slice(span.start, span.end));

describe('splitSentences', () => {
  it('splits at sentence ends and paragraph breaks', () => {
    expect(sentences('Call me Ishmael. Some years ago I went to sea! Why? Because.\n\nA new paragraph')).toEqual([
      'Call me Ishmael.',
      'Some years ago I went to sea!',
      'Why?',
      'Because.',
      'A new paragraph',
    ]);
  });

  it('does not break after titles, abbreviations, initials or "No." before a number', () => {
    expect(sentences('Mr. Smith met Dr. Jones in St. Louis, e.g. at noon. J. R. R. Tolkien wrote it. See No. 5 here.')).toEqual([
      'Mr. Smith met Dr. Jones in St. Louis, e.g. at noon.',
      'J. R. R. Tolkien wrote it.',
      'See No. 5 here.',
    ]);
    expect(sentences('The U.S. Congress met. It adjourned.')).toEqual(['The U.S. Congress met.', 'It adjourned.']);
  });

  it('keeps dialogue tags with their quotation ("What?" said Peleg.)', () => {
    expect(sentences('"What do ye see?" said Peleg. "Nothing," I said.')).toEqual([
      '"What do ye see?" said Peleg.',
      '"Nothing," I said.',
    ]);
  });

  it('treats single line breaks as spaces (hard-wrapped text)', () => {
    expect(sentences('It was the best\nof times. It was\nthe worst.')).toEqual(['It was the best\nof times.', 'It was\nthe worst.']);
  });

  it('returns trimmed spans, in order, that slice the source exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('Mr. Lee said so.', 'Why not?', ' \n', '\n\n', 'Yes!', 'e.g. this', '"Go!" cried he.', 'x'), {
          maxLength: 30,
        }),
        (parts) => {
          const text = parts.join(' ');
          let previousEnd = 0;
          for (const span of splitSentences(text)) {
            expect(span.start).toBeGreaterThanOrEqual(previousEnd);
            expect(span.end).toBeGreaterThan(span.start);
            const sentence = text.slice(span.start, span.end);
            expect(sentence).toBe(sentence.trim());
            previousEnd = span.end;
          }
        },
      ),
    );
  });

  it('segments a 217k-character address in blocks, cutting only at sentence ends', () => {
    const longest = sotuAddresses().reduce((a, b) => (a.text.length > b.text.length ? a : b));
    const spans = splitSentences(longest.text);
    expect(spans.length).toBeGreaterThan(1000);
    // Every block edge fell at a real sentence end: each sentence starts with a capital, a digit or a quote.
    const starts = spans.map((span) => longest.text[span.start]!);
    expect(starts.filter((c) => /[a-z]/.test(c)).length).toBeLessThan(spans.length / 100);
    // A block edge never leaves a sentence longer than any the segmenter makes on its own.
    const lengths = spans.map((span) => span.end - span.start);
    expect(Math.max(...lengths)).toBeLessThan(8000);
  });
});
