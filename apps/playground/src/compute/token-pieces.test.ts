import { getEncoding } from '@chunkwise/tokenizers';
import { describe, expect, it } from 'vitest';
import { TOKEN_COLOURS, tokenPieces } from './token-pieces.js';

describe('tokenPieces', () => {
  it('gives each token its own piece and neighbours different colours', () => {
    const { pieces } = tokenPieces([10, 11, 12, 13, 14, 15, 16, 17], [0, 1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(pieces.map((piece) => piece.ids)).toEqual([[10], [11], [12], [13], [14], [15], [16], [17]]);
    for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.colour).not.toBe(pieces[i - 1]!.colour);
    expect(new Set(pieces.map((piece) => piece.colour)).size).toBe(TOKEN_COLOURS);
  });

  it('merges tokens holding only the continuation bytes of a character into the piece before', () => {
    // "a🐋b" where the whale's 4 UTF-8 bytes became two tokens: the second has an empty span.
    const { pieces } = tokenPieces([1, 2, 3, 4], [0, 1, 3, 3], [1, 3, 3, 4]);
    expect(pieces).toEqual([
      { start: 0, end: 1, ids: [1], colour: 0 },
      { start: 1, end: 3, ids: [2, 3], colour: 1 },
      { start: 3, end: 4, ids: [4], colour: 2 },
    ]);
  });

  it.each(['o200k_base', 'cl100k_base'] as const)('rebuilds the text and keeps every id in order with real %s offsets', async (name) => {
    const encoding = await getEncoding(name);
    const text = 'Whales 🐋 and a family 👩‍👩‍👧 in 東京の鯨, naïve café, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and \u0301 alone.\n\n  spaced';
    const { ids, starts, ends } = encoding.encodeWithOffsets(text);
    const { pieces, total } = tokenPieces(ids, starts, ends);
    expect(total).toBe(pieces.length);
    expect(pieces.map((piece) => text.slice(piece.start, piece.end)).join('')).toBe(text);
    expect(pieces.flatMap((piece) => piece.ids)).toEqual(Array.from(ids));
    expect(pieces.length).toBeLessThan(ids.length); // some emoji bytes were split over tokens
    for (const piece of pieces) expect(encoding.decode(piece.ids)).toBe(text.slice(piece.start, piece.end));
  });

  it('is empty for no tokens', () => {
    expect(tokenPieces([], [], [])).toEqual({ pieces: [], total: 0 });
  });

  it('puts a special token with an empty span before the text into the first piece', () => {
    // Llama 3: <|begin_of_text|> (128000) at [0, 0), then the text's own tokens.
    expect(tokenPieces([128000, 5, 6], [0, 0, 2], [0, 2, 4]).pieces).toEqual([
      { start: 0, end: 2, ids: [128000, 5], colour: 0 },
      { start: 2, end: 4, ids: [6], colour: 1 },
    ]);
    expect(tokenPieces([128000], [0], [0])).toEqual({ pieces: [{ start: 0, end: 0, ids: [128000], colour: 0 }], total: 1 });
  });

  it('builds only the first pieces of a long text but counts them all, as building all would', async () => {
    const encoding = await getEncoding('o200k_base');
    const text = 'Whales 🐋 and a family 👩‍👩‍👧 in 東京の鯨. '.repeat(40);
    const { ids, starts, ends } = encoding.encodeWithOffsets(text);
    const all = tokenPieces(ids, starts, ends);
    for (const limit of [0, 1, 7, 50, all.total, all.total + 5]) {
      const first = tokenPieces(ids, starts, ends, limit);
      expect(first.total).toBe(all.total);
      expect(first.pieces).toEqual(all.pieces.slice(0, limit));
    }
  });
});
