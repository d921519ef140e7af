import { ChunkwiseError, throwIfAborted, type Embedder } from '@chunkwise/core';
import { BM25Index } from '@chunkwise/retrieval';
import { citationOf, indexPassages, type PassageIndex, type PassageUnit } from './answer-passages.js';
import type { AnswerPassage, Citation } from './answer-types.js';
import { questionCoverage } from './question-focus.js';
import { contentTerms, cosine, vectorsFromIds } from './term-vectors.js';

export interface ExtractiveAnswerOptions {
  targetWords: number;
  minRelevance: number;
  minSimilarity: number;
  lambda: number;
  embedder?: Embedder | undefined;
  signal?: AbortSignal | undefined;
}

export interface ExtractiveAnswer {
  text: string;
  citations: Citation[];
  answered: boolean;
}

/** What an extractive answer says when no sentence of the passages is relevant to the question. */
export const NOTHING_RELEVANT = 'None of the passages answers this question.';

const EMBED_BATCH = 256;

/**
 * The offline answer: every sentence of the passages scored against the question by BM25 (Robertson
 * & Zaragoza 2009; `@chunkwise/retrieval`'s exact index over the sentences) and, with an embedder,
 * by cosine similarity; sentences matching less than `minRelevance` of the question's weight (idf
 * of its content terms) are not evidence. MMR (Carbonell & Goldstein 1998) picks relevant,
 * non-redundant sentences up to `targetWords`; they are quoted in source order, each followed by
 * its citation, so every sentence of the answer is a sentence of a passage. Nothing relevant: the
 * answer says so and cites nothing, rather than quoting the least irrelevant text.
 */
export async function extractiveAnswer(question: string, passages: readonly AnswerPassage[], options: ExtractiveAnswerOptions): Promise<ExtractiveAnswer> {
  const answer = await answerFrom(question, indexPassages(passages), options);
  if (answer !== 'too-long') return answer;
  // Every relevant sentence is longer than the target: answer with pieces of them.
  const pieceWords = Math.max(1, Math.min(40, options.targetWords));
  const pieces = await answerFrom(question, indexPassages(passages, pieceWords, pieceWords), options);
  return pieces === 'too-long' ? nothing() : pieces;
}

async function answerFrom(question: string, index: PassageIndex, options: ExtractiveAnswerOptions): Promise<ExtractiveAnswer | 'too-long'> {
  const { units } = index;
  if (units.length === 0) return nothing();
  throwIfAborted(options.signal);

  const lexical = lexicalScores(question, index);
  const embedded = options.embedder ? await embedAll(question, index, options.embedder, options.signal) : undefined;
  const similarity = embedded?.toQuestion;
  throwIfAborted(options.signal);

  const candidates: number[] = [];
  let topLexical = 0;
  for (let i = 0; i < units.length; i++) {
    const relevant =
      (lexical.bm25[i]! > 0 && lexical.coverage[i]! >= options.minRelevance) ||
      (similarity !== undefined && similarity[i]! >= options.minSimilarity);
    if (!relevant) continue;
    candidates.push(i);
    topLexical = Math.max(topLexical, lexical.bm25[i]!);
  }
  if (candidates.length === 0) return nothing();
  const relevance = candidates.map((i) => {
    const bm25 = topLexical > 0 ? lexical.bm25[i]! / topLexical : 0;
    return (similarity ? 0.5 * bm25 + 0.5 * Math.max(0, similarity[i]!) : bm25) * evidenceQuality(units[i]!);
  });

  // Redundancy by embeddings when there are some, else by TF-IDF vectors of the candidates.
  let similarityOf: (a: number, b: number) => number;
  if (embedded) {
    similarityOf = (a, b) => cosineOf(embedded.units[candidates[a]!]!, embedded.units[candidates[b]!]!);
  } else {
    const vectors = vectorsFromIds(candidates.map((i) => index.tokens.terms[i]!), index.tokens.vocabulary.length);
    similarityOf = (a, b) => cosine(vectors, a, b);
  }
  const picked = selectEvidence(candidates, relevance, index, options, similarityOf);
  if (picked.length === 0) return 'too-long';
  picked.sort((a, b) => index.units[a]!.passage - index.units[b]!.passage || index.units[a]!.span.start - index.units[b]!.span.start);
  const citations = picked.map((i, k) => citationOf(k + 1, index.passages[index.units[i]!.passage]!, index.units[i]!.span));
  const text = picked.map((i, k) => `${index.units[i]!.text.replace(/\s+/g, ' ')} [${k + 1}]`).join(' ');
  return { text, citations, answered: true };
}

/**
 * Greedy MMR over the candidates: the next sentence maximises λ·relevance − (1−λ)·(its largest
 * similarity to a sentence already picked), among those that still fit the word ceiling.
 */
function selectEvidence(
  candidates: readonly number[],
  relevance: readonly number[],
  index: PassageIndex,
  options: ExtractiveAnswerOptions,
  similarityOf: (a: number, b: number) => number,
): number[] {
  const n = candidates.length;
  const available = new Uint8Array(n).fill(1);
  const maxSimilarity = new Float64Array(n);
  const picked: number[] = [];
  let total = 0;
  for (;;) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      if (!available[k]) continue;
      if (total + index.units[candidates[k]!]!.words > options.targetWords) {
        available[k] = 0;
        continue;
      }
      const score = options.lambda * relevance[k]! - (1 - options.lambda) * maxSimilarity[k]!;
      if (score > bestScore) {
        bestScore = score;
        best = k;
      }
    }
    if (best < 0) break;
    available[best] = 0;
    picked.push(candidates[best]!);
    total += index.units[candidates[best]!]!.words;
    for (let k = 0; k < n; k++) {
      if (!available[k]) continue;
      maxSimilarity[k] = Math.max(maxSimilarity[k]!, similarityOf(k, best));
    }
  }
  return picked;
}

/** BM25 of every sentence against the question, and the share of the question's weight each matches (`questionCoverage`). */
function lexicalScores(question: string, index: PassageIndex): { bm25: Float64Array; coverage: Float64Array } {
  const n = index.units.length;
  const bm25 = new Float64Array(n);
  const { coverage, hasTerms } = questionCoverage(question, index.tokens, index.idf);
  if (!hasTerms) return { bm25, coverage };
  const bm25Index = new BM25Index({ analyzer: contentTerms });
  index.units.forEach((unit, i) => bm25Index.add(String(i), unit.text));
  for (const hit of bm25Index.search(question, { k: n })) bm25[Number(hit.id)] = hit.score;
  return { bm25, coverage };
}

/** Every sentence embedded, and the cosine similarity of each to the question. */
async function embedAll(
  question: string,
  index: PassageIndex,
  embedder: Embedder,
  signal: AbortSignal | undefined,
): Promise<{ units: Float32Array[]; toQuestion: Float64Array }> {
  const texts = [question, ...index.units.map((unit) => unit.text)];
  const vectors: Float32Array[] = [];
  for (let at = 0; at < texts.length; at += EMBED_BATCH) {
    throwIfAborted(signal);
    const batch = texts.slice(at, at + EMBED_BATCH);
    const embedded = await embedder.embed(batch, signal ? { signal } : {});
    if (!Array.isArray(embedded) || embedded.length !== batch.length) {
      throw new ChunkwiseError('UPSTREAM', `The embedder returned ${Array.isArray(embedded) ? embedded.length : 'no'} vectors for ${batch.length} texts.`);
    }
    vectors.push(...embedded);
  }
  const [q, ...units] = vectors;
  const toQuestion = new Float64Array(units.length);
  units.forEach((vector, i) => {
    if (!(vector instanceof Float32Array)) throw new ChunkwiseError('UPSTREAM', 'The embedder returned something other than Float32Array vectors.');
    toQuestion[i] = cosineOf(q!, vector);
  });
  return { units, toQuestion };
}

function cosineOf(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new ChunkwiseError('DIMENSION_MISMATCH', `The embedder returned vectors of ${a.length} and ${b.length} dimensions.`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * BM25 favours short lines (length normalisation): a heading or an exclamation that repeats a name
 * of the question outranks the sentence that says something about it. Sentences under 12 words are
 * weighted in proportion, and lines without sentence punctuation (headings, list items) by half.
 */
function evidenceQuality(unit: PassageUnit): number {
  return Math.min(1, unit.words / FULL_WEIGHT_WORDS) * (TERMINATED.test(unit.text) ? 1 : 0.5);
}

const FULL_WEIGHT_WORDS = 12;
const TERMINATED = /[.!?…]["'”’)\]]*$/u;

function nothing(): ExtractiveAnswer {
  return { text: NOTHING_RELEVANT, citations: [], answered: false };
}
