import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveAnalyzer } from './analyzer.js';
import { cjkAnalyzer } from './cjk.js';
import { englishAnalyzer } from './english.js';
import { simpleAnalyzer } from './simple.js';

describe('simpleAnalyzer', () => {
  it('is exactly lowercase + [\\p{L}\\p{N}]+ runs', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(simpleAnalyzer(text)).toEqual(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
      }),
      { numRuns: 200 },
    );
    expect(simpleAnalyzer("Call me Ishmael. It's 1851!")).toEqual(['call', 'me', 'ishmael', 'it', 's', '1851']);
  });
});

describe('englishAnalyzer', () => {
  it('drops stopwords and applies the Porter2 stemmer', () => {
    // Porter2 reference outputs (snowballstem.org English vocabulary/output lists).
    expect(englishAnalyzer('The generously connected nations are running')).toEqual(['generous', 'connect', 'nation', 'run']);
    expect(englishAnalyzer('consignment knightly cried skies dying')).toEqual(['consign', 'knight', 'cri', 'sky', 'die']);
  });
});

describe('cjkAnalyzer', () => {
  it('turns CJK runs into overlapping bigrams and keeps other tokens', () => {
    expect(cjkAnalyzer('東京都 is big')).toEqual(['東京', '京都', 'is', 'big']);
    expect(cjkAnalyzer('abc東京')).toEqual(['abc', '東京']);
    expect(cjkAnalyzer('猫')).toEqual(['猫']);
  });
});

describe('resolveAnalyzer', () => {
  it('accepts names and functions and rejects anything else', () => {
    expect(resolveAnalyzer('english')).toBe(englishAnalyzer);
    const custom = (t: string) => t.split(' ');
    expect(resolveAnalyzer(custom)).toBe(custom);
    expect(() => resolveAnalyzer('klingon' as never)).toThrow(/Unknown analyzer/);
  });
});
