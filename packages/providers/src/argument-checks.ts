import { ChunkwiseError } from '@chunkwise/core';

/** A short description of any value for an error message; never throws (unlike String() on a null-prototype object). */
export function show(value: unknown): string {
  try {
    switch (typeof value) {
      case 'string':
        return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
      case 'number':
      case 'bigint':
      case 'boolean':
      case 'undefined':
        return String(value);
      case 'function':
        return 'a function';
      case 'symbol':
        return 'a symbol';
      default:
        if (value === null) return 'null';
        if (Array.isArray(value)) return `an array of ${value.length}`;
        return 'an object';
    }
  } catch {
    return typeof value;
  }
}

/** An options argument: undefined means none; anything but a plain object is INVALID_ARGUMENT. */
export function optionsOf<T extends object>(value: T | undefined, what: string): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${what} must be an options object, got ${show(value)}.`);
  }
  return value;
}

/** The `{ signal }` argument of a call: absent, or an object whose signal is absent or an AbortSignal. */
export function signalOf(value: unknown, what = 'opts'): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw new ChunkwiseError('INVALID_ARGUMENT', `${what} must be { signal?: AbortSignal }, got ${show(value)}.`);
  const signal = (value as { signal?: unknown }).signal;
  if (signal === undefined) return undefined;
  if (!(signal instanceof AbortSignal)) throw new ChunkwiseError('INVALID_ARGUMENT', `signal must be an AbortSignal, got ${show(signal)}.`);
  return signal;
}
