import type { TermIds } from './term-vectors.js';

/** How many of a text's terms count as salient. */
export const SALIENT_TERMS = 40;

/** Weight of each salient term id (`TermIds` vocabulary), the others absent. */
export type SalientWeights = Map<number, number>;

/**
 * The terms that carry a text: weight (1 + ln tf) × √(share of sections using the term), so a term
 * used throughout the book outranks one as frequent but confined to one chapter (a list, a table),
 * the top `count` kept. Terms are `contentTerms` (lower-cased, stemmed, without stopwords).
 */
export function salientTerms(tokens: TermIds, sections: ArrayLike<number>, count = SALIENT_TERMS): SalientWeights {
  const size = tokens.vocabulary.length;
  const frequency = new Float64Array(size);
  const sectionsWith = new Float64Array(size);
  const lastSection = new Float64Array(size).fill(-1);
  const seenSections = new Set<number>();
  tokens.terms.forEach((ids, i) => {
    const section = sections[i]!;
    seenSections.add(section);
    for (const id of ids) {
      frequency[id]!++;
      if (lastSection[id] !== section) {
        lastSection[id] = section;
        sectionsWith[id]!++;
      }
    }
  });
  const scored: [number, number][] = [];
  for (let id = 0; id < size; id++) scored.push([id, (1 + Math.log(frequency[id]!)) * Math.sqrt(sectionsWith[id]! / seenSections.size)]);
  scored.sort((a, b) => b[1] - a[1] || (tokens.vocabulary[a[0]]! < tokens.vocabulary[b[0]]! ? -1 : 1));
  return new Map(scored.slice(0, count));
}

/** Σ of the weights of the distinct salient terms among `ids`, in units of the top weight: 0 for none. */
export function salienceOf(ids: Int32Array, salient: SalientWeights, topWeight: number): number {
  let sum = 0;
  const seen = new Set<number>();
  for (const id of ids) {
    const weight = salient.get(id);
    if (weight === undefined || seen.has(id)) continue;
    seen.add(id);
    sum += weight;
  }
  return topWeight > 0 ? sum / topWeight : 0;
}
