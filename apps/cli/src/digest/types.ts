import type { Cache, CacheValue } from '@chunkwise/cache';
import type { ProgressCallback } from '@chunkwise/core';
import type { EmbedderSpec } from '../embedder-option.js';
import { QUALITY_DEFAULTS } from '../quality-defaults.js';
import type { ChunkSpans } from './chunk-spans.js';
import type { SourceDocument } from './document.js';

/** The digest's settings; every one a stage depends on is part of that stage's cache key. */
export interface DigestOptions {
  /** Folder the digest writes its files to. */
  outDir: string;
  /** false: no content cache (cache.db); every stage and every LLM call recomputes. */
  cache?: boolean;
  /** Largest chunk, in tokens of `tokenizer` (default 200, from the quality table). */
  maxTokens?: number;
  /** Tokenizer of the chunks and the answer budget (default o200k_base). */
  tokenizer?: string;
  /** Questions to answer with citations; default: Moby Dick's own, else summarization's suggestions. */
  questions?: string[];
  /**
   * Embeds the chunks and answers with hybrid retrieval. Default: the embedder index.db recorded,
   * else none (hybrid did not help in the quality table: see quality-defaults.ts); 'none' turns it off.
   */
  embedder?: EmbedderSpec | 'none';
  /** Longest text the summary and questions read whole (default WHOLE_TEXT_CHARS); longer ones in parts. */
  wholeTextChars?: number;
  /** Stops the run between stages and inside the stages that take long. */
  signal?: AbortSignal;
}

/** Everything a stage may read, and the report it adds its facts to. */
export interface DigestContext {
  document: SourceDocument;
  options: DigestOptions;
  report: DigestReport;
  onProgress: ProgressCallback;
  /** Set by the chunks stage: the chunks' offsets and token counts, for the index and report stages. */
  chunks?: ChunkSpans;
  /** The content cache in the output folder (`cache.db`), when the run has one. */
  cache?: Cache<CacheValue>;
  /** hashKey of the document's name and content: the cache key of everything derived from it. */
  documentKey?: string;
  /** Stages whose results came from the cache or an existing index instead of being recomputed. */
  reused: string[];
}

export interface DigestReport {
  document: { name: string; title: string; sections: number; characters: number; words: number };
  stages: { name: string; ms: number; summary: string }[];
  totalMs: number;
  [stage: string]: unknown;
}

/** One step of the digest pipeline; returns the one-line summary shown next to its progress bar. */
export interface DigestStage {
  name: string;
  run(context: DigestContext): Promise<string> | string;
}

/** Defaults of the settings in {@link DigestOptions}: chunk size and answer budget from the quality table. */
export const DIGEST_DEFAULTS = {
  maxTokens: QUALITY_DEFAULTS.maxTokens,
  tokenizer: 'o200k_base',
  budgetTokens: QUALITY_DEFAULTS.budgetTokens,
  contextStrategy: QUALITY_DEFAULTS.contextStrategy,
} as const;
