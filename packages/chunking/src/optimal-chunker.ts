import { ChunkwiseError, throwIfAborted, type Chunk, type Embedder, type Span } from '@chunkwise/core';
import { sentenceLevel, wordLevel } from './boundaries/levels.js';
import { sentenceSpans } from './boundaries/sentences.js';
import { ChunkPlanner } from './chunk-planner.js';
import { BaseChunker, type ChunkCallOptions } from './chunker.js';
import { describeValue, optionalNumber, optionalWithMethods, validateCallOptions, validateText, type BaseChunkerOptions } from './chunk-options.js';
import { words } from './scoring/ngram-model.js';
import { cosine, embedAll } from './scoring/vectors.js';

export interface OptimalChunkerOptions extends BaseChunkerOptions {
  /** Chunks below this many tokens are allowed but penalised. Default `maxTokens / 4`. */
  minTokens?: number;
  /** Weight λ of the length penalty ((target − length) / target)². Default 0.5. */
  lengthPenalty?: number;
  /** Sentences per TextTiling block on each side of a gap. Default 2. */
  blockSize?: number;
  /** Embedding scorer: cohesion from sentence embeddings instead of shared words. */
  embedder?: Embedder;
  /** With an embedder: likely user questions; a chunk scores its best cosine to any of them (IDC relevance). */
  queries?: readonly string[];
  /** Weight of query relevance. Default 1. */
  relevanceWeight?: number;
}

/** The optimal segmentation and, on the same scorer, what greedy packing would have scored. */
export interface OptimalSegmentation {
  chunks: Chunk[];
  score: number;
  greedyScore: number;
}

/**
 * Boundaries chosen by dynamic programming to maximise the summed chunk score (IDC, arXiv
 * 2602.14784): relevance to likely queries − cut cost − length penalty, within the token limit.
 * The cut cost is the cohesion across the cut — TextTiling's block similarity (Hearst 1997) of
 * shared words by default, or of sentence embeddings — so cuts land in cohesion valleys rather than
 * wherever the budget runs out, as greedy packing does.
 */
export class OptimalChunker extends BaseChunker {
  private readonly options: OptimalChunkerOptions;

  constructor(options: OptimalChunkerOptions) {
    super(options);
    optionalNumber(options.minTokens, 'minTokens', { integer: true, min: 0 });
    optionalNumber(options.lengthPenalty, 'lengthPenalty', { min: 0 });
    optionalNumber(options.blockSize, 'blockSize', { integer: true, min: 1 });
    optionalNumber(options.relevanceWeight, 'relevanceWeight');
    optionalWithMethods(options.embedder, 'embedder', ['embed'], 'an Embedder');
    const { queries } = options;
    if (queries !== undefined && (!Array.isArray(queries) || !queries.every((query: unknown) => typeof query === 'string'))) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `queries must be an array of strings, got ${describeValue(queries)}.`);
    }
    this.options = options;
  }

  protected async chunkText(planner: ChunkPlanner, options: ChunkCallOptions): Promise<Chunk[]> {
    return (await this.segmentWith(planner, options)).chunks;
  }

  /** Chunks plus the DP score and the greedy score on the same scorer. */
  async segment(text: string, options: ChunkCallOptions = {}): Promise<OptimalSegmentation> {
    validateText(text, 'segment()');
    validateCallOptions(options);
    if (text.length === 0) return { chunks: [], score: 0, greedyScore: 0 };
    return this.segmentWith(new ChunkPlanner(text, await this.tokenizer()), options);
  }

  private async segmentWith(planner: ChunkPlanner, options: ChunkCallOptions): Promise<OptimalSegmentation> {
    const { text } = planner;
    const budget = this.maxTokens - this.overlap;
    const minTokens = this.options.minTokens ?? Math.floor(this.maxTokens / 4);
    const lambda = this.options.lengthPenalty ?? 0.5;
    // Units: sentences, with any sentence over the budget pre-split at words.
    const units: Span[] = [];
    for (const sentence of sentenceSpans(text)) {
      if (planner.estimate(sentence.start, sentence.end) <= budget) units.push(sentence);
      else units.push(...planner.plan(sentence.start, sentence.end, [wordLevel], budget, false, this.maxTokens));
    }
    const n = units.length;
    const unitTexts = units.map((unit) => text.slice(unit.start, unit.end));
    const gaps = await this.cohesion(unitTexts, options);
    const relevance = await this.relevance(unitTexts, options);
    const tokens = (l: number, r: number) => planner.estimate(units[l]!.start, units[r]!.end);
    const score = (l: number, r: number): number => {
      const length = tokens(l, r);
      const short = length < minTokens && r < n - 1 ? 1 : 0;
      return (relevance ? relevance(l, r) : 0) - (r < n - 1 ? (gaps[r] ?? 0) : 0) - lambda * ((budget - length) / budget) ** 2 - short;
    };

    const best = new Float64Array(n + 1).fill(-Infinity);
    const from = new Int32Array(n + 1);
    best[0] = 0;
    for (let i = 1; i <= n; i++) {
      if (i % 1024 === 0) throwIfAborted(options.signal);
      for (let j = i - 1; j >= 0; j--) {
        if (j < i - 1 && tokens(j, i - 1) > budget) break;
        const candidate = (best[j] ?? -Infinity) + score(j, i - 1);
        if (candidate > (best[i] ?? -Infinity)) {
          best[i] = candidate;
          from[i] = j;
        }
      }
    }
    const spans: Span[] = [];
    for (let i = n; i > 0; i = from[i] ?? 0) spans.unshift({ start: units[from[i] ?? 0]!.start, end: units[i - 1]!.end });

    let greedyScore = 0;
    for (let l = 0; l < n; ) {
      let r = l;
      while (r + 1 < n && tokens(l, r + 1) <= budget) r++;
      greedyScore += score(l, r);
      l = r + 1;
    }
    const chunks = planner.toChunks(spans, [sentenceLevel, wordLevel], this.maxTokens, this.overlap);
    return { chunks, score: best[n] ?? 0, greedyScore };
  }

  /** Cohesion across each gap i (between unit i and i + 1), in [0, 1]: TextTiling block comparison. */
  private async cohesion(unitTexts: readonly string[], options: ChunkCallOptions): Promise<number[]> {
    const k = Math.max(1, this.options.blockSize ?? 2);
    const n = unitTexts.length;
    if (this.options.embedder) {
      const vectors = await embedAll(this.options.embedder, unitTexts, options.signal);
      return Array.from({ length: Math.max(0, n - 1) }, (_, i) => Math.max(0, cosine(blockMean(vectors, i - k + 1, i), blockMean(vectors, i + 1, i + k))));
    }
    const bags = unitTexts.map((unit) => {
      const bag = new Map<string, number>();
      for (const word of words(unit)) if (word.length > 3) bag.set(word, (bag.get(word) ?? 0) + 1);
      return bag;
    });
    return Array.from({ length: Math.max(0, n - 1) }, (_, i) => bagCosine(mergeBags(bags, i - k + 1, i), mergeBags(bags, i + 1, i + k)));
  }

  /** Query relevance of units l..r: best cosine between a query and the chunk's mean embedding (prefix sums, O(d) per chunk). */
  private async relevance(unitTexts: readonly string[], options: ChunkCallOptions): Promise<((l: number, r: number) => number) | undefined> {
    const { embedder, queries, relevanceWeight = 1 } = this.options;
    if (!embedder || !queries || queries.length === 0) return undefined;
    const vectors = await embedAll(embedder, unitTexts, options.signal);
    const queryVectors = await embedAll(embedder, [...queries], options.signal);
    const d = embedder.dimensions;
    const prefix = new Float64Array((vectors.length + 1) * d);
    vectors.forEach((vector, i) => {
      for (let x = 0; x < d; x++) prefix[(i + 1) * d + x] = (prefix[i * d + x] ?? 0) + (vector[x] ?? 0);
    });
    return (l, r) => {
      const mean = new Float64Array(d);
      for (let x = 0; x < d; x++) mean[x] = (prefix[(r + 1) * d + x] ?? 0) - (prefix[l * d + x] ?? 0);
      let bestCosine = -1;
      for (const query of queryVectors) bestCosine = Math.max(bestCosine, cosine(query, mean));
      return relevanceWeight * bestCosine;
    };
  }
}

function blockMean(vectors: readonly Float32Array[], from: number, to: number): Float32Array {
  const d = vectors[0]?.length ?? 0;
  const out = new Float32Array(d);
  for (let i = Math.max(0, from); i <= Math.min(vectors.length - 1, to); i++) {
    for (let x = 0; x < d; x++) out[x] = (out[x] ?? 0) + (vectors[i]?.[x] ?? 0);
  }
  return out;
}

function mergeBags(bags: readonly Map<string, number>[], from: number, to: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = Math.max(0, from); i <= Math.min(bags.length - 1, to); i++) {
    for (const [word, count] of bags[i] ?? []) out.set(word, (out.get(word) ?? 0) + count);
  }
  return out;
}

function bagCosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  for (const [word, count] of a) dot += count * (b.get(word) ?? 0);
  if (dot === 0) return 0;
  let na = 0;
  let nb = 0;
  for (const count of a.values()) na += count * count;
  for (const count of b.values()) nb += count * count;
  return dot / Math.sqrt(na * nb);
}
