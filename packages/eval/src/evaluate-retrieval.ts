import { resolveTokenizer, type Chunker } from '@chunkwise/chunking';
import { ChunkwiseError, createProgress, throwIfAborted, type Embedder, type ProgressCallback, type Span, type Tokenizer } from '@chunkwise/core';
import { CONTEXT_STRATEGIES, reciprocalRankFusion, selectContext, type ContextHit, type ContextStrategy, type ScoredId } from '@chunkwise/retrieval';
import { buildChunkIndex, isZero, type ChunkIndex, type EmbedderSource, type IndexedCorpus } from './chunk-index.js';
import { describeValue, invalid, isObject, requireInteger, requireSignal } from './argument-checks.js';
import { corpusText, validateDataset, type Corpora, type EvalQuestion } from './dataset.js';
import { reciprocalRankAtK } from './ranking-metrics.js';
import { precisionOmega, spanScores, touchingIndices, type SpanScores } from './span-scores.js';
import { mean, standardDeviation } from './stats.js';

export type RetrieverName = 'bm25' | 'dense' | 'hybrid';
export const RETRIEVERS: readonly RetrieverName[] = ['bm25', 'dense', 'hybrid'];


export interface EvaluateRetrievalOptions {
  dataset: readonly EvalQuestion[];
  /** The corpora the questions point into (not needed with `index`). */
  corpora?: Corpora;
  /** How the corpora are chunked (not needed with `index`). */
  chunker?: Chunker;
  /** Corpora already chunked and indexed by `buildChunkIndex`, to compare retrievers on the same chunks. */
  index?: ChunkIndex;
  /** Default 'bm25'; 'dense' and 'hybrid' (reciprocal rank fusion of both) need an embedder. */
  retriever?: RetrieverName;
  /** For dense and hybrid without an `index`: an Embedder, or a function making one per corpus from its chunks. */
  embedder?: EmbedderSource;
  /** Top-k chunks (default 5 without a budget); with `budgetTokens`, at most this many passages. */
  k?: number;
  /** Fill a context of at most this many tokens with `selectContext` instead of taking the top k. */
  budgetTokens?: number;
  /** How the budget is filled (`selectContext`'s strategies); default 'top-k'. */
  contextStrategy?: ContextStrategy;
  /** Ranked chunks offered to `selectContext`; default 50. */
  candidates?: number;
  /**
   * Hybrid: how many hits of each ranking (BM25, dense) are fused; default 10 (at least k), as
   * retrieval's `ChunkwiseRetriever` fuses. Fusing as deep as the 50 candidates lets chunks that
   * both rankings place middling outrank BM25's first hit: it halved hybrid recall at 1,200 tokens
   * on the quality bench (docs/benchmarks.md, quality-retrievers).
   */
  fusionDepth?: number;
  /** Hybrid: RRF weights of the BM25 and the dense ranking; default [1, 1]. */
  weights?: readonly [number, number];
  /** Hybrid: the RRF rank constant; default 60. */
  rrfK?: number;
  /** Counts the context against the budget; default o200k_base. */
  tokenizer?: Tokenizer;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** One question's outcome: the spans retrieved and their scores against the gold references. */
export interface QuestionResult extends SpanScores {
  question: string;
  corpusId: string;
  /** The retrieved chunks' spans, best first (top-k) or in document order (budget). */
  retrieved: Span[];
  /** The best precision these chunks allow for this question (`precisionOmega`). */
  precisionOmega: number;
  /** Tokens of the context: the chunks' token counts (top-k) or `selectContext`'s count (budget). */
  tokens: number;
  /** 1 / rank of the first chunk touching a reference within the retriever's first 10, else 0. */
  reciprocalRank: number;
}

export interface MetricSummary {
  recall: number;
  precision: number;
  iou: number;
  precisionOmega: number;
  tokens: number;
  /** Mean reciprocal rank at 10. */
  reciprocalRank: number;
}

export interface RetrievalEvaluation {
  questions: QuestionResult[];
  mean: MetricSummary;
  /** Sample standard deviations over questions. */
  std: MetricSummary;
  /** Chunks over the corpora the dataset uses. */
  chunks: number;
  /** Time to chunk, to build BM25, to embed and index vectors, and to answer all questions (ms). */
  timings: { chunkMs: number; bm25Ms: number; embedMs: number; searchMs: number };
}

const RANK_DEPTH = 10;

/**
 * Runs a retrieval pipeline over a labeled dataset and scores every question: chunk the corpora
 * (or take a prepared `index`), retrieve with BM25, dense or hybrid search inside the question's
 * corpus, keep the top k or fill a token budget with `selectContext`, then compare the retrieved
 * spans with the gold references (`spanScores`, Precision-Ω, reciprocal rank). Means and sample
 * standard deviations over questions.
 */
export async function evaluateRetrieval(options: EvaluateRetrievalOptions): Promise<RetrievalEvaluation> {
  if (!isObject(options)) invalid(`evaluateRetrieval needs options { dataset, corpora, chunker } or { dataset, index }, got ${describeValue(options)}.`);
  const { dataset, retriever = 'bm25', budgetTokens, contextStrategy = 'top-k', candidates = 50, signal, onProgress } = options;
  if (!Array.isArray(dataset)) invalid(`evaluateRetrieval needs a dataset: an array of { question, corpusId, references }, got ${describeValue(dataset)}.`);
  dataset.forEach((q: unknown, i) => {
    if (!isObject(q) || typeof q.corpusId !== 'string') invalid(`question ${i + 1}: a question must be { question, corpusId, references }, got ${describeValue(q)}.`);
  });
  if (!RETRIEVERS.includes(retriever)) invalid(`Unknown retriever ${describeValue(retriever)}; use one of ${RETRIEVERS.join(', ')}.`);
  if (!(CONTEXT_STRATEGIES as readonly unknown[]).includes(contextStrategy)) invalid(`Unknown context strategy ${describeValue(contextStrategy)}; use one of ${CONTEXT_STRATEGIES.join(', ')}.`);
  const k = options.k ?? (budgetTokens === undefined ? 5 : undefined);
  if (k !== undefined) requireInteger(k, 'k', 1);
  if (budgetTokens !== undefined) requireInteger(budgetTokens, 'budgetTokens', 1);
  requireInteger(candidates, 'candidates', 1);
  if (budgetTokens === undefined && options.contextStrategy !== undefined && contextStrategy !== 'top-k') {
    invalid(`The ${contextStrategy} context strategy fills a token budget: give budgetTokens too.`);
  }
  const fusion = fusionOptions(options);
  requireSignal(signal);
  const given = options.tokenizer as Partial<Tokenizer> | undefined;
  if (given !== undefined && (!isObject(given) || typeof given.count !== 'function' || typeof given.encode !== 'function' || typeof given.decode !== 'function')) {
    invalid(`tokenizer must be a Tokenizer (count, encode, decode), got ${describeValue(given)}.`);
  }
  if (options.index !== undefined && !(isObject(options.index) && options.index.corpora instanceof Map)) invalid(`index must be what buildChunkIndex returns, got ${describeValue(options.index)}.`);
  const { embedder } = options;
  if (retriever !== 'bm25' && !embedder && !options.index) throw new ChunkwiseError('INVALID_ARGUMENT', `The ${retriever} retriever needs an embedder (any Embedder, e.g. the GloVe embedder of @chunkwise/providers).`);

  const index = options.index ?? (await indexFor(options, embedder, retriever));
  validateDataset(dataset, mapOfIndex(index));
  if (retriever !== 'bm25') {
    for (const [id, corpus] of index.corpora) {
      if (!corpus.embedder && dataset.some((q) => q.corpusId === id)) throw new ChunkwiseError('INVALID_ARGUMENT', `The ${retriever} retriever needs an index built with an embedder; corpus ${JSON.stringify(id)} has none.`);
    }
  }
  const tokenizer = budgetTokens === undefined ? undefined : memoizedCount(options.tokenizer ?? (await resolveTokenizer('o200k_base')));
  const depth = Math.max(k ?? 0, budgetTokens === undefined ? 0 : candidates, RANK_DEPTH);

  const searchStart = performance.now();
  const queryVectors = retriever === 'bm25' ? [] : await embedQuestions(dataset, index, signal);
  const progress = createProgress(onProgress, 'evaluate', { total: dataset.length, unit: 'questions', throttleMs: 100 });
  const questions: QuestionResult[] = dataset.map((q, i) => {
    throwIfAborted(signal);
    const corpus = index.corpora.get(q.corpusId) as IndexedCorpus;
    const ranked = rank(corpus, q.question, queryVectors[i], retriever, depth, { ...fusion, depth: Math.max(k ?? 0, fusion.depth) });
    const relevantIds = touchingIndices(corpus.chunks, q.references).map(String);
    let retrieved: Span[];
    let tokens: number;
    if (budgetTokens === undefined) {
      const top = ranked.slice(0, k).map((h) => corpus.chunks[Number(h.id)]!);
      retrieved = top.map(({ start, end }) => ({ start, end }));
      tokens = top.reduce((sum, c) => sum + c.tokenCount, 0);
    } else {
      const hits: ContextHit[] = ranked.slice(0, candidates).map((h) => {
        const chunk = corpus.chunks[Number(h.id)]!;
        return { id: h.id, score: h.score, text: chunk.text, docId: q.corpusId, start: chunk.start, end: chunk.end, chunkIndex: Number(h.id) };
      });
      const context = selectContext(hits, { budgetTokens, tokenizer: tokenizer as Tokenizer, strategy: contextStrategy, ...(k !== undefined ? { k } : {}) });
      retrieved = context.passages.map((p) => ({ start: p.start as number, end: p.end as number }));
      tokens = context.tokens;
    }
    progress.advance();
    return {
      question: q.question,
      corpusId: q.corpusId,
      retrieved,
      ...spanScores(retrieved, q.references),
      precisionOmega: precisionOmega(corpus.chunks, q.references),
      tokens,
      reciprocalRank: reciprocalRankAtK(ranked.map((h) => h.id), relevantIds, RANK_DEPTH),
    };
  });
  progress.finish();
  const searchMs = performance.now() - searchStart;
  const used = new Set(dataset.map((q) => q.corpusId));
  let chunks = 0;
  for (const [id, corpus] of index.corpora) if (used.has(id)) chunks += corpus.chunks.length;
  return {
    questions,
    mean: summarize(questions, mean),
    std: summarize(questions, standardDeviation),
    chunks,
    timings: { chunkMs: index.chunkMs, bm25Ms: index.bm25Ms, embedMs: index.embedMs, searchMs },
  };
}

/** Each question embedded by its corpus' embedder, one call per corpus. */
async function embedQuestions(dataset: readonly EvalQuestion[], index: ChunkIndex, signal: AbortSignal | undefined): Promise<Float32Array[]> {
  const vectors: Float32Array[] = new Array(dataset.length);
  for (const [id, corpus] of index.corpora) {
    const positions = dataset.flatMap((q, i) => (q.corpusId === id ? [i] : []));
    if (positions.length === 0) continue;
    const embedded = await (corpus.embedder as Embedder).embed(positions.map((i) => (dataset[i] as EvalQuestion).question), signal ? { signal } : {});
    positions.forEach((position, j) => (vectors[position] = embedded[j] as Float32Array));
  }
  return vectors;
}

async function indexFor(options: EvaluateRetrievalOptions, embedder: EmbedderSource | undefined, retriever: RetrieverName): Promise<ChunkIndex> {
  const { corpora, chunker, dataset, signal, onProgress } = options;
  if (!corpora || !chunker) throw new ChunkwiseError('INVALID_ARGUMENT', 'evaluateRetrieval needs corpora and a chunker, or an index from buildChunkIndex.');
  const ids = [...new Set(dataset.map((q) => q.corpusId))];
  for (const id of ids) {
    if (corpusText(corpora, id) === undefined) {
      const row = dataset.findIndex((q) => q.corpusId === id) + 1;
      throw new ChunkwiseError('INVALID_ARGUMENT', `question ${row}: no corpus named ${JSON.stringify(id)}.`, { details: { corpusId: id } });
    }
  }
  return buildChunkIndex({ corpora, chunker, corpusIds: ids, ...(retriever !== 'bm25' && embedder ? { embedder } : {}), ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}) });
}

function mapOfIndex(index: ChunkIndex): Map<string, string> {
  return new Map([...index.corpora].map(([id, corpus]) => [id, corpus.text]));
}

interface Fusion {
  /** Hits of each ranking fused. */
  depth: number;
  weights: readonly [number, number] | undefined;
  rrfK: number;
}

function fusionOptions(options: EvaluateRetrievalOptions): Fusion {
  const { fusionDepth = 10, weights, rrfK = 60 } = options;
  if (typeof fusionDepth !== 'number' || !Number.isInteger(fusionDepth) || fusionDepth < 1) throw new ChunkwiseError('INVALID_ARGUMENT', `fusionDepth must be a positive integer, got ${describeValue(fusionDepth)}.`);
  if (typeof rrfK !== 'number' || !Number.isFinite(rrfK) || rrfK < 0) throw new ChunkwiseError('INVALID_ARGUMENT', `rrfK must be a finite number ≥ 0, got ${describeValue(rrfK)}.`);
  if (weights !== undefined && (!Array.isArray(weights) || weights.length !== 2 || !weights.every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0))) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `weights must be two finite numbers ≥ 0 (BM25, dense), got ${describeValue(weights)}.`);
  }
  return { depth: fusionDepth, weights, rrfK };
}

/**
 * The retriever's ranking of a corpus' chunks for one question, best first. Hybrid fuses each
 * ranking's top `fusion.depth` as `ChunkwiseRetriever` does, so its figures are the hybrid a user gets.
 */
function rank(corpus: IndexedCorpus, question: string, vector: Float32Array | undefined, retriever: RetrieverName, depth: number, fusion: Fusion): ScoredId[] {
  const lexical = (k: number) => corpus.bm25.search(question, { k });
  const dense = (k: number) => (vector === undefined || isZero(vector) || !corpus.vectors || corpus.vectors.size === 0 ? [] : corpus.vectors.search(vector, { k }));
  if (retriever === 'bm25') return lexical(depth);
  if (retriever === 'dense') return dense(depth);
  const lists = [lexical(fusion.depth), dense(fusion.depth)];
  return reciprocalRankFusion(lists, { k: fusion.rrfK, limit: depth, ...(fusion.weights && { weights: fusion.weights }) });
}

/**
 * The tokenizer with `count` remembered per text: every question offers `selectContext` up to
 * `candidates` chunks, mostly the same ones, and recounting them dominated the run (30 ms per
 * question at 800-token chunks). Only the counts are cached; results are identical.
 */
function memoizedCount(tokenizer: Tokenizer): Tokenizer {
  const counts = new Map<string, number>();
  const memo: Tokenizer = {
    name: tokenizer.name,
    encode: (text) => tokenizer.encode(text),
    decode: (ids) => tokenizer.decode(ids),
    count: (text) => {
      let n = counts.get(text);
      if (n === undefined) {
        if (counts.size >= 100_000) counts.clear();
        counts.set(text, (n = tokenizer.count(text)));
      }
      return n;
    },
  };
  return memo;
}

function summarize(questions: readonly QuestionResult[], reduce: (values: number[]) => number): MetricSummary {
  const of = (key: keyof MetricSummary) => reduce(questions.map((q) => q[key]));
  return { recall: of('recall'), precision: of('precision'), iou: of('iou'), precisionOmega: of('precisionOmega'), tokens: of('tokens'), reciprocalRank: of('reciprocalRank') };
}
