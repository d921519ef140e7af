import { ChunkwiseError, type LanguageModel } from '@chunkwise/core';

/** A value as an error message names it: short, and never throwing (symbols, bigints, cycles). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return typeof value;
}

/** Throws INVALID_ARGUMENT unless `model` looks like a LanguageModel: a generate method and a positive integer window. */
export function checkModel(model: unknown): asserts model is LanguageModel {
  const candidate = model as Partial<LanguageModel> | null;
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.generate !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'model must be a LanguageModel with a generate(request) method.');
  }
  if (!(Number.isInteger(candidate.contextWindow) && (candidate.contextWindow as number) > 0)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `model.contextWindow must be a positive integer, got ${describeValue(candidate.contextWindow)}.`);
  }
}

export function isAbortSignal(value: unknown): value is AbortSignal {
  return typeof value === 'object' && value !== null && typeof (value as AbortSignal).aborted === 'boolean' && typeof (value as AbortSignal).addEventListener === 'function';
}

/** Throws INVALID_ARGUMENT unless `cache` has get and set methods. */
export function checkCache(cache: unknown): void {
  const candidate = cache as { get?: unknown; set?: unknown } | null;
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.get !== 'function' || typeof candidate.set !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'cache must have get(key) and set(key, value) methods.');
  }
}
