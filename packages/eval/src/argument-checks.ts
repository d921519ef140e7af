import { ChunkwiseError, type Span } from '@chunkwise/core';

/**
 * A value as an error message names it: short, and never throwing. `String(value)` throws on
 * `Object.create(null)` and on an object whose `toString` is not a function, a symbol throws in a
 * template literal and `JSON.stringify` throws on a bigint: a message that throws turns bad input
 * into a plain TypeError.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
  }
  return Array.isArray(value) ? 'an array' : 'an object';
}

export function invalid(message: string, details?: Record<string, unknown>): never {
  throw new ChunkwiseError('INVALID_ARGUMENT', message, details ? { details } : {});
}

export function requireString(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string') invalid(`${what} must be a string, got ${describeValue(value)}.`);
}

export function requireArray<T = unknown>(value: unknown, what: string): asserts value is readonly T[] {
  if (!Array.isArray(value)) invalid(`${what} must be an array, got ${describeValue(value)}.`);
}

/** An array of strings (ids, texts); a string inside is checked too, so no element is coerced. */
export function requireStrings(value: unknown, what: string): asserts value is readonly string[] {
  requireArray(value, what);
  for (const item of value) if (typeof item !== 'string') invalid(`${what} must hold strings, got ${describeValue(item)}.`);
}

/** An options argument: undefined is `{}`; anything but an object (arrays and functions included) is refused. */
export function optionsObject<T extends object>(value: T | undefined, what: string): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(`${what} must be an object, got ${describeValue(value)}.`);
  return value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireInteger(value: unknown, what: string, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) invalid(`${what} must be ${min === 1 ? 'a positive integer' : `an integer ≥ ${min}`}, got ${describeValue(value)}.`);
}

export function requireBoolean(value: unknown, what: string): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') invalid(`${what} must be true or false, got ${describeValue(value)}.`);
}

export function requireFunction(value: unknown, what: string): asserts value is ((...args: never[]) => unknown) | undefined {
  if (value !== undefined && typeof value !== 'function') invalid(`${what} must be a function, got ${describeValue(value)}.`);
}

/** An AbortSignal or nothing: core's throwIfAborted reads `aborted` and `reason`. */
export function requireSignal(value: unknown): asserts value is AbortSignal | undefined {
  if (value !== undefined && !(isObject(value) && typeof value.aborted === 'boolean' && typeof value.addEventListener === 'function')) {
    invalid(`signal must be an AbortSignal, got ${describeValue(value)}.`);
  }
}

/** An array of `{ start, end }` spans; each span is checked where it is used (`assertSpan`). */
export function requireSpans(value: unknown, what: string): asserts value is readonly Span[] {
  if (!Array.isArray(value)) invalid(`${what} must be an array of { start, end } spans, got ${describeValue(value)}.`);
}
