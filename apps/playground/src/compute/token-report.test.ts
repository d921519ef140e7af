import type { Tokenizer } from '@chunkwise/core';
import { characterTokenizer, getEncoding, HfTokenizer } from '@chunkwise/tokenizers';
import { describe, expect, it } from 'vitest';
import { llama3TokenizerJson } from '../../vite-plugins/dataset-assets.js';
import { tokenReport } from './token-report.js';

const TEXT = 'Whales 🐋 and a family 👩‍👩‍👧 in 東京の鯨, naïve café <|endoftext|> x² ≠ y₂.\n';

const rebuilt = (text: string, report: ReturnType<typeof tokenReport>): string => report.pieces.map((piece) => text.slice(piece.start, piece.end)).join('');

describe('tokenReport, through core’s Tokenizer interface', () => {
  it('places an encoding’s tokens with its own offsets; special-token look-alikes are text, as count() has them', async () => {
    const [o200k, cl100k] = await Promise.all([getEncoding('o200k_base'), getEncoding('cl100k_base')]);
    const report = tokenReport(o200k, cl100k, TEXT, 1000);
    expect(report).toMatchObject({ name: 'o200k_base', count: o200k.count(TEXT), compareName: 'cl100k_base', compareCount: cl100k.count(TEXT), tokens: o200k.count(TEXT), hasSpans: true });
    expect(rebuilt(TEXT, report)).toBe(TEXT);
    expect(report.pieces.flatMap((piece) => piece.ids)).toEqual(Array.from(o200k.encodeOrdinary(TEXT)));
  });

  it('shows a tokenizer.json model’s tokens, every one its count has', async () => {
    const llama3 = HfTokenizer.fromJSON(llama3TokenizerJson(), { name: 'Llama 3' });
    const report = tokenReport(llama3, await getEncoding('o200k_base'), TEXT, 1000);
    expect(report.count).toBe(llama3.count(TEXT));
    expect(report.tokens).toBe(report.count);
    expect(rebuilt(TEXT, report)).toBe(TEXT);
    expect(report.pieces.flatMap((piece) => piece.ids)).toEqual(Array.from(llama3.encode(TEXT)));
  });

  it('places the tokens of a tokenizer without offsets by decoding them (characters)', async () => {
    const report = tokenReport(characterTokenizer, await getEncoding('o200k_base'), TEXT, 10);
    expect(report).toMatchObject({ name: 'characters', count: TEXT.length, tokens: TEXT.length, pieceCount: TEXT.length, hasSpans: true });
    expect(report.pieces).toHaveLength(10);
    expect(rebuilt(TEXT, report)).toBe(TEXT.slice(0, 10));
  });

  it('says so when a tokenizer has no offsets and its tokens do not decode to the text', async () => {
    // Lower-cases: its tokens decode to other characters than the text's.
    const lower: Tokenizer = { name: 'lower', encode: (text) => characterTokenizer.encode(text.toLowerCase()), decode: (ids) => characterTokenizer.decode(ids), count: (text) => text.length };
    const report = tokenReport(lower, await getEncoding('o200k_base'), TEXT, 100);
    expect(report).toMatchObject({ hasSpans: false, pieces: [], count: TEXT.length });
  });

  it('draws only the first pieces of a long text and counts them all', async () => {
    const o200k = await getEncoding('o200k_base');
    const text = TEXT.repeat(300);
    const report = tokenReport(o200k, o200k, text, 50);
    expect(report.pieces).toHaveLength(50);
    expect(report.pieceCount).toBe(tokenReport(o200k, o200k, text, Infinity).pieces.length);
  });
});
