import { isChunkwiseError } from '@chunkwise/core';

/** The ChunkwiseError code `action` throws ('other' for any other error), or undefined if it returns. */
export function errorCode(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return isChunkwiseError(error) ? error.code : 'other';
  }
  return undefined;
}
