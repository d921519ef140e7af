import type { Tokenizer } from '@chunkwise/core';
import type { BaseChunker } from '../chunker.js';
import { CodeChunker } from '../code-chunker.js';
import { LateChunker } from '../late-chunker.js';
import { MarkdownChunker } from '../markdown-chunker.js';
import { OptimalChunker } from '../optimal-chunker.js';
import { PerplexityChunker } from '../perplexity-chunker.js';
import { RecursiveChunker } from '../recursive-chunker.js';
import { SemanticChunker } from '../semantic-chunker.js';
import { SentenceChunker } from '../sentence-chunker.js';
import { TokenChunker } from '../token-chunker.js';
import { HashingEmbedder } from './test-embedder.js';
import { ContextualTestEmbedder } from './test-token-embedder.js';

export interface LimitOptions {
  tokenizer: Tokenizer;
  maxTokens: number;
  overlap?: number;
}

/** One constructor per chunker class (and recipe), with test embedders where one is needed. */
export const EVERY_CHUNKER: Record<string, (options: LimitOptions) => BaseChunker> = {
  token: (options) => new TokenChunker(options),
  recursive: (options) => new RecursiveChunker(options),
  'recursive markdown': (options) => new RecursiveChunker({ ...options, recipe: 'markdown' }),
  sentence: (options) => new SentenceChunker(options),
  markdown: (options) => new MarkdownChunker(options),
  code: (options) => new CodeChunker(options),
  semantic: (options) => new SemanticChunker({ ...options, embedder: new HashingEmbedder() }),
  late: (options) => new LateChunker({ ...options, embedder: new ContextualTestEmbedder(64) }),
  optimal: (options) => new OptimalChunker(options),
  perplexity: (options) => new PerplexityChunker(options),
};
