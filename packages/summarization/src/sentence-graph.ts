import type { TermVectors } from './term-vectors.js';

export type RankingAlgorithm = 'lexrank' | 'textrank';

/** Undirected weighted graph in compressed rows (each edge stored in both directions). */
interface SentenceGraph {
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
}

/**
 * LexRank's cosine threshold (Erkan & Radev 2004 §3.3 found 0.1 best): weaker links are noise and
 * keeping them makes the graph dense.
 */
const LEXRANK_THRESHOLD = 0.1;
const DAMPING = 0.85;
const TOLERANCE = 1e-9;
const MAX_ITERATIONS = 200;

/**
 * Edges between every pair of sentences that share a term, found through an inverted index so the
 * cost is Σ df² over terms rather than n² dot products.
 * - lexrank: continuous LexRank, weight = cosine of TF-IDF vectors, kept when ≥ 0.1.
 * - textrank: Mihalcea & Tarau 2004 §4.1, weight = |Si ∩ Sj| / (ln|Si| + ln|Sj|).
 */
function buildGraph(vectors: TermVectors, algorithm: RankingAlgorithm): SentenceGraph {
  const n = vectors.terms.length;
  const postingsStart = new Int32Array(vectors.vocabularySize + 1);
  for (const ids of vectors.terms) for (const id of ids) postingsStart[id + 1]!++;
  for (let t = 0; t < vectors.vocabularySize; t++) postingsStart[t + 1]! += postingsStart[t]!;
  const fill = postingsStart.slice(0, vectors.vocabularySize);
  const postingSentence = new Int32Array(postingsStart[vectors.vocabularySize]!);
  const postingWeight = new Float64Array(postingSentence.length);
  for (let i = 0; i < n; i++) {
    const ids = vectors.terms[i]!;
    const w = vectors.weights[i]!;
    for (let k = 0; k < ids.length; k++) {
      const at = fill[ids[k]!]!++;
      postingSentence[at] = i;
      postingWeight[at] = w[k]!;
    }
  }

  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  const accumulator = new Float64Array(n);
  const touched: number[] = [];
  for (let i = 0; i < n; i++) {
    const ids = vectors.terms[i]!;
    const w = vectors.weights[i]!;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k]!;
      // Postings are in sentence order: only partners after i, so each pair is visited once.
      for (let p = postingsStart[id + 1]! - 1; p >= postingsStart[id]!; p--) {
        const j = postingSentence[p]!;
        if (j <= i) break;
        if (accumulator[j] === 0) touched.push(j);
        accumulator[j] = accumulator[j]! + (algorithm === 'lexrank' ? w[k]! * postingWeight[p]! : 1);
      }
    }
    for (const j of touched) {
      const value = accumulator[j]!;
      accumulator[j] = 0;
      let edge: number;
      if (algorithm === 'lexrank') {
        edge = value >= LEXRANK_THRESHOLD ? value : 0;
      } else {
        const norm = Math.log(vectors.termCounts[i]!) + Math.log(vectors.termCounts[j]!);
        edge = norm > 0 ? value / norm : 0;
      }
      if (edge > 0) {
        from.push(i);
        to.push(j);
        weight.push(edge);
      }
    }
    touched.length = 0;
  }

  const degree = new Int32Array(n + 1);
  for (let e = 0; e < from.length; e++) {
    degree[from[e]! + 1]!++;
    degree[to[e]! + 1]!++;
  }
  for (let i = 0; i < n; i++) degree[i + 1]! += degree[i]!;
  const offsets = degree;
  const cursor = offsets.slice(0, n);
  const targets = new Int32Array(offsets[n]!);
  const weights = new Float64Array(offsets[n]!);
  for (let e = 0; e < from.length; e++) {
    const a = from[e]!;
    const b = to[e]!;
    targets[cursor[a]!] = b;
    weights[cursor[a]!++] = weight[e]!;
    targets[cursor[b]!] = a;
    weights[cursor[b]!++] = weight[e]!;
  }
  return { offsets, targets, weights };
}

/**
 * Centrality of each sentence: PageRank (damping 0.85) over the weighted sentence graph by power
 * iteration. Isolated sentences spread their mass uniformly (the dangling-node fix), so the scores
 * always sum to 1 and the iteration converges. Deterministic: no randomness, fixed order.
 */
export function rankSentences(vectors: TermVectors, algorithm: RankingAlgorithm = 'lexrank'): Float64Array {
  const n = vectors.terms.length;
  if (n === 0) return new Float64Array(0);
  const graph = buildGraph(vectors, algorithm);
  const strength = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let e = graph.offsets[i]!; e < graph.offsets[i + 1]!; e++) strength[i]! += graph.weights[e]!;
  }
  let rank = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    let dangling = 0;
    for (let i = 0; i < n; i++) if (strength[i] === 0) dangling += rank[i]!;
    const base = (1 - DAMPING) / n + (DAMPING * dangling) / n;
    next.fill(base);
    for (let i = 0; i < n; i++) {
      if (strength[i] === 0) continue;
      const share = (DAMPING * rank[i]!) / strength[i]!;
      for (let e = graph.offsets[i]!; e < graph.offsets[i + 1]!; e++) next[graph.targets[e]!]! += share * graph.weights[e]!;
    }
    let change = 0;
    for (let i = 0; i < n; i++) change += Math.abs(next[i]! - rank[i]!);
    [rank, next] = [next, rank];
    if (change < TOLERANCE) break;
  }
  return rank;
}
