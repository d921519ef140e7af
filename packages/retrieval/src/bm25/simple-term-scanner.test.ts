import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simpleAnalyzer } from '../analyzers/simple.js';
import { SimpleTermScanner } from './simple-term-scanner.js';

function scanToStrings(scanner: SimpleTermScanner, terms: string[], text: string): string[] {
  const out: string[] = [];
  scanner.scan(
    text,
    (token) => {
      terms.push(token);
      scanner.register(token, terms.length - 1);
      return terms.length - 1;
    },
    (id) => out.push(terms[id] as string),
  );
  return out;
}

describe('SimpleTermScanner', () => {
  it('yields exactly simpleAnalyzer’s tokens, with one id per distinct token (property)', () => {
    const scanner = new SimpleTermScanner();
    const terms: string[] = [];
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.constantFrom('a', 'B', ' ', 'é', 'İ', '𝐀', '\uD800', '\uDC00', '1', '東', '-') })), (text) => {
        expect(scanToStrings(scanner, terms, text)).toEqual(simpleAnalyzer(text));
        expect(new Set(terms).size).toBe(terms.length);
      }),
      { numRuns: 500 },
    );
  });

  it('takes the ASCII fast path to exactly simpleAnalyzer’s tokens (property)', () => {
    const scanner = new SimpleTermScanner();
    const terms: string[] = [];
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary-ascii' }), fc.string({ unit: fc.constantFrom('a', 'Z', 'q', ' ', '9', '-', '\'', '.') })), (text) => {
        expect(scanToStrings(scanner, terms, text)).toEqual(simpleAnalyzer(text));
        expect(new Set(terms).size).toBe(terms.length);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps ids stable across a growing dictionary (rehashing)', () => {
    const scanner = new SimpleTermScanner();
    const terms: string[] = [];
    const words = Array.from({ length: 70_000 }, (_, i) => `w${i.toString(36)}`);
    expect(scanToStrings(scanner, terms, words.join(' '))).toEqual(words);
    expect(scanToStrings(scanner, terms, words.slice(0, 100).join(' '))).toEqual(words.slice(0, 100));
    expect(terms.length).toBe(70_000);
  });
});
