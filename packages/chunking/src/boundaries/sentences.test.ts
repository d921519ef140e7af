import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mobyDick, sotu } from '../__fixtures__/corpora.js';
import { unicodeText } from '../__fixtures__/unicode.js';
import { continuesInLowercase, sentenceSplits, sentenceSpans, splitSentences } from './sentences.js';

const sentences = (text: string) => splitSentences(text).map((span) => text.slice(span.start, span.end));

describe('splitSentences', () => {
  it('splits at sentence ends and paragraph breaks, returning trimmed spans', () => {
    expect(sentences('Call me Ishmael. Some years ago I went to sea! Why? Because.\n\nA new paragraph')).toEqual([
      'Call me Ishmael.',
      'Some years ago I went to sea!',
      'Why?',
      'Because.',
      'A new paragraph',
    ]);
  });

  it('does not break after titles, abbreviations, initials or "No." before a number', () => {
    expect(sentences('Mr. Smith met Dr. Jones in St. Louis, e.g. at noon. J. R. R. Tolkien wrote it. See No. 5 here. He said no. Then left.')).toEqual([
      'Mr. Smith met Dr. Jones in St. Louis, e.g. at noon.',
      'J. R. R. Tolkien wrote it.',
      'See No. 5 here.',
      'He said no.',
      'Then left.',
    ]);
    expect(sentences('The U.S. Congress met. It adjourned. Pi is 3.14 or so.')).toEqual(['The U.S. Congress met.', 'It adjourned.', 'Pi is 3.14 or so.']);
  });

  it('keeps dialogue tags with their quotation (Moby Dick: "Where away?" demanded the captain)', () => {
    expect(sentences('"Where away?" demanded the captain. "Nothing," I said. "Aye!" cried he.')).toEqual([
      '"Where away?" demanded the captain.',
      '"Nothing," I said.',
      '"Aye!" cried he.',
    ]);
  });

  it('reads single line breaks as spaces (hard-wrapped prose, verse) and blank lines as ends', () => {
    expect(sentences('It was the best\nof times. It was\nthe worst.')).toEqual(['It was the best\nof times.', 'It was\nthe worst.']);
    // From Moby Dick's extracts: verse lines are not sentences; the stanza is.
    const verse = "     Which to secure, no skill of leach's art\n     Mote him availle, but to returne againe\n     To his wound's worker.\n\n     —The Faerie Queen.";
    expect(sentences(verse)).toEqual(["Which to secure, no skill of leach's art\n     Mote him availle, but to returne againe\n     To his wound's worker.", '—The Faerie Queen.']);
    // A paragraph break ends a sentence even after an initial (Moby Dick: "Vide his V. E.").
    expect(sentences('Vide his V. E.\n\nLike Talus.')).toEqual(['Vide his V. E.', 'Like Talus.']);
  });

  it('ends a line before a list item, heading, quote or table row, and after a heading', () => {
    expect(sentences('Bring\n- a shirt\n- a hat\n# Next\nSome text\n> quoted\n| a | b |')).toEqual([
      'Bring',
      '- a shirt',
      '- a hat',
      '# Next',
      'Some text',
      '> quoted',
      '| a | b |',
    ]);
  });

  it('keeps a footnote mark with its sentence and drops text with no letter or digit between paragraphs', () => {
    expect(sentences('the whale is declared "a royal fish." *\n\nOh, that is only nominal!\n\n* * *\n\nNext.')).toEqual([
      'the whale is declared "a royal fish." *',
      'Oh, that is only nominal!',
      'Next.',
    ]);
  });

  it('splits CJK sentences at the ideographic full stop and handles ellipses as UAX #29 does', () => {
    expect(sentences('日本語の文です。二つ目の文です。')).toEqual(['日本語の文です。', '二つ目の文です。']);
    expect(sentences('Wait... what was that? Then... Silence.')).toEqual(['Wait... what was that?', 'Then...', 'Silence.']);
  });

  it('reads whitespace-only text once: 400,000 blank lines, blank runs and scene breaks give no sentence (each took minutes: every candidate rescanned the rest)', () => {
    for (const text of ['\n'.repeat(400_000), ' \n'.repeat(200_000), '\t \n\n'.repeat(100_000), '*\n\n'.repeat(130_000)]) {
      expect(splitSentences(text)).toEqual([]);
    }
    const paragraphs = `${'\n'.repeat(200_000)}Call me Ishmael.${'\n'.repeat(200_000)}Some years ago.`;
    expect(sentences(paragraphs)).toEqual(['Call me Ishmael.', 'Some years ago.']);
  });

  it('answers a non-string with INVALID_ARGUMENT', () => {
    for (const bad of [undefined, null, 42, {}, ['a']]) {
      expect(() => splitSentences(bad as unknown as string)).toThrow(expect.objectContaining({ name: 'ChunkwiseError', code: 'INVALID_ARGUMENT' }) as Error);
    }
  });

  it('returns ordered, trimmed spans that slice exactly and cover every letter and digit', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.oneof(unicodeText, fc.constantFrom('Mr. Lee said so.', 'Why not?', ' \n', '\n\n', 'Yes!', 'e.g. this', '"Go!" cried he.', '* * *', '- item\n', 'x')), { maxLength: 30 })
          .map((parts) => parts.join(' ')),
        (text) => {
          const covered = new Uint8Array(text.length);
          let previousEnd = 0;
          for (const span of splitSentences(text)) {
            expect(span.start).toBeGreaterThanOrEqual(previousEnd);
            expect(span.end).toBeGreaterThan(span.start);
            const sentence = text.slice(span.start, span.end);
            expect(sentence).toBe(sentence.trim());
            expect(sentence).toMatch(/[\p{L}\p{N}]/u);
            covered.fill(1, span.start, span.end);
            previousEnd = span.end;
          }
          for (const match of text.matchAll(/[\p{L}\p{N}]/gu)) expect(covered[match.index]).toBe(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('sentenceSpans / sentenceSplits', () => {
  it('tile the text', () => {
    fc.assert(
      fc.property(unicodeText, (text) => {
        const spans = sentenceSpans(text);
        expect(spans.map((span) => text.slice(span.start, span.end)).join('')).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('cut where the whole text cuts, from any starting point (block seams and context do not move a cut)', () => {
    const moby = mobyDick().slice(0, 60_000);
    const whole = sentenceSplits(moby, 0, moby.length);
    fc.assert(
      fc.property(fc.nat(moby.length - 1), fc.nat(20_000), (start, length) => {
        const end = Math.min(moby.length, start + length + 1);
        expect(sentenceSplits(moby, start, end)).toEqual(whole.filter((cut) => cut > start && cut < end));
      }),
      { numRuns: 400 },
    );
  });

  it('cut where the whole text cuts from a start inside the whitespace after a break', () => {
    const moby = mobyDick().slice(0, 60_000);
    const whole = sentenceSplits(moby, 0, moby.length);
    for (const cut of whole) {
      for (let start = cut - 1; start > 0 && /\s/u.test(moby[start] ?? ''); start--) {
        expect(sentenceSplits(moby, start, cut + 1)).toEqual([cut]);
      }
    }
  });

  it('find every plain sentence end in all 233 SOTU addresses, whatever the block seams (before: 68 missed)', () => {
    const abbreviation = /\b(?:[A-Z]|Prof|Mr|Mrs|Ms|Dr|St|Co|No|Gen|Jr|Sr|Messrs|Mt|Ft|Rev|Hon|Lt|Col|Capt|Gov|Sen|Rep|Pres|Inc|Ltd|Corp|Jan|Feb|Mar|Apr|Aug|Sept|Oct|Nov|Dec|etc|vs|viz|cf|al)\.$/u;
    const missed: string[] = [];
    let count = 0;
    for (const { text, year } of sotu()) {
      const spans = splitSentences(text);
      count += spans.length;
      const ends = new Set(spans.map((span) => span.end));
      // Every ". X" with a capitalised word after it is a sentence end unless an abbreviation ends there.
      for (const match of text.matchAll(/[a-z0-9%)]\.(?= [A-Z][a-z])/gu)) {
        const end = match.index + 2;
        if (!ends.has(end) && !abbreviation.test(text.slice(Math.max(0, end - 8), end))) missed.push(`${String(year)}: ${text.slice(Math.max(0, end - 30), end + 20)}`);
      }
      expect(Math.max(...spans.map((span) => span.end - span.start))).toBeLessThan(8000);
    }
    expect(count).toBeGreaterThan(60_000);
    expect(missed).toEqual([]);
  });
});

describe('continuesInLowercase', () => {
  it('is "past spaces, quotes and brackets (16 at most), a lower-case letter"', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(' ', '\n', '"', '“', '‘', "'", '(', 'a', 'A', 'é', 'É', '5', '.', '\u00a0', '𝐚'), { maxLength: 24 }), fc.nat(24), (parts, at) => {
        const text = parts.join('');
        const position = Math.min(at, text.length);
        let i = position;
        while (i < text.length && i < position + 16 && /[\s"'“”‘’(]/u.test(text[i] ?? '')) i++;
        expect(continuesInLowercase(text, position)).toBe(/\p{Ll}/u.test(text[i] ?? ''));
      }),
      { numRuns: 2000 },
    );
  });
});
