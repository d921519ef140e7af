import { ChunkwiseError } from '@chunkwise/core';
import type { StoreRecordsOptions } from './store.js';

const DEFAULT_BATCH = 500;

/** Checks Store.records() options; returns the batch size. */
export function recordsBatchSize(options: StoreRecordsOptions | undefined): number {
  if (options === undefined) return DEFAULT_BATCH;
  if (options === null || typeof options !== 'object') throw new ChunkwiseError('INVALID_ARGUMENT', 'records() options must be an object: { batchSize?, signal? }.');
  const { batchSize = DEFAULT_BATCH, signal } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ChunkwiseError('INVALID_ARGUMENT', `batchSize must be a positive integer, got ${String(batchSize)}.`);
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new ChunkwiseError('INVALID_ARGUMENT', 'signal must be an AbortSignal.');
  return batchSize;
}
