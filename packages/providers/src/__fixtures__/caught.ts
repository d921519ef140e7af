import { ChunkwiseError } from '@chunkwise/core';

/** The ChunkwiseError a promise rejects with; fails the test if it resolves or throws anything else. */
export async function caught(promise: Promise<unknown>): Promise<ChunkwiseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ChunkwiseError) return error;
    throw error;
  }
  throw new Error('expected a ChunkwiseError, got a result');
}
