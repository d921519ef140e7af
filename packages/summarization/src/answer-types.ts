import type { Embedder, LanguageModel, ProgressCallback } from '@chunkwise/core';
import type { SummaryCache } from './summary-cache.js';

/**
 * A passage to answer from: an id of your choosing and its text. `docId` and `start` say where the
 * text came from, so a citation can be mapped back to the document (retrieval's `ContextPassage`
 * and store hits have this shape): `document.slice(start + citation.start, start + citation.end)`.
 */
export interface AnswerPassage {
  /** Unique among the passages; citations name it as `sourceId`. */
  id: string;
  text: string;
  /** The document the passage was cut from (a file path, a URL, a record id). */
  docId?: string | undefined;
  /** UTF-16 offset of `text` in that document. */
  start?: number | undefined;
}

/** One numbered source of an answer: `[marker]` in the text points at this exact span. */
export interface Citation {
  /** The number written in the answer as `[marker]`; markers run 1, 2, 3… in order of first use. */
  marker: number;
  /** The passage's id. */
  sourceId: string;
  /** The evidence is `passage.text.slice(start, end)`. */
  start: number;
  end: number;
  /** The quoted evidence, exactly `passage.text.slice(start, end)`. */
  text: string;
  /** The passage's document, when it named one. */
  docId?: string;
  /** The evidence's offsets in that document, when the passage gave its `start`. */
  documentStart?: number;
  documentEnd?: number;
}

/** Something the answer step fixed in a model's answer, reported instead of hidden. */
export type AnswerRepair =
  /** The model cited a passage number that does not exist (passage 9 of 3): the marker was removed. */
  | { kind: 'unknown-marker'; marker: number }
  /** The model cited nothing; its sentences were matched to the passages they draw on and cited. */
  | { kind: 'attributed'; sentences: number }
  /** Sentences left without a citation: no passage shares their words. */
  | { kind: 'unsupported'; sentences: number }
  /** The model hit `maxTokens` (finish reason `length`) on every try: its answer was cut back to the last complete sentence. */
  | { kind: 'truncated' }
  /** A passage too long for one prompt was read in pieces (every piece keeps the passage's number). */
  | { kind: 'split'; sourceId: string; pieces: number }
  /** `compact` could not fit every passage in one prompt and refined across groups of passages instead. */
  | { kind: 'fallback'; from: 'compact'; to: 'refine' };

export type AnswerMethod = 'extractive' | 'compact' | 'refine' | 'tree';

export interface AnswerOptions {
  /** Default `'extractive'` (offline); the others need a `model`. */
  method?: AnswerMethod;
  model?: LanguageModel;
  /** Longest answer, in words (default 120). Extractive answers stop short of it when no more sentences are relevant. */
  targetWords?: number;
  /** Allowed overshoot of `targetWords` before a model's answer is retried (default 0.2). */
  tolerance?: number;
  /** Corrected retries per model answer (default 2). */
  maxRetries?: number;
  /** Completion tokens per call; every prompt fits `contextWindow − maxTokens`. */
  maxTokens?: number;
  /** `tree`: answers in flight at once (default the model's `maxConcurrency`, else 4). */
  concurrency?: number;
  /** Finished model answers by key; a rerun makes no repeated call. */
  cache?: SummaryCache;
  /** Extractive: also rank sentences by embedding similarity to the question. */
  embedder?: Embedder;
  /**
   * Extractive: the share of the question's weight (idf of its content terms) a sentence must match
   * to count as relevant (default 0.3). With none relevant, the answer says so and cites nothing.
   */
  minRelevance?: number;
  /** Extractive, with an `embedder`: cosine similarity that makes a sentence relevant without shared words (default 0.6). */
  minSimilarity?: number;
  /** Extractive MMR trade-off between relevance and novelty (default 0.7). */
  lambda?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface AnswerResult {
  /** The answer, with `[n]` markers that all resolve to `citations`. */
  text: string;
  citations: Citation[];
  /** False when nothing in the passages answers the question (the text then says so). */
  answered: boolean;
  /** The method that produced the answer (`compact` that fell back reports `refine`). */
  method: AnswerMethod;
  /** Words of the answer, markers not counted. */
  words: number;
  usage: { promptTokens: number; completionTokens: number };
  /** Model calls made (0 for extractive and for answers found in the cache). */
  calls: number;
  cacheHits: number;
  retries: number;
  /** What was fixed in the model's answer; empty when nothing was. */
  repairs: AnswerRepair[];
}

/** What `answerStream` yields: the answer's text as it arrives, then the checked result once. */
export type AnswerStreamPart = { type: 'text'; text: string } | { type: 'finish'; result: AnswerResult };
