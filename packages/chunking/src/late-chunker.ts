import { ChunkwiseError, throwIfAborted, type Chunk, type Span, type Tokenizer } from '@chunkwise/core';
import type { ChunkPlanner } from './chunk-planner.js';
import { BaseChunker, type ChunkCallOptions, type Chunker } from './chunker.js';
import { optionalNumber, optionalWithMethods, type BaseChunkerOptions } from './chunk-options.js';
import { plainRecipe } from './recursive-chunker.js';
import { TokenChunker } from './token-chunker.js';

/** A long-context embedding model that returns one contextual vector per token. */
export interface TokenEmbedder {
  readonly dimensions: number;
  /** Most tokens (of `tokenizer`) one `embedTokens` call may take. */
  readonly maxTokens: number;
  /** The model's tokenizer; long documents are cut into windows with it. */
  readonly tokenizer: Tokenizer;
  /** One vector per token of `text`, with each token's UTF-16 span in `text`, in order. */
  embedTokens(text: string, opts?: { signal?: AbortSignal }): Promise<{ vectors: Float32Array[]; spans: Span[] }>;
}

export interface LateChunkerOptions extends BaseChunkerOptions {
  embedder: TokenEmbedder;
  /** Where chunk boundaries come from. Default: the plain recursive recipe with this chunker's limits. */
  chunker?: Chunker;
  /** Tokens shared by consecutive windows of a long document. Default: a quarter of the window, at most 256. */
  windowOverlap?: number;
}

/**
 * Late chunking (arXiv 2409.04701): embed the whole document once so every token vector sees its
 * context, then mean-pool the vectors over each chunk's exact token span (from offsets, not from
 * cumulative counts as chonkie does). Documents longer than the model's window are embedded in
 * overlapping windows; each later window's first tokens, already seen by the previous window with
 * more left context, are dropped ("long late chunking"). Adds `meta.embedding` (L2-normalised).
 */
export class LateChunker extends BaseChunker {
  private readonly embedder: TokenEmbedder;
  private readonly boundaries: Chunker | undefined;
  private readonly windowOverlap: number;

  constructor(options: LateChunkerOptions) {
    super(options);
    const embedder = optionalWithMethods<TokenEmbedder>(options.embedder, 'embedder', ['embedTokens'], 'a TokenEmbedder');
    if (!embedder || !Number.isInteger(embedder.maxTokens) || embedder.maxTokens < 1 || typeof embedder.tokenizer !== 'object' || embedder.tokenizer === null) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'LateChunker needs an embedder: a TokenEmbedder with embedTokens(), a tokenizer and a positive integer maxTokens.');
    }
    this.embedder = embedder;
    this.boundaries = optionalWithMethods<Chunker>(options.chunker, 'chunker', ['chunk'], 'a Chunker');
    this.windowOverlap = optionalNumber(options.windowOverlap, 'windowOverlap', { integer: true, min: 0 }) ?? Math.min(256, Math.floor(embedder.maxTokens / 4));
    if (this.windowOverlap >= options.embedder.maxTokens) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `windowOverlap (${String(this.windowOverlap)}) must be smaller than the embedder's maxTokens.`);
    }
  }

  protected async chunkText(planner: ChunkPlanner, options: ChunkCallOptions): Promise<Chunk[]> {
    const { text } = planner;
    let chunks: Chunk[];
    if (this.boundaries) chunks = await this.boundaries.chunk(text, options);
    else {
      const levels = plainRecipe.levels(text);
      chunks = planner.chunk(0, text.length, levels, this.maxTokens, this.overlap);
    }
    const tokens = await this.tokenVectors(text, options);
    for (const chunk of chunks) chunk.meta = { ...chunk.meta, embedding: pool(tokens, chunk) };
    return chunks;
  }

  /** Contextual token vectors of the whole text with global spans, window by window. */
  private async tokenVectors(text: string, options: ChunkCallOptions): Promise<{ vectors: Float32Array[]; starts: number[]; ends: number[] }> {
    const windows = await new TokenChunker({
      tokenizer: this.embedder.tokenizer,
      maxTokens: this.embedder.maxTokens,
      overlap: this.windowOverlap,
    }).chunk(text, options);
    const vectors: Float32Array[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    let covered = 0;
    for (const window of windows) {
      throwIfAborted(options.signal);
      const result = await this.embedder.embedTokens(window.text, options.signal ? { signal: options.signal } : undefined);
      if (result.vectors.length !== result.spans.length) {
        throw new ChunkwiseError('UPSTREAM', 'embedTokens returned a different number of vectors and spans.');
      }
      result.spans.forEach((span, i) => {
        const start = window.start + span.start;
        // Tokens the previous window already embedded (with more left context) are not taken again.
        if (start < covered) return;
        vectors.push(result.vectors[i]!);
        starts.push(start);
        ends.push(window.start + span.end);
      });
      covered = window.end;
    }
    return { vectors, starts, ends };
  }
}

/** Mean of the vectors of tokens overlapping `span`, L2-normalised. */
function pool(tokens: { vectors: Float32Array[]; starts: number[]; ends: number[] }, span: Span): Float32Array {
  let lo = 0;
  let hi = tokens.ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((tokens.ends[mid] ?? 0) <= span.start) lo = mid + 1;
    else hi = mid;
  }
  const d = tokens.vectors[0]?.length ?? 0;
  const out = new Float32Array(d);
  for (let i = lo; i < tokens.starts.length && (tokens.starts[i] ?? 0) < span.end; i++) {
    const vector = tokens.vectors[i]!;
    for (let x = 0; x < d; x++) out[x] = (out[x] ?? 0) + (vector[x] ?? 0);
  }
  let norm = 0;
  for (let x = 0; x < d; x++) norm += (out[x] ?? 0) ** 2;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let x = 0; x < d; x++) out[x] = (out[x] ?? 0) / norm;
  return out;
}
