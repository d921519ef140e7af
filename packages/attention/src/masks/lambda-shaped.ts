import { checkOptions } from '../argument-checks.js';
import type { AttentionMask } from './attention-mask.js';
import { unionMasks } from './combine-masks.js';
import { prefixMask } from './prefix.js';
import { slidingWindowMask } from './sliding-window.js';

export interface LambdaShapedOptions {
  /** Leading tokens in the global branch; LM-Infinite reports 10–100 work alike. */
  global?: number;
  /** The local branch: the pre-training length (4096 for Llama-2). */
  local: number;
}

/**
 * LM-Infinite's Λ-shaped mask (arXiv 2308.16137 §4): a global branch over the first tokens and a
 * local branch over the pre-training length. Pair it with `limitRelativeDistance` in rope.ts so no
 * relative distance exceeds what the model saw in training.
 */
export function lambdaShapedMask(options: LambdaShapedOptions): AttentionMask {
  const { global = 10, local } = checkOptions(options, 'options');
  const mask = unionMasks(prefixMask(global), slidingWindowMask({ window: local }));
  return { ...mask, description: `Λ(global ${global}, local ${local})`, spec: { kind: 'lambdaShaped', global, local } };
}
