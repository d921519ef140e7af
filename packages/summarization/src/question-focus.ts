import { contentTerms, type TermIds } from './term-vectors.js';

/** BM25's idf of every term id over the sentences: ln(1 + (N − df + 0.5) / (df + 0.5)). */
export function termIdf(tokens: TermIds): Float64Array {
  const df = new Float64Array(tokens.vocabulary.length);
  for (const ids of tokens.terms) for (const id of new Set(ids)) df[id]!++;
  const n = tokens.terms.length;
  return df.map((d) => Math.log(1 + (n - d + 0.5) / (d + 0.5)));
}

/**
 * For each sentence, the share of the question's weight it matches: Σ idf of the question's
 * distinct content terms that the sentence has, over Σ idf of all of them, where a term no sentence
 * has weighs as much as the rarest possible. 0 everywhere for a question without content terms.
 * `hasTerms` says whether the question had any term the sentences know.
 */
export function questionCoverage(question: string, tokens: TermIds, idf: Float64Array): { coverage: Float64Array; hasTerms: boolean } {
  const n = tokens.terms.length;
  const coverage = new Float64Array(n);
  const idOf = new Map(tokens.vocabulary.map((term, id) => [term, id]));
  const unseen = Math.log(1 + (n + 0.5) / 0.5);
  let mass = 0;
  const asked = new Set<number>();
  for (const term of new Set(contentTerms(question))) {
    const id = idOf.get(term);
    if (id === undefined) mass += unseen;
    else {
      mass += idf[id]!;
      asked.add(id);
    }
  }
  if (asked.size === 0) return { coverage, hasTerms: false };
  tokens.terms.forEach((ids, i) => {
    let matched = 0;
    for (const id of new Set(ids)) if (asked.has(id)) matched += idf[id]!;
    coverage[i] = matched / mass;
  });
  return { coverage, hasTerms: true };
}
