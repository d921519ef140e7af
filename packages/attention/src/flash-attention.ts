import type { AttentionShape } from './attention-shape.js';
import type { ResolvedOptions } from './attention-options.js';
import { TileCoverage, type AttentionMask } from './masks/attention-mask.js';
import { KeySelection } from './masks/key-selection.js';
import type { TileEngine } from './tile-engine.js';

/** What every kernel runs on: validated tensors, resolved options and the tile arithmetic. */
export interface KernelInputs {
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  shape: AttentionShape;
  options: ResolvedOptions;
  engine: TileEngine;
}

export interface FlashRange {
  /** Query heads `[headStart, headEnd)` to compute (default all). */
  headStart?: number;
  headEnd?: number;
  /** Keys `[keyStart, keyEnd)` to attend over (default all); used by split-K decoding. */
  keyStart?: number;
  keyEnd?: number;
  /** Query rows `[rowStart, rowEnd)` (default all); lets a pool split one head by query tiles. */
  rowStart?: number;
  rowEnd?: number;
}

/**
 * Tiled exact attention with an online softmax (FlashAttention, arXiv 2205.14135; loop order of
 * FlashAttention-2, arXiv 2307.08691: outer loop over query tiles, so each tile owns its output and
 * needs only O(blockQ·d) state). Extra memory is O(blockQ·blockK + seqK·d) for the engine's key
 * copy, never O(seqQ·seqK). Tiles the mask empties are skipped; fully visible tiles run unmasked.
 * Masks that list their keys (`keysFor`) are gathered per query tile, so token-level selections
 * cost what they keep.
 */
export function flashAttentionInto(inputs: KernelInputs, out: Float32Array, lse: Float32Array | undefined, range: FlashRange = {}): void {
  const { q, k, v, shape, options, engine } = inputs;
  const { heads, kvHeads, seqQ, seqK, headDim: d } = shape;
  const { blockQ, blockK, queryOffset, causal, mask, combinedMask } = options;
  const group = heads / kvHeads;
  const headStart = range.headStart ?? 0;
  const headEnd = range.headEnd ?? heads;
  const keyStart = range.keyStart ?? 0;
  const keyEnd = range.keyEnd ?? seqK;
  const keyCount = keyEnd - keyStart;
  const rowStart = range.rowStart ?? 0;
  const rowEnd = range.rowEnd ?? seqQ;
  const gathers = combinedMask?.keysFor !== undefined;
  let loadedKvHead = -1;

  for (let h = headStart; h < headEnd; h++) {
    const kvHead = Math.floor(h / group);
    const kvBase = kvHead * seqK * d;
    for (let i0 = rowStart; i0 < rowEnd; i0 += blockQ) {
      const rows = Math.min(blockQ, rowEnd - i0);
      const p0 = queryOffset + i0;
      const p1 = p0 + rows;
      const qBase = (h * seqQ + i0) * d;

      if (gathers && combinedMask) {
        const selected = (combinedMask.keysFor as (h: number, q0: number, q1: number) => Int32Array)(h, p0, p1);
        const index = keyStart === 0 && keyEnd === seqK ? selected : selected.filter((key) => key >= keyStart && key < keyEnd);
        engine.loadKeys(k, v, kvBase, index.length, index);
        loadedKvHead = -1;
        engine.loadQueries(q, qBase, rows);
        const buffer = engine.maskBuffer();
        // A query tile inside one selection block sees every gathered key but for causality, which
        // is a comparison — no per-element mask calls (they would cost more than the arithmetic).
        const selectionOnly = mask instanceof KeySelection && mask.withinOneBlock(p0, p1);
        for (let j0 = 0; j0 < index.length; j0 += blockK) {
          const count = Math.min(blockK, index.length - j0);
          if (selectionOnly) {
            if (!causal || (index[j0 + count - 1] as number) <= p0) {
              engine.tile(j0, count, 0, 0, 0);
              continue;
            }
            if ((index[j0] as number) > p1 - 1) continue;
            for (let r = 0; r < rows; r++) {
              for (let c = 0; c < count; c++) buffer[r * count + c] = (index[j0 + c] as number) <= p0 + r ? 1 : 0;
            }
            engine.tile(j0, count, 2, 0, 0);
            continue;
          }
          let hidden = 0;
          for (let r = 0; r < rows; r++) {
            for (let c = 0; c < count; c++) {
              const visible = combinedMask.allows(h, p0 + r, index[j0 + c] as number);
              buffer[r * count + c] = visible ? 1 : 0;
              if (!visible) hidden++;
            }
          }
          if (hidden === rows * count) continue;
          engine.tile(j0, count, hidden === 0 ? 0 : 2, 0, 0);
        }
        engine.finish(out, qBase, lse, h * seqQ + i0);
        continue;
      }

      if (loadedKvHead !== kvHead) {
        engine.loadKeys(k, v, kvBase + keyStart * d, keyCount);
        loadedKvHead = kvHead;
      }
      engine.loadQueries(q, qBase, rows);
      const buffer = engine.maskBuffer();
      // With only the causal flag, keys after the tile's last query never matter.
      const lastKey = causal ? Math.min(keyEnd, p1) : keyEnd;
      if (!mask && engine.tileRun) {
        // Unmasked or causal-only: every tile is full or diagonal, so the engine runs them all.
        if (lastKey > keyStart) engine.tileRun(0, lastKey - keyStart, combinedMask !== undefined, p0, keyStart);
        engine.finish(out, qBase, lse, h * seqQ + i0);
        continue;
      }
      for (let k0 = keyStart; k0 < lastKey; k0 += blockK) {
        const count = Math.min(blockK, lastKey - k0);
        const k1 = k0 + count;
        let coverage: TileCoverage;
        if (!combinedMask) coverage = TileCoverage.Full;
        else if (!mask) coverage = k1 - 1 <= p0 ? TileCoverage.Full : TileCoverage.Partial;
        else coverage = combinedMask.tile(h, p0, p1, k0, k1);
        if (coverage === TileCoverage.Empty) continue;
        if (coverage === TileCoverage.Full) {
          engine.tile(k0 - keyStart, count, 0, p0, k0);
        } else if (!mask) {
          engine.tile(k0 - keyStart, count, 1, p0, k0);
        } else if (combinedMask) {
          fillTileMask(combinedMask, h, p0, rows, k0, count, buffer);
          engine.tile(k0 - keyStart, count, 2, p0, k0);
        }
      }
      engine.finish(out, qBase, lse, h * seqQ + i0);
    }
  }
}

/** Side of the sub-blocks a partial tile's byte mask is filled by. */
const MASK_BLOCK = 8;

/**
 * Fills the byte mask of a partial tile (rows × count, row-major, 1 = visible) for query
 * positions p0 … p0 + rows − 1 and keys k0 … k0 + count − 1. The mask's own `tile()` answers
 * 8 × 8 sub-blocks first, so only sub-blocks it calls Partial cost one `allows()` per pair (a
 * window's edge crosses a few of a 64 × 64 tile's 64 sub-blocks).
 */
function fillTileMask(mask: AttentionMask, h: number, p0: number, rows: number, k0: number, count: number, buffer: Uint8Array): void {
  for (let r0 = 0; r0 < rows; r0 += MASK_BLOCK) {
    const r1 = Math.min(rows, r0 + MASK_BLOCK);
    for (let c0 = 0; c0 < count; c0 += MASK_BLOCK) {
      const c1 = Math.min(count, c0 + MASK_BLOCK);
      const coverage = mask.tile(h, p0 + r0, p0 + r1, k0 + c0, k0 + c1);
      if (coverage === TileCoverage.Partial) {
        for (let r = r0; r < r1; r++) {
          for (let c = c0; c < c1; c++) buffer[r * count + c] = mask.allows(h, p0 + r, k0 + c) ? 1 : 0;
        }
      } else {
        const value = coverage === TileCoverage.Full ? 1 : 0;
        for (let r = r0; r < r1; r++) buffer.fill(value, r * count + c0, r * count + c1);
      }
    }
  }
}
