import { ChunkwiseError } from '@chunkwise/core';
import { TileCoverage, type AttentionMask } from './attention-mask.js';
import { assertCount } from './sliding-window.js';

export interface BlockSparseOptions {
  /** Side of one square block, in positions. */
  blockSize: number;
  /** Number of query blocks (rows of the layout). */
  queryBlocks: number;
  /** Number of key blocks (columns of the layout). */
  keyBlocks: number;
  /**
   * Non-zero where query block `r` may attend to key block `c`: `layout[r * keyBlocks + c]`, or
   * one such layout per query head, concatenated (`heads * queryBlocks * keyBlocks` bytes).
   */
  layout: Uint8Array;
  /** Number of per-head layouts in `layout`; omit for one layout shared by every head. */
  heads?: number;
}

/**
 * Block-sparse attention (FlashAttention arXiv 2205.14135 §3.3): a boolean layout over
 * `blockSize × blockSize` blocks; kernels skip whole tiles the layout zeroes. Positions past the
 * layout are masked.
 */
export function blockSparseMask(options: BlockSparseOptions): AttentionMask {
  const { blockSize, queryBlocks, keyBlocks, layout, heads = 1 } = options;
  assertCount(blockSize, 'blockSize', 1);
  assertCount(queryBlocks, 'queryBlocks', 1);
  assertCount(keyBlocks, 'keyBlocks', 1);
  assertCount(heads, 'heads', 1);
  const perHead = queryBlocks * keyBlocks;
  if (layout.length !== perHead * heads) {
    throw new ChunkwiseError(
      'INVALID_ARGUMENT',
      `layout has ${layout.length} entries; expected heads × queryBlocks × keyBlocks = ${perHead * heads}.`,
    );
  }
  const base = (head: number) => (heads === 1 ? 0 : (head % heads) * perHead);
  const allows = (head: number, query: number, key: number) => {
    const row = Math.floor(query / blockSize);
    const column = Math.floor(key / blockSize);
    if (row >= queryBlocks || column >= keyBlocks) return false;
    return layout[base(head) + row * keyBlocks + column] !== 0;
  };
  return {
    description: `block-sparse(${blockSize}, ${density(layout).toFixed(2)} dense)`,
    spec: { kind: 'blockSparse', blockSize, queryBlocks, keyBlocks, layout, heads },
    allows,
    tile(head, q0, q1, k0, k1) {
      const offset = base(head);
      const r0 = Math.floor(q0 / blockSize);
      const r1 = Math.floor((q1 - 1) / blockSize);
      const c0 = Math.floor(k0 / blockSize);
      const c1 = Math.floor((k1 - 1) / blockSize);
      let on = 0;
      let off = 0;
      for (let r = r0; r <= r1; r++) {
        for (let c = c0; c <= c1; c++) {
          if (r < queryBlocks && c < keyBlocks && layout[offset + r * keyBlocks + c] !== 0) on++;
          else off++;
        }
      }
      if (on === 0) return TileCoverage.Empty;
      return off === 0 ? TileCoverage.Full : TileCoverage.Partial;
    },
  };
}

function density(layout: Uint8Array): number {
  let on = 0;
  for (const cell of layout) if (cell !== 0) on++;
  return layout.length === 0 ? 0 : on / layout.length;
}
