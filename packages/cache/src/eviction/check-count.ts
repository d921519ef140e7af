import { ChunkwiseError } from '@chunkwise/core';

/** Throws INVALID_ARGUMENT unless `value` is an integer ≥ `min`. */
export function checkCount(where: string, name: string, value: unknown, min = 0): asserts value is number {
  if (!Number.isSafeInteger(value) || (value as number) < min) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${where}: ${name} must be an integer ≥ ${min}, got ${String(value)}.`);
  }
}
