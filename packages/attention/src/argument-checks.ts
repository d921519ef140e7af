import { ChunkwiseError } from '@chunkwise/core';
import type { AttentionMask } from './masks/attention-mask.js';

// The checks every public entry point makes on its arguments, so wrong input becomes a
// ChunkwiseError naming what to change instead of a TypeError or RangeError from deep inside.

/** Elements any one array this package allocates from a size argument may have (512 MiB of int32). */
export const MAX_ELEMENTS = 2 ** 27;
/** Positions must fit in int32: the WebAssembly kernel and key selections store them that way. */
export const MAX_POSITION = 2 ** 31 - 1;

/** `value` for an error message, whatever it is (symbols, BigInts and objects included). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
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

/** A safe integer in `[min, max]`: INVALID_ARGUMENT when not an integer ≥ min, LIMIT_EXCEEDED above max. */
export function checkInteger(value: unknown, name: string, min: number, max: number = Number.MAX_SAFE_INTEGER): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${name} must be an integer ≥ ${min}, got ${describeValue(value)}.`);
  }
  if (value > max) throw new ChunkwiseError('LIMIT_EXCEEDED', `${name} is ${value}; at most ${max} is supported.`);
}

/** A finite number in `[min, max]` (INVALID_ARGUMENT otherwise). */
export function checkNumber(value: unknown, name: string, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range = min === Number.NEGATIVE_INFINITY && max === Number.POSITIVE_INFINITY ? 'a finite number' : `a number in [${min}, ${max}]`;
    throw new ChunkwiseError('INVALID_ARGUMENT', `${name} must be ${range}, got ${describeValue(value)}.`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value);

/** An options object; `undefined` reads as `{}`. */
export function checkOptions<T extends object>(value: T | undefined, name: string): T {
  if (value === undefined) return {} as T;
  if (!isRecord(value)) throw new ChunkwiseError('INVALID_ARGUMENT', `${name} must be an object, got ${describeValue(value)}.`);
  return value;
}

/** A required object argument. */
export function checkObject(value: unknown, name: string): asserts value is Record<string, unknown> {
  if (!isRecord(value)) throw new ChunkwiseError('INVALID_ARGUMENT', `${name} must be an object, got ${describeValue(value)}.`);
}

export function checkFloat32Array(value: unknown, name: string): asserts value is Float32Array {
  if (!(value instanceof Float32Array)) throw new ChunkwiseError('INVALID_ARGUMENT', `${name} must be a Float32Array, got ${describeValue(value)}.`);
}

/** An array or typed array of finite numbers. */
export function checkFiniteList(value: unknown, name: string): asserts value is ArrayLike<number> {
  if (!(Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array)))) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${name} must be an array of numbers, got ${describeValue(value)}.`);
  }
  const list = value as ArrayLike<unknown>;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (typeof item !== 'number' || !Number.isFinite(item)) throw new ChunkwiseError('INVALID_ARGUMENT', `${name}[${i}] must be a finite number, got ${describeValue(item)}.`);
  }
}

export function checkFunction(value: unknown, name: string): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', `${name} must be a function, got ${describeValue(value)}.`);
}

/** One of `choices` (compared with ===). */
export function checkChoice<T>(value: unknown, name: string, choices: readonly T[]): asserts value is T {
  if (!choices.includes(value as T)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${name} must be one of ${choices.map((choice) => JSON.stringify(choice)).join(', ')}; got ${describeValue(value)}.`);
  }
}

/** Anything with `allows` and `tile` methods works as a mask. */
export function checkMask(value: unknown, name: string): asserts value is AttentionMask {
  const mask = value as Partial<AttentionMask> | null;
  if (mask === null || typeof mask !== 'object' || typeof mask.allows !== 'function' || typeof mask.tile !== 'function' || (mask.keysFor !== undefined && typeof mask.keysFor !== 'function')) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${name} must be an AttentionMask (allows and tile methods), got ${describeValue(value)}.`);
  }
}
