import { ChunkwiseError, throwIfAborted, type Chunk, type Embedder, type Span } from '@chunkwise/core';
import { sentenceLevel, wordLevel } from './boundaries/levels.js';
import { sentenceSpans } from './boundaries/sentences.js';
import type { ChunkPlanner } from './chunk-planner.js';
import { BaseChunker, type ChunkCallOptions } from './chunker.js';
import { describeValue, optionalNumber, optionalWithMethods, type BaseChunkerOptions } from './chunk-options.js';
import { cosine, embedAll, movingAverage, percentile, weightedMean } from './scoring/vectors.js';

/** Where to cut: similarity at or below a value, below a percentile of all similarities, or chosen automatically. */
export type SemanticThreshold = number | { percentile: number } | 'auto';

export interface SemanticChunkerOptions extends BaseChunkerOptions {
  embedder: Embedder;
  /** Sentences embedded together around each sentence (its window). Default 3. */
  windowSize?: number;
  /** Width of the moving average over the similarity curve; 1 turns smoothing off. Default 3. */
  smoothing?: number;
  /** Default `'auto'`. */
  threshold?: SemanticThreshold;
  /** Second pass: how many groups ahead a similar group may be merged across. 0 turns it off. Default 1. */
  skipWindow?: number;
}

/**
 * Embedding-similarity chunking: embed each sentence with its neighbours, smooth the similarity of
 * consecutive windows, cut at local minima under the threshold, then the double-pass
 * skip-and-merge (chonkie SDPM) joins groups separated by a short digression. Groups over the limit
 * are split by sentences and words, so `maxTokens` holds here too (cf. chonkie #222).
 */
export class SemanticChunker extends BaseChunker {
  private readonly embedder: Embedder;
  private readonly windowSize: number;
  private readonly smoothing: number;
  private readonly threshold: SemanticThreshold;
  private readonly skipWindow: number;

  constructor(options: SemanticChunkerOptions) {
    super(options);
    const embedder = optionalWithMethods<Embedder>(options.embedder, 'embedder', ['embed'], 'an Embedder');
    if (!embedder) throw new ChunkwiseError('INVALID_ARGUMENT', 'SemanticChunker needs an embedder (an Embedder with embed()).');
    this.embedder = embedder;
    this.windowSize = Math.max(1, optionalNumber(options.windowSize, 'windowSize', { integer: true, min: 1 }) ?? 3);
    this.smoothing = Math.max(1, optionalNumber(options.smoothing, 'smoothing', { integer: true, min: 1 }) ?? 3);
    this.threshold = validThreshold(options.threshold);
    this.skipWindow = Math.max(0, optionalNumber(options.skipWindow, 'skipWindow', { integer: true, min: 0 }) ?? 1);
  }

  protected async chunkText(planner: ChunkPlanner, options: ChunkCallOptions): Promise<Chunk[]> {
    const { text } = planner;
    const levels = [sentenceLevel, wordLevel];
    const budget = this.maxTokens - this.overlap;
    const sentences = sentenceSpans(text);
    if (sentences.length < 3) return planner.chunk(0, text.length, levels, this.maxTokens, this.overlap);

    const half = Math.floor(this.windowSize / 2);
    const windows = sentences.map((_, i) => {
      const first = sentences[Math.max(0, i - half)] ?? sentences[0]!;
      const last = sentences[Math.min(sentences.length - 1, i + half)] ?? sentences[sentences.length - 1]!;
      return text.slice(first.start, last.end);
    });
    const vectors = await embedAll(this.embedder, windows, options.signal);
    throwIfAborted(options.signal);
    const similarity = movingAverage(
      sentences.slice(1).map((_, i) => cosine(vectors[i]!, vectors[i + 1]!)),
      this.smoothing,
    );
    const tokens = sentences.map((span) => planner.estimate(span.start, span.end));
    const threshold = this.resolveThreshold(similarity, tokens, budget);
    let groups = groupsAt(sentences, cutsAt(similarity, threshold));

    if (this.skipWindow > 0 && groups.length > 1) {
      const groupVectors = await embedAll(
        this.embedder,
        groups.map((group) => text.slice(group.start, group.end)),
        options.signal,
      );
      groups = this.skipAndMerge(groups, groupVectors, threshold, planner, budget);
    }
    return planner.toChunks(groups, levels, this.maxTokens, this.overlap);
  }

  /**
   * `'auto'`: the lowest percentile (fewest cuts) whose groups all fit the budget, by bisection
   * over 1–99 — the largest coherent groups that need no forced split.
   */
  private resolveThreshold(similarity: readonly number[], tokens: readonly number[], budget: number): number {
    const { threshold } = this;
    if (typeof threshold === 'number') return threshold;
    if (threshold !== 'auto') return percentile(similarity, threshold.percentile);
    const fits = (p: number): boolean => {
      const cuts = cutsAt(similarity, percentile(similarity, p));
      let size = 0;
      for (let i = 0; i < tokens.length; i++) {
        size += tokens[i] ?? 0;
        if (size > budget) return false;
        if (cuts.has(i)) size = 0;
      }
      return true;
    };
    let lo = 1;
    let hi = 99;
    for (let step = 0; step < 10 && lo < hi; step++) {
      const mid = (lo + hi) / 2;
      if (fits(mid)) hi = mid;
      else lo = mid + 0.5;
    }
    return percentile(similarity, hi);
  }

  /** Pass 2 (SDPM): merge a group with the next ones when a group up to `skipWindow` ahead is as similar as the threshold. */
  private skipAndMerge(groups: Span[], vectors: Float32Array[], threshold: number, planner: ChunkPlanner, budget: number): Span[] {
    const merged: Span[] = [];
    let current = groups[0]!;
    let currentVector = vectors[0]!;
    let currentTokens = planner.estimate(current.start, current.end);
    for (let i = 1; i < groups.length; ) {
      let joined = false;
      for (let j = Math.min(groups.length - 1, i + this.skipWindow); j >= i; j--) {
        const end = groups[j]!.end;
        const tokens = planner.estimate(current.start, end);
        if (tokens <= budget && cosine(currentVector, vectors[j]!) >= threshold) {
          const parts = [currentVector, ...vectors.slice(i, j + 1)];
          const weights = [currentTokens, ...groups.slice(i, j + 1).map((group) => planner.estimate(group.start, group.end))];
          currentVector = weightedMean(parts, weights);
          current = { start: current.start, end };
          currentTokens = tokens;
          i = j + 1;
          joined = true;
          break;
        }
      }
      if (!joined) {
        merged.push(current);
        current = groups[i]!;
        currentVector = vectors[i]!;
        currentTokens = planner.estimate(current.start, current.end);
        i++;
      }
    }
    merged.push(current);
    return merged;
  }
}

function validThreshold(threshold: unknown): SemanticThreshold {
  if (threshold === undefined) return 'auto';
  if (threshold === 'auto' || (typeof threshold === 'number' && Number.isFinite(threshold))) return threshold;
  const percentile = (threshold as { percentile?: unknown } | null)?.percentile;
  if (typeof threshold === 'object' && typeof percentile === 'number' && percentile >= 0 && percentile <= 100) return { percentile };
  throw new ChunkwiseError('INVALID_ARGUMENT', `threshold must be a number, { percentile: 0–100 } or 'auto', got ${describeValue(threshold)}.`);
}

/** Indices `i` (cut after sentence i) at local minima of the curve that are at or below the threshold. */
function cutsAt(similarity: readonly number[], threshold: number): Set<number> {
  const cuts = new Set<number>();
  similarity.forEach((value, i) => {
    const before = similarity[i - 1] ?? Infinity;
    const after = similarity[i + 1] ?? Infinity;
    if (value <= threshold && value <= before && value <= after) cuts.add(i);
  });
  return cuts;
}

function groupsAt(sentences: readonly Span[], cuts: ReadonlySet<number>): Span[] {
  const groups: Span[] = [];
  let start = sentences[0]?.start ?? 0;
  sentences.forEach((sentence, i) => {
    if (cuts.has(i) || i === sentences.length - 1) {
      groups.push({ start, end: sentence.end });
      start = sentence.end;
    }
  });
  return groups;
}
