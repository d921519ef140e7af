import { ChunkwiseError, type Chunk } from '@chunkwise/core';
import type { BaseChunkerOptions } from './chunk-options.js';
import type { Chunker } from './chunker.js';
import { CodeChunker } from './code-chunker.js';
import type { GrammarSource } from './code-grammars.js';
import { MarkdownChunker } from './markdown-chunker.js';
import { OptimalChunker } from './optimal-chunker.js';
import { PerplexityChunker } from './perplexity-chunker.js';
import { RecursiveChunker } from './recursive-chunker.js';
import { SentenceChunker } from './sentence-chunker.js';
import { TokenChunker } from './token-chunker.js';

/** Strategies that need no model: what a command line or a config file can name. */
export const STRATEGIES = ['token', 'sentence', 'recursive', 'markdown', 'code', 'perplexity', 'optimal'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** Strategies that need an `Embedder`, so no name alone can build them. */
const EMBEDDING_STRATEGIES: Record<string, string> = { semantic: 'SemanticChunker', late: 'LateChunker' };

export interface CreateChunkerOptions extends BaseChunkerOptions {
  /** For `code`: the language (or file extension) whose grammar to load; lines without one. */
  language?: string;
  /** For `code`: the grammar's `.wasm` bytes or path. */
  grammar?: GrammarSource;
}

/** A chunker by strategy name (semantic and late chunking need an embedder: construct those directly). */
export function createChunker(strategy: string, options: CreateChunkerOptions): Chunker {
  const { language, grammar, ...base } = options;
  const embedding = EMBEDDING_STRATEGIES[strategy];
  if (embedding) {
    throw new ChunkwiseError(
      'INVALID_ARGUMENT',
      `The ${strategy} strategy needs an Embedder (embedding model), which a strategy name cannot supply: construct ${embedding} with one.`,
      { details: { strategy } },
    );
  }
  if (strategy !== 'code' && (language !== undefined || grammar !== undefined)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `language and grammar apply to the code strategy only, not ${JSON.stringify(strategy)}.`, {
      details: { strategy },
    });
  }
  switch (strategy) {
    case 'code':
      return new CodeChunker({ ...base, ...(language !== undefined ? { language } : {}), ...(grammar !== undefined ? { grammar } : {}) });
    case 'token':
      return new TokenChunker(base);
    case 'sentence':
      return new SentenceChunker(base);
    case 'recursive':
      return new RecursiveChunker(base);
    case 'markdown':
      return new MarkdownChunker(base);
    case 'perplexity':
      return new PerplexityChunker(base);
    case 'optimal':
      return new OptimalChunker(base);
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
