import { isChunkwiseError, type ChunkwiseErrorCode } from '@chunkwise/core';
import type { SourceJob, SourceJobResult } from './source-job.js';

/** A ChunkwiseError as it crosses a thread boundary (structured clone keeps no class). */
export interface ThreadError {
  code: ChunkwiseErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** Main thread → ingest thread. */
export type ToThread = { type: 'job'; seq: number; job: SourceJob } | { type: 'answer'; id: number; value?: unknown; error?: ThreadError } | { type: 'exit' };

/** Ingest thread → main thread. */
export type FromThread =
  | { type: 'ready' }
  | { type: 'call'; id: number; method: 'get' | 'replaceSource'; args: unknown[] }
  | { type: 'done'; seq: number; result: SourceJobResult }
  | { type: 'failed'; seq: number; error: ThreadError };

export function serializeError(error: unknown): ThreadError {
  if (isChunkwiseError(error)) return { code: error.code, message: error.message, ...(error.details !== undefined && { details: error.details as Record<string, unknown> }) };
  return { code: 'STORE', message: error instanceof Error ? error.message : String(error) };
}
