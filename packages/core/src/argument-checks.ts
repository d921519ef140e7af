import { ChunkwiseError } from './errors.js';

/** A short description of any value for an error message; never throws (symbols, null prototypes, throwing toString). */
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
  if (Array.isArray(value)) return 'an array';
  return 'an object';
}

/** Throws INVALID_ARGUMENT unless `check` holds; `what` names the argument as the caller wrote it. */
export function expectArgument(check: boolean, what: string, expected: string, value: unknown): void {
  if (!check) throw new ChunkwiseError('INVALID_ARGUMENT', `${what} must be ${expected}, got ${describeValue(value)}.`);
}
