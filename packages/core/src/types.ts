/** A half-open range `[start, end)` of UTF-16 code-unit offsets into a source string. */
export interface Span {
  start: number;
  end: number;
}

/**
 * A piece of a source text. Every producer keeps `source.slice(chunk.start, chunk.end) === chunk.text`
 * and `chunk.tokenCount === tokenizer.count(chunk.text)` for the tokenizer that made it.
 */
export interface Chunk extends Span {
  text: string;
  /** Position of this chunk in its producer's output, from 0. */
  index: number;
  tokenCount: number;
  meta?: Record<string, unknown>;
}

/** Turns text into token ids and back. Implementations must give `decode(encode(s)) === s` for well-formed strings. */
export interface Tokenizer {
  readonly name: string;
  encode(text: string): Uint32Array;
  decode(ids: ArrayLike<number>): string;
  /** Number of tokens `encode(text)` would return, without necessarily materialising them. */
  count(text: string): number;
}

/** Maps texts to fixed-size vectors, one per input, in order. */
export interface Embedder {
  readonly dimensions: number;
  embed(texts: string[], opts?: { signal?: AbortSignal }): Promise<Float32Array[]>;
}

export interface GenerateRequest {
  system?: string;
  prompt: string;
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
}

export interface GenerateResult {
  text: string;
  usage?: { promptTokens: number; completionTokens: number };
}

/** A text generator with a known context window (prompt + completion, in tokens). */
export interface LanguageModel {
  readonly contextWindow: number;
  /** The model's own tokenizer, when known; budget code falls back to o200k with a safety margin. */
  readonly tokenizer?: Tokenizer;
  generate(req: GenerateRequest): Promise<GenerateResult>;
  /** Natural-log probability of each token of `text` given its prefix (used by perplexity chunking). */
  logprobs?(text: string, opts?: { signal?: AbortSignal }): Promise<Float32Array>;
}
