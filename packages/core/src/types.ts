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

/**
 * Token ids of a text with the UTF-16 span `[starts[i], ends[i])` of each token; spans are in
 * order and within the text. Where byte-level BPE splits one character's bytes over several
 * tokens, implementations say which convention they use: **tiling** (the character belongs to the
 * token holding its first byte, the others get an empty span at its end, so spans never overlap —
 * the default of `@chunkwise/tokenizers`) or **tiktoken's `decode_with_offsets`** (each token spans
 * every character it holds a byte of, so neighbours overlap on a split character).
 */
export interface TokenOffsets {
  readonly ids: Uint32Array;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
}

/**
 * One tokenization pass over a text that then counts the tokens of any slice of it:
 * `counter.count(start, end) === tokenizer.count(text.slice(start, end))`.
 */
export interface SliceCounter extends TokenOffsets {
  /** Exactly `tokenizer.count(text.slice(start, end))`. */
  count(start: number, end: number): number;
  /** The last pre-token boundary `<= position`: tokenizing from there reproduces this pass' tokens. */
  pieceStartAtMost?(position: number): number;
}

/** Options every offset-reporting tokenizer accepts: special-token text is encoded as ordinary text unless allowed. */
export interface TokenOffsetsOptions {
  allowedSpecial?: Iterable<string> | 'all';
  disallowedSpecial?: Iterable<string> | 'all';
}

/**
 * Turns text into token ids and back. Implementations must give `decode(encode(s)) === s` for
 * well-formed strings. The optional capabilities let chunkers cut at exact token boundaries in one
 * pass; a tokenizer without them still works (spans are then derived by decoding).
 */
export interface Tokenizer {
  readonly name: string;
  encode(text: string): Uint32Array;
  decode(ids: ArrayLike<number>): string;
  /** Number of tokens `encode(text)` would return, without necessarily materialising them. */
  count(text: string): number;
  /** Ids with the UTF-16 span of each token (see `TokenOffsets`). */
  encodeWithOffsets?(text: string, options?: TokenOffsetsOptions): TokenOffsets;
  /** One pass over `text`, then exact token counts of any slice of it. */
  sliceCounter?(text: string): SliceCounter;
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
  /**
   * Why the model stopped, as the server said it: `'stop'` (it finished), `'length'` (it hit
   * `maxTokens`: the text is cut), or the server's own word. Absent when the model does not say.
   */
  finishReason?: string;
}

/** One event of a streamed generation: text as it arrives, then one `finish` event. */
export type GenerateStreamPart =
  | { type: 'text'; text: string }
  | { type: 'finish'; finishReason?: string; usage?: { promptTokens: number; completionTokens: number } };

/** A text generator with a known context window (prompt + completion, in tokens). */
export interface LanguageModel {
  readonly contextWindow: number;
  /** The model's own tokenizer, when known; budget code falls back to o200k with a safety margin. */
  readonly tokenizer?: Tokenizer;
  generate(req: GenerateRequest): Promise<GenerateResult>;
  /**
   * The same generation, streamed: `text` parts as the model produces them (their concatenation is
   * what `generate` would return), then exactly one `finish` part. Optional: callers fall back to
   * `generate` and emit its text as one part.
   */
  generateStream?(req: GenerateRequest): AsyncIterable<GenerateStreamPart>;
  /** Natural-log probability of each token of `text` given its prefix (used by perplexity chunking). */
  logprobs?(text: string, opts?: { signal?: AbortSignal }): Promise<Float32Array>;
}
