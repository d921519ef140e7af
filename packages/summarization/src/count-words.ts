import { ChunkwiseError } from '@chunkwise/core';

const WORD = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu;

/**
 * Words as a reader counts them: runs of letters and digits, keeping inner apostrophes, hyphens
 * and dots together ("don't", "well-known", "U.S", "3.5" are one word each). Every word target and
 * every reported length in this package uses this count.
 */
export function countWords(text: string): number {
  if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `countWords() takes a string, got ${text === null ? 'null' : typeof text}.`);
  let count = 0;
  WORD.lastIndex = 0;
  while (WORD.exec(text) !== null) count++;
  return count;
}
