import { ChunkwiseError } from '@chunkwise/core';
import { simpleAnalyzer } from '../analyzers/simple.js';
import { describeValue, optionalFunction, optionsObject, requireArray, requireObject, requireString } from '../argument-checks.js';
import { expandHits, type Unit } from './expand.js';
import { knapsack } from './knapsack.js';
import { mctsSelect, mctsSelectAsync, type MCTSOptions } from './mcts-search.js';
import { CONTEXT_STRATEGIES, type ContextHit, type ContextPassage, type ContextResult, type ContextUtility, type SelectContextAsyncOptions, type SelectContextOptions } from './types.js';

const collator = new Intl.Collator('en', { numeric: true });

/**
 * Picks passages for a prompt under a hard token budget and returns them in document order with
 * citations. Strategies:
 * - 'top-k': best first, skipping any passage that no longer fits.
 * - 'score-drop': SAGE (arXiv 2503.01713) §3: cut where the sorted relevance falls sharply rather
 *   than at a fixed k; `threshold` (fraction of the top score, default 0.25) and `minCount` (1).
 * - 'knapsack': the subset with the largest total score that fits (0/1 knapsack).
 * - 'search': CORAG-style Monte Carlo tree search with a pluggable utility.
 * The budget covers the passages and the separators between them, and the final joined text is
 * counted again with the tokenizer: if merges across a separator ever made it longer, the weakest
 * passage is dropped until it fits.
 */
export function selectContext(hits: readonly ContextHit[], options: SelectContextOptions): ContextResult {
  const plan = prepare(hits, options);
  const chosen = options.strategy === 'search' ? searchCombinations(plan, options.search, (pool, costs, mcts, utility) => mctsSelect(pool, costs, mcts, utility)) : choose(plan, options);
  return finish(plan, chosen, options);
}

/**
 * selectContext with a utility for the 'search' strategy that may be asynchronous, e.g. a
 * cross-encoder or LLM reranker scoring each combination: the tree search awaits one evaluation at
 * a time (each combination is evaluated once). Other strategies behave exactly as in selectContext.
 */
export async function selectContextAsync(hits: readonly ContextHit[], options: SelectContextAsyncOptions): Promise<ContextResult> {
  const plan = prepare(hits, options);
  const chosen =
    options.strategy === 'search'
      ? await searchCombinations(plan, options.search, (pool, costs, mcts, utility) => mctsSelectAsync(pool, costs, mcts, utility))
      : choose(plan, options);
  return finish(plan, chosen, options);
}

interface Plan {
  passages: ContextPassage[];
  costs: number[];
  capacity: number;
  budgetTokens: number;
  k: number;
}

function prepare(hits: readonly ContextHit[], options: SelectContextOptions | SelectContextAsyncOptions): Plan {
  requireObject(options, 'selectContext options');
  const { budgetTokens, tokenizer, strategy = 'top-k', separator = '\n\n' } = options;
  if (typeof budgetTokens !== 'number' || !Number.isInteger(budgetTokens) || budgetTokens < 1) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `budgetTokens must be a positive integer, got ${describeValue(budgetTokens)}.`);
  }
  if (tokenizer === null || typeof tokenizer !== 'object' || typeof tokenizer.count !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', 'selectContext needs a tokenizer with count(text).');
  if (typeof strategy !== 'string' || !(CONTEXT_STRATEGIES as readonly string[]).includes(strategy)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `Unknown strategy ${describeValue(strategy)}: use ${CONTEXT_STRATEGIES.map((name) => `'${name}'`).join(', ')}.`);
  }
  const k = options.k ?? Number.POSITIVE_INFINITY;
  if (typeof k !== 'number' || !(k >= 1)) throw new ChunkwiseError('INVALID_ARGUMENT', `k must be ≥ 1, got ${describeValue(k)}.`);
  requireString(separator, 'separator');
  checkStrategyOptions(options);
  for (const hit of requireArray<ContextHit>(hits, 'The hits')) {
    if (hit === null || typeof hit !== 'object' || typeof hit.id !== 'string' || typeof hit.text !== 'string' || typeof hit.score !== 'number' || !Number.isFinite(hit.score)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `Each hit needs a string id, a text string and a finite score, got ${describeValue(hit)}${hit !== null && typeof hit === 'object' && typeof hit.id === 'string' ? ` ("${hit.id}")` : ''}.`);
    }
    for (const key of ['start', 'end', 'chunkIndex'] as const) {
      if (hit[key] !== undefined && (typeof hit[key] !== 'number' || !Number.isFinite(hit[key]))) throw new ChunkwiseError('INVALID_ARGUMENT', `${key} of hit "${hit.id}" must be a finite number.`);
    }
    if (hit.docId !== undefined && typeof hit.docId !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `docId of hit "${hit.id}" must be a string.`);
  }
  const count = (text: string): number => {
    const n = tokenizer.count(text);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new ChunkwiseError('INVALID_ARGUMENT', `tokenizer.count must return an integer ≥ 0, got ${describeValue(n)}.`);
    return n;
  };
  const units = expandHits(hits, options.expand);
  const passages: ContextPassage[] = units.map((u: Unit) => ({ ...u, tokens: count(u.text) }));
  const separatorTokens = count(separator);
  // n passages need n − 1 separators: charge one per passage and grant one extra.
  const costs = passages.map((p) => p.tokens + separatorTokens);
  return { passages, costs, capacity: budgetTokens + separatorTokens, budgetTokens, k };
}

/** The nested options of the strategies and of expansion, checked before any work. */
function checkStrategyOptions(options: SelectContextOptions | SelectContextAsyncOptions): void {
  const { threshold = 0.25, minCount = 1 } = optionsObject(options.scoreDrop, 'scoreDrop');
  if (typeof threshold !== 'number' || !(threshold >= 0)) throw new ChunkwiseError('INVALID_ARGUMENT', `scoreDrop.threshold must be ≥ 0, got ${describeValue(threshold)}.`);
  if (typeof minCount !== 'number' || !Number.isInteger(minCount) || minCount < 0) throw new ChunkwiseError('INVALID_ARGUMENT', `scoreDrop.minCount must be an integer ≥ 0, got ${describeValue(minCount)}.`);
  const search = optionsObject(options.search, 'search');
  for (const key of ['iterations', 'exploration', 'lengthPenalty', 'maxCandidates'] as const) {
    const value = search[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) throw new ChunkwiseError('INVALID_ARGUMENT', `search.${key} must be a finite number ≥ 0, got ${describeValue(value)}.`);
  }
  optionalFunction(search.utility, 'search.utility');
  const expand = optionsObject(options.expand, 'expand');
  if (expand.neighbours !== undefined && (typeof expand.neighbours !== 'number' || !Number.isInteger(expand.neighbours) || expand.neighbours < 0)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `expand.neighbours must be an integer ≥ 0, got ${describeValue(expand.neighbours)}.`);
  }
  optionalFunction(expand.chunks, 'expand.chunks');
  optionalFunction(expand.parent, 'expand.parent');
}

/** The synchronous strategies. */
function choose({ passages, costs, capacity, k }: Plan, options: SelectContextOptions | SelectContextAsyncOptions): number[] {
  switch (options.strategy ?? 'top-k') {
    case 'score-drop': {
      const { threshold = 0.25, minCount = 1 } = options.scoreDrop ?? {};
      let cut = passages.length;
      const top = Math.abs(passages[0]?.score ?? 0);
      for (let i = 1; i < passages.length; i++) {
        const drop = (passages[i - 1] as ContextPassage).score - (passages[i] as ContextPassage).score;
        if (i >= minCount && drop > threshold * top) {
          cut = i;
          break;
        }
      }
      return greedy(passages.slice(0, cut).map((_, i) => i), costs, capacity, k);
    }
    case 'knapsack': {
      const chosen = knapsack(passages.map((p) => p.score), costs, capacity);
      return chosen.length > k ? chosen.sort((a, b) => a - b).slice(0, k) : chosen;
    }
    default:
      return greedy(passages.map((_, i) => i), costs, capacity, k);
  }
}

/**
 * The 'search' strategy's options resolved, with the MCTS call (sync or async) left to the caller.
 * The tree combines the best `maxCandidates` passages; its greedy seed and `k` see them all.
 */
function searchCombinations<U, R extends number[] | Promise<number[]>>(
  { passages, costs, capacity, budgetTokens, k }: Plan,
  search: { iterations?: number; exploration?: number; lengthPenalty?: number; maxCandidates?: number; utility?: U } | undefined,
  run: (pool: ContextPassage[], costs: number[], options: MCTSOptions, utility: U | ContextUtility) => R,
): R {
  const { iterations = 200, exploration = 1.41, lengthPenalty = 1, maxCandidates = 16, utility = redundancyDiscountedUtility } = search ?? {};
  const maxPassages = Number.isFinite(k) ? k : passages.length;
  return run(passages, costs, { iterations, exploration, lengthPenalty, capacity, budget: budgetTokens, poolSize: maxCandidates, maxPassages }, utility);
}

/** Document order, then the final count of the joined text (dropping the weakest passage while over budget). */
function finish({ passages, budgetTokens }: Plan, chosen: number[], options: SelectContextOptions | SelectContextAsyncOptions): ContextResult {
  const { tokenizer, separator = '\n\n' } = options;
  let selected = chosen.map((i) => passages[i] as ContextPassage).sort(documentOrder);
  let text = selected.map((p) => p.text).join(separator);
  let tokens = tokenizer.count(text);
  while (tokens > budgetTokens && selected.length > 0) {
    const weakest = selected.reduce((w, p) => (p.score < w.score ? p : w));
    selected = selected.filter((p) => p !== weakest);
    text = selected.map((p) => p.text).join(separator);
    tokens = tokenizer.count(text);
  }
  return { passages: selected, text, tokens, budgetTokens };
}

function greedy(order: number[], costs: readonly number[], capacity: number, k: number): number[] {
  const chosen: number[] = [];
  let used = 0;
  for (const i of order) {
    if (chosen.length >= k) break;
    const cost = costs[i] as number;
    if (used + cost > capacity) continue;
    chosen.push(i);
    used += cost;
  }
  return chosen;
}

function documentOrder(a: ContextPassage, b: ContextPassage): number {
  const byDoc = collator.compare(a.docId ?? '', b.docId ?? '');
  if (byDoc !== 0) return byDoc;
  const byStart = (a.start ?? 0) - (b.start ?? 0);
  return byStart !== 0 ? byStart : collator.compare(a.id, b.id);
}

/**
 * The default utility for 'search': the summed scores, each discounted by how much of its wording
 * an earlier (better) passage already covers. Adding a near-duplicate can therefore lower the
 * utility, which is the non-monotonic case CORAG's search is built for.
 */
export const redundancyDiscountedUtility: ContextUtility = (passages) => {
  for (const p of requireArray<ContextPassage>(passages, 'The passages')) {
    if (p === null || typeof p !== 'object' || typeof p.text !== 'string' || typeof p.score !== 'number') throw new ChunkwiseError('INVALID_ARGUMENT', 'Each passage needs a text string and a numeric score.');
  }
  const seen = new Set<string>();
  let total = 0;
  for (const p of [...passages].sort((a, b) => b.score - a.score)) {
    const terms = new Set(simpleAnalyzer(p.text));
    let repeated = 0;
    for (const t of terms) if (seen.has(t)) repeated++;
    const novelty = terms.size === 0 ? 0 : 1 - repeated / terms.size;
    total += p.score * (2 * novelty - 1);
    for (const t of terms) seen.add(t);
  }
  return total;
};
