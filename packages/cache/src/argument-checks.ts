import { ChunkwiseError } from '@chunkwise/core';

// The checks the cache's entry points make on their arguments, so wrong input becomes a
// ChunkwiseError naming what to change instead of a TypeError from deep inside.

/** `value` for an error message, whatever it is (symbols, BigInts and objects included). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'function') return 'a function';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}

/** Throws INVALID_ARGUMENT unless `value` is an integer ≥ `min`. */
export function checkCount(where: string, name: string, value: unknown, min = 0): asserts value is number {
  if (!Number.isSafeInteger(value) || (value as number) < min) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${where}: ${name} must be an integer ≥ ${min}, got ${describeValue(value)}.`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value);

/** Throws INVALID_ARGUMENT unless `value` is an options object. */
export function checkOptions(where: string, value: unknown, name = 'options'): asserts value is object {
  if (!isRecord(value)) throw new ChunkwiseError('INVALID_ARGUMENT', `${where}: ${name} must be an object, got ${describeValue(value)}.`);
}

/** An optional options object: `undefined` reads as `{}`. */
export function optionalOptions<T extends object>(where: string, value: T | undefined, name = 'options'): T {
  if (value === undefined) return {} as T;
  checkOptions(where, value, name);
  return value;
}

/** Throws INVALID_ARGUMENT unless `tokens` is an array (or typed array) of uint32 token ids. */
export function checkTokenIds(where: string, tokens: unknown): asserts tokens is ArrayLike<number> {
  checkNumberList(where, 'tokens', tokens);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (typeof token !== 'number' || !Number.isInteger(token) || token < 0 || token > 0xffffffff) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `${where}: token ${describeValue(token)} at ${i} is not a uint32 id.`);
    }
  }
}

/** Throws INVALID_ARGUMENT unless `value` is an array (or typed array) of numbers. */
export function checkNumberList(where: string, name: string, value: unknown): asserts value is ArrayLike<number> {
  const ok = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array));
  if (!ok) throw new ChunkwiseError('INVALID_ARGUMENT', `${where}: ${name} must be an array of numbers, got ${describeValue(value)}.`);
}
