import { ChunkwiseError } from '@chunkwise/core';
import type { AttentionMask, MaskSpec } from './attention-mask.js';
import { attentionSinksMask } from './attention-sinks.js';
import { blockSparseMask } from './block-sparse.js';
import { causalMask } from './causal.js';
import { intersectMasks, unionMasks } from './combine-masks.js';
import { KeySelection } from './key-selection.js';
import { lambdaShapedMask } from './lambda-shaped.js';
import { prefixMask } from './prefix.js';
import { slidingWindowMask } from './sliding-window.js';

/** Rebuilds a built-in mask from its `spec` (e.g. inside a worker thread). */
export function maskFromSpec(spec: MaskSpec): AttentionMask {
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
      return intersectMasks(...spec.masks.map(maskFromSpec));
    case 'union':
      return unionMasks(...spec.masks.map(maskFromSpec));
    case 'keySelection':
      return KeySelection.fromData(spec.data);
    default:
      throw new ChunkwiseError('INVALID_ARGUMENT', `Unknown mask spec ${JSON.stringify((spec as { kind?: unknown }).kind)}.`);
  }
}
