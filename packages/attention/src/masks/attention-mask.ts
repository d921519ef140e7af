import type { KeySelectionData } from './key-selection.js';

/**
 * How much of a (query range × key range) tile a mask lets through. Kernels skip `Empty` tiles,
 * run `Full` tiles without per-element checks and ask `allows` only inside `Partial` tiles — the
 * block-skipping idea of block-sparse FlashAttention (arXiv 2205.14135 §3.3).
 */
export const TileCoverage = { Empty: 0, Full: 1, Partial: 2 } as const;
export type TileCoverage = (typeof TileCoverage)[keyof typeof TileCoverage];

/**
 * A mask over absolute positions: query row `i` sits at position `queryOffset + i`, key `j` at
 * position `j`. `head` is the query head, so per-head masks (LongHeads) fit the same interface.
 */
export interface AttentionMask {
  /** A short human-readable description, e.g. `sliding-window(512)`. */
  readonly description: string;
  /** True when the query at `query` may attend to the key at `key`. */
  allows(head: number, query: number, key: number): boolean;
  /**
   * Coverage of queries `[q0, q1)` × keys `[k0, k1)`. It must be exact for `Empty` and `Full`;
   * `Partial` is always a safe answer.
   */
  tile(head: number, q0: number, q1: number, k0: number, k1: number): TileCoverage;
  /**
   * Optional: the sorted key positions any query in `[q0, q1)` may see. Kernels gather these
   * keys instead of scanning every tile, which is what makes token-level selectors fast.
   */
  keysFor?(head: number, q0: number, q1: number): Int32Array;
  /**
   * Plain data that rebuilds this mask (`maskFromSpec`), so it can cross to a worker thread.
   * Built-in masks have one; a hand-written mask without it runs only on the calling thread.
   */
  readonly spec?: MaskSpec;
}

/** Serializable description of a built-in mask. */
export type MaskSpec =
  | { kind: 'causal' }
  | { kind: 'slidingWindow'; window: number }
  | { kind: 'prefix'; length: number }
  | { kind: 'attentionSinks'; sinks: number; window: number }
  | { kind: 'lambdaShaped'; global: number; local: number }
  | { kind: 'blockSparse'; blockSize: number; queryBlocks: number; keyBlocks: number; layout: Uint8Array; heads: number }
  | { kind: 'intersect'; masks: MaskSpec[] }
  | { kind: 'union'; masks: MaskSpec[] }
  | { kind: 'keySelection'; data: KeySelectionData };
