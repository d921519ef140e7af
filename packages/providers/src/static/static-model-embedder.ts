import { ChunkwiseError, throwIfAborted, type Embedder, type Span, type TokenOffsets, type TokenOffsetsOptions, type Tokenizer } from '@chunkwise/core';
import { show, signalOf } from '../argument-checks.js';

/** A tokenizer that can leave out special tokens, as `@chunkwise/tokenizers`' `HfTokenizer` can. */
export interface StaticModelTokenizer extends Tokenizer {
  encode(text: string, options?: { addSpecialTokens?: boolean }): Uint32Array;
  encodeWithOffsets(text: string, options?: TokenOffsetsOptions & { addSpecialTokens?: boolean }): TokenOffsets;
}

export interface StaticModelEmbedderOptions {
  tokenizer: StaticModelTokenizer;
  /** The embedding matrix, row-major: `rows × dimensions` float32 values, row i for token id i. */
  embeddings: Float32Array;
  dimensions: number;
  /** L2-normalise outputs. Model2Vec reads it from config.json (`normalize`); default true. */
  normalize?: boolean | undefined;
  /** Token ids to leave out (Model2Vec drops the unknown token: its row is meaningless). */
  skipIds?: Iterable<number> | undefined;
  /** Tokens per text kept by `embed`, as Model2Vec's `encode(max_length=512)`. Default 512; `Infinity` keeps all. */
  truncateTokens?: number | undefined;
}

const SIGNAL_EVERY = 256;

/**
 * A static token-embedding model (Model2Vec, sentence-transformers `StaticEmbedding`): a text is
 * the mean of its tokens' rows, optionally L2-normalised. No runtime beyond a table lookup. A text
 * with no tokens gives the zero vector. Also a `TokenEmbedder` for `LateChunker`.
 */
export class StaticModelEmbedder implements Embedder {
  readonly dimensions: number;
  /** Static rows have no window: `LateChunker` embeds any document in one call. */
  readonly maxTokens = 2 ** 29;
  readonly tokenizer: StaticModelTokenizer;
  private readonly embeddings: Float32Array;
  private readonly rows: number;
  private readonly normalize: boolean;
  private readonly skip: Set<number>;
  private readonly truncate: number;

  constructor(options: StaticModelEmbedderOptions) {
    const { tokenizer, embeddings, dimensions } = options ?? ({} as StaticModelEmbedderOptions);
    if (tokenizer === null || typeof tokenizer !== 'object' || typeof tokenizer.encode !== 'function' || typeof tokenizer.encodeWithOffsets !== 'function') {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'StaticModelEmbedder needs a tokenizer with encode and encodeWithOffsets (HfTokenizer.fromJSON from @chunkwise/tokenizers).');
    }
    if (!(embeddings instanceof Float32Array)) throw new ChunkwiseError('INVALID_ARGUMENT', 'embeddings must be a Float32Array (rows × dimensions).');
    if (!Number.isInteger(dimensions) || dimensions < 1 || embeddings.length % dimensions !== 0) {
      throw new ChunkwiseError('DIMENSION_MISMATCH', `${embeddings.length} values do not make rows of ${show(dimensions)} dimensions.`, {
        details: { values: embeddings.length, dimensions },
      });
    }
    const truncate = options.truncateTokens ?? 512;
    if (typeof truncate !== 'number' || !(truncate >= 1)) throw new ChunkwiseError('INVALID_ARGUMENT', `truncateTokens must be ≥ 1 (or Infinity), got ${show(truncate)}.`);
    for (let i = 0; i < embeddings.length; i++) {
      if (!Number.isFinite(embeddings[i]!)) {
        throw new ChunkwiseError('CORRUPT_DATA', `The embedding matrix holds ${show(embeddings[i])} at row ${Math.floor(i / dimensions)}.`, { details: { row: Math.floor(i / dimensions) } });
      }
    }
    this.tokenizer = tokenizer;
    this.embeddings = embeddings;
    this.dimensions = dimensions;
    this.rows = embeddings.length / dimensions;
    if (options.normalize !== undefined && typeof options.normalize !== 'boolean') throw new ChunkwiseError('INVALID_ARGUMENT', `normalize must be a boolean, got ${show(options.normalize)}.`);
    const iterable = options.skipIds === undefined || (typeof options.skipIds === 'object' && options.skipIds !== null && Symbol.iterator in options.skipIds);
    if (!iterable) throw new ChunkwiseError('INVALID_ARGUMENT', 'skipIds must be an iterable of token ids.');
    const skipIds = options.skipIds === undefined ? [] : [...options.skipIds];
    if (!skipIds.every((id) => Number.isInteger(id))) throw new ChunkwiseError('INVALID_ARGUMENT', 'skipIds must be integers.');
    this.normalize = options.normalize ?? true;
    this.skip = new Set(skipIds);
    this.truncate = truncate;
  }

  async embed(texts: string[], opts?: { signal?: AbortSignal }): Promise<Float32Array[]> {
    if (!Array.isArray(texts) || !texts.every((text) => typeof text === 'string')) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'embed(texts) needs an array of strings.');
    }
    const signal = signalOf(opts);
    throwIfAborted(signal);
    const out: Float32Array[] = [];
    const sum = new Float64Array(this.dimensions);
    for (let t = 0; t < texts.length; t++) {
      if (t % SIGNAL_EVERY === SIGNAL_EVERY - 1) {
        await Promise.resolve();
        throwIfAborted(signal);
      }
      sum.fill(0);
      let n = 0;
      for (const id of this.tokenizer.encode(texts[t]!, { addSpecialTokens: false })) {
        if (this.skip.has(id)) continue;
        this.addRow(id, sum);
        if (++n >= this.truncate) break;
      }
      out.push(this.finish(sum, n));
    }
    return out;
  }

  /** Each kept token's row with its UTF-16 span. */
  async embedTokens(text: string, opts?: { signal?: AbortSignal }): Promise<{ vectors: Float32Array[]; spans: Span[] }> {
    if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'embedTokens(text) needs a string.');
    const signal = signalOf(opts);
    throwIfAborted(signal);
    const { ids, starts, ends } = this.tokenizer.encodeWithOffsets(text, { addSpecialTokens: false });
    const vectors: Float32Array[] = [];
    const spans: Span[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (this.skip.has(id)) continue;
      const row = new Float64Array(this.dimensions);
      this.addRow(id, row);
      vectors.push(Float32Array.from(row));
      spans.push({ start: starts[i]!, end: ends[i]! });
    }
    return { vectors, spans };
  }

  private addRow(id: number, into: Float64Array): void {
    if (id >= this.rows) {
      throw new ChunkwiseError('CORRUPT_DATA', `The tokenizer produced id ${id} but the embedding matrix has ${this.rows} rows: the tokenizer and the model do not belong together.`, {
        details: { id, rows: this.rows },
      });
    }
    const d = this.dimensions;
    const at = id * d;
    for (let i = 0; i < d; i++) into[i]! += this.embeddings[at + i]!;
  }

  private finish(sum: Float64Array, n: number): Float32Array {
    const out = new Float32Array(this.dimensions);
    if (n === 0) return out;
    let divisor = n;
    if (this.normalize) {
      let s = 0;
      for (let i = 0; i < sum.length; i++) s += sum[i]! * sum[i]!;
      divisor = Math.sqrt(s);
      if (!(divisor > 1e-30)) return out;
    }
    for (let i = 0; i < out.length; i++) out[i] = sum[i]! / divisor;
    return out;
  }
}
