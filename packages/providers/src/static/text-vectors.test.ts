import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextVectorsParser, parseTextVectors } from './text-vectors.js';
import { WordVectors } from './word-vectors.js';

const rows: Array<[string, number[]]> = [
  ['the', [0.418, 0.24968, -0.41242]],
  ['whale', [-0.5, 1.25e-3, 2]],
  ['new york', [1, 2, 3]],
  ['café', [0, 0, 0.5]],
];

const glove = rows.map(([w, v]) => `${w} ${v.join(' ')}`).join('\n') + '\n';
const word2vec = `${rows.length} 3\n${glove}`;

function table(bytes: Uint8Array) {
  return WordVectors.fromBytes(bytes);
}

describe('word2vec / GloVe / fastText text formats', () => {
  it('reads word2vec text and fastText .vec (with a header) and GloVe (without), words with spaces included', () => {
    for (const text of [glove, word2vec, word2vec.replace(/\n/g, '\r\n'), glove.replace(/ /g, '\t').replace('new\tyork', 'new york')]) {
      const vectors = table(parseTextVectors(text, { encoding: 'float32' }));
      expect(vectors.dimensions).toBe(3);
      expect(vectors.size).toBe(4);
      rows.forEach(([word, vector], id) => {
        expect(vectors.lookup(word)).toBe(id);
        expect(Array.from(vectors.vector(id))).toEqual(vector.map((x) => Math.fround(x)));
      });
      expect(vectors.frequencyOrdered).toBe(true);
    }
  });

  it('gives the same table however the file is cut into pieces', () => {
    const whole = parseTextVectors(word2vec);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: word2vec.length }), { maxLength: 10 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const parser = new TextVectorsParser();
        let from = 0;
        for (const point of points) {
          parser.push(word2vec.slice(from, point));
          from = point;
        }
        parser.push(word2vec.slice(from));
        expect(parser.end()).toEqual(whole);
      }),
    );
  });

  it('refuses a line with too few values (DIMENSION_MISMATCH), with its line number', () => {
    const broken = `${word2vec}sea 1 2\n`;
    expect(() => parseTextVectors(broken)).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH', details: expect.objectContaining({ line: 6, expected: 3, actual: 2 }) }));
    expect(() => parseTextVectors(glove, { dimensions: 300 })).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
  });

  it('refuses values that are not finite numbers and files cut short of their header (CORRUPT_DATA)', () => {
    expect(() => parseTextVectors('sea 1 NaN 3\n')).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    expect(() => parseTextVectors('sea 1 x 3\n')).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    expect(() => parseTextVectors(`10 3\n${glove}`)).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    expect(() => parseTextVectors('')).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    expect(() => parseTextVectors('lonely\n')).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
  });
});
