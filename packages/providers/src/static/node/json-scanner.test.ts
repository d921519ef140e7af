import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonScanner, type JsonHandler } from './json-scanner.js';

/** Rebuilds the document from the scanner's events, to compare with JSON.parse. */
function rebuild(text: string, cuts: number[]): unknown {
  const stack: Array<{ value: unknown[] | Record<string, unknown>; key?: string }> = [];
  let result: unknown;
  const put = (value: unknown) => {
    const top = stack.at(-1);
    if (top === undefined) result = value;
    else if (Array.isArray(top.value)) top.value.push(value);
    // defineProperty: a "__proto__" key is an own property in JSON.parse's result too.
    else Object.defineProperty(top.value, top.key!, { value, enumerable: true, writable: true, configurable: true });
  };
  const handler: JsonHandler = {
    key: (_depth, key) => {
      stack.at(-1)!.key = key;
    },
    string: (_depth, value) => put(value),
    number: (_depth, value) => put(value),
    literal: (_depth, value) => put(value),
    open: (_depth, array) => stack.push({ value: array ? [] : {} }),
    close: () => put(stack.pop()!.value),
  };
  const bytes = new TextEncoder().encode(text);
  const scanner = new JsonScanner(handler);
  const points = [...new Set(cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
  let from = 0;
  for (const point of points) {
    scanner.write(bytes.subarray(from, point));
    from = point;
  }
  scanner.write(bytes.subarray(from));
  scanner.end();
  return result;
}

const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 });

describe('JsonScanner', () => {
  it('reports what JSON.parse reads, however the bytes are cut into pieces', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), cuts, fc.constantFrom(0, 2), (value, at, indent) => {
        // Containers at the top only: the wink file is an object (a bare top-level scalar is not used).
        const text = JSON.stringify({ v: value }, null, indent);
        expect(rebuild(text, at)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('parses numbers exactly as JSON.parse does, through the fast path and the fallback', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(0.1, -0.51725, 2.95153011, 1e-7, 123456789012345680)), { maxLength: 30 }), cuts, (numbers, at) => {
        const text = JSON.stringify(numbers);
        expect(rebuild(text, at)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('fails with CORRUPT_DATA on malformed or truncated documents', () => {
    for (const bad of ['{"a":1', '{"a" 1}', '[1,,2]', '[1 2]', '{"a":tru}', '{"a":1}}', '[01.2.3]', '["\\x"]', '{,}', '[1,]', '{"a":1,}', '-', '']) {
      expect(() => rebuild(bad, []), bad).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    }
  });
});
