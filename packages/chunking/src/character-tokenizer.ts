import type { Tokenizer } from '@chunkwise/core';

/**
 * Counts UTF-16 code units, so `maxTokens` becomes a character limit (what `String.length` says).
 * Chunkers recognise it and skip token bookkeeping entirely: every count is `end - start`.
 */
export class CharacterTokenizer implements Tokenizer {
  readonly name = 'characters';

  encode(text: string): Uint32Array {
    const ids = new Uint32Array(text.length);
    for (let i = 0; i < text.length; i++) ids[i] = text.charCodeAt(i);
    return ids;
  }

  decode(ids: ArrayLike<number>): string {
    let out = '';
    for (let i = 0; i < ids.length; i += 8192) {
      out += String.fromCharCode(...Array.from({ length: Math.min(8192, ids.length - i) }, (_, k) => ids[i + k] ?? 0));
    }
    return out;
  }

  count(text: string): number {
    return text.length;
  }
}

/** The shared instance; `tokenizer: 'characters'` resolves to it. */
export const characterTokenizer = new CharacterTokenizer();

export function isCharacterTokenizer(tokenizer: Tokenizer): boolean {
  return tokenizer instanceof CharacterTokenizer;
}
