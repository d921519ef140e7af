import { describe, expect, it } from 'vitest';
import { rankSentences } from './sentence-graph.js';
import { buildTermVectors, cosine, contentTerms } from './term-vectors.js';

const SENTENCES = [
  'The whale surfaced near the ship.',
  'The white whale attacked the ship at dawn.',
  'Sailors on the ship feared the white whale.',
  'Bread was baked in the galley.',
  'The captain hunted the white whale from his ship.',
];

describe('term vectors', () => {
  it('drops stopwords, folds plurals and normalises to unit length', () => {
    expect(contentTerms("The whales' ships and the whale's ship")).toEqual(['whale', 'ship', 'whale', 'ship']);
    const vectors = buildTermVectors(SENTENCES);
    for (let i = 0; i < SENTENCES.length; i++) expect(cosine(vectors, i, i)).toBeCloseTo(1, 12);
    expect(cosine(vectors, 1, 2)).toBeGreaterThan(cosine(vectors, 1, 3));
    expect(cosine(vectors, 0, 3)).toBe(0);
  });
});

describe.each(['lexrank', 'textrank'] as const)('rankSentences (%s)', (algorithm) => {
  it('gives a probability distribution that puts the off-topic sentence last', () => {
    const rank = rankSentences(buildTermVectors(SENTENCES), algorithm);
    expect(rank.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const order = [...rank.keys()].sort((a, b) => rank[b]! - rank[a]!);
    expect(order[order.length - 1]).toBe(3);
    expect([1, 2, 4]).toContain(order[0]);
  });

  it('is uniform for isolated sentences and empty for no sentences', () => {
    expect([...rankSentences(buildTermVectors(['Alpha beta.', 'Gamma delta.']), algorithm)]).toEqual([0.5, 0.5]);
    expect(rankSentences(buildTermVectors([]), algorithm).length).toBe(0);
  });
});
