import type { ResolvedOptions } from '../attention-options.js';
import type { AttentionShape } from '../attention-shape.js';
import { TileCoverage, type MaskSpec } from '../masks/attention-mask.js';

/**
 * Which key tiles each (head, query tile) workgroup visits, decided on the host from the mask's
 * own tile coverage, so the GPU never loads a tile the mask empties (block-sparse FlashAttention,
 * arXiv 2205.14135 §3.3). Layout of `schedule` (u32): `heads × qTiles` pairs (first entry, entry
 * count), then entries (key tile, mode | bit word << 2); mode 0 full, 1 causal diagonal, 2 bitmask.
 */
export interface TileSchedule {
  schedule: Uint32Array;
  /** Bitmasks of the partial tiles: `blockQ × blockK` bits each, row-major. */
  bits: Uint32Array;
  qTiles: number;
  /** The longest entry list of any workgroup. */
  maxEntries: number;
}

export function buildTileSchedule(
  shape: AttentionShape,
  options: Pick<ResolvedOptions, 'queryOffset' | 'mask' | 'combinedMask'>,
  blockQ: number,
  blockK: number,
): TileSchedule {
  const { heads, seqQ, seqK } = shape;
  const { queryOffset, mask, combinedMask } = options;
  const qTiles = Math.ceil(seqQ / blockQ);
  const keyTiles = Math.ceil(seqK / blockK);
  const wordsPerTile = Math.ceil((blockQ * blockK) / 32);
  const entries: number[] = [];
  const bits: number[] = [];
  const ranges = new Uint32Array(2 * heads * qTiles);
  // Masks that ignore the head get one list per query tile, shared by every head.
  const sharedAcrossHeads = combinedMask === undefined || (combinedMask.spec !== undefined && headIndependent(combinedMask.spec));
  const headsToPlan = sharedAcrossHeads ? 1 : heads;
  let maxEntries = 0;

  for (let h = 0; h < headsToPlan; h++) {
    for (let t = 0; t < qTiles; t++) {
      const rows = Math.min(blockQ, seqQ - t * blockQ);
      const p0 = queryOffset + t * blockQ;
      const p1 = p0 + rows;
      const first = entries.length / 2;
      for (let kt = 0; kt < keyTiles; kt++) {
        const k0 = kt * blockK;
        const k1 = Math.min(seqK, k0 + blockK);
        let coverage: TileCoverage;
        if (!combinedMask) coverage = TileCoverage.Full;
        else if (!mask) coverage = k0 > p1 - 1 ? TileCoverage.Empty : k1 - 1 <= p0 ? TileCoverage.Full : TileCoverage.Partial;
        else coverage = combinedMask.tile(h, p0, p1, k0, k1);
        if (coverage === TileCoverage.Empty) continue;
        if (coverage === TileCoverage.Full) {
          entries.push(kt, 0);
        } else if (!mask || !combinedMask) {
          entries.push(kt, 1);
        } else {
          const word = bits.length;
          let visible = 0;
          for (let w = 0; w < wordsPerTile; w++) bits.push(0);
          for (let r = 0; r < rows; r++) {
            for (let c = 0; c < k1 - k0; c++) {
              if (!combinedMask.allows(h, p0 + r, k0 + c)) continue;
              const bit = r * blockK + c;
              bits[word + (bit >>> 5)] = ((bits[word + (bit >>> 5)] as number) | (1 << (bit & 31))) >>> 0;
              visible++;
            }
          }
          // `Partial` is allowed to be conservative; a tile with nothing visible is dropped.
          if (visible === 0) bits.length = word;
          else entries.push(kt, 2 + word * 4);
        }
      }
      const count = entries.length / 2 - first;
      maxEntries = Math.max(maxEntries, count);
      for (let head = h; head < (sharedAcrossHeads ? heads : h + 1); head++) {
        ranges[2 * (head * qTiles + t)] = first;
        ranges[2 * (head * qTiles + t) + 1] = count;
      }
    }
  }

  // Entry indices in `ranges` are relative to the entry region; make them absolute pairs.
  const offset = ranges.length / 2;
  for (let i = 0; i < ranges.length; i += 2) ranges[i] = (ranges[i] as number) + offset;
  const schedule = new Uint32Array(ranges.length + entries.length);
  schedule.set(ranges);
  schedule.set(entries, ranges.length);
  return { schedule, bits: Uint32Array.from(bits), qTiles, maxEntries };
}

/** True when the mask the spec rebuilds answers the same for every head. */
export function headIndependent(spec: MaskSpec): boolean {
  switch (spec.kind) {
    case 'blockSparse':
      return spec.heads === 1;
    case 'keySelection':
      return spec.data.groups === 1;
    case 'intersect':
    case 'union':
      return spec.masks.every(headIndependent);
    default:
      return true;
  }
}
