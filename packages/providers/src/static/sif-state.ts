import { ChunkwiseError } from '@chunkwise/core';
import { show } from '../argument-checks.js';

/**
 * What `SifEmbedder.fit` learned from a corpus, as plain JSON: store it next to an index and give
 * it back (`new SifEmbedder(vectors, { state })`) so queries are embedded exactly like the index.
 */
export interface SifState {
  format: 'chunkwise-sif';
  version: 1;
  /** `WordVectors.id` of the table it was fitted with; another table is refused. */
  vectors: string;
  dimensions: number;
  /** SIF's `a` in `a / (a + p(w))`. */
  a: number;
  /** Weight of the vocabulary-rank prior, in corpus tokens (see `SifOptions.priorTokens`). */
  priorTokens: number;
  /** Texts and in-vocabulary tokens counted by `fit`. */
  texts: number;
  totalTokens: number;
  /** `[word, count]`, most frequent first: the corpus frequencies behind p(w). */
  counts: Array<[string, number]>;
  /** The first principal component removed from every embedding (unit length), or null. */
  component: number[] | null;
}

function bad(message: string): ChunkwiseError {
  return new ChunkwiseError('INVALID_ARGUMENT', `Not a usable SIF state: ${message}. Pass what SifEmbedder.fit() or state() returned.`);
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Checks a state read back from storage, field by field, so a damaged one fails before embedding. */
export function checkSifState(state: unknown, vectors: { id: string; dimensions: number }): SifState {
  if (typeof state !== 'object' || state === null) throw bad('it is not an object');
  const s = state as Record<string, unknown>;
  if (s.format !== 'chunkwise-sif' || s.version !== 1) throw bad(`format ${JSON.stringify(s.format)} version ${JSON.stringify(s.version)}`);
  if (s.dimensions !== vectors.dimensions) {
    throw new ChunkwiseError('DIMENSION_MISMATCH', `The SIF state has ${show(s.dimensions)} dimensions; these vectors have ${vectors.dimensions}.`, {
      details: { expected: vectors.dimensions, actual: s.dimensions },
    });
  }
  if (s.vectors !== vectors.id) {
    throw bad(`it was fitted with the vectors ${JSON.stringify(s.vectors)}, not ${vectors.id}; refit on the corpus or load the same vectors`);
  }
  if (typeof s.a !== 'number' || !(s.a > 0) || !Number.isFinite(s.a)) throw bad('a must be a positive number');
  if (typeof s.priorTokens !== 'number' || !(s.priorTokens >= 0) || !Number.isFinite(s.priorTokens)) throw bad('priorTokens must be a number ≥ 0');
  if (!isCount(s.texts) || !isCount(s.totalTokens)) throw bad('texts and totalTokens must be integers ≥ 0');
  if (!Array.isArray(s.counts)) throw bad('counts must be an array of [word, count]');
  for (const entry of s.counts as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || !isCount(entry[1])) throw bad('counts must be an array of [word, count]');
  }
  if (s.component !== null) {
    const component = s.component;
    if (!Array.isArray(component) || component.length !== vectors.dimensions || !component.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw bad(`component must be null or ${vectors.dimensions} finite numbers`);
    }
  }
  return s as unknown as SifState;
}
