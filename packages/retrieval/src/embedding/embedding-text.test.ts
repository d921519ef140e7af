import { isChunkwiseError } from '@chunkwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embeddingText } from './embedding-text.js';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return isChunkwiseError(error) ? error.code : `untyped: ${String(error)}`;
  }
  return 'no error';
};

/** A source text, a chunk span inside it and a window around the chunk, as a chunker with contextTokens makes them. */
const situatedArb = fc
  .string({ minLength: 1, maxLength: 300, unit: 'grapheme' })
  .chain((source) =>
    fc
      .tuple(fc.nat(source.length), fc.nat(source.length), fc.nat(source.length), fc.nat(source.length))
      .map((cuts) => cuts.sort((a, b) => a - b))
      .map(([windowStart, start, end, windowEnd]) => ({ source, start, end, context: { start: windowStart, end: windowEnd } })),
  );

describe('embeddingText', () => {
  it('is the chunk text, unchanged, without options (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(embeddingText({ chunk: { text } })).toBe(text);
      }),
    );
  });

  it('situated: the window source.slice(context) around the chunk, which contains the chunk (property)', () => {
    fc.assert(
      fc.property(situatedArb, ({ source, start, end, context }) => {
        const chunk = { text: source.slice(start, end), meta: { context } };
        const text = embeddingText({ chunk, source }, { situated: true });
        expect(text).toBe(source.slice(context.start, context.end));
        expect(text.indexOf(chunk.text, start - context.start)).toBe(start - context.start);
      }),
    );
  });

  it('metadata prefix: `key: value; key: value` on one line before the text, keys in the given order, empty ones left out', () => {
    const chunk = { text: 'The state of the Union is strong.' };
    const meta = { president: 'Barack Obama', year: 2013, section: '', party: null, source: 'sotu/2013.txt' };
    expect(embeddingText({ chunk, meta }, { metadataPrefix: ['year', 'president', 'section', 'party', 'missing'] })).toBe('year: 2013; president: Barack Obama\nThe state of the Union is strong.');
    expect(embeddingText({ chunk, meta }, { metadataPrefix: ['missing'] })).toBe(chunk.text);
    expect(embeddingText({ chunk, meta: { title: 'Two\nlines  here' } }, { metadataPrefix: ['title'] })).toBe('title: Two lines here\nThe state of the Union is strong.');
  });

  it('both: the prefix, then the situated window', () => {
    const source = 'Chapter 1. Loomings. Call me Ishmael. Some years ago.';
    const chunk = { text: 'Call me Ishmael.', meta: { context: { start: 11, end: 53 } } };
    expect(embeddingText({ chunk, source, meta: { title: 'Loomings' } }, { situated: true, metadataPrefix: ['title'] })).toBe('title: Loomings\nLoomings. Call me Ishmael. Some years ago.');
  });

  it('refuses what it cannot embed as asked with INVALID_ARGUMENT', () => {
    const chunk = { text: 'x', meta: { context: { start: 0, end: 1 } } };
    expect(codeOf(() => embeddingText({ chunk: { text: 'x' }, source: 'x' }, { situated: true }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => embeddingText({ chunk }, { situated: true }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => embeddingText({ chunk: { text: 'x', meta: { context: { start: 0, end: 9 } } }, source: 'x' }, { situated: true }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => embeddingText({ chunk, meta: { title: { nested: true } } }, { metadataPrefix: ['title'] }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => embeddingText({ chunk }, { metadataPrefix: 'title' as never }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => embeddingText({ chunk }, { situated: 'yes' as never }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => embeddingText(null as never))).toBe('INVALID_ARGUMENT');
  });
});
