/**
 * A short description of any value for an error message. Never calls a value's own `toString`
 * (a 100,000-deep array overflows the stack there, a null-prototype object has none, a symbol
 * refuses template literals).
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `a string of length ${value.length}` : JSON.stringify(value);
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return String(value);
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      return Array.isArray(value) ? `an array of length ${value.length}` : 'an object';
  }
}
