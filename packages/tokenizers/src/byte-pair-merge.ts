import { PackedHeap, positionOf, rankOf } from './packed-heap.js';
import type { RankTable } from './rank-table.js';

const NONE = 0x7fffffff;
/** Pieces at least this long use the heap merge; tiktoken switches at 100 bytes (v0.13.0, `_byte_pair_merge_large`). */
const LARGE_PIECE = 128;

/**
 * Scratch arrays for merging one piece, reused across pieces so the hot loop allocates nothing.
 * After `bytePairMerge` returns k, tokens are `tokenRanks[0..k)` and token i covers bytes
 * `[starts[i], starts[i + 1])`.
 */
export class MergeWorkspace {
  starts = new Int32Array(LARGE_PIECE + 1);
  tokenRanks = new Int32Array(LARGE_PIECE + 1);
  pairRanks = new Int32Array(LARGE_PIECE + 1);
  next = new Int32Array(0);
  prev = new Int32Array(0);
  readonly heap = new PackedHeap();

  ensure(length: number): void {
    if (this.starts.length <= length) {
      const size = Math.max(length + 1, this.starts.length * 2);
      this.starts = new Int32Array(size);
      this.tokenRanks = new Int32Array(size);
      this.pairRanks = new Int32Array(size);
    }
    if (length >= LARGE_PIECE && this.next.length <= length) {
      const size = Math.max(length + 1, this.next.length * 2);
      this.next = new Int32Array(size);
      this.prev = new Int32Array(size);
    }
  }
}

/**
 * Byte-pair merge of `bytes[0, length)` with tiktoken's rule: repeatedly merge the adjacent pair
 * whose concatenation has the lowest rank (leftmost on ties), which is valid because rank order is
 * merge order. Returns the number of tokens left in `workspace`.
 */
export function bytePairMerge(table: RankTable, bytes: Uint8Array, length: number, workspace: MergeWorkspace): number {
  workspace.ensure(length);
  return length < LARGE_PIECE ? mergeSmall(table, bytes, length, workspace) : mergeLarge(table, bytes, length, workspace);
}

/** tiktoken's `_byte_pair_merge`: a linear scan for the minimum over a short array, cache friendly. O(n·m). */
function mergeSmall(table: RankTable, bytes: Uint8Array, length: number, workspace: MergeWorkspace): number {
  const { starts, tokenRanks, pairRanks } = workspace;
  const byteRanks = table.byteRanks;
  const twoByte = table.pairRanks;
  for (let i = 0; i < length; i++) {
    starts[i] = i;
    tokenRanks[i] = byteRanks[bytes[i]!]!;
    const pair = i + 1 < length ? twoByte[(bytes[i]! << 8) | bytes[i + 1]!]! : -1;
    pairRanks[i] = pair < 0 ? NONE : pair;
  }
  starts[length] = length;
  let count = length;
  while (count > 1) {
    let min = NONE;
    let at = -1;
    for (let i = 0; i < count - 1; i++) {
      if (pairRanks[i]! < min) {
        min = pairRanks[i]!;
        at = i;
      }
    }
    if (at < 0) break;
    tokenRanks[at] = min;
    for (let j = at + 1; j < count; j++) {
      starts[j] = starts[j + 1]!;
      tokenRanks[j] = tokenRanks[j + 1]!;
      pairRanks[j] = pairRanks[j + 1]!;
    }
    count--;
    if (at + 1 < count) {
      const rank = table.rankOf(bytes, starts[at]!, starts[at + 2]!);
      pairRanks[at] = rank < 0 ? NONE : rank;
    } else {
      pairRanks[at] = NONE;
    }
    if (at > 0) {
      const rank = table.rankOf(bytes, starts[at - 1]!, starts[at + 1]!);
      pairRanks[at - 1] = rank < 0 ? NONE : rank;
    }
  }
  return count;
}

/**
 * tiktoken's `_byte_pair_merge_large`: a binary heap of (rank, position) over a linked list of
 * parts with lazy invalidation, O(n log n), so one unsplittable 50,000-character piece takes
 * milliseconds instead of the seconds the O(n²) scan needs.
 */
function mergeLarge(table: RankTable, bytes: Uint8Array, length: number, workspace: MergeWorkspace): number {
  const { next, prev, tokenRanks, pairRanks, heap, starts } = workspace;
  const byteRanks = table.byteRanks;
  heap.reset(3 * length);

  for (let i = 0; i < length; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
    tokenRanks[i] = byteRanks[bytes[i]!]!;
    const pair = i + 1 < length ? table.pairRanks[(bytes[i]! << 8) | bytes[i + 1]!]! : -1;
    pairRanks[i] = pair < 0 ? NONE : pair;
    if (pair >= 0) heap.push(pair, i);
  }
  while (heap.size > 0) {
    const key = heap.pop();
    const rank = rankOf(key);
    const at = positionOf(key);
    if (pairRanks[at] !== rank) continue; // stale: the pair changed or the part was merged away
    const right = next[at]!;
    const after = next[right]!;
    tokenRanks[at] = rank;
    pairRanks[right] = -1; // dead
    next[at] = after;
    if (after < length) prev[after] = at;
    if (after < length) {
      const merged = table.rankOf(bytes, at, next[after]!);
      pairRanks[at] = merged < 0 ? NONE : merged;
      if (merged >= 0) heap.push(merged, at);
    } else {
      pairRanks[at] = NONE;
    }
    const before = prev[at]!;
    if (before >= 0) {
      const merged = table.rankOf(bytes, before, after);
      pairRanks[before] = merged < 0 ? NONE : merged;
      if (merged >= 0) heap.push(merged, before);
    }
  }
  let count = 0;
  for (let i = 0; i < length; i = next[i]!) {
    starts[count] = i;
    tokenRanks[count] = tokenRanks[i]!;
    count++;
  }
  starts[count] = length;
  return count;
}
