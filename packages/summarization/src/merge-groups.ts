import { ChunkwiseError } from '@chunkwise/core';
import { describeValue } from './argument-checks.js';

/**
 * Greedy packing of consecutive items into groups whose sizes add up to at most `capacity`: BooookScore
 * merges "as many consecutive summaries as fit" (arXiv 2310.00785 §2). An item larger than the
 * capacity gets a group of its own; callers shrink such items first.
 */
export function packGroups(sizes: readonly number[], capacity: number): number[][] {
  if (!Array.isArray(sizes) || !sizes.every((size) => typeof size === 'number' && size >= 0 && Number.isFinite(size))) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'packGroups() takes the item sizes as an array of finite numbers ≥ 0.');
  }
  if (typeof capacity !== 'number' || !(capacity > 0)) throw new ChunkwiseError('INVALID_ARGUMENT', `capacity must be a number > 0, got ${describeValue(capacity)}.`);
  const groups: number[][] = [];
  let current: number[] = [];
  let used = 0;
  sizes.forEach((size, i) => {
    if (current.length > 0 && used + size > capacity) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(i);
    used += size;
  });
  if (current.length > 0) groups.push(current);
  return groups;
}
