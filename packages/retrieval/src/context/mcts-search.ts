import { ChunkwiseError } from '@chunkwise/core';
import type { AsyncContextUtility, ContextPassage, ContextUtility } from './types.js';

interface Node {
  /** Indices into the candidates, increasing, so each combination has exactly one node. */
  set: number[];
  cost: number;
  visits: number;
  total: number;
  utility: number | undefined;
  children: Node[] | undefined;
}

export interface MCTSOptions {
  iterations: number;
  exploration: number;
  lengthPenalty: number;
  capacity: number;
  budget: number;
}

/**
 * CORAG-style Monte Carlo tree search (arXiv 2411.00744, after the CARROT reference code): a node
 * is a combination of passages, expanding it adds one more that still fits, selection uses
 * UCB = mean reward + C·√(ln N_parent / n) − λ·cost/budget, and the answer is the visited node with
 * the best utility, not the deepest one. That is the point: utility is not monotonic in the number
 * of passages, so the budget is a constraint, never a stopping rule.
 */
export function mctsSelect(candidates: readonly ContextPassage[], costs: readonly number[], options: MCTSOptions, utility: ContextUtility): number[] {
  const steps = mctsSteps(costs, options);
  let step = steps.next();
  while (!step.done) step = steps.next(checked(utility(step.value.map((i) => candidates[i] as ContextPassage))));
  return step.value;
}

/** mctsSelect with a utility that may be asynchronous (a reranker call): one evaluation at a time. */
export async function mctsSelectAsync(candidates: readonly ContextPassage[], costs: readonly number[], options: MCTSOptions, utility: AsyncContextUtility): Promise<number[]> {
  const steps = mctsSteps(costs, options);
  let step = steps.next();
  while (!step.done) step = steps.next(checked(await utility(step.value.map((i) => candidates[i] as ContextPassage))));
  return step.value;
}

function checked(value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `A context utility must return a number, got ${String(value)}.`);
  }
  return value;
}

/**
 * The search itself, independent of how the utility is called: it yields each new combination
 * (candidate indices) once and is resumed with its utility; it returns the best combination.
 */
function* mctsSteps(costs: readonly number[], options: MCTSOptions): Generator<number[], number[], number> {
  const root: Node = { set: [], cost: 0, visits: 0, total: 0, utility: undefined, children: undefined };
  let best: Node | undefined;
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const path: Node[] = [root];
    let node = root;
    while (node.children !== undefined && node.children.length > 0) {
      const parent: Node = node;
      let pick = parent.children?.[0] as Node;
      let pickValue = Number.NEGATIVE_INFINITY;
      for (const child of parent.children as Node[]) {
        const value =
          child.visits === 0
            ? Number.POSITIVE_INFINITY
            : child.total / child.visits + options.exploration * Math.sqrt(Math.log(parent.visits) / child.visits) - (options.lengthPenalty * child.cost) / options.budget;
        if (value > pickValue) {
          pick = child;
          pickValue = value;
        }
      }
      node = pick;
      path.push(node);
    }
    if (node.children === undefined) {
      const last = node.set.length === 0 ? -1 : (node.set[node.set.length - 1] as number);
      node.children = [];
      for (let i = last + 1; i < costs.length; i++) {
        const cost = node.cost + (costs[i] as number);
        if (cost <= options.capacity) node.children.push({ set: [...node.set, i], cost, visits: 0, total: 0, utility: undefined, children: undefined });
      }
      if (node.children.length > 0) {
        node = node.children[0] as Node;
        path.push(node);
      }
    }
    if (node.utility === undefined) {
      node.utility = node.set.length === 0 ? 0 : yield node.set;
      if (node.set.length > 0 && (best === undefined || node.utility > (best.utility as number) || (node.utility === best.utility && node.cost < best.cost))) best = node;
    }
    const reward = node.utility;
    for (const visited of path) {
      visited.visits++;
      visited.total += reward;
    }
    if (node === root && root.children?.length === 0) break;
  }
  return best?.set ?? [];
}
