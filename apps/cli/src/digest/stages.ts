import type { Cache, CacheValue } from '@chunkwise/cache';
import type { Chunk, ProgressCallback } from '@chunkwise/core';
import { cachedStage } from './cached-stage.js';
import { chunksStage } from './chunks-stage.js';
import { writeStage } from './write-stage.js';
import { countWords, type SourceDocument } from './document.js';
import { indexStage } from './index-stage.js';
import { summaryStage } from './summary-stage.js';
import { tokensStage } from './tokens-stage.js';

export interface DigestOptions {
  /** Folder the digest writes its files to. */
  outDir: string;
  /** false: no content cache (cache.db); every stage recomputes. */
  cache?: boolean;
}

/** Everything a stage may read, and the report it adds its facts to. */
export interface DigestContext {
  document: SourceDocument;
  options: DigestOptions;
  report: DigestReport;
  onProgress: ProgressCallback;
  /** Set by the chunks stage: the document's chunks, for the index and summary stages to reuse. */
  chunks?: Chunk[];
  /** The content cache in the output folder (`cache.db`), when the run has one. */
  cache?: Cache<CacheValue>;
  /** hashKey of the document's name and text: the cache key of everything derived from it. */
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

/** Counts sections, characters and words, section by section, with progress. */
export const loadStage: DigestStage = {
  name: 'load',
  run({ document, report, onProgress }) {
    let words = 0;
    const total = document.sections.length;
    document.sections.forEach((section, i) => {
      words += countWords(document.text.slice(section.start, section.end));
      onProgress({ stage: 'load', done: i + 1, total, unit: 'sections' });
    });
    report.document.words = words;
    return `${total} sections, ${document.text.length.toLocaleString('en-US')} characters, ${words.toLocaleString('en-US')} words`;
  },
};

/**
 * The pipeline, in order. Each package issue adds its stage here:
 * load → tokens → chunks → index + questions → summary.
 */
export const DIGEST_STAGES: DigestStage[] = [
  loadStage,
  cachedStage(tokensStage, 'tokens-v1'),
  cachedStage(chunksStage, 'chunks-v1'),
  indexStage,
  // An LLM summary depends on the model, so the model is part of the cache key.
  cachedStage(summaryStage, 'summary-v1', () => ({ llm: process.env.CHUNKWISE_LLM_URL ?? null, model: process.env.CHUNKWISE_LLM_MODEL ?? null })),
  writeStage,
];
