import { ChunkwiseError } from '@chunkwise/core';

/**
 * Checks for what callers pass at the API edge, so that a wrong type is INVALID_ARGUMENT with a
 * message that says what was expected, never a TypeError from deep inside.
 */

/** A short description of any value for an error message; never throws (a template literal does for a Symbol or a null-prototype object). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value.toString()}n`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      return ArrayBuffer.isView(value) ? `a ${(value as object).constructor.name}` : 'an object';
  }
}

/** An object literal (or a null-prototype object): not an array, a typed array, a Map, a Date… */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** An options argument: undefined means none; anything but a plain object is INVALID_ARGUMENT. */
export function optionsObject<T extends object>(value: T | undefined, what: string): Partial<T> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw new ChunkwiseError('INVALID_ARGUMENT', `${what} must be an object, got ${describeValue(value)}.`);
  return value;
}

export function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `${what} must be a string, got ${describeValue(value)}.`);
  return value;
}

export function requireArray<T>(value: unknown, what: string): readonly T[] {
  if (!Array.isArray(value)) throw new ChunkwiseError('INVALID_ARGUMENT', `${what} must be an array, got ${describeValue(value)}.`);
  return value as readonly T[];
}

export function requireIterable<T>(value: unknown, what: string): Iterable<T> {
  if (value === null || typeof value !== 'object' || typeof (value as Partial<Iterable<T>>)[Symbol.iterator] !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${what} must be an array or another iterable, got ${describeValue(value)}.`);
  }
  return value as Iterable<T>;
}

export function requireObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ChunkwiseError('INVALID_ARGUMENT', `${what} must be an object, got ${describeValue(value)}.`);
  return value as Record<string, unknown>;
}

export function optionalFunction<F>(value: unknown, what: string): F | undefined {
  if (value !== undefined && typeof value !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', `${what} must be a function, got ${describeValue(value)}.`);
  return value as F | undefined;
}

export function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new ChunkwiseError('INVALID_ARGUMENT', `${what} must be a positive integer, got ${describeValue(value)}.`);
  return value;
}

export function finiteNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ChunkwiseError('INVALID_ARGUMENT', `${what} must be a finite number, got ${describeValue(value)}.`);
  return value;
}
