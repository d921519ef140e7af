import { ChunkwiseError, type Tokenizer } from '@chunkwise/core';

/** Options every chunker shares. */
export interface BaseChunkerOptions {
  /**
   * The tokenizer that measures chunks, or the name of an encoding in `@chunkwise/tokenizers`
   * (loaded lazily on first use). Default: `'o200k_base'`.
   */
  tokenizer?: Tokenizer | string;
  /** Hard upper bound on `tokenCount` of every chunk, overlap included. */
  maxTokens: number;
  /** Tokens repeated from the end of the previous chunk; counted inside `maxTokens`. Default 0. */
  overlap?: number;
  /**
   * Attach `meta.context = { start, end }`: a wider window of about this many tokens on each side
   * of the chunk, for situated embedding (SitEmb, arXiv 2508.01959). Default: none.
   */
  contextTokens?: number;
}

/** Checks the numeric limits at the API edge, with a message that says what to change. */
export function validateLimits(maxTokens: number, overlap: number): void {
  if (!Number.isInteger(maxTokens) || maxTokens <= 0) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `maxTokens must be a positive integer, got ${describeValue(maxTokens)}.`, {
      details: { maxTokens },
    });
  }
  if (!Number.isInteger(overlap) || overlap < 0) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `overlap must be a non-negative integer, got ${describeValue(overlap)}.`, {
      details: { overlap },
    });
  }
  if (overlap >= maxTokens) {
    throw new ChunkwiseError(
      'INVALID_ARGUMENT',
      `overlap (${String(overlap)}) must be smaller than maxTokens (${String(maxTokens)}): overlap is counted inside the limit.`,
      { details: { maxTokens, overlap } },
    );
  }
}

export function validateText(text: unknown, method = 'chunk()'): asserts text is string {
  if (typeof text !== 'string') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${method} takes a string, got ${describeValue(text)}.`);
  }
}

/** A value named for an error message: its type, and the value itself when it is short. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (typeof value === 'string') return value.length <= 40 ? `the string ${JSON.stringify(value)}` : 'a string';
  return typeof value;
}

function invalid(message: string, details?: Record<string, unknown>): never {
  throw new ChunkwiseError('INVALID_ARGUMENT', message, details ? { details } : {});
}

/** The options object of a constructor or call (`where` names it in the message). */
export function optionsObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(`${where} takes an options object, got ${describeValue(value)}.`);
  return value as Record<string, unknown>;
}

/** An optional number option: undefined, or a finite number (an integer when asked) within `[min, max]`. */
export function optionalNumber(value: unknown, name: string, rule: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const { integer = false, min = -Infinity, max = Infinity } = rule;
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    const kind = integer ? 'an integer' : 'a finite number';
    invalid(`${name} must be ${kind}${Number.isFinite(min) ? ` >= ${String(min)}` : ''}${Number.isFinite(max) ? ` <= ${String(max)}` : ''}, got ${describeValue(value)}.`, { [name]: describeValue(value) });
  }
  return value;
}

/** An optional object option that must have these methods (an Embedder's `embed`, a parser's `parse`…). */
export function optionalWithMethods<T>(value: unknown, name: string, methods: readonly string[], what: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || methods.some((method) => typeof (value as Record<string, unknown>)[method] !== 'function')) {
    invalid(`${name} must be ${what} (an object with ${methods.map((method) => `${method}()`).join(', ')}), got ${describeValue(value)}.`);
  }
  return value as T;
}

/** A tokenizer option: undefined, an encoding name, or an object with encode/decode/count. */
export function validateTokenizerOption(value: unknown): void {
  if (value === undefined || typeof value === 'string') return;
  optionalWithMethods(value, 'tokenizer', ['encode', 'decode', 'count'], "a Tokenizer or an encoding name ('o200k_base', 'characters', …)");
}

/** Per-call options: an object (or nothing) whose `signal`, if any, is an AbortSignal. */
export function validateCallOptions(options: unknown): { signal?: AbortSignal } {
  if (options === undefined) return {};
  const object = optionsObject(options, 'A chunking call');
  const { signal } = object;
  if (signal !== undefined && (typeof signal !== 'object' || signal === null || typeof (signal as { aborted?: unknown }).aborted !== 'boolean')) {
    invalid(`signal must be an AbortSignal, got ${describeValue(signal)}.`);
  }
  return object as { signal?: AbortSignal };
}

/** A text and a range of it: integers with `0 <= start <= end <= text.length`. */
export function validateRange(text: unknown, start: unknown, end: unknown, where: string): void {
  // Levels call this once per range they split: the passing case allocates nothing.
  if (typeof text === 'string' && Number.isInteger(start) && Number.isInteger(end) && (start as number) >= 0 && (start as number) <= (end as number) && (end as number) <= text.length) return;
  validateText(text, where);
  if (!Number.isInteger(start) || !Number.isInteger(end) || (start as number) < 0 || (start as number) > (end as number) || (end as number) > text.length) {
    invalid(`${where} takes a range with 0 <= start <= end <= text.length (${String(text.length)}), got start ${describeValue(start)} and end ${describeValue(end)}.`);
  }
}
