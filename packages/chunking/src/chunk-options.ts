import { ChunkwiseError, type Tokenizer } from '@chunkwise/core';

/** Options every chunker shares. */
export interface BaseChunkerOptions {
  /**
   * The tokenizer that measures chunks, or the name of an encoding in `@chunkwise/tokenizers`
   * (loaded lazily on first use). Default: `'o200k_base'`.
   */
  tokenizer?: Tokenizer | string;
  /** Hard upper bound on `tokenCount` of every chunk, overlap included. */
  maxTokens: number;
  /** Tokens repeated from the end of the previous chunk; counted inside `maxTokens`. Default 0. */
  overlap?: number;
  /**
   * Attach `meta.context = { start, end }`: a wider window of about this many tokens on each side
   * of the chunk, for situated embedding (SitEmb, arXiv 2508.01959). Default: none.
   */
  contextTokens?: number;
}

/** Checks the numeric limits at the API edge, with a message that says what to change. */
export function validateLimits(maxTokens: number, overlap: number): void {
  if (!Number.isInteger(maxTokens) || maxTokens <= 0) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `maxTokens must be a positive integer, got ${describeValue(maxTokens)}.`, {
      details: { maxTokens },
    });
  }
  if (!Number.isInteger(overlap) || overlap < 0) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `overlap must be a non-negative integer, got ${describeValue(overlap)}.`, {
      details: { overlap },
    });
  }
  if (overlap >= maxTokens) {
    throw new ChunkwiseError(
      'INVALID_ARGUMENT',
      `overlap (${String(overlap)}) must be smaller than maxTokens (${String(maxTokens)}): overlap is counted inside the limit.`,
      { details: { maxTokens, overlap } },
    );
  }
}

export function validateText(text: unknown, method = 'chunk()'): asserts text is string {
  if (typeof text !== 'string') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${method} takes a string, got ${describeValue(text)}.`);
  }
}

/** A value named for an error message: its type, and the value itself when it is short. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (typeof value === 'string') return value.length <= 40 ? `the string ${JSON.stringify(value)}` : 'a string';
  return typeof value;
}
