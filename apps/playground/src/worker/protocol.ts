// The messages between the page and its compute worker. Requests carry plain data; results come
// back as plain data too (typed arrays included), never as class instances.
import type { AnswerResult } from '@chunkwise/summarization';
import type { AnswerRequest } from '../compute/answer-request.js';
import type { ChunkConfig } from '../compute/chunk-config.js';
import type { ChunkReport } from '../compute/chunk-report.js';
import type { SearchReport, SearchRequest } from '../compute/chunk-search.js';
import type { TokenReport } from '../compute/token-report.js';

export type ComputeRequest =
  | { kind: 'tokens'; tokenizer: string; compare: string; maxPieces: number }
  | { kind: 'chunks'; config: ChunkConfig }
  | { kind: 'search'; config: ChunkConfig; search: SearchRequest }
  | { kind: 'prefix-ids'; count: number }
  | { kind: 'answer'; answer: AnswerRequest };

export interface ComputeResults {
  tokens: TokenReport;
  chunks: ChunkReport;
  search: SearchReport;
  'prefix-ids': Uint32Array;
  answer: AnswerResult;
}

export type RequestKind = ComputeRequest['kind'];

export type ToWorker =
  | { type: 'init'; baseUrl: string }
  /** The text every later request works on; `version` grows with each text. */
  | { type: 'text'; version: number; text: string }
  | { type: 'request'; id: number; request: ComputeRequest }
  | { type: 'cancel'; id: number };

/** An error as it crosses the worker boundary: its `ChunkwiseError` code, when it has one, and message. */
export interface WorkerError {
  code?: string;
  message: string;
}

export type FromWorker =
  /** Streamed answer text as the model writes it; for other requests, what they are busy with. */
  | { type: 'part'; id: number; text: string }
  | { type: 'result'; id: number; result: ComputeResults[RequestKind] }
  | { type: 'error'; id: number; error: WorkerError };
