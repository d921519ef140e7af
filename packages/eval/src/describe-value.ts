/**
 * A value as an error message names it: short, and never throwing. `String(value)` throws on a
 * symbol in a template, on `Object.create(null)` and on an object whose `toString` is not a
 * function, and a message that throws turns bad input into a plain TypeError.
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
