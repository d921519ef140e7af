import { seededRandom } from '@chunkwise/core';
import { simpleAnalyzer } from '@chunkwise/retrieval';
import { sotuPassages, type SotuPassage } from '@chunkwise/test-corpora';

export type Passage = SotuPassage;

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
 * SOTU packed into ≥100-word passages inside each address (`sotuPassages`: 15,006 passages, median
 * 115 words, the corpus the retrieval tests index too), then 1,000 held-out sentence queries and
 * 1,000 keyword queries, seeded.
 */
export function sotuCorpus(heldOutCount = 1000, keywordCount = 1000): SotuCorpus {
  const passages = sotuPassages();
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
    passages[i] = { ...p, text: rest.join(' '), sentences: rest };
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
