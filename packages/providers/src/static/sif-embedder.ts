import { ChunkwiseError, throwIfAborted, type Embedder, type Span } from '@chunkwise/core';
import { CodeUnitTokenizer } from './code-unit-tokenizer.js';
import { SecondMoment } from './principal-component.js';
import { checkSifState, type SifState } from './sif-state.js';
import { WordLookup, forEachWord } from './word-lookup.js';
import type { WordVectors } from './word-vectors.js';
import { optionsOf, show, signalOf } from '../argument-checks.js';

export interface SifOptions {
  /** SIF's smoothing `a` in the weight `a / (a + p(w))`. Default 1e-3 (Arora et al. use 1e-3 to 1e-4). */
  a?: number | undefined;
  /**
   * How many corpus tokens the vocabulary-rank prior is worth: p(w) = (count(w) + priorTokens ·
   * p₀(w)) / (tokens + priorTokens), with p₀ Zipf's law over the table's frequency order. Small
   * corpora lean on the prior, large ones on their own counts. Default 10,000.
   */
  priorTokens?: number | undefined;
  /** L2-normalise every output (cosine-ready). Default true. */
  normalize?: boolean | undefined;
  /** A state from `fit()`/`state()`, so this embedder reproduces an index's embeddings. */
  state?: SifState | undefined;
}

const MAX_TOKENS = 2 ** 29; // V8's longest string: any text fits one embedTokens call
const SIGNAL_EVERY = 256;

/**
 * Sentence embeddings from static word vectors with SIF weighting (Arora, Liang, Ma, "A Simple but
 * Tough-to-Beat Baseline for Sentence Embeddings", ICLR 2017): the average of word vectors weighted
 * by `a / (a + p(w))`, minus the projection on the first principal component of the corpus'
 * averages. `fit(texts)` learns p(w) and the component from the indexed corpus; without it the
 * weights come from the vocabulary-rank prior and nothing is removed.
 *
 * A text with no known word (empty, numbers only, another script) embeds to the zero vector:
 * never NaN. Also a `TokenEmbedder` for `LateChunker`: `embedTokens` gives each word's weighted,
 * component-free vector, so mean-pooling a chunk's words reproduces `embed(chunk)`.
 */
export class SifEmbedder implements Embedder {
  readonly dimensions: number;
  /** Static vectors have no window: `LateChunker` embeds any document in one call. */
  readonly maxTokens = MAX_TOKENS;
  /** Measures `LateChunker` windows in UTF-16 code units. */
  readonly tokenizer = new CodeUnitTokenizer();
  private readonly vectors: WordVectors;
  private readonly lookup: WordLookup;
  private readonly a: number;
  private readonly priorTokens: number;
  private readonly normalize: boolean;
  private current: SifState;
  private weights: Float32Array;
  private component: Float64Array | undefined;

  constructor(vectors: WordVectors, options?: SifOptions) {
    options = optionsOf(options, 'SifEmbedder options');
    if (options.normalize !== undefined && typeof options.normalize !== 'boolean') throw new ChunkwiseError('INVALID_ARGUMENT', `normalize must be a boolean, got ${show(options.normalize)}.`);
    if (vectors === null || typeof vectors !== 'object' || typeof (vectors as Partial<WordVectors>).addTo !== 'function') {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'SifEmbedder needs a WordVectors table (WordVectors.fromBytes, or loadGloveVectors from @chunkwise/providers/static/node).');
    }
    const a = options.a ?? options.state?.a ?? 1e-3;
    const priorTokens = options.priorTokens ?? options.state?.priorTokens ?? 10_000;
    if (typeof a !== 'number' || !(a > 0) || !Number.isFinite(a)) throw new ChunkwiseError('INVALID_ARGUMENT', `a must be a positive number, got ${show(a)}.`);
    if (typeof priorTokens !== 'number' || !(priorTokens >= 0) || !Number.isFinite(priorTokens)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `priorTokens must be a number ≥ 0, got ${show(priorTokens)}.`);
    }
    this.vectors = vectors;
    this.dimensions = vectors.dimensions;
    this.lookup = new WordLookup(vectors);
    this.a = a;
    this.priorTokens = priorTokens;
    this.normalize = options.normalize ?? true;
    const state = options.state === undefined ? this.emptyState() : checkSifState(options.state, vectors);
    if (options.state !== undefined && (state.a !== a || state.priorTokens !== priorTokens)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'a and priorTokens must match the state they come with; leave them out to take the state’s.');
    }
    this.current = state;
    this.weights = this.weightsFrom(state);
    this.component = state.component === null ? undefined : Float64Array.from(state.component);
  }

  /** True once `fit` ran (or a fitted state was given). */
  get fitted(): boolean {
    return this.current.texts > 0;
  }

  /** The current state as JSON-ready data (a copy). */
  state(): SifState {
    return structuredClone(this.current);
  }

  /**
   * Learns word frequencies and the principal component from the corpus to be indexed (each text
   * one unit: a chunk, a passage), replacing any earlier fit, and returns the new state.
   */
  fit(texts: Iterable<string>): SifState {
    const list = checkTexts(texts, 'fit');
    const counts = new Map<number, number>();
    let total = 0;
    for (const text of list) {
      forEachWord(text, (word) => {
        for (const id of this.lookup.ids(word)) {
          counts.set(id, (counts.get(id) ?? 0) + 1);
          total++;
        }
      });
    }
    const entries = [...counts].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    const state: SifState = {
      ...this.emptyState(),
      texts: list.length,
      totalTokens: total,
      counts: entries.map(([id, count]) => [this.vectors.word(id), count]),
    };
    this.weights = this.weightsFrom(state);
    this.component = undefined;
    // SIF: the first singular vector of the weighted averages, then removed from each of them.
    const moment = new SecondMoment(this.dimensions);
    const scratch = new Float64Array(this.dimensions);
    let nonZero = 0;
    for (const text of list) {
      if (this.average(text, scratch) > 0) {
        moment.add(scratch);
        nonZero++;
      }
    }
    // One text's own direction is all of it: removing it would zero the text. Two or more, never.
    const top = nonZero >= 2 ? moment.topEigenvector() : undefined;
    state.component = top === undefined ? null : Array.from(top);
    this.component = top;
    this.current = state;
    return this.state();
  }

  async embed(texts: string[], opts?: { signal?: AbortSignal }): Promise<Float32Array[]> {
    const list = checkTexts(texts, 'embed');
    const signal = signalOf(opts);
    throwIfAborted(signal);
    const out: Float32Array[] = [];
    const scratch = new Float64Array(this.dimensions);
    for (let i = 0; i < list.length; i++) {
      if (i % SIGNAL_EVERY === SIGNAL_EVERY - 1) {
        // Yield to the event loop now and then so a long call can be cancelled.
        await Promise.resolve();
        throwIfAborted(signal);
      }
      out.push(this.finish(list[i]!, scratch));
    }
    return out;
  }

  /** One vector per known word of `text` with its span: weighted, component removed, not normalised. */
  async embedTokens(text: string, opts?: { signal?: AbortSignal }): Promise<{ vectors: Float32Array[]; spans: Span[] }> {
    if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'embedTokens(text) needs a string.');
    const signal = signalOf(opts);
    throwIfAborted(signal);
    const vectors: Float32Array[] = [];
    const spans: Span[] = [];
    const d = this.dimensions;
    const row = new Float64Array(d);
    forEachWord(text, (word, start, end) => {
      const ids = this.lookup.ids(word);
      if (ids.length === 0) return;
      row.fill(0);
      for (const id of ids) this.vectors.addTo(id, this.weights[id]!, row);
      this.removeComponent(row);
      vectors.push(Float32Array.from(row));
      spans.push({ start, end });
    });
    return { vectors, spans };
  }

  /** Σ weight · vector over the known words of `text`, divided by their number; returns that number. */
  private average(text: string, into: Float64Array): number {
    into.fill(0);
    let n = 0;
    forEachWord(text, (word) => {
      for (const id of this.lookup.ids(word)) {
        this.vectors.addTo(id, this.weights[id]!, into);
        n++;
      }
    });
    if (n > 0) for (let i = 0; i < into.length; i++) into[i]! /= n;
    return n;
  }

  private removeComponent(v: Float64Array): void {
    const u = this.component;
    if (u === undefined) return;
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += u[i]! * v[i]!;
    for (let i = 0; i < v.length; i++) v[i]! -= dot * u[i]!;
  }

  private finish(text: string, scratch: Float64Array): Float32Array {
    const out = new Float32Array(this.dimensions);
    if (this.average(text, scratch) === 0) return out;
    this.removeComponent(scratch);
    let length = 1;
    if (this.normalize) {
      let s = 0;
      for (let i = 0; i < scratch.length; i++) s += scratch[i]! * scratch[i]!;
      length = Math.sqrt(s);
      // Below float32's resolution the direction is noise: answer the documented zero vector.
      if (!(length > 1e-30)) return out;
    }
    for (let i = 0; i < out.length; i++) out[i] = scratch[i]! / length;
    return out;
  }

  private emptyState(): SifState {
    return {
      format: 'chunkwise-sif',
      version: 1,
      vectors: this.vectors.id,
      dimensions: this.vectors.dimensions,
      a: this.a,
      priorTokens: this.priorTokens,
      texts: 0,
      totalTokens: 0,
      counts: [],
      component: null,
    };
  }

  /** `a / (a + p(w))` for every row, with p from the corpus counts smoothed by the rank prior. */
  private weightsFrom(state: SifState): Float32Array {
    const size = this.vectors.size;
    const weights = new Float32Array(size);
    const denominator = state.totalTokens + this.priorTokens;
    // Zipf's law over the frequency order: p₀(rank r) = 1 / ((r + 1) · H_V).
    const harmonic = Math.log(size) + 0.5772156649 + 1 / (2 * size);
    const prior = (id: number): number => (this.vectors.frequencyOrdered ? 1 / ((id + 1) * harmonic) : 1 / size);
    const counts = new Map<number, number>();
    for (const [word, count] of state.counts) {
      const id = this.vectors.lookup(word);
      if (id >= 0) counts.set(id, count);
    }
    for (let id = 0; id < size; id++) {
      const p = denominator === 0 ? prior(id) : ((counts.get(id) ?? 0) + this.priorTokens * prior(id)) / denominator;
      weights[id] = this.a / (this.a + p);
    }
    return weights;
  }
}

function checkTexts(texts: unknown, method: string): string[] {
  const list = Array.isArray(texts) ? texts : texts !== null && typeof texts === 'object' && Symbol.iterator in texts ? [...(texts as Iterable<unknown>)] : undefined;
  if (list === undefined || !list.every((text) => typeof text === 'string')) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${method}(texts) needs an array of strings.`);
  }
  return list as string[];
}
