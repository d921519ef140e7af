import { describeValue, invalid, requireInteger, requireStrings } from './argument-checks.js';

/** Relevant ids, or ids with graded gains (> 0 is relevant) for nDCG. */
export type Relevance = Iterable<string> | ReadonlyMap<string, number>;

function gains(relevant: Relevance): Map<string, number> {
  if (relevant instanceof Map) {
    for (const [id, gain] of relevant as ReadonlyMap<unknown, unknown>) {
      if (typeof id !== 'string') invalid(`Relevant ids must be strings, got ${describeValue(id)}.`);
      if (typeof gain !== 'number' || !Number.isFinite(gain) || gain < 0) invalid(`The gain of ${describeValue(id)} must be a finite number ≥ 0, got ${describeValue(gain)}.`);
    }
    return new Map([...(relevant as ReadonlyMap<string, number>)].filter(([, gain]) => gain > 0));
  }
  // A string is iterable too, but as relevant ids it would be its characters.
  if (typeof relevant !== 'object' || relevant === null || typeof (relevant as Iterable<string>)[Symbol.iterator] !== 'function') {
    invalid(`relevant must be ids (an array or a Set of strings) or a Map of id → gain, got ${describeValue(relevant)}.`);
  }
  const ids: unknown[] = [...(relevant as Iterable<unknown>)];
  requireStrings(ids, 'Relevant ids');
  return new Map((ids as string[]).map((id) => [id, 1]));
}

/** The first k distinct ids of a ranking (a repeated id counts at its best rank only). */
function topK(ranked: readonly string[], k: number): string[] {
  requireStrings(ranked, 'The ranking');
  requireInteger(k, 'k', 1);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of ranked) {
    if (out.length === k) break;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  return out;
}

/** 1 when any of the first k ids is relevant, else 0. */
export function hitAtK(ranked: readonly string[], relevant: Relevance, k: number): number {
  const rel = gains(relevant);
  return topK(ranked, k).some((id) => rel.has(id)) ? 1 : 0;
}

/** Share of the relevant ids found in the first k (0 when nothing is relevant). */
export function recallAtK(ranked: readonly string[], relevant: Relevance, k: number): number {
  const rel = gains(relevant);
  if (rel.size === 0) return 0;
  return topK(ranked, k).filter((id) => rel.has(id)).length / rel.size;
}

/** 1 / rank of the first relevant id within the first k, else 0; its mean over queries is MRR@k. */
export function reciprocalRankAtK(ranked: readonly string[], relevant: Relevance, k: number): number {
  const rel = gains(relevant);
  const index = topK(ranked, k).findIndex((id) => rel.has(id));
  return index < 0 ? 0 : 1 / (index + 1);
}

/**
 * nDCG@k (Järvelin & Kekäläinen 2002) with linear gains, as trec_eval computes it:
 * DCG = Σᵢ gainᵢ / log₂(i + 1) over ranks i = 1..k, divided by the DCG of the ideal ordering of
 * all relevant ids. Binary relevance uses gain 1. 0 when nothing is relevant.
 */
export function ndcgAtK(ranked: readonly string[], relevant: Relevance, k: number): number {
  const rel = gains(relevant);
  let dcg = 0;
  topK(ranked, k).forEach((id, i) => (dcg += (rel.get(id) ?? 0) / Math.log2(i + 2)));
  const ideal = [...rel.values()].sort((a, b) => b - a).slice(0, k);
  let idcg = 0;
  ideal.forEach((gain, i) => (idcg += gain / Math.log2(i + 2)));
  return idcg === 0 ? 0 : dcg / idcg;
}

export interface RankingScores {
  hit: number;
  recall: number;
  reciprocalRank: number;
  ndcg: number;
}

/** All four ranking metrics at one k. */
export function rankingScores(ranked: readonly string[], relevant: Relevance, k: number): RankingScores {
  const rel = gains(relevant);
  return { hit: hitAtK(ranked, rel, k), recall: recallAtK(ranked, rel, k), reciprocalRank: reciprocalRankAtK(ranked, rel, k), ndcg: ndcgAtK(ranked, rel, k) };
}
