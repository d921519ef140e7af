import { ChunkwiseError } from '@chunkwise/core';
import { checkMask } from '../argument-checks.js';
import { TileCoverage, type AttentionMask, type MaskSpec } from './attention-mask.js';

/** A key survives when every mask lets it through. Tile coverage is the weakest of the parts. */
export function intersectMasks(...masks: AttentionMask[]): AttentionMask {
  if (masks.length === 0) throw new ChunkwiseError('INVALID_ARGUMENT', 'intersectMasks needs at least one mask.');
  masks.forEach((mask, i) => checkMask(mask, `masks[${i}]`));
  if (masks.length === 1) return masks[0] as AttentionMask;
  const gatherer = masks.find((mask) => mask.keysFor !== undefined);
  const combined: AttentionMask = {
    description: masks.map((mask) => describeMask(mask)).join(' ∩ '),
    allows(head, query, key) {
      for (const mask of masks) if (!mask.allows(head, query, key)) return false;
      return true;
    },
    tile(head, q0, q1, k0, k1) {
      let coverage: TileCoverage = TileCoverage.Full;
      for (const mask of masks) {
        const part = mask.tile(head, q0, q1, k0, k1);
        if (part === TileCoverage.Empty) return TileCoverage.Empty;
        if (part === TileCoverage.Partial) coverage = TileCoverage.Partial;
      }
      return coverage;
    },
  };
  // Any part's key list is a superset of the intersection; `allows` still filters each element.
  if (gatherer?.keysFor) combined.keysFor = gatherer.keysFor.bind(gatherer);
  const specs = partSpecs(masks);
  return specs ? { ...combined, spec: { kind: 'intersect', masks: specs } } : combined;
}

/** A key survives when any mask lets it through (e.g. attention sinks ∪ a recent window). */
export function unionMasks(...masks: AttentionMask[]): AttentionMask {
  if (masks.length === 0) throw new ChunkwiseError('INVALID_ARGUMENT', 'unionMasks needs at least one mask.');
  masks.forEach((mask, i) => checkMask(mask, `masks[${i}]`));
  if (masks.length === 1) return masks[0] as AttentionMask;
  const specs = partSpecs(masks);
  return {
    ...(specs ? { spec: { kind: 'union' as const, masks: specs } } : {}),
    description: masks.map((mask) => describeMask(mask)).join(' ∪ '),
    allows(head, query, key) {
      for (const mask of masks) if (mask.allows(head, query, key)) return true;
      return false;
    },
    tile(head, q0, q1, k0, k1) {
      let coverage: TileCoverage = TileCoverage.Empty;
      for (const mask of masks) {
        const part = mask.tile(head, q0, q1, k0, k1);
        if (part === TileCoverage.Full) return TileCoverage.Full;
        if (part === TileCoverage.Partial) coverage = TileCoverage.Partial;
      }
      return coverage;
    },
  };
}

/** A hand-written mask's description may be anything; the combination's is a string. */
function describeMask(mask: AttentionMask): string {
  return typeof mask.description === 'string' ? mask.description : 'mask';
}

/** The parts' specs, or undefined when any part cannot be serialized. */
function partSpecs(masks: AttentionMask[]): MaskSpec[] | undefined {
  const specs: MaskSpec[] = [];
  for (const mask of masks) {
    if (!mask.spec) return undefined;
    specs.push(mask.spec);
  }
  return specs;
}
