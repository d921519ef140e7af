import { createRequire } from 'node:module';
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import { BM25Index, simpleAnalyzer } from '@chunkwise/retrieval';
import MiniSearch from 'minisearch';
import type { Passage } from './sotu-corpus.js';

const require = createRequire(import.meta.url);

/** A lexical engine fed the `simple` analyzer's tokens, built and queried the same way. */
export interface LexicalEngine {
  name: string;
  build(passages: readonly Passage[]): Promise<void> | void;
  search(query: string, k: number): string[] | Promise<string[]>;
}

export function chunkwiseEngine(): LexicalEngine & { index: BM25Index | undefined } {
  const engine = {
    name: 'chunkwise BM25Index',
    index: undefined as BM25Index | undefined,
    build(passages: readonly Passage[]) {
      // addAll also appends the postings in bulk, so nothing is left for the first query to do.
      engine.index = new BM25Index().addAll(passages.map((p) => ({ id: p.id, doc: p.text })));
    },
    search(query: string, k: number) {
      return engine.index!.search(query, { k }).map((h) => h.id);
    },
  };
  return engine;
}

interface Wink {
  defineConfig(c: unknown): void;
  definePrepTasks(tasks: ((s: string) => string[])[]): void;
  addDoc(doc: { text: string }, id: string): void;
  consolidate(): void;
  search(q: string, limit: number): [string, number][];
}

export function winkEngine(): LexicalEngine & { wink: Wink | undefined } {
  const engine = {
    name: 'wink-bm25-text-search',
    wink: undefined as Wink | undefined,
    build(passages: readonly Passage[]) {
      const wink = (require('wink-bm25-text-search') as () => Wink)();
      wink.defineConfig({ fldWeights: { text: 1 }, bm25Params: { k1: 1.2, b: 0.75, k: 1 } });
      wink.definePrepTasks([simpleAnalyzer]);
      for (const p of passages) wink.addDoc({ text: p.text }, p.id);
      wink.consolidate();
      engine.wink = wink;
    },
    search(query: string, k: number) {
      return engine.wink!.search(query, k).map(([id]) => id);
    },
  };
  return engine;
}

export function miniSearchEngine(): LexicalEngine {
  let mini: MiniSearch<Passage> | undefined;
  return {
    name: 'MiniSearch',
    build(passages) {
      mini = new MiniSearch<Passage>({ fields: ['text'], tokenize: simpleAnalyzer, processTerm: (t) => t, idField: 'id' });
      mini.addAll(passages as Passage[]);
    },
    search(query, k) {
      return mini!.search(query).slice(0, k).map((r) => String(r.id));
    },
  };
}

export function oramaEngine(): LexicalEngine {
  // Orama's own tokenizer dedupes terms and stems; give it the same tokens as everyone else.
  const tokenizer = { language: 'english', normalizationCache: new Map(), tokenize: (raw: string) => simpleAnalyzer(raw) };
  let db: ReturnType<typeof makeDb> | undefined;
  function makeDb() {
    return create({ schema: { text: 'string', pid: 'string' } as const, components: { tokenizer } });
  }
  return {
    name: 'Orama',
    async build(passages) {
      db = makeDb();
      await insertMultiple(db, passages.map((p) => ({ text: p.text, pid: p.id })), 1000);
    },
    async search(query, k) {
      // Orama's defaults (prefix matching, threshold 1 = any term): its `exact` mode re-checks terms
      // case-sensitively against the raw text and found nothing for lowercased tokens.
      const result = await oramaSearch(db!, { term: query, properties: ['text'], limit: k, threshold: 1 });
      return result.hits.map((h) => (h.document as { pid: string }).pid);
    },
  };
}
