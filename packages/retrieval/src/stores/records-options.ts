import { ChunkwiseError } from '@chunkwise/core';
import { optionsObject, positiveInteger } from '../argument-checks.js';
import type { StoreRecordsOptions } from './store.js';

const DEFAULT_BATCH = 500;

/** Checks Store.records() options; returns the batch size. */
export function recordsBatchSize(options: StoreRecordsOptions | undefined): number {
  if (options === undefined) return DEFAULT_BATCH;
  const { batchSize = DEFAULT_BATCH, signal } = optionsObject(options, 'records() options');
  positiveInteger(batchSize, 'batchSize');
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new ChunkwiseError('INVALID_ARGUMENT', 'signal must be an AbortSignal.');
  return batchSize;
}
