import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mobyDickText } from './__fixtures__/corpora.js';
import { trickyText } from './__fixtures__/text-arbitraries.js';
import { RegexPreTokenizer, type PreTokenizer } from './pre-tokenizer.js';
import { CL100K_PATTERN, O200K_PATTERN, R50K_PATTERN } from './split-patterns.js';
import { cl100kPieceEnd, o200kPieceEnd, r50kPieceEnd, ScannerPreTokenizer } from './split-scanners.js';

function pieces(preTokenizer: PreTokenizer, text: string): string[] {
  const out: string[] = [];
  for (let at = 0; at < text.length; ) {
    const end = preTokenizer.pieceEnd(text, at);
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}

describe.each([
  ['r50k', R50K_PATTERN, r50kPieceEnd],
  ['cl100k', CL100K_PATTERN, cl100kPieceEnd],
  ['o200k', O200K_PATTERN, o200kPieceEnd],
] as const)('the %s scanner splits exactly like the pattern', (_name, pattern, pieceEnd) => {
  const regex = new RegexPreTokenizer(pattern);
  const scanner = new ScannerPreTokenizer(pieceEnd);

  it('on tricky generated text', () => {
    fc.assert(
      fc.property(trickyText, (text) => {
        expect(pieces(scanner, text)).toEqual(pieces(regex, text));
      }),
      { numRuns: 400 },
    );
  });

  it.each([
    ['capitals then marks', 'ABC\u0301DEF xyzÉ\u0300'],
    ['title case and modifier letters', 'ǅungla ʰello ǄEMAL'],
    ['marks after punctuation', '..\u0301 \u0301\u0302 a\u0301'],
    ['contractions at word ends', "WE'LL we'Re THEY'ſ it's I'm"],
    ['crlf and slashes', 'a/\r\n\r\n  \n x //\n'],
    ['trailing spaces', 'end   '],
  ])('on %s', (_label, text) => {
    expect(pieces(scanner, text)).toEqual(pieces(regex, text));
  });

  it('on Moby Dick', () => {
    const text = mobyDickText().slice(0, 300_000);
    expect(pieces(scanner, text)).toEqual(pieces(regex, text));
  });
});
