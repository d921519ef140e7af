import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MarkerRewriter, stripMarkers } from './citation-markers.js';

describe('MarkerRewriter', () => {
  it('numbers markers 1, 2, 3… in order of first use and splits groups', () => {
    const rewriter = new MarkerRewriter(5);
    expect(rewriter.rewrite('Ahab hunts [3]. The ship sinks [1, 3]. Ishmael lives [5][1].')).toBe('Ahab hunts [1]. The ship sinks [2][1]. Ishmael lives [3][2].');
    expect(rewriter.passages).toEqual([3, 1, 5]);
    expect(rewriter.repairs).toEqual([]);
  });

  it('drops a marker that names no passage, with the space before it, and reports it once', () => {
    const rewriter = new MarkerRewriter(3);
    expect(rewriter.rewrite('One [9]. Two [2] [9]. Three [0][1].')).toBe('One. Two [1]. Three [2].');
    expect(rewriter.repairs).toEqual([
      { kind: 'unknown-marker', marker: 9 },
      { kind: 'unknown-marker', marker: 0 },
    ]);
  });

  it('gives the same text streamed in any pieces as rewritten whole (property)', () => {
    const token = fc.oneof(
      fc.constantFrom('The', ' whale', ' sank', '.', ' ', '\n', '[', ']', ',', '1'),
      fc.integer({ min: 0, max: 12 }).map((n) => `[${n}]`),
      fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 })).map(([a, b]) => ` [${a}, ${b}]`),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 10 }), (tokens, cuts) => {
        const text = tokens.join('');
        const whole = new MarkerRewriter(6);
        const expected = whole.rewrite(text);
        const streamed = new MarkerRewriter(6);
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        let out = '';
        let from = 0;
        for (const point of points) {
          out += streamed.push(text.slice(from, point));
          from = point;
        }
        out += streamed.push(text.slice(from)) + streamed.end();
        expect(out).toBe(expected);
        expect(streamed.passages).toEqual(whole.passages);
        // Every marker left resolves to a passage.
        for (const match of out.matchAll(/\[(\d+)\]/g)) {
          if (/^\[\d+\]$/.test(match[0])) expect(Number(match[1])).toBeLessThanOrEqual(streamed.passages.length);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('strips markers for counting words', () => {
    expect(stripMarkers('Ahab [1]. Moby Dick [2, 3].')).toBe('Ahab. Moby Dick.');
  });
});
