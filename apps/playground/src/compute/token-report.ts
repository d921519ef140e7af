import type { Tokenizer } from '@chunkwise/core';
import { tokenPieces, type TokenPiece } from './token-pieces.js';
import { tokenSpans } from './token-spans.js';

/** What the Tokens view shows: both counts and the first pieces to draw. */
export interface TokenReport {
  name: string;
  /** The library's own count (`tokenizer.count`). */
  count: number;
  compareName: string;
  compareCount: number;
  /** Tokens the pieces are made of (the count can differ: see `count`). */
  tokens: number;
  /** The first pieces to draw, and how many there are in all. */
  pieces: TokenPiece[];
  pieceCount: number;
  /** False when the tokenizer reports no spans and its tokens do not decode to the text's pieces. */
  hasSpans: boolean;
}

/** Counts `text` in two tokenizers and cuts it into the first `maxPieces` drawable token pieces. */
export function tokenReport(tokenizer: Tokenizer, compare: Tokenizer, text: string, maxPieces: number): TokenReport {
  const { ids, spans } = tokenSpans(tokenizer, text, maxPieces * 4);
  const { pieces, total } = spans ? tokenPieces(ids.subarray(0, spans.starts.length), spans.starts, spans.ends, maxPieces) : { pieces: [], total: 0 };
  return {
    name: tokenizer.name,
    count: tokenizer.count(text),
    compareName: compare.name,
    compareCount: compare.count(text),
    tokens: ids.length,
    pieces,
    // Spans placed by decoding cover a prefix only; each such token is one piece (one character).
    pieceCount: spans && spans.starts.length < ids.length ? ids.length : total,
    hasSpans: spans !== null,
  };
}
