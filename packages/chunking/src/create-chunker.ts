import { ChunkwiseError, type Chunk } from '@chunkwise/core';
import type { BaseChunkerOptions } from './chunk-options.js';
import type { Chunker } from './chunker.js';
import { MarkdownChunker } from './markdown-chunker.js';
import { OptimalChunker } from './optimal-chunker.js';
import { PerplexityChunker } from './perplexity-chunker.js';
import { RecursiveChunker } from './recursive-chunker.js';
import { SentenceChunker } from './sentence-chunker.js';
import { TokenChunker } from './token-chunker.js';

/** Strategies that need no model: what a command line or a config file can name. */
export const STRATEGIES = ['token', 'sentence', 'recursive', 'markdown', 'perplexity', 'optimal'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** A chunker by strategy name (semantic and late chunking need an embedder: construct those directly). */
export function createChunker(strategy: string, options: BaseChunkerOptions): Chunker {
  switch (strategy) {
    case 'token':
      return new TokenChunker(options);
    case 'sentence':
      return new SentenceChunker(options);
    case 'recursive':
      return new RecursiveChunker(options);
    case 'markdown':
      return new MarkdownChunker(options);
    case 'perplexity':
      return new PerplexityChunker(options);
    case 'optimal':
      return new OptimalChunker(options);
    default:
      throw new ChunkwiseError('INVALID_ARGUMENT', `Unknown strategy ${JSON.stringify(strategy)}; expected one of ${STRATEGIES.join(', ')}.`, {
        details: { strategy },
      });
  }
}

export interface ChunkSizeSummary {
  count: number;
  tokens: { min: number; max: number; mean: number; total: number };
  /** Token-count buckets `[from, to]`, equal width up to `maxTokens`. */
  histogram: { from: number; to: number; count: number }[];
}

/** Count, token statistics and an equal-width size histogram of `chunks` (for reports). */
export function summarizeChunks(chunks: readonly Chunk[], maxTokens: number, buckets = 8): ChunkSizeSummary {
  const width = Math.max(1, Math.ceil(maxTokens / buckets));
  const histogram = Array.from({ length: buckets }, (_, i) => ({ from: i * width + (i === 0 ? 0 : 1), to: Math.min(maxTokens, (i + 1) * width), count: 0 }));
  let min = Infinity;
  let max = 0;
  let total = 0;
  for (const chunk of chunks) {
    min = Math.min(min, chunk.tokenCount);
    max = Math.max(max, chunk.tokenCount);
    total += chunk.tokenCount;
    const bucket = histogram[Math.min(buckets - 1, Math.max(0, Math.ceil(chunk.tokenCount / width) - 1))];
    if (bucket) bucket.count++;
  }
  return {
    count: chunks.length,
    tokens: { min: chunks.length === 0 ? 0 : min, max, mean: chunks.length === 0 ? 0 : total / chunks.length, total },
    histogram,
  };
}
