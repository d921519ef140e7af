import { ChunkwiseError, type Tokenizer } from '@chunkwise/core';
import { describeValue } from './describe-value.js';

/**
 * Counts UTF-16 code units, so `maxTokens` becomes a character limit (what `String.length` says).
 * Ids are the code units themselves; chunkers recognise it and skip token bookkeeping entirely:
 * every count is `end - start`.
 */
export class CharacterTokenizer implements Tokenizer {
  readonly name = 'characters';

  encode(text: string): Uint32Array {
    checkText(text);
    const ids = new Uint32Array(text.length);
    for (let i = 0; i < text.length; i++) ids[i] = text.charCodeAt(i);
    return ids;
  }

  /** The code units back as a string; an id that is not a code unit (0 to 0xFFFF) is `NOT_FOUND`. */
  decode(ids: ArrayLike<number>): string {
    if (typeof ids !== 'object' || ids === null || !Number.isSafeInteger(ids.length) || ids.length < 0) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `Expected ids as an array or typed array of integers, got ${describeValue(ids)}.`);
    }
    // Checked before allocating, so a bogus `length` fails on its first missing element.
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 0xffff) {
        throw new ChunkwiseError('NOT_FOUND', `Token id ${describeValue(id)} is not a UTF-16 code unit (0 to 65535).`, { details: { id: describeValue(id) } });
      }
    }
    const units = Uint16Array.from(ids);
    let out = '';
    // Chunks keep the argument list of String.fromCharCode under engines' limits.
    for (let i = 0; i < units.length; i += 8192) out += String.fromCharCode(...units.subarray(i, i + 8192));
    return out;
  }

  count(text: string): number {
    checkText(text);
    return text.length;
  }
}

function checkText(text: unknown): asserts text is string {
  if (typeof text !== 'string') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `Expected text as a string, got ${describeValue(text)}.`);
  }
}

/** The shared instance; the name `'characters'` resolves to it. */
export const characterTokenizer = new CharacterTokenizer();

export function isCharacterTokenizer(tokenizer: unknown): tokenizer is CharacterTokenizer {
  return tokenizer instanceof CharacterTokenizer;
}
