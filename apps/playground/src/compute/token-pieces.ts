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
 * merged into one piece carrying every id, instead of drawing empty or duplicated text.
 */
export function tokenPieces(ids: ArrayLike<number>, starts: ArrayLike<number>, ends: ArrayLike<number>): TokenPiece[] {
  const pieces: TokenPiece[] = [];
  for (let i = 0; i < ids.length; i++) {
    const start = starts[i]!;
    const end = ends[i]!;
    const last = pieces.at(-1);
    if (last && (start < last.end || start === end)) {
      last.ids.push(ids[i]!);
      last.end = Math.max(last.end, end);
      continue;
    }
    pieces.push({ start, end, ids: [ids[i]!], colour: pieces.length % TOKEN_COLOURS });
  }
  return pieces;
}
