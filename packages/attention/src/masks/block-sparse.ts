import { ChunkwiseError } from '@chunkwise/core';
import { TileCoverage, type AttentionMask } from './attention-mask.js';
import { checkInteger, checkOptions, describeValue, MAX_ELEMENTS } from '../argument-checks.js';

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
  const { blockSize, queryBlocks, keyBlocks, layout, heads = 1 } = checkOptions(options, 'options');
  checkInteger(blockSize, 'blockSize', 1);
  checkInteger(queryBlocks, 'queryBlocks', 1);
  checkInteger(keyBlocks, 'keyBlocks', 1);
  checkInteger(heads, 'heads', 1);
  if (!(layout instanceof Uint8Array)) throw new ChunkwiseError('INVALID_ARGUMENT', `layout must be a Uint8Array, got ${describeValue(layout)}.`);
  if (queryBlocks * keyBlocks * heads > MAX_ELEMENTS) throw new ChunkwiseError('LIMIT_EXCEEDED', `A layout of ${heads} × ${queryBlocks} × ${keyBlocks} blocks exceeds ${MAX_ELEMENTS}; use larger blocks.`);
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
    if (!(row >= 0 && column >= 0 && row < queryBlocks && column < keyBlocks)) return false;
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
      if (!(r1 >= r0 && c1 >= c0)) return TileCoverage.Empty;
      // Cells past the layout are masked: only cells inside it are visited.
      const inside = r0 >= 0 && c0 >= 0 && r1 < queryBlocks && c1 < keyBlocks;
      let on = 0;
      let off = 0;
      for (let r = Math.max(0, r0); r <= Math.min(r1, queryBlocks - 1); r++) {
        for (let c = Math.max(0, c0); c <= Math.min(c1, keyBlocks - 1); c++) {
          if (layout[offset + r * keyBlocks + c] !== 0) on++;
          else off++;
        }
      }
      if (on === 0) return TileCoverage.Empty;
      return off === 0 && inside ? TileCoverage.Full : TileCoverage.Partial;
    },
  };
}

function density(layout: Uint8Array): number {
  let on = 0;
  for (const cell of layout) if (cell !== 0) on++;
  return layout.length === 0 ? 0 : on / layout.length;
}
