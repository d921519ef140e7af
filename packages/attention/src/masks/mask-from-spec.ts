import { ChunkwiseError } from '@chunkwise/core';
import { checkObject, describeValue } from '../argument-checks.js';
import type { AttentionMask, MaskSpec } from './attention-mask.js';
import { attentionSinksMask } from './attention-sinks.js';
import { blockSparseMask } from './block-sparse.js';
import { causalMask } from './causal.js';
import { intersectMasks, unionMasks } from './combine-masks.js';
import { KeySelection } from './key-selection.js';
import { lambdaShapedMask } from './lambda-shaped.js';
import { prefixMask } from './prefix.js';
import { slidingWindowMask } from './sliding-window.js';

/** Combinations nest at most this deep (a spec is data and may come from anywhere). */
const MAX_DEPTH = 64;

/** Rebuilds a built-in mask from its `spec` (e.g. inside a worker thread). */
export function maskFromSpec(spec: MaskSpec, depth = 0): AttentionMask {
  checkObject(spec, 'spec');
  if (depth > MAX_DEPTH) throw new ChunkwiseError('LIMIT_EXCEEDED', `Mask specs nest at most ${MAX_DEPTH} combinations deep.`);
  switch (spec.kind) {
    case 'causal':
      return causalMask();
    case 'slidingWindow':
      return slidingWindowMask({ window: spec.window });
    case 'prefix':
      return prefixMask(spec.length);
    case 'attentionSinks':
      return attentionSinksMask({ sinks: spec.sinks, window: spec.window });
    case 'lambdaShaped':
      return lambdaShapedMask({ global: spec.global, local: spec.local });
    case 'blockSparse':
      return blockSparseMask(spec);
    case 'intersect':
      return intersectMasks(...partsOf(spec.masks).map((part) => maskFromSpec(part, depth + 1)));
    case 'union':
      return unionMasks(...partsOf(spec.masks).map((part) => maskFromSpec(part, depth + 1)));
    case 'keySelection':
      return KeySelection.fromData(spec.data);
    default:
      throw new ChunkwiseError('INVALID_ARGUMENT', `Unknown mask spec kind ${describeValue((spec as { kind?: unknown }).kind)}.`);
  }
}

function partsOf(masks: unknown): MaskSpec[] {
  if (!Array.isArray(masks)) throw new ChunkwiseError('INVALID_ARGUMENT', `spec.masks must be an array of mask specs, got ${describeValue(masks)}.`);
  return masks as MaskSpec[];
}
