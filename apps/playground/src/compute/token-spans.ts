import type { TokenOffsets, Tokenizer } from '@chunkwise/core';

/**
 * The tokens of `text` with their UTF-16 spans, through core's `Tokenizer` contract: a tokenizer
 * with `encodeWithOffsets` reports them (special-token look-alikes count as text, as `count()`
 * does; a tokenizer.json model includes its post-processor's tokens with empty spans). Any other
 * tokenizer is encoded and its first `spanLimit` tokens are placed by decoding each one, which
 * works whenever single tokens decode to consecutive pieces of the text (characters); `spans` is
 * null when they do not.
 */
export function tokenSpans(tokenizer: Tokenizer, text: string, spanLimit: number): { ids: Uint32Array; spans: Omit<TokenOffsets, 'ids'> | null } {
  if (tokenizer.encodeWithOffsets) {
    const { ids, starts, ends } = tokenizer.encodeWithOffsets(text, { disallowedSpecial: [] });
    return { ids, spans: { starts, ends } };
  }
  const ids = tokenizer.encode(text);
  return { ids, spans: decodedSpans(tokenizer, ids, text, spanLimit) };
}

function decodedSpans(tokenizer: Tokenizer, ids: Uint32Array, text: string, limit: number): Omit<TokenOffsets, 'ids'> | null {
  const count = Math.min(ids.length, limit);
  const starts = new Uint32Array(count);
  const ends = new Uint32Array(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const piece = tokenizer.decode([ids[i]!]);
    if (!text.startsWith(piece, at)) return null;
    starts[i] = at;
    at += piece.length;
    ends[i] = at;
  }
  return { starts, ends };
}
