import { createChunker, type Chunker } from '@chunkwise/chunking';
import type { Tokenizer } from '@chunkwise/core';
import { buildChunkIndex, evaluateRetrieval, mean, standardDeviation, type EmbedderSource, type QuestionResult, type RetrieverName } from '@chunkwise/eval';
import type { ContextStrategy } from '@chunkwise/retrieval';
import type { QualityTask } from './quality-tasks.js';

/** One pipeline configuration of the grid. */
export interface QualityConfig {
  chunker: string;
  size: number;
  overlap: number;
  retriever: RetrieverName;
  context: ContextStrategy;
  /** At most this many passages (the digest's answer step uses 3); default no limit. */
  k?: number;
}

/** Mean scores of one split of one task family. */
export interface FamilyScores {
  questions: number;
  recall: number;
  /** Sample standard deviation of recall over the questions. */
  recallStd: number;
  precision: number;
  iou: number;
  precisionOmega: number;
  tokens: number;
}

export type Split = 'tune' | 'test';
export type Family = QualityTask['family'];

export interface QualityRow extends QualityConfig {
  /** Chunks over every corpus of the suite. */
  chunks: number;
  /** Chunking + BM25 (+ embedding and the vector index for dense and hybrid), all corpora, ms. */
  indexMs: number;
  /** Retrieval, context selection and scoring of every question, ms. */
  searchMs: number;
  scores: Record<Split, Record<Family, FamilyScores>>;
}

export interface GridOptions {
  tasks: readonly QualityTask[];
  chunkers: readonly string[];
  sizes: readonly number[];
  /** Overlap as a share of the size (0 and 1/8 give "without" and "with"). */
  overlaps: readonly number[];
  retrievers: readonly RetrieverName[];
  contexts: readonly ContextStrategy[];
  budgetTokens: number;
  tokenizer: Tokenizer;
  /** Needed for dense and hybrid rows: made per corpus from its chunks (SIF is fitted on them). */
  embedder?: EmbedderSource;
  /** Extra configurations run on their own (the current defaults, for comparison). */
  extra?: readonly QualityConfig[];
  log?: (line: string) => void;
}

function familyScores(results: readonly QuestionResult[]): FamilyScores {
  const of = (key: 'recall' | 'precision' | 'iou' | 'precisionOmega' | 'tokens') => mean(results.map((r) => r[key]));
  return { questions: results.length, recall: of('recall'), recallStd: standardDeviation(results.map((r) => r.recall)), precision: of('precision'), iou: of('iou'), precisionOmega: of('precisionOmega'), tokens: of('tokens') };
}

/** Every chunker × size × overlap, indexed once, then every retriever × context strategy on it. */
export async function runQualityGrid(options: GridOptions): Promise<QualityRow[]> {
  const { tasks, budgetTokens, tokenizer, embedder, log = () => {} } = options;
  const corpora = Object.assign({}, ...tasks.map((t) => t.corpora)) as Record<string, string>;
  const questions = tasks.flatMap((t) => [...t.tune, ...t.test]);
  const splitOf = new Map<object, Split>();
  const familyOf = new Map<string, Family>();
  for (const task of tasks) {
    for (const q of task.tune) splitOf.set(q, 'tune');
    for (const q of task.test) splitOf.set(q, 'test');
    for (const id of Object.keys(task.corpora)) familyOf.set(id, task.family);
  }
  const configs: QualityConfig[] = [];
  for (const chunker of options.chunkers)
    for (const size of options.sizes)
      for (const share of options.overlaps)
        for (const retriever of options.retrievers) for (const context of options.contexts) configs.push({ chunker, size, overlap: Math.round(size * share), retriever, context });
  configs.push(...(options.extra ?? []));

  const rows: QualityRow[] = [];
  const byChunking = new Map<string, QualityConfig[]>();
  for (const config of configs) {
    const key = `${config.chunker}/${config.size}/${config.overlap}`;
    byChunking.set(key, [...(byChunking.get(key) ?? []), config]);
  }
  for (const group of byChunking.values()) {
    const { chunker: name, size, overlap } = group[0] as QualityConfig;
    const chunker: Chunker = createChunker(name, { maxTokens: size, overlap, tokenizer });
    const dense = group.some((c) => c.retriever !== 'bm25');
    const index = await buildChunkIndex({ corpora, chunker, ...(dense && embedder ? { embedder } : {}) });
    log(`${name} ${size}/${overlap}: ${index.chunks} chunks, chunked in ${(index.chunkMs / 1000).toFixed(1)} s, BM25 ${(index.bm25Ms / 1000).toFixed(1)} s${dense ? `, embedded ${(index.embedMs / 1000).toFixed(1)} s` : ''}`);
    for (const config of group) {
      const result = await evaluateRetrieval({ dataset: questions, index, retriever: config.retriever, budgetTokens, contextStrategy: config.context, tokenizer, ...(config.k !== undefined ? { k: config.k } : {}) });
      const scores = {} as Record<Split, Record<Family, FamilyScores>>;
      for (const split of ['tune', 'test'] as const) {
        scores[split] = {} as Record<Family, FamilyScores>;
        for (const family of ['synthetic', 'held-out'] as const) {
          scores[split][family] = familyScores(result.questions.filter((r, i) => splitOf.get(questions[i] as object) === split && familyOf.get(r.corpusId) === family));
        }
      }
      const indexMs = index.chunkMs + index.bm25Ms + (config.retriever === 'bm25' ? 0 : index.embedMs);
      rows.push({ ...config, chunks: index.chunks, indexMs, searchMs: result.timings.searchMs, scores });
      log(`  ${config.retriever} ${config.context}: searched and scored in ${(result.timings.searchMs / 1000).toFixed(1)} s`);
    }
  }
  return rows;
}

/** The number a configuration is chosen by: recall at the equal budget, averaged over the two task families. */
export function score(row: QualityRow, split: Split): number {
  return (row.scores[split].synthetic.recall + row.scores[split]['held-out'].recall) / 2;
}

/** Standard error of `score`: the two family means are independent samples. */
export function scoreError(row: QualityRow, split: Split): number {
  const se = (f: FamilyScores) => (f.questions > 0 ? f.recallStd / Math.sqrt(f.questions) : 0);
  return Math.hypot(se(row.scores[split].synthetic), se(row.scores[split]['held-out'])) / 2;
}

/**
 * The one-standard-error rule (Breiman et al. 1984): of the configurations whose tune score is
 * within one standard error of the best, the one with the smallest mean context (fewest tokens
 * per answer), then the fewest chunks. Differences smaller than the noise do not decide.
 */
export function choose(rows: readonly QualityRow[]): { best: QualityRow; chosen: QualityRow; threshold: number } {
  const best = [...rows].sort((a, b) => score(b, 'tune') - score(a, 'tune'))[0] as QualityRow;
  const threshold = score(best, 'tune') - scoreError(best, 'tune');
  const tokens = (r: QualityRow) => (r.scores.tune.synthetic.tokens + r.scores.tune['held-out'].tokens) / 2;
  const chosen = rows.filter((r) => score(r, 'tune') >= threshold).sort((a, b) => tokens(a) - tokens(b) || a.chunks - b.chunks)[0] as QualityRow;
  return { best, chosen, threshold };
}
