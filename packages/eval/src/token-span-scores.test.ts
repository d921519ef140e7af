import type { Span, Tokenizer } from '@chunkwise/core';
import { getEncoding } from '@chunkwise/tokenizers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenPrecisionOmega, tokenSpanScores, tokenSpans, type TokenSpans } from './token-span-scores.js';

/**
 * The reference computation: a token belongs to a set when one of its characters is in a span; a
 * token with an empty span (a later byte piece of a split character) has its predecessor's characters.
 */
function naiveTokenScores(retrieved: readonly Span[], references: readonly Span[], tokens: TokenSpans) {
  const characters: Set<number>[] = [];
  for (let i = 0; i < tokens.starts.length; i++) {
    const own = new Set<number>();
    for (let c = tokens.starts[i]!; c < tokens.ends[i]!; c++) own.add(c);
    characters.push(own.size === 0 && i > 0 ? characters[i - 1]! : own);
  }
  const touches = (i: number, spans: readonly Span[]) => spans.some((s) => [...characters[i]!].some((c) => s.start <= c && c < s.end));
  let shared = 0;
  let r = 0;
  let g = 0;
  for (let i = 0; i < tokens.starts.length; i++) {
    const inR = touches(i, retrieved);
    const inG = touches(i, references);
    r += Number(inR);
    g += Number(inG);
    shared += Number(inR && inG);
  }
  if (r === 0 || g === 0) return { recall: 0, precision: 0, iou: 0 };
  return { recall: shared / g, precision: shared / r, iou: shared / (r + g - shared) };
}

const o200k = await getEncoding('o200k_base');
const text = 'Call me Ishmael. Some years ago—never mind how long precisely—having little or no money in my purse, 🐋 and nothing particular to interest me on shore.';

describe('tokenSpanScores', () => {
  it('equals the per-token computation on real o200k tokens for any spans', () => {
    const tokens = tokenSpans(text, o200k);
    const span = fc.tuple(fc.nat(text.length), fc.nat(40)).map(([start, length]) => ({ start, end: Math.min(text.length, start + length) }));
    fc.assert(
      fc.property(fc.array(span, { maxLength: 6 }), fc.array(span, { maxLength: 6 }), (retrieved, references) => {
        const got = tokenSpanScores(retrieved, references, tokens);
        const want = naiveTokenScores(retrieved, references, tokens);
        expect(got.recall).toBeCloseTo(want.recall, 12);
        expect(got.precision).toBeCloseTo(want.precision, 12);
        expect(got.iou).toBeCloseTo(want.iou, 12);
      }),
      { numRuns: 300 },
    );
  });

  it('equals the per-token computation for arbitrary sorted token spans', () => {
    // Lengths of 0 stand for the empty spans byte-level BPE gives the later pieces of a split character.
    const tokenList = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 60 }).map((lengths) => {
      let at = 0;
      const starts = lengths.map((l) => ((at += l), at - l));
      return { starts: Uint32Array.from(starts), ends: Uint32Array.from(lengths.map((l, i) => starts[i]! + l)) };
    });
    const span = fc.tuple(fc.nat(300), fc.nat(30)).map(([start, length]) => ({ start, end: start + length }));
    fc.assert(
      fc.property(tokenList, fc.array(span, { maxLength: 6 }), fc.array(span, { maxLength: 6 }), (tokens, retrieved, references) => {
        const got = tokenSpanScores(retrieved, references, tokens);
        const want = naiveTokenScores(retrieved, references, tokens);
        expect(got.iou).toBeCloseTo(want.iou, 12);
        expect(got.recall).toBeCloseTo(want.recall, 12);
        expect(got.precision).toBeCloseTo(want.precision, 12);
      }),
      { numRuns: 300 },
    );
  });

  it('counts a token touched by half its characters as whole', () => {
    const tokens = tokenSpans('hello world', o200k); // "hello", " world"
    expect(Array.from(tokens.starts)).toEqual([0, 5]);
    // The reference covers "llo w": both tokens; retrieval covers "hello": one of two.
    expect(tokenSpanScores([{ start: 0, end: 5 }], [{ start: 2, end: 7 }], tokens)).toEqual({ recall: 0.5, precision: 1, iou: 0.5 });
  });

  it('derives spans by decoding when the tokenizer has no offsets, and refuses when pieces split characters', () => {
    const words: Tokenizer = {
      name: 'words',
      encode: (t) => Uint32Array.from(t.split(/(?<= )/).map((w) => vocab.indexOf(w))),
      decode: (ids) => Array.from(ids, (id) => vocab[id]).join(''),
      count: (t) => t.split(/(?<= )/).length,
    };
    const vocab = ['a ', 'bb ', 'ccc'];
    const tokens = tokenSpans('a bb ccc', words);
    expect(Array.from(tokens.starts)).toEqual([0, 2, 5]);
    expect(Array.from(tokens.ends)).toEqual([2, 5, 8]);
    const lossy: Tokenizer = { ...words, decode: () => '\uFFFD' };
    expect(() => tokenSpans('a bb ccc', lossy)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });

  it('gives Precision-Ω in tokens', () => {
    const tokens = tokenSpans(text, o200k);
    const chunks = [{ start: 0, end: 17 }, { start: 17, end: 60 }, { start: 60, end: text.length }];
    const omega = tokenPrecisionOmega(chunks, [{ start: 8, end: 15 }], tokens);
    const inFirst = Array.from(tokens.starts).filter((s) => s < 17).length;
    expect(omega).toBeCloseTo(tokenSpanScores([{ start: 8, end: 15 }], [{ start: 8, end: 15 }], tokens).recall * (2 / inFirst), 12);
  });
});
