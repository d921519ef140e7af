import type { ContextStrategy } from '@chunkwise/retrieval';
import type { RetrieverName } from '@chunkwise/eval';

/**
 * The defaults of `digest`, `index`, `chunk`, `search` and `ask`, chosen from the quality table in
 * docs/benchmarks.md#quality (`pnpm bench quality`, rerun after hybrid fused 10-deep lists; 320
 * questions, RULER needles and held-out sentences from Moby Dick and the SOTU addresses; chosen on the tune half, figures from
 * the test half, mean recall at a 1,200-token budget, standard error about ±0.022):
 *
 * - recursive chunks of 200 tokens: 0.606 (synthetic 0.977, held-out 0.235) against 0.591 for the
 *   512-token chunks used before (synthetic 0.855, held-out 0.327); 400 tokens 0.606, 800 0.509;
 * - no overlap: 1/8 overlap 0.627 vs 0.606 at 200 tokens, inside the noise, for 11% more chunks;
 * - BM25: hybrid (RRF of the top 10 of BM25 and GloVe + SIF, weights 1 : 0.5) 0.642 with top-k
 *   (0.613 at 1 : 1) and dense 0.137 on the same chunks, against BM25's 0.606 (score-drop) and 0.636
 *   (top-k; quality and quality-retrievers in docs/benchmarks.md): no better beyond the
 *   noise, so hybrid is opt-in (`--retriever hybrid`), never the default, with the only offline
 *   embedder there is;
 * - score-drop into 1,200 tokens, no cap on the number of passages: 0.606 at 832 tokens, where
 *   top-k gives 0.636 at 1,153 and knapsack 0.611 at 1,179 (28% more context for ≤ 1.4 standard
 *   errors); CORAG-style search 0.615 at 1,054. The context is filled from the 50 best-ranked chunks, as
 *   in the table.
 */
export const QUALITY_DEFAULTS = {
  strategy: 'recursive',
  maxTokens: 200,
  overlap: 0,
  retriever: 'bm25' satisfies RetrieverName,
  contextStrategy: 'score-drop' satisfies ContextStrategy,
  budgetTokens: 1200,
  candidates: 50,
  /** Hybrid fuses BM25's and dense's top 10 (quality-retrievers' fusion table), never the 50 candidates. */
  fusionDepth: 10,
  /** Hybrid's RRF weights, BM25 : dense, chosen on tune in quality-retrievers' fusion table (test 0.642 vs 0.613 at 1 : 1). */
  fusionWeights: [1, 0.5] as const,
} as const;

/**
 * The context strategy when `--strategy` is not given: score-drop for BM25 (the table's choice), top-k
 * for dense and hybrid. Reciprocal-rank-fusion scores fall smoothly with rank, so score-drop cuts
 * a hybrid context short: recursive 200 · hybrid · score-drop 0.291 (489 context tokens) against
 * hybrid · top-k 0.613 (1,147 tokens) on the test split of `pnpm bench quality`.
 */
export function contextStrategyFor(retriever: RetrieverName): ContextStrategy {
  return retriever === 'bm25' ? QUALITY_DEFAULTS.contextStrategy : 'top-k';
}

/** The `--strategy` help's default, as `contextStrategyFor` chooses it. */
export const CONTEXT_STRATEGY_DEFAULT_HELP = `${QUALITY_DEFAULTS.contextStrategy} with bm25, top-k with dense and hybrid`;
