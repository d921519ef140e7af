import { ChunkwiseError, type SliceCounter, type TokenOffsets, type Tokenizer } from '@chunkwise/core';
import { show } from '../argument-checks.js';

function checkText(text: unknown): asserts text is string {
  if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `Expected text as a string, got ${show(text)}.`);
}

/**
 * One token per UTF-16 code unit, exactly reversible. Static embedders have no context window, so
 * `LateChunker` only needs a tokenizer to measure windows with; this one makes `maxTokens` a
 * character count. A surrogate pair's two tokens both span the whole character, as core's
 * `TokenOffsets` asks.
 */
export class CodeUnitTokenizer implements Tokenizer {
  readonly name = 'utf16-code-units';

  encode(text: string): Uint32Array {
    checkText(text);
    const ids = new Uint32Array(text.length);
    for (let i = 0; i < text.length; i++) ids[i] = text.charCodeAt(i);
    return ids;
  }

  decode(ids: ArrayLike<number>): string {
    if (ids === null || typeof ids !== 'object' || !Number.isSafeInteger(ids.length) || ids.length < 0) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `decode(ids) needs an array of token ids, got ${show(ids)}.`);
    }
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 0xffff) throw new ChunkwiseError('NOT_FOUND', `Token id ${show(id)} is not a UTF-16 code unit.`, { details: { at: i } });
    }
    let out = '';
    for (let i = 0; i < ids.length; i += 8192) {
      out += String.fromCharCode(...Array.from({ length: Math.min(8192, ids.length - i) }, (_, k) => ids[i + k]!));
    }
    return out;
  }

  count(text: string): number {
    checkText(text);
    return text.length;
  }

  encodeWithOffsets(text: string): TokenOffsets {
    checkText(text);
    const ids = this.encode(text);
    const starts = new Uint32Array(text.length);
    const ends = new Uint32Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const code = ids[i]!;
      const high = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (ids[i + 1]! & 0xfc00) === 0xdc00;
      const low = (code & 0xfc00) === 0xdc00 && i > 0 && ids[i - 1]! >= 0xd800 && ids[i - 1]! <= 0xdbff;
      starts[i] = low ? i - 1 : i;
      ends[i] = high ? i + 2 : i + 1;
    }
    return { ids, starts, ends };
  }

  sliceCounter(text: string): SliceCounter {
    checkText(text);
    return { ...this.encodeWithOffsets(text), count: (start, end) => Math.max(0, end - start) };
  }
}
