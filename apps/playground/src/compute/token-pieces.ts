/** What the tokens view draws: one coloured piece of text and the token ids that produced it. */
export interface TokenPiece {
  start: number;
  end: number;
  ids: number[];
  /** Alternating colour slot; neighbours never share one. */
  colour: number;
}

export const TOKEN_COLOURS = 6;

/**
 * Groups tokens into drawable pieces. Byte-level BPE can split one character over several tokens
 * (an emoji is often 2–3 tokens); those tokens report the same or an empty UTF-16 span, so they are
 * merged into one piece carrying every id, instead of drawing empty or duplicated text. Empty
 * spans before any text (a post-processor's `<|begin_of_text|>`) join the first piece.
 *
 * Only the first `limit` pieces are built (a book has millions); `total` counts them all.
 */
export function tokenPieces(ids: ArrayLike<number>, starts: ArrayLike<number>, ends: ArrayLike<number>, limit = Infinity): { pieces: TokenPiece[]; total: number } {
  const pieces: TokenPiece[] = [];
  let total = 0;
  let lastEnd = -1;
  let leading: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const start = starts[i]!;
    const end = ends[i]!;
    if (total === 0 && start === end) {
      leading.push(ids[i]!);
      continue;
    }
    if (total > 0 && (start < lastEnd || start === end)) {
      lastEnd = Math.max(lastEnd, end);
      const last = pieces.length === total ? pieces.at(-1) : undefined;
      if (last) {
        last.ids.push(ids[i]!);
        last.end = lastEnd;
      }
      continue;
    }
    if (pieces.length < limit) {
      pieces.push({ start, end, ids: [...leading, ids[i]!], colour: total % TOKEN_COLOURS });
      leading = [];
    }
    total++;
    lastEnd = end;
  }
  // Only empty spans (a text of nothing but special tokens): one empty piece keeps their ids.
  if (total === 0 && leading.length > 0) {
    const at = starts[0]!;
    pieces.push({ start: at, end: at, ids: leading, colour: 0 });
    total = 1;
  }
  return { pieces, total };
}
