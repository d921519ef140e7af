import { ChunkwiseError, throwIfAborted, type Chunk, type LanguageModel, type Span } from '@chunkwise/core';
import { sentenceLevel, wordLevel } from './boundaries/levels.js';
import { sentenceSpans } from './boundaries/sentences.js';
import type { ChunkPlanner } from './chunk-planner.js';
import { BaseChunker, type ChunkCallOptions } from './chunker.js';
import { describeValue, validateCallOptions, validateText, type BaseChunkerOptions } from './chunk-options.js';
import { BigramModel, words } from './scoring/ngram-model.js';
import { tokenEndOffsets } from './token-boundaries.js';

export interface PerplexityChunkerOptions extends BaseChunkerOptions {
  /**
   * A model with `logprobs`. With `model.tokenizer`, the whole text is scored once and tokens are
   * mapped to sentences by offset; without it, each sentence is scored on its own. Default: a
   * bigram model fitted on the input.
   */
  model?: LanguageModel;
  /** Minimum drop θ at a perplexity minimum, in nats; `'dynamic'` adapts it (Meta-Chunking). Default 0. */
  threshold?: number | 'dynamic';
}

/**
 * Meta-Chunking, perplexity variant (arXiv 2410.12788 §3.2): score each sentence by its mean
 * negative log-likelihood, cut after sentences that are local minima with a drop of at least θ
 * (the text has just become predictable: a thought has closed), then merge the meta-chunks greedily
 * up to `maxTokens` ("dynamic merging"). Meta-chunks over the limit are split by sentences and words.
 */
export class PerplexityChunker extends BaseChunker {
  private readonly model: LanguageModel | undefined;
  private readonly threshold: number | 'dynamic';

  constructor(options: PerplexityChunkerOptions) {
    super(options);
    const { model, threshold = 0 } = options;
    if (model !== undefined && (typeof model !== 'object' || model === null || typeof model.logprobs !== 'function')) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'PerplexityChunker needs a model with logprobs(); leave model out to use the built-in n-gram model.');
    }
    if (threshold !== 'dynamic' && (typeof threshold !== 'number' || !Number.isFinite(threshold))) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `threshold must be a number of nats or 'dynamic', got ${describeValue(threshold)}.`);
    }
    this.model = model;
    this.threshold = threshold;
  }

  /** Mean negative log-likelihood per sentence. */
  async sentenceScores(text: string, sentences: readonly Span[], options: ChunkCallOptions = {}): Promise<number[]> {
    validateText(text, 'sentenceScores()');
    validateCallOptions(options);
    if (!Array.isArray(sentences) || !sentences.every((span: unknown) => isSpanOf(span, text))) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'sentenceScores() takes the text and its sentences as spans { start, end } inside it.');
    }
    const { model } = this;
    if (!model?.logprobs) {
      const all = words(text);
      const bigrams = new BigramModel(all);
      let previous = '<s>';
      return sentences.map((span) => {
        const sentenceWords = words(text.slice(span.start, span.end));
        let sum = 0;
        for (const word of sentenceWords) {
          sum += bigrams.negativeLogProbability(previous, word);
          previous = word;
        }
        return sentenceWords.length === 0 ? 0 : sum / sentenceWords.length;
      });
    }
    const signalOptions = options.signal ? { signal: options.signal } : undefined;
    if (model.tokenizer) {
      const logprobs = await model.logprobs(text, signalOptions);
      const ends = tokenEndOffsets(model.tokenizer, text);
      if (logprobs.length !== ends.length) {
        throw new ChunkwiseError(
          'UPSTREAM',
          `logprobs() returned ${String(logprobs.length)} values for ${String(ends.length)} tokens of model.tokenizer.`,
        );
      }
      const sums = new Float64Array(sentences.length);
      const counts = new Uint32Array(sentences.length);
      let s = 0;
      // The first token has no context (the paper drops it too).
      for (let t = 1; t < ends.length; t++) {
        const end = ends[t] ?? 0;
        while (s < sentences.length - 1 && end > (sentences[s]?.end ?? 0)) s++;
        sums[s] = (sums[s] ?? 0) - (logprobs[t] ?? 0);
        counts[s] = (counts[s] ?? 0) + 1;
      }
      return Array.from(sums, (sum, i) => ((counts[i] ?? 0) === 0 ? 0 : sum / (counts[i] ?? 1)));
    }
    const scores: number[] = [];
    for (const span of sentences) {
      throwIfAborted(options.signal);
      const logprobs = await model.logprobs(text.slice(span.start, span.end), signalOptions);
      let sum = 0;
      for (let t = 1; t < logprobs.length; t++) sum -= logprobs[t] ?? 0;
      scores.push(logprobs.length > 1 ? sum / (logprobs.length - 1) : 0);
    }
    return scores;
  }

  protected async chunkText(planner: ChunkPlanner, options: ChunkCallOptions): Promise<Chunk[]> {
    const { text } = planner;
    const levels = [sentenceLevel, wordLevel];
    const budget = this.maxTokens - this.overlap;
    const sentences = sentenceSpans(text);
    const scores = await this.sentenceScores(text, sentences, options);
    const cuts = perplexityMinima(scores, this.threshold);
    const meta: Span[] = [];
    let start = 0;
    sentences.forEach((sentence, i) => {
      if (cuts.has(i) || i === sentences.length - 1) {
        meta.push({ start, end: sentence.end });
        start = sentence.end;
      }
    });
    // Dynamic merging: consecutive meta-chunks are joined while the result fits.
    const merged: Span[] = [];
    for (const span of meta) {
      const last = merged[merged.length - 1];
      if (last && planner.estimate(last.start, span.end) <= budget) last.end = span.end;
      else merged.push({ ...span });
    }
    return planner.toChunks(merged, levels, this.maxTokens, this.overlap);
  }
}

function isSpanOf(span: unknown, text: string): boolean {
  const { start, end } = (span ?? {}) as Partial<Span>;
  return Number.isInteger(start) && Number.isInteger(end) && (start as number) >= 0 && (start as number) <= (end as number) && (end as number) <= text.length;
}

/**
 * Meta-Chunking's boundary rule: sentence i (1 ≤ i ≤ n−2) closes a chunk when it is a local
 * minimum with a drop of at least θ on either side, or a plateau start after a drop of θ. The
 * dynamic variant sets θ to the smallest recorded drop once 100 drops are recorded.
 */
export function perplexityMinima(scores: readonly number[], threshold: number | 'dynamic'): Set<number> {
  if (!Array.isArray(scores) || !scores.every((score: unknown) => typeof score === 'number')) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `perplexityMinima() takes an array of numbers, got ${describeValue(scores)}.`);
  }
  if (threshold !== 'dynamic' && (typeof threshold !== 'number' || Number.isNaN(threshold))) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `threshold must be a number or 'dynamic', got ${describeValue(threshold)}.`);
  }
  const cuts = new Set<number>();
  const drops: number[] = [];
  let theta = threshold === 'dynamic' ? 0 : threshold;
  for (let i = 1; i < scores.length - 1; i++) {
    const before = scores[i - 1] ?? 0;
    const here = scores[i] ?? 0;
    const after = scores[i + 1] ?? 0;
    const minimum = here < before && here < after && (before - here >= theta || after - here >= theta);
    const plateau = here < before && here === after && before - here >= theta;
    if (minimum || plateau) {
      cuts.add(i);
      if (threshold === 'dynamic') {
        drops.push(Math.max(before - here, after - here));
        if (drops.length >= 100) theta = Math.min(...drops);
      }
    }
  }
  return cuts;
}
